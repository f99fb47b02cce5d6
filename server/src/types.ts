/**
 * The types every part of the server shares: who is calling (`Viewer`), the long-lived dependencies
 * (`Services`) and what a resolver gets (`Context`). A leaf: it only names types, and nothing it
 * names imports it back, so no module reaches this file through a circle.
 */
import type { Config } from './config.ts';
import type { LagoPort } from './integrations/lago/port.ts';
import type { StevePort } from './integrations/steve/port.ts';
import type { Db } from './lib/db.ts';
import type { JobQueue } from './lib/jobs.ts';
import type { Logger } from './lib/logger.ts';
import type { PubSub } from './lib/pubsub.ts';
import type { Auth } from './modules/auth/auth.ts';
import type { BillingOutbox } from './modules/billing/billing.outbox.ts';
import type { SyncService } from './modules/sync/sync.service.ts';
import type { StartupChecks } from './modules/system/startup-checks.ts';
import type { WebhookDispatcher } from './modules/webhooks/dispatcher.ts';

export type Role = 'admin' | 'customer';
export type ApiKeyRole = 'READ_ONLY' | 'OPERATOR';

/**
 * What an API key may do (docs/security-auth.md): `read` what an operator reads, `operations`
 * (charger commands, sync, cards and drivers), `billing` (Lago customers and usage), `webhooks`
 * (endpoints, deliveries, replays), `charging` (start/stop on the owner's own cards: only keys a
 * driver owns). A key has one or more.
 */
export type ApiKeyScope = 'read' | 'operations' | 'billing' | 'webhooks' | 'charging';
export const API_KEY_SCOPES: readonly ApiKeyScope[] = [
  'read',
  'operations',
  'billing',
  'webhooks',
  'charging',
];

/** A key's request budget after this request (sent back as RateLimit-* headers). */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Seconds until the budget is full again. */
  resetSeconds: number;
}

/**
 * The key a driver calls with (a key a driver owns): the caller is then that driver, limited to
 * reading their own data (`read`) and, with `charging`, starting and stopping on their own cards.
 */
export interface DriverKey {
  keyId: string;
  scopes: readonly ApiKeyScope[];
  rateLimit: RateLimitState | null;
}

/**
 * Who is calling. An admin acting as a driver is the driver, with `impersonatorId` set; a driver's
 * own API key is the driver too, with `apiKey` set (and `sessionId` naming the key).
 */
export type Viewer =
  | {
      kind: 'user';
      userId: string;
      email: string;
      role: Role;
      status: 'ACTIVE' | 'INACTIVE';
      sessionId: string;
      impersonatorId: string | null;
      /** Set when a driver calls with their own API key instead of a session. */
      apiKey?: DriverKey | null;
    }
  | {
      kind: 'apiKey';
      keyId: string;
      /** OPERATOR when the key has the `operations` scope (the role names of earlier keys). */
      role: ApiKeyRole;
      scopes: readonly ApiKeyScope[];
      ownerId: string;
      rateLimit: RateLimitState | null;
    };

/** Long-lived dependencies shared by resolvers and background work, assembled once in app.ts. */
export interface Services {
  config: Config;
  db: Db;
  pubsub: PubSub;
  logger: Logger;
  /** Resolves the caller from request headers (cookie session or API key); null when anonymous. */
  authenticate(headers: Headers): Promise<Viewer | null>;
  /** better-auth (sessions, admin plugin, API keys); server-side calls via `auth.api.*`. */
  auth: Auth;
  /** Lago (real adapter or embedded sandbox), see lib/lago.ts. */
  lago: LagoPort;
  /** The usage-event outbox worker; `billing.kick()` asks it to drain now. */
  billing: BillingOutbox;
  /** SteVe (real adapter or the embedded fleet simulator), see lib/steve.ts. */
  steve: StevePort;
  /** The PostgreSQL-backed job queue (pg-boss), started with the app; see lib/jobs.ts. */
  jobs: JobQueue;
  /** The SteVe→Polaris sync: engine, scheduler and `requestImmediate` (see modules/sync). */
  sync: SyncService;
  /** Delivers the webhook outbox (signed, ordered per stream, retried); see modules/webhooks. */
  webhooks: WebhookDispatcher;
  /** Start-up checks of a real SteVe / Lago (credentials, grants, schema, metric and plan); see Health. */
  startupChecks: StartupChecks;
}

/** What every resolver gets: the caller, the app's services and the HTTP (or upgrade) request. */
export interface Context {
  viewer: Viewer | null;
  services: Services;
  request: Request;
}
