/**
 * Cross-instance hop: one event published on instance A's bus and received by a subscriber on
 * instance B's bus (two `createBus` on one Redis, as two server processes would have), against a
 * raw Redis PUBLISH → SUBSCRIBE round trip with ioredis. Events are sent one at a time, so the
 * numbers are per-event latency, not throughput.
 */
import { Redis } from 'ioredis';
import { createLogger } from '../server/src/lib/logger.ts';
import { createBus } from '../server/src/lib/pubsub.ts';
import { nowMs, summarise, type ScenarioResult } from './lib.ts';

export async function runRedisHop(options: {
  redisUrl: string;
  events: number;
  log: (line: string) => void;
}) {
  const { redisUrl, events, log } = options;
  const logger = createLogger('silent');

  // Product: bus A publishes, bus B's subscriber (the graphql-yoga Redis event target) receives.
  const a = createBus(redisUrl, logger);
  const b = createBus(redisUrl, logger);
  const product: number[] = [];
  try {
    const iterator = b.pubsub.subscribe('charger:stateChanged')[Symbol.asyncIterator]();
    // The first event may race the SUBSCRIBE; publish until one arrives.
    const warm = iterator.next();
    let warmed = false;
    void warm.then(() => (warmed = true));
    while (!warmed) {
      a.pubsub.publish('charger:stateChanged', { chargerId: 'warm-up' });
      await new Promise((r) => setTimeout(r, 20));
    }
    // Drain any further warm-up copies.
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < events; i += 1) {
      const start = nowMs();
      const next = iterator.next();
      a.pubsub.publish('charger:stateChanged', { chargerId: `e${i}` });
      let got = await next;
      while (got.value?.chargerId === 'warm-up') got = await iterator.next();
      product.push(nowMs() - start);
    }
    await iterator.return?.();
  } finally {
    await a.close();
    await b.close();
  }

  // Baseline: raw PUBLISH on one connection, SUBSCRIBE on another, same payload shape.
  const pub = new Redis(redisUrl);
  const sub = new Redis(redisUrl);
  const baseline: number[] = [];
  try {
    const channel = `bench:raw:${process.pid}`;
    await sub.subscribe(channel);
    let waiter: ((message: string) => void) | null = null;
    sub.on('message', (_channel: string, message: string) => waiter?.(message));
    for (let i = 0; i < events; i += 1) {
      const start = nowMs();
      const received = new Promise<string>((resolve) => (waiter = resolve));
      await pub.publish(channel, JSON.stringify({ chargerId: `e${i}` }));
      JSON.parse(await received);
      baseline.push(nowMs() - start);
    }
  } finally {
    pub.disconnect();
    sub.disconnect();
  }

  const p = summarise(product);
  const r = summarise(baseline);
  log(
    `redis-hop: ${events} events one at a time; bus p50 ${p.p50.toFixed(3)} ms p95 ${p.p95.toFixed(3)} ms, raw p50 ${r.p50.toFixed(3)} ms p95 ${r.p95.toFixed(3)} ms`,
  );
  const result: ScenarioResult = {
    name: 'redis-hop (p50 latency)',
    unit: 'ms/event',
    product: p.p50,
    baseline: r.p50,
    ratio: p.p50 / r.p50,
    details: {
      events,
      productP50: p.p50,
      productP95: p.p95,
      productP99: p.p99,
      baselineP50: r.p50,
      baselineP95: r.p95,
      baselineP99: r.p99,
      addedP50: p.p50 - r.p50,
    },
  };
  return result;
}
