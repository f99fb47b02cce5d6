import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { createBus, type Bus } from '../../src/lib/pubsub.ts';

const TEST_REDIS_URL = process.env.TEST_REDIS_URL;

describe('REDIS_PREFIX', () => {
  it('defaults to "polaris" and refuses characters that would blur channel names', () => {
    expect(loadConfig({}).REDIS_PREFIX).toBe('polaris');
    expect(loadConfig({ REDIS_PREFIX: 'acme-prod' }).REDIS_PREFIX).toBe('acme-prod');
    expect(() => loadConfig({ REDIS_PREFIX: 'a:b' })).toThrow(/REDIS_PREFIX/);
    expect(() => loadConfig({ REDIS_PREFIX: 'has space' })).toThrow(/REDIS_PREFIX/);
  });
});

describe.skipIf(!TEST_REDIS_URL)('deployments sharing one Redis (needs TEST_REDIS_URL)', () => {
  const logger = createLogger('silent');
  const run = randomBytes(4).toString('hex');
  const prefixA = `test-a-${run}`;
  const prefixB = `test-b-${run}`;
  const buses: Bus[] = [];
  const raw: Redis[] = [];

  afterAll(async () => {
    for (const bus of buses) await bus.close();
    for (const client of raw) client.disconnect();
  });

  function bus(prefix: string): Bus {
    const created = createBus(TEST_REDIS_URL, logger, { prefix });
    buses.push(created);
    return created;
  }

  async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, ms = 10_000) {
    const deadline = Date.now() + ms;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Collects what a bus's subscriber receives; resolves once its SUBSCRIBE is registered in Redis. */
  async function listen(on: Bus, prefix: string, probe: Redis) {
    const received: string[] = [];
    const iterator = on.pubsub.subscribe('charger:stateChanged')[Symbol.asyncIterator]();
    const pump = async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        received.push(next.value.chargerId);
      }
    };
    void pump();
    const channel = `${prefix}:charger:stateChanged`;
    await waitUntil(`SUBSCRIBE ${channel}`, async () => {
      const [, count] = (await probe.pubsub('NUMSUB', channel)) as [string, number];
      return Number(count) > 0;
    });
    return { received, stop: () => iterator.return?.() };
  }

  it('only buses with the same prefix see each other’s events, on prefixed channels', async () => {
    const probe = new Redis(TEST_REDIS_URL!);
    const watcher = new Redis(TEST_REDIS_URL!);
    raw.push(probe, watcher);
    // What actually crosses Redis, on any channel of this run (and on the unprefixed topic).
    const channels: string[] = [];
    watcher.on('pmessage', (_pattern: string, channel: string) => channels.push(channel));
    await watcher.psubscribe(`test-?-${run}:*`, 'charger:stateChanged');

    const a1 = bus(prefixA);
    const a2 = bus(prefixA);
    const b1 = bus(prefixB);
    const onA2 = await listen(a2, prefixA, probe);
    const onB1 = await listen(b1, prefixB, probe);

    // Published by deployment A: reaches A's other instance, crosses Redis only on A's channel.
    a1.pubsub.publish('charger:stateChanged', { chargerId: 'from-a' });
    await waitUntil('A’s event on A’s other instance', () => onA2.received.includes('from-a'));
    await waitUntil('A’s event seen on Redis', () => channels.length === 1);
    expect(channels).toEqual([`${prefixA}:charger:stateChanged`]);

    // Then one from deployment B. Redis delivers in order, so had B's subscriber been sent A's
    // event, it would have arrived before B's own.
    bus(prefixB).pubsub.publish('charger:stateChanged', { chargerId: 'from-b' });
    await waitUntil('B’s event on B', () => onB1.received.includes('from-b'));
    await waitUntil('A’s subscriber quiet up to B’s event', () => channels.length === 2);
    expect(onB1.received).toEqual(['from-b']);
    expect(onA2.received).toEqual(['from-a']);
    expect(channels).toEqual([`${prefixA}:charger:stateChanged`, `${prefixB}:charger:stateChanged`]);
    await onA2.stop();
    await onB1.stop();
  });
});
