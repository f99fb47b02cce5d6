import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { DEFAULT_REDIS_PREFIX } from '../config.ts';
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
  /** Domain events were committed to the outbox: webhook dispatchers look for due deliveries now. */
  'events:recorded': [{ at: string }];
};

export type PubSub = ReturnType<typeof createPubSub<Topics>>;

export interface Bus {
  pubsub: PubSub;
  close(): Promise<void>;
}

type PubSubEventTarget = NonNullable<NonNullable<Parameters<typeof createPubSub<Topics>>[0]>['eventTarget']>;

/**
 * Every Redis channel becomes `<prefix>:<topic>`, so deployments sharing one Redis never see each
 * other's events. (ioredis' `keyPrefix` does not apply to pub/sub channels, hence this wrapper.)
 */
function prefixChannels(target: PubSubEventTarget, prefix: string): PubSubEventTarget {
  const channel = (topic: string) => `${prefix}:${topic}`;
  return {
    addEventListener: (topic, listener) => target.addEventListener(channel(topic), listener),
    removeEventListener: (topic, listener) => target.removeEventListener(channel(topic), listener),
    dispatchEvent: (event) =>
      target.dispatchEvent(new CustomEvent(channel(event.type), { detail: event.detail }) as typeof event),
  };
}

/**
 * Copies each payload as it is published, so one payload object stands for exactly one publication
 * even if a caller publishes the same object twice: subscription resolvers share one read per
 * payload object (see event-memo.ts). Over Redis each instance parses a message once, which gives
 * the same guarantee on the receiving side.
 */
function freshPayloads(pubsub: PubSub): PubSub {
  const publish = (routingKey: string, ...args: unknown[]) => {
    const copied = args.map((arg, i) =>
      i === args.length - 1 && typeof arg === 'object' && arg !== null && !Array.isArray(arg)
        ? { ...arg }
        : arg,
    );
    (pubsub.publish as (key: string, ...rest: unknown[]) => void)(routingKey, ...copied);
  };
  return { subscribe: pubsub.subscribe, publish: publish as PubSub['publish'] };
}

export interface BusOptions {
  /** Channel prefix on Redis (`REDIS_PREFIX`); every instance of one deployment must use the same. */
  prefix?: string;
}

/** In-process pub/sub by default; with REDIS_URL, events travel between instances through Redis. */
export function createBus(redisUrl: string | undefined, logger: Logger, options: BusOptions = {}): Bus {
  if (!redisUrl) {
    // Every live subscriber is a listener on this one target; thousands are normal, not a leak.
    const eventTarget = new EventTarget();
    setMaxListeners(0, eventTarget);
    return { pubsub: freshPayloads(createPubSub<Topics>({ eventTarget })), close: async () => undefined };
  }
  const clientOptions = { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false } as const;
  const publishClient = new Redis(redisUrl, clientOptions);
  const subscribeClient = new Redis(redisUrl, clientOptions);
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
    eventTarget: prefixChannels(
      createRedisEventTarget({ publishClient, subscribeClient }),
      options.prefix ?? DEFAULT_REDIS_PREFIX,
    ),
  });
  return {
    pubsub: freshPayloads(pubsub),
    async close() {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
