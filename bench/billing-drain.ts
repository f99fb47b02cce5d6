/**
 * Billing outbox drain throughput: N pending usage events in the database, drained to a local fake
 * Lago over HTTP by the real BillingOutbox, against a raw baseline that posts the very same batches
 * with fetch (no database). Prints events/s for both and the ratio.
 *
 *   tsx bench/billing-drain.ts            # N = 100 000
 *   tsx bench/billing-drain.ts 20000      # or BENCH_BILLING_N=20000
 *
 * The database is an in-memory PGlite (TEST_DATABASE=postgres + TEST_POSTGRES_URL for PostgreSQL).
 */
import { pathToFileURL } from 'node:url';
import { startFakeLagoServer } from '../server/src/integrations/lago/sandbox/fake-lago-server.ts';
import { MAX_BATCH_SIZE } from '../server/src/integrations/lago/port.ts';
import { RealLagoAdapter } from '../server/src/integrations/lago/real-adapter.ts';
import { createLogger } from '../server/src/lib/logger.ts';
import { BillingOutbox } from '../server/src/modules/billing/billing.outbox.ts';
import { createTestDatabase } from '../server/test/db.ts';

export interface BenchResult {
  name: string;
  /** events/s through the outbox worker */
  product: number;
  /** events/s posting the same batches directly */
  baseline: number;
  /** product / baseline */
  ratio: number;
  unit: string;
}

const CONCURRENCY = 4;
const SUBSCRIPTION = 'polaris-sub-bench';

function sizeFromArgs(): number {
  const raw = process.argv[2] ?? process.env.BENCH_BILLING_N ?? '100000';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`invalid event count "${raw}"`);
  return n;
}

export async function run(options: { n?: number; log?: (line: string) => void } = {}): Promise<BenchResult> {
  const n = options.n ?? sizeFromArgs();
  const log = options.log ?? ((line: string) => console.log(line));
  const logger = createLogger('silent');
  const database = await createTestDatabase();
  try {
    const db = database.prisma;
    const t0 = performance.now();
    const charger = await db.charger.create({ data: { chargeBoxId: 'BENCH-1' } });
    await db.$executeRawUnsafe(`
      INSERT INTO "ChargingSession" ("id", "steveTransactionPk", "chargerId", "connectorNumber", "idTag", "status",
        "startedAt", "stoppedAt", "meterStartWh", "meterStopWh", "energyKwh", "updatedAt")
      SELECT 'bench-s-' || g, g, '${charger.id}', 1, 'BENCH', 'COMPLETED',
        timestamp '2026-11-01' + g * interval '1 second', timestamp '2026-11-01' + (g + 600) * interval '1 second',
        0, ((g % 50) + 0.5) * 1000, (g % 50) + 0.5, now()
      FROM generate_series(1, ${n}) AS g`);
    await db.$executeRawUnsafe(`
      INSERT INTO "BillingEvent" ("id", "sessionId", "transactionId", "externalSubscriptionId", "payload", "status",
        "nextAttemptAt", "updatedAt")
      SELECT 'bench-b-' || g, 'bench-s-' || g, 'polaris-session-' || g, '${SUBSCRIPTION}',
        jsonb_build_object(
          'kwh', (g % 50) + 0.5,
          'startedAt', to_char(timestamp '2026-11-01' + g * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"'),
          'stoppedAt', to_char(timestamp '2026-11-01' + (g + 600) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS".000Z"'),
          'chargeBoxId', 'BENCH-1', 'idTag', 'BENCH'),
        'PENDING', timestamp '2026-01-01', now()
      FROM generate_series(1, ${n}) AS g`);
    log(
      `billing-drain: ${n} pending events written in ${((performance.now() - t0) / 1000).toFixed(1)} s (${database.engine})`,
    );

    // Product: the outbox worker (claim with SKIP LOCKED, send, record) with CONCURRENCY loops.
    const lago = await startFakeLagoServer();
    let product: number;
    try {
      const outbox = new BillingOutbox(
        { db, lago: new RealLagoAdapter({ baseUrl: lago.origin, apiKey: lago.apiKey }), logger },
        { concurrency: CONCURRENCY },
      );
      const start = performance.now();
      const report = await outbox.drainUntilIdle();
      const seconds = (performance.now() - start) / 1000;
      if (report.error) throw report.error;
      if (lago.acceptedEvents().length !== n || report.delivered !== n) {
        throw new Error(
          `outbox delivered ${report.delivered}, Lago accepted ${lago.acceptedEvents().length}, expected ${n}`,
        );
      }
      const open = await db.billingEvent.count({ where: { status: { not: 'DELIVERED' } } });
      if (open !== 0) throw new Error(`${open} events not marked delivered`);
      product = n / seconds;
      log(`billing-drain: outbox   ${n} events in ${seconds.toFixed(2)} s = ${Math.round(product)} events/s`);
    } finally {
      await lago.close();
    }

    // Baseline: the same events in the same batch sizes, posted directly (fresh Lago, no database).
    const rows = await db.billingEvent.findMany({
      select: { transactionId: true, payload: true },
      orderBy: { id: 'asc' },
    });
    const bodies: string[] = [];
    for (let i = 0; i < rows.length; i += MAX_BATCH_SIZE) {
      const events = rows.slice(i, i + MAX_BATCH_SIZE).map((r) => {
        const p = r.payload as { kwh: number; stoppedAt: string };
        return {
          transaction_id: r.transactionId,
          external_subscription_id: SUBSCRIPTION,
          code: 'kwh',
          timestamp: Math.floor(Date.parse(p.stoppedAt) / 1000),
          properties: { kwh: String(p.kwh) },
        };
      });
      bodies.push(JSON.stringify({ events }));
    }
    const raw = await startFakeLagoServer();
    let baseline: number;
    try {
      let next = 0;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < bodies.length) {
            const body = bodies[next++]!;
            const res = await fetch(`${raw.baseUrl}/events/batch`, {
              method: 'POST',
              headers: { authorization: `Bearer ${raw.apiKey}`, 'content-type': 'application/json' },
              body,
            });
            if (!res.ok) throw new Error(`baseline batch failed: HTTP ${res.status}`);
            await res.arrayBuffer();
          }
        }),
      );
      const seconds = (performance.now() - start) / 1000;
      if (raw.acceptedEvents().length !== n) throw new Error('baseline lost events');
      baseline = n / seconds;
      log(
        `billing-drain: baseline ${n} events in ${seconds.toFixed(2)} s = ${Math.round(baseline)} events/s`,
      );
    } finally {
      await raw.close();
    }

    const ratio = product / baseline;
    log(`billing-drain: ratio outbox/baseline = ${ratio.toFixed(2)}`);
    return { name: 'billing-drain', product, baseline, ratio, unit: 'events/s' };
  } finally {
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
