/**
 * Webhook delivery: N domain events (spread over many streams, as sessions and chargers are) delivered
 * by the real WebhookDispatcher from the outbox to a local receiver, against a raw baseline that signs
 * the same bodies (Standard Webhooks) and POSTs them with fetch at the same concurrency, no database.
 * Then the latency of single events from commit to the receiver while the dispatcher runs (p50/p95).
 *
 *   tsx bench/webhooks.ts            # N = 20 000
 *   tsx bench/webhooks.ts 5000       # or BENCH_WEBHOOKS_N=5000
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createPubSub } from 'graphql-yoga';
import { createLogger } from '../server/src/lib/logger.ts';
import type { Topics } from '../server/src/lib/pubsub.ts';
import { recordDomainEvents, type DomainEventDraft } from '../server/src/modules/events/domain-events.ts';
import { eventBody, WebhookDispatcher } from '../server/src/modules/webhooks/dispatcher.ts';
import { createSender } from '../server/src/modules/webhooks/sender.ts';
import { newWebhookSecret, webhookHeaders } from '../server/src/modules/webhooks/signing.ts';
import { createTestDatabase } from '../server/test/db.ts';
import { summarise, type ScenarioResult } from './lib.ts';

const STREAMS = 500;
const BATCH = 100;

function sizeFromArgs(): number {
  const raw = process.argv[2] ?? process.env.BENCH_WEBHOOKS_N ?? '20000';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`invalid event count "${raw}"`);
  return n;
}

/** A receiver that answers 204 and notes when each webhook-id arrived. */
async function startReceiver() {
  const arrivals = new Map<string, number>();
  let count = 0;
  let waiter: { n: number; resolve: () => void } | null = null;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.set(String(req.headers['webhook-id']), performance.now());
      count += 1;
      res.statusCode = 204;
      res.end();
      if (waiter && count >= waiter.n) {
        waiter.resolve();
        waiter = null;
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    arrivals,
    get count() {
      return count;
    },
    reset() {
      count = 0;
      arrivals.clear();
    },
    waitFor(n: number): Promise<void> {
      if (count >= n) return Promise.resolve();
      return new Promise((resolve) => (waiter = { n, resolve }));
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const draft = (i: number): DomainEventDraft => ({
  type: 'session.updated',
  stream: `session:bench-${i % STREAMS}`,
  occurredAt: new Date(Date.UTC(2026, 10, 1) + i * 1000),
  data: { sessionId: `bench-${i % STREAMS}`, energyKwh: i / 10, powerKw: 11, latestMeterAt: null },
});

export async function runWebhooks(
  options: { n?: number; latencySamples?: number; log?: (line: string) => void } = {},
): Promise<ScenarioResult[]> {
  const n = options.n ?? sizeFromArgs();
  const samples = options.latencySamples ?? 200;
  const log = options.log ?? ((line: string) => console.log(line));
  const database = await createTestDatabase();
  const receiver = await startReceiver();
  const logger = createLogger('silent');
  try {
    const db = database.prisma;
    const secret = newWebhookSecret();
    await db.webhookEndpoint.create({ data: { url: receiver.url, events: [], secret } });

    // The outbox: n events in transactions of BATCH (session.updated is throttled per stream, so use
    // a type that is not: the cost of delivery is the same for every type).
    const t0 = performance.now();
    for (let i = 0; i < n; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, n - i) }, (_, k) => ({
        ...draft(i + k),
        type: 'charger.state_changed' as const,
      }));
      await db.$transaction((tx) => recordDomainEvents(tx, batch));
    }
    log(`outbox: ${n} events over ${STREAMS} streams in ${Math.round(performance.now() - t0)} ms`);

    const policy = { requireHttps: false, allowPrivateNetworks: true };
    const dispatcher = new WebhookDispatcher(
      { db, logger, send: createSender(policy, 10_000) },
      { batchSize: BATCH },
    );
    const p0 = performance.now();
    let delivered = 0;
    for (;;) {
      const report = await dispatcher.dispatchOnce();
      delivered += report.delivered;
      if (report.claimed === 0) break;
    }
    const productMs = performance.now() - p0;
    if (delivered !== n) throw new Error(`delivered ${delivered} of ${n}`);
    const product = n / (productMs / 1000);
    log(`product: ${n} deliveries in ${Math.round(productMs)} ms (${Math.round(product)}/s)`);

    // Baseline: the same bodies signed the same way, POSTed with fetch, BATCH in flight, no database.
    const events = await db.domainEvent.findMany({ orderBy: { id: 'asc' } });
    receiver.reset();
    const b0 = performance.now();
    for (let i = 0; i < events.length; i += BATCH) {
      await Promise.all(
        events.slice(i, i + BATCH).map(async (e) => {
          const body = eventBody({ ...e, eventNumber: e.id });
          const res = await fetch(receiver.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              ...webhookHeaders([secret], e.eventId, new Date(), body),
            },
            body,
          });
          await res.arrayBuffer();
          if (!res.ok) throw new Error(`baseline got ${res.status}`);
        }),
      );
    }
    const baselineMs = performance.now() - b0;
    const baseline = events.length / (baselineMs / 1000);
    log(
      `baseline: ${events.length} signed fetches in ${Math.round(baselineMs)} ms (${Math.round(baseline)}/s)`,
    );

    // Latency, healthy receiver: one event at a time, commit → arrival, with the dispatcher running
    // and woken by `events:recorded` as in the app.
    const pubsub = createPubSub<Topics>();
    const live = new WebhookDispatcher({ db, logger, pubsub, send: createSender(policy, 10_000) });
    live.start();
    receiver.reset();
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const committed = await db.$transaction(async (tx) => {
        await recordDomainEvents(tx, [{ ...draft(n + i), type: 'sync.failed', stream: `sync:bench-${i}` }]);
        return tx.domainEvent.findFirstOrThrow({ orderBy: { id: 'desc' }, select: { eventId: true } });
      });
      const at = performance.now();
      pubsub.publish('events:recorded', { at: new Date().toISOString() });
      await receiver.waitFor(i + 1);
      latencies.push(receiver.arrivals.get(committed.eventId)! - at);
    }
    await live.stop();
    const lat = summarise(latencies);
    log(`latency commit → receiver: p50 ${lat.p50.toFixed(1)} ms, p95 ${lat.p95.toFixed(1)} ms`);

    return [
      {
        name: `webhooks ${n} deliveries`,
        unit: 'deliveries/s',
        product,
        baseline,
        ratio: product / baseline,
        details: {
          productP50: lat.p50,
          productP95: lat.p95,
          productP99: lat.p99,
          baselineP95: NaN,
          streams: STREAMS,
        },
      },
    ];
  } finally {
    await receiver.close();
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await runWebhooks();
  for (const r of results) console.log(`${r.name}: ratio ${r.ratio.toFixed(2)}`);
}
