import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../generated/prisma/client.ts';
import {
  startFakeLagoServer,
  type FakeLagoServer,
} from '../../integrations/lago/sandbox/fake-lago-server.ts';
import { RealLagoAdapter } from '../../integrations/lago/real-adapter.ts';
import type { Database } from '../../lib/db.ts';
import { createLogger } from '../../lib/logger.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { BillingOutbox, type BillingOutboxOptions } from './billing.outbox.ts';
import {
  createCard,
  createCharger,
  createCompletedSessions,
  createCustomer,
  waitFor,
} from './billing.fixtures.ts';

const logger = createLogger('silent');
let database: Database;
let lago: FakeLagoServer;
let clock: number;
const workers: BillingOutbox[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  lago = await startFakeLagoServer();
  clock = Date.now() + 1000;
  // Every test starts from an empty outbox (rows of earlier tests would be drained too).
  await database.prisma.billingEvent.deleteMany();
  await database.prisma.alert.deleteMany();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await lago.close();
});

function adapter(timeoutMs = 400) {
  return new RealLagoAdapter({ baseUrl: lago.origin, apiKey: lago.apiKey, timeoutMs });
}

function worker(options: BillingOutboxOptions & { timeoutMs?: number } = {}, db = database.prisma) {
  const w = new BillingOutbox(
    { db, lago: adapter(options.timeoutMs), logger },
    { now: () => new Date(clock), baseBackoffMs: 1000, maxBackoffMs: 60_000, leaseMs: 30_000, ...options },
  );
  workers.push(w);
  return w;
}

async function scenario(count: number, options: { mapped?: boolean; withoutSubscriptionId?: boolean } = {}) {
  const db = database.prisma;
  const charger = await createCharger(db);
  const customer = options.mapped === false ? null : await createCustomer(db);
  const card = await createCard(db, { customerId: customer?.id ?? null });
  const pks = await createCompletedSessions(db, {
    count,
    chargerId: charger.id,
    chargeBoxId: charger.chargeBoxId,
    card,
    customerExternalId: customer?.externalId ?? null,
    withoutSubscriptionId: options.withoutSubscriptionId ?? false,
  });
  // Rows are due from the database's now(); a slow insert must not leave them in the worker's future.
  clock = Math.max(clock, Date.now() + 1000);
  return { charger, customer, card, pks, transactionIds: pks.map((pk) => `polaris-session-${pk}`) };
}

async function statuses() {
  const rows = await database.prisma.billingEvent.groupBy({ by: ['status'], _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}

function acceptedPerTransaction(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of lago.acceptedEvents()) counts.set(e.transactionId, (counts.get(e.transactionId) ?? 0) + 1);
  return counts;
}

function expectExactlyOnce(transactionIds: string[]) {
  const counts = acceptedPerTransaction();
  for (const id of transactionIds) expect(counts.get(id), id).toBe(1);
  expect(lago.acceptedEvents()).toHaveLength(transactionIds.length);
  expect(lago.violations).toEqual([]);
}

/** Events sent in /events/batch request bodies (attempted, not necessarily stored). */
function sentEventCount(): number {
  return lago.requests
    .filter((r) => r.path === '/events/batch')
    .reduce((n, r) => n + ((r.body as { events?: unknown[] })?.events?.length ?? 0), 0);
}

describe('billing outbox worker against a fake Lago over HTTP', () => {
  it('delivers pending events in batches of at most 100 with the deterministic event', async () => {
    const { transactionIds, customer } = await scenario(250);
    const report = await worker().drainUntilIdle();
    expect(report).toMatchObject({ claimed: 250, delivered: 250, duplicates: 0, failed: 0, error: null });
    const batches = lago.requestsTo('POST', '/events/batch');
    expect(batches.map((r) => (r.body as { events: unknown[] }).events.length)).toEqual([100, 100, 50]);
    expect(await statuses()).toEqual({ DELIVERED: 250 });
    expectExactlyOnce(transactionIds);
    const first = lago.acceptedEvents().find((e) => e.transactionId === transactionIds[0])!;
    expect(first.externalSubscriptionId).toBe(`polaris-sub-${customer!.externalId}`);
    expect(first.code).toBe('kwh');
    expect(Number.isInteger(first.timestamp.getTime() / 1000)).toBe(true);
  });

  it('binds PENDING rows written without a subscription to the card’s customer', async () => {
    const { transactionIds, customer } = await scenario(5, { withoutSubscriptionId: true });
    await worker().drainUntilIdle();
    expectExactlyOnce(transactionIds);
    expect(new Set(lago.acceptedEvents().map((e) => e.externalSubscriptionId))).toEqual(
      new Set([`polaris-sub-${customer!.externalId}`]),
    );
    const rows = await database.prisma.billingEvent.findMany();
    expect(rows.every((r) => r.externalSubscriptionId === `polaris-sub-${customer!.externalId}`)).toBe(true);
  });

  it('retries after a timeout with backoff, then delivers once', async () => {
    const { transactionIds } = await scenario(3);
    lago.failNext(1, { kind: 'hang' });
    const w = worker();
    const first = await w.drainOnce();
    expect(first.error?.code).toBe('timeout');
    let rows = await database.prisma.billingEvent.findMany();
    expect(
      rows.every((r) => r.status === 'PENDING' && r.attempts === 1 && r.lastError?.includes('timed out')),
    ).toBe(true);
    // Backoff: nothing is due until the delay has passed.
    expect((await w.drainOnce()).claimed).toBe(0);
    clock += 2_000;
    const second = await w.drainUntilIdle();
    expect(second.delivered).toBe(3);
    rows = await database.prisma.billingEvent.findMany();
    expect(rows.every((r) => r.status === 'DELIVERED' && r.attempts === 2 && r.lastError === null)).toBe(
      true,
    );
    expectExactlyOnce(transactionIds);
  });

  it('retries 500s and connection resets with growing delays', async () => {
    const { transactionIds } = await scenario(4);
    lago.failNext(1, { kind: 'status', status: 500 });
    lago.failNext(1, { kind: 'status', status: 503 });
    lago.failNext(1, { kind: 'reset' });
    const w = worker();
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await w.drainOnce();
      expect(r.error?.retryable).toBe(true);
      const row = await database.prisma.billingEvent.findFirstOrThrow();
      delays.push(row.nextAttemptAt.getTime() - clock);
      clock = row.nextAttemptAt.getTime();
    }
    // base 1 s · 2^(n−1) with ±20 % jitter
    expect(delays[0]).toBeGreaterThanOrEqual(800);
    expect(delays[0]).toBeLessThanOrEqual(1200);
    expect(delays[1]).toBeGreaterThanOrEqual(1600);
    expect(delays[2]).toBeGreaterThanOrEqual(3200);
    expect((await w.drainUntilIdle()).delivered).toBe(4);
    expectExactlyOnce(transactionIds);
  });

  it('respects retry-after on 429', async () => {
    const { transactionIds } = await scenario(2);
    lago.failNext(1, { kind: 'status', status: 429, retryAfterSeconds: 30 });
    const w = worker();
    expect((await w.drainOnce()).error?.code).toBe('rate_limited');
    const row = await database.prisma.billingEvent.findFirstOrThrow();
    expect(row.nextAttemptAt.getTime() - clock).toBeGreaterThanOrEqual(30_000);
    clock += 29_000;
    expect((await w.drainOnce()).claimed).toBe(0);
    expect(lago.requestsTo('POST', '/events/batch')).toHaveLength(0);
    clock += 2_000;
    expect((await w.drainUntilIdle()).delivered).toBe(2);
    expectExactlyOnce(transactionIds);
  });

  it('counts duplicate 422s as delivered and resends a batch rejected for one duplicate without it', async () => {
    const { transactionIds, customer } = await scenario(10);
    // Lago already has two of them (e.g. delivered before a crash).
    const direct = adapter();
    for (const id of [transactionIds[3]!, transactionIds[7]!]) {
      const row = await database.prisma.billingEvent.findUniqueOrThrow({ where: { transactionId: id } });
      const payload = row.payload as { kwh: number; stoppedAt: string };
      const result = await direct.sendEvent({
        transactionId: id,
        externalSubscriptionId: `polaris-sub-${customer!.externalId}`,
        timestamp: new Date(payload.stoppedAt),
        properties: { kwh: payload.kwh },
      });
      expect(result.status).toBe('delivered');
    }
    const before = lago.requestsTo('POST', '/events/batch').length;
    const report = await worker().drainUntilIdle();
    expect(report).toMatchObject({ delivered: 8, duplicates: 2, failed: 0 });
    // The whole batch was rejected once for the duplicates, then resent without them.
    const batches = lago.requests.filter((r) => r.path === '/events/batch').slice(before);
    expect(batches.map((r) => [r.status, (r.body as { events: unknown[] }).events.length])).toEqual([
      [422, 10],
      [200, 8],
    ]);
    expect(await statuses()).toEqual({ DELIVERED: 10 });
    expectExactlyOnce(transactionIds);
  });

  it('marks invalid events FAILED with lastError and an alert, and delivers the rest', async () => {
    const { transactionIds } = await scenario(5);
    const bad = transactionIds[2]!;
    const row = await database.prisma.billingEvent.findUniqueOrThrow({ where: { transactionId: bad } });
    await database.prisma.billingEvent.update({
      where: { id: row.id },
      data: { payload: { ...(row.payload as object), kwh: -3 } },
    });
    const report = await worker().drainUntilIdle();
    expect(report).toMatchObject({ delivered: 4, failed: 1 });
    const failed = await database.prisma.billingEvent.findUniqueOrThrow({ where: { transactionId: bad } });
    expect(failed.status).toBe('FAILED');
    expect(failed.lastError).toMatch(/rejected/);
    const alert = await database.prisma.alert.findUniqueOrThrow({
      where: { dedupeKey: `billing.event_failed:${bad}` },
    });
    expect(alert).toMatchObject({ severity: 'CRITICAL', kind: 'billing.event_failed' });
    expectExactlyOnce(transactionIds.filter((t) => t !== bad));
  });

  it('keeps events and raises an alert when Lago refuses the key (not an outage)', async () => {
    await scenario(2);
    const w = new BillingOutbox(
      { db: database.prisma, lago: new RealLagoAdapter({ baseUrl: lago.origin, apiKey: 'wrong' }), logger },
      { now: () => new Date(clock) },
    );
    workers.push(w);
    const report = await w.drainOnce();
    expect(report.error?.code).toBe('unauthorized');
    expect(await statuses()).toEqual({ PENDING: 2 });
    const alert = await database.prisma.alert.findUniqueOrThrow({
      where: { dedupeKey: 'billing.lago_rejected' },
    });
    expect(alert.severity).toBe('CRITICAL');
    expect(lago.acceptedEvents()).toHaveLength(0);
  });

  it('survives a graceful stop in the middle of a drain: a new worker delivers everything once', async () => {
    const { transactionIds } = await scenario(150);
    lago.setFault({ kind: 'hang' });
    const a = worker({ timeoutMs: 10_000 });
    const draining = a.drainUntilIdle();
    await waitFor(
      () => lago.requests.some((r) => r.path === '/events/batch'),
      5_000,
      'the first batch request',
    );
    await a.stop();
    const partial = await draining;
    expect(partial.error?.code).toBe('aborted');
    lago.setFault(null);
    // The stopped worker handed its lease back: a new one picks the rows up without waiting.
    const b = worker();
    expect((await b.drainUntilIdle()).delivered).toBe(150);
    expect(await statuses()).toEqual({ DELIVERED: 150 });
    expectExactlyOnce(transactionIds);
  });

  it('survives a crash after Lago stored a batch but before it was recorded', async () => {
    const { transactionIds } = await scenario(120);
    let crashed = false;
    const a = worker({
      // The process "dies" here: the promise never settles, the rows stay leased.
      afterSend: () => {
        crashed = true;
        return new Promise<void>(() => undefined);
      },
    });
    void a.drainOnce();
    await waitFor(() => crashed, 5_000, 'the crash point');
    expect(lago.acceptedEvents()).toHaveLength(100);
    workers.splice(workers.indexOf(a), 1);
    // A new instance on the same database: nothing is due until the lease expires.
    const b = worker();
    const early = await b.drainUntilIdle();
    expect(early.claimed).toBe(20);
    clock += 31_000;
    const late = await b.drainUntilIdle();
    expect(late).toMatchObject({ claimed: 100, delivered: 0, duplicates: 100 });
    expect(await statuses()).toEqual({ DELIVERED: 120 });
    expectExactlyOnce(transactionIds);
  });

  it('two workers on the same database never send an event twice', async () => {
    const { transactionIds } = await scenario(600);
    // A second connection pool, as a second instance would have.
    const other = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url, max: 2 }) });
    try {
      const a = worker({ concurrency: 2 });
      const b = worker({ concurrency: 2 }, other);
      const [ra, rb] = await Promise.all([a.drainUntilIdle(), b.drainUntilIdle()]);
      expect(ra.claimed + rb.claimed).toBe(600);
      expect(ra.delivered + rb.delivered).toBe(600);
      expect(sentEventCount()).toBe(600);
      expect(await statuses()).toEqual({ DELIVERED: 600 });
      expectExactlyOnce(transactionIds);
    } finally {
      await other.$disconnect();
    }
  });

  it('a session whose card has no customer waits, and is delivered once the card is mapped', async () => {
    const { transactionIds, card } = await scenario(3, { mapped: false });
    const w = worker();
    expect((await w.drainUntilIdle()).claimed).toBe(0);
    expect(await statuses()).toEqual({ WAITING_FOR_CUSTOMER: 3 });
    // Mapped behind the service's back (e.g. a race with the sync run): housekeeping releases them.
    const customer = await createCustomer(database.prisma);
    await database.prisma.evCard.update({ where: { id: card.id }, data: { customerId: customer.id } });
    await w.housekeeping();
    expect((await w.drainUntilIdle()).delivered).toBe(3);
    expect(new Set(lago.acceptedEvents().map((e) => e.externalSubscriptionId))).toEqual(
      new Set([`polaris-sub-${customer.externalId}`]),
    );
    expectExactlyOnce(transactionIds);
  });

  it('raises a backlog alert for events stuck beyond the threshold and resolves it when drained', async () => {
    await scenario(2);
    lago.setFault({ kind: 'status', status: 502 });
    const w = worker({ stuckAfterMs: 60_000 });
    await w.drainOnce();
    clock += 2 * 60_000;
    await w.housekeeping();
    const alert = await database.prisma.alert.findUniqueOrThrow({ where: { dedupeKey: 'billing.backlog' } });
    expect(alert.resolvedAt).toBeNull();
    expect(alert.message).toMatch(/2 usage events not yet accepted/);
    lago.setFault(null);
    clock += 10 * 60_000;
    await w.drainUntilIdle();
    await w.housekeeping();
    const resolved = await database.prisma.alert.findUniqueOrThrow({
      where: { dedupeKey: 'billing.backlog' },
    });
    expect(resolved.resolvedAt).not.toBeNull();
  });

  it('start() drains in the background and stop() ends the loop', async () => {
    const { transactionIds } = await scenario(30);
    const w = worker({ intervalMs: 50, now: () => new Date() });
    w.start();
    await waitFor(async () => (await statuses()).DELIVERED === 30, 10_000, 'background delivery');
    await w.stop();
    expectExactlyOnce(transactionIds);
  });
});
