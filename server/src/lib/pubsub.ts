import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

/** Payloads published on the bus. Keep them small and JSON-safe: with Redis they cross processes. */
export interface SyncProgressEvent {
  runId: string;
}
export interface ChargerStateEvent {
  chargerId: string;
}
export interface SessionEvent {
  sessionId: string;
}
export interface StartRequestEvent {
  startRequestId: string;
}

/**
 * The one typed topic map (`domain:event`). Topics scoped to one audience take the id as first
 * argument, e.g. `publish('driver:session', userId, payload)`.
 */
export type Topics = {
  'sync:progress': [SyncProgressEvent];
  'charger:stateChanged': [ChargerStateEvent];
  'session:updated': [SessionEvent];
  'driver:session': [userId: string, payload: SessionEvent];
  'startRequest:updated': [startRequestId: string, payload: StartRequestEvent];
  'alerts:changed': [{ at: string }];
  /** A person's account changed (status, role, name): drives the `viewerChanged` subscription. */
  'user:changed': [userId: string, payload: { userId: string }];
};

export type PubSub = ReturnType<typeof createPubSub<Topics>>;

export interface Bus {
  pubsub: PubSub;
  close(): Promise<void>;
}

/** In-process pub/sub by default; with REDIS_URL, events travel between instances through Redis. */
export function createBus(redisUrl: string | undefined, logger: Logger): Bus {
  if (!redisUrl) {
    // Every live subscriber is a listener on this one target; thousands are normal, not a leak.
    const eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
    return { pubsub: createPubSub<Topics>({ eventTarget }), close: async () => undefined };
  }
  const options = { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false } as const;
  const publishClient = new Redis(redisUrl, options);
  const subscribeClient = new Redis(redisUrl, options);
  for (const [role, client] of [
    ['publish', publishClient],
    ['subscribe', subscribeClient],
  ] as const) {
    // ioredis reconnects by itself; log instead of crashing the process while Redis is away.
    client.on('error', (error: Error) =>
      logger.warn({ role, err: error.message }, 'redis connection problem'),
    );
  }
  const pubsub = createPubSub<Topics>({
    eventTarget: createRedisEventTarget({ publishClient, subscribeClient }),
  });
  return {
    pubsub,
    async close() {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
