import type { Config } from './config.ts';
import type { Db } from './lib/db.ts';
import type { Logger } from './lib/logger.ts';
import type { PubSub } from './lib/pubsub.ts';
import type { Services } from './services.ts';

export type Role = 'admin' | 'customer';
export type ApiKeyRole = 'READ_ONLY' | 'OPERATOR';

/** Who is calling. An admin acting as a driver is the driver, with `impersonatorId` set. */
export type Viewer =
  | {
      kind: 'user';
      userId: string;
      email: string;
      role: Role;
      status: 'ACTIVE' | 'INACTIVE';
      sessionId: string;
      impersonatorId: string | null;
    }
  | { kind: 'apiKey'; keyId: string; role: ApiKeyRole; ownerId: string };

export interface Context {
  viewer: Viewer | null;
  db: Db;
  pubsub: PubSub;
  config: Config;
  logger: Logger;
  services: Services;
  request: Request;
}
