import { createPubSub } from 'graphql-yoga';
import type { StevePort, SteveTransaction } from '../../integrations/steve/port.ts';
import { createLogger } from '../../lib/logger.ts';
import type { Topics } from '../../lib/pubsub.ts';
import type { Db } from '../../lib/db.ts';
import { SyncEngine, type SyncEngineOptions } from './sync.engine.ts';

/** A clock tests move by hand; the simulator and the engine read the same one. */
export class ManualClock {
  #t: number;
  constructor(start = '2026-11-22T12:00:00.000Z') {
    this.#t = new Date(start).getTime();
  }
  readonly now = (): Date => new Date(this.#t);
  advance(ms: number): void {
    this.#t += ms;
  }
}

export const testLogger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

export function createTestEngine(
  db: Db,
  steve: StevePort,
  clock: ManualClock,
  options: Partial<SyncEngineOptions> = {},
): { engine: SyncEngine; pubsub: ReturnType<typeof createPubSub<Topics>> } {
  const pubsub = createPubSub<Topics>();
  const engine = new SyncEngine({ db, steve, pubsub, logger: testLogger, clock: clock.now, ...options });
  return { engine, pubsub };
}

/**
 * Wraps a port so tests can hide charge points (a deletion that can be undone) or rewrite what
 * SteVe reports about transactions (a superseded stop).
 */
export function interceptSteve(
  inner: StevePort,
  hooks: {
    hiddenChargeBoxIds?: Set<string>;
    mapTransaction?: (t: SteveTransaction) => SteveTransaction;
    beforeRead?: () => Promise<void>;
  },
): StevePort {
  const hidden = hooks.hiddenChargeBoxIds ?? new Set<string>();
  const mapTx = hooks.mapTransaction ?? ((t) => t);
  const before = hooks.beforeRead ?? (async () => undefined);
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => Promise<unknown>;
      switch (prop) {
        case 'listChargePoints':
          return async (...args: unknown[]) => {
            await before();
            const page = (await fn.apply(target, args)) as Awaited<ReturnType<StevePort['listChargePoints']>>;
            return { ...page, items: page.items.filter((cp) => !hidden.has(cp.chargeBoxId)) };
          };
        case 'listConnectorStatuses':
          return async (...args: unknown[]) => {
            const page = (await fn.apply(target, args)) as Awaited<
              ReturnType<StevePort['listConnectorStatuses']>
            >;
            return { ...page, items: page.items.filter((s) => !hidden.has(s.chargeBoxId)) };
          };
        case 'listTransactions':
        case 'listStoppedTransactions':
          return async (...args: unknown[]) => {
            const page = (await fn.apply(target, args)) as Awaited<ReturnType<StevePort['listTransactions']>>;
            return { ...page, items: page.items.map(mapTx) };
          };
        case 'getTransactions':
          return async (...args: unknown[]) =>
            ((await fn.apply(target, args)) as Awaited<ReturnType<StevePort['getTransactions']>>).map(mapTx);
        default:
          return fn.bind(target);
      }
    },
  });
}

/** Polls `check` until it returns a truthy value (no fixed sleeps hiding races). */
export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
  label = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
