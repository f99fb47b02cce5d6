import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LagoSandbox } from '../../integrations/lago/sandbox/sandbox.ts';
import type { Database } from '../../lib/db.ts';
import { createLogger } from '../../lib/logger.ts';
import { createTestDatabase } from '../../../test/db.ts';
import { BillingOutbox } from './billing.outbox.ts';
import { createCard, createCharger, createCustomer, payloadFor, takePks } from './billing.fixtures.ts';
import {
  billingHealth,
  currentUsageForCustomer,
  recordSessionUsage,
  recordSessionUsages,
  releaseWaitingEvents,
  releaseWaitingEventsForCard,
} from './billing.service.ts';
import { LagoUnavailableError } from '../../integrations/lago/call.ts';
import { billableFrom } from '../../integrations/lago/port.ts';

let database: Database;
let lago: LagoSandbox;
let outbox: BillingOutbox;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(async () => {
  await database.prisma.billingEvent.deleteMany();
  await database.prisma.alert.deleteMany();
  lago = new LagoSandbox();
  outbox = new BillingOutbox({ db: database.prisma, lago, logger: createLogger('silent') });
});

/** A completed session (no outbox row yet) whose card belongs to a customer known to Lago. */
async function session() {
  const db = database.prisma;
  const customer = await createCustomer(db);
  await lago.upsertCustomer({ externalId: customer.externalId, name: customer.name });
  const subscription = await lago.ensureSubscription(customer.externalId);
  const charger = await createCharger(db);
  const card = await createCard(db, { customerId: customer.id });
  const [pk] = takePks(1);
  // Stopped after the subscription started (Lago bills only events inside the subscription's life).
  const stoppedAt = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
  const payload = {
    ...payloadFor(pk!, 10, charger.chargeBoxId, card.idTag),
    stoppedAt: stoppedAt.toISOString(),
  };
  const s = await db.chargingSession.create({
    data: {
      steveTransactionPk: pk!,
      chargerId: charger.id,
      connectorNumber: 1,
      idTag: card.idTag,
      cardId: card.id,
      status: 'COMPLETED',
      startedAt: new Date(payload.startedAt),
      stoppedAt: new Date(payload.stoppedAt),
      meterStartWh: 0,
      meterStopWh: 10_000,
      energyKwh: 10,
    },
  });
  const input = (kwh: number) => ({
    sessionId: s.id,
    steveTransactionPk: pk!,
    payload: { ...payload, kwh },
    customerExternalId: customer.externalId,
  });
  const record = (kwh: number) => database.prisma.$transaction((tx) => recordSessionUsage(tx, input(kwh)));
  return { pk: pk!, customer, record, input, card, subscription, sessionId: s.id };
}

describe('recordSessionUsages (the sync writes a page of completed sessions at once)', () => {
  it('queues sessions without an event in one insert, like one by one; one with an event follows the correction rules', async () => {
    const delivered = await session();
    const fresh = await session();
    const waiting = await session();
    await delivered.record(10);
    await outbox.drainUntilIdle();

    const outcomes = await database.prisma.$transaction((tx) =>
      recordSessionUsages(tx, [
        delivered.input(12),
        fresh.input(10),
        { ...waiting.input(7.5), customerExternalId: null },
      ]),
    );
    expect(outcomes).toEqual([
      { action: 'correction', transactionId: `polaris-session-${delivered.pk}-r1`, deltaKwh: 2 },
      { action: 'created', transactionId: `polaris-session-${fresh.pk}` },
      { action: 'created', transactionId: `polaris-session-${waiting.pk}` },
    ]);
    const row = await database.prisma.billingEvent.findUniqueOrThrow({
      where: { transactionId: `polaris-session-${fresh.pk}` },
    });
    expect(row).toMatchObject({
      status: 'PENDING',
      attempts: 0,
      externalSubscriptionId: `polaris-sub-${fresh.customer.externalId}`,
      payload: fresh.input(10).payload,
    });
    expect(row.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(
      await database.prisma.billingEvent.findUniqueOrThrow({
        where: { transactionId: `polaris-session-${waiting.pk}` },
      }),
    ).toMatchObject({ status: 'WAITING_FOR_CUSTOMER', externalSubscriptionId: null });

    // Again (a re-read): not sent yet, so its payload is replaced in place; no second row.
    const again = await database.prisma.$transaction((tx) => recordSessionUsages(tx, [fresh.input(10)]));
    expect(again).toEqual([{ action: 'updated', transactionId: `polaris-session-${fresh.pk}` }]);
    expect(await database.prisma.billingEvent.count()).toBe(4);

    await outbox.drainUntilIdle();
    const kwh = (pk: number) =>
      lago.store
        .acceptedEvents()
        .filter((e) => e.transactionId.startsWith(`polaris-session-${pk}`))
        .map((e) => e.properties.kwh);
    expect(kwh(fresh.pk)).toEqual(['10']);
    expect(kwh(delivered.pk)).toEqual(['10', '2']);
  });
});

describe('session corrections (SteVe replaces a stop)', () => {
  it('a waiting session released into a later subscription stays billable when it is corrected', async () => {
    const { pk, input, card, customer, subscription } = await session();
    const db = database.prisma;
    // Ended an hour before the customer's subscription started, while the card had no customer.
    const early = new Date(subscription.startedAt!.getTime() - 3_600_000).toISOString();
    const waiting = (kwh: number, customerExternalId: string | null) => ({
      ...input(kwh),
      payload: { ...input(kwh).payload, stoppedAt: early },
      customerExternalId,
    });
    await db.$transaction((tx) => recordSessionUsage(tx, waiting(10, null)));
    const from = billableFrom(subscription, new Date());
    await db.$transaction((tx) =>
      releaseWaitingEventsForCard(tx, card, customer.externalId, new Date(), from),
    );
    // Corrected before it was sent (in place), then after delivery (a delta row).
    expect(
      await db.$transaction((tx) => recordSessionUsage(tx, waiting(12, customer.externalId))),
    ).toMatchObject({
      action: 'updated',
    });
    await outbox.drainUntilIdle();
    expect(
      await db.$transaction((tx) => recordSessionUsage(tx, waiting(15, customer.externalId))),
    ).toMatchObject({
      action: 'correction',
    });
    await outbox.drainUntilIdle();
    const events = lago.store
      .acceptedEvents()
      .filter((e) => e.transactionId.startsWith(`polaris-session-${pk}`));
    expect(events.map((e) => [e.transactionId, e.timestamp.toISOString()])).toEqual([
      [`polaris-session-${pk}`, from.toISOString()],
      [`polaris-session-${pk}-r1`, from.toISOString()],
    ]);
    expect((await currentUsageForCustomer({ lago }, customer.externalId))?.kwh).toBe(15);
  });

  it('not sent yet: the payload is replaced in place, Lago only ever sees the corrected figure', async () => {
    const { pk, record, customer } = await session();
    expect(await record(10)).toMatchObject({ action: 'created', transactionId: `polaris-session-${pk}` });
    expect(await record(12.5)).toMatchObject({ action: 'updated' });
    await outbox.drainUntilIdle();
    const events = lago.store
      .acceptedEvents()
      .filter((e) => e.transactionId.startsWith(`polaris-session-${pk}`));
    expect(events.map((e) => [e.transactionId, e.properties.kwh])).toEqual([
      [`polaris-session-${pk}`, '12.5'],
    ]);
    expect((await currentUsageForCustomer({ lago }, customer.externalId))?.kwh).toBe(12.5);
  });

  it('already delivered: a positive delta is sent as revision r1, then r2', async () => {
    const { pk, record, customer } = await session();
    await record(10);
    await outbox.drainUntilIdle();
    expect(await record(13.25)).toMatchObject({
      action: 'correction',
      transactionId: `polaris-session-${pk}-r1`,
      deltaKwh: 3.25,
    });
    expect(await record(13.25)).toMatchObject({ action: 'unchanged' });
    expect(await record(14)).toMatchObject({
      action: 'correction',
      transactionId: `polaris-session-${pk}-r2`,
      deltaKwh: 0.75,
    });
    await outbox.drainUntilIdle();
    const events = lago.store
      .acceptedEvents()
      .filter((e) => e.transactionId.startsWith(`polaris-session-${pk}`));
    expect(events.map((e) => e.transactionId)).toEqual([
      `polaris-session-${pk}`,
      `polaris-session-${pk}-r1`,
      `polaris-session-${pk}-r2`,
    ]);
    expect(new Set(events.map((e) => e.externalSubscriptionId))).toEqual(
      new Set([`polaris-sub-${customer.externalId}`]),
    );
    expect((await currentUsageForCustomer({ lago }, customer.externalId))?.kwh).toBe(14);
  });

  it('claimed but not confirmed counts as possibly sent: the delta goes separately', async () => {
    const { pk, record } = await session();
    await record(10);
    const claimed = await outbox.claim();
    expect(claimed.map((c) => c.transactionId)).toEqual([`polaris-session-${pk}`]);
    expect(await record(11)).toMatchObject({ action: 'correction', deltaKwh: 1 });
  });

  it('already delivered and lower now: a CRITICAL alert, nothing sent', async () => {
    const { pk, record } = await session();
    await record(10);
    await outbox.drainUntilIdle();
    expect(await record(7)).toMatchObject({ action: 'negative', deltaKwh: -3 });
    const alert = await database.prisma.alert.findUniqueOrThrow({
      where: { dedupeKey: `billing.negative_correction:polaris-session-${pk}` },
    });
    expect(alert.severity).toBe('CRITICAL');
    expect(alert.message).toMatch(/cannot be deleted/);
    expect(
      await database.prisma.billingEvent.count({
        where: { transactionId: { startsWith: `polaris-session-${pk}` } },
      }),
    ).toBe(1);
  });
});

describe('the safety net releasing waiting events of cards mapped meanwhile', () => {
  it('bills an event written as waiting just before the mapping, even if its session ended before the subscription', async () => {
    const { pk, input, customer, subscription } = await session();
    const db = database.prisma;
    // A sync run that read the card before it was mapped wrote the event as waiting.
    const early = new Date(subscription.startedAt!.getTime() - 3_600_000).toISOString();
    await db.$transaction((tx) =>
      recordSessionUsage(tx, {
        ...input(7),
        payload: { ...input(7).payload, stoppedAt: early },
        customerExternalId: null,
      }),
    );
    const now = new Date();
    expect(await releaseWaitingEvents(db, now)).toBe(1);
    await outbox.drainUntilIdle();
    const [event] = lago.store.acceptedEvents().filter((e) => e.transactionId === `polaris-session-${pk}`);
    expect(event?.timestamp.toISOString()).toBe(
      new Date(Math.ceil(now.getTime() / 1000) * 1000).toISOString(),
    );
    expect((await currentUsageForCustomer({ lago }, customer.externalId))?.kwh).toBe(7);
  });
});

describe('billing health', () => {
  it('reports backlog age, waiting and failed events as warnings', async () => {
    const { record } = await session();
    await record(5);
    const now = new Date(Date.now() + 20 * 60_000);
    let health = await billingHealth({ db: database.prisma }, { now, stuckAfterMs: 15 * 60_000 });
    expect(health).toMatchObject({ pending: 1, waitingForCustomer: 0, failed: 0 });
    expect(health.oldestPendingAgeMs).toBeGreaterThan(15 * 60_000);
    expect(health.warnings.map((w) => [w.kind, w.severity])).toEqual([['billing.backlog', 'WARNING']]);

    await database.prisma.billingEvent.updateMany({ data: { status: 'FAILED' } });
    health = await billingHealth({ db: database.prisma }, { now });
    expect(health.warnings.map((w) => [w.kind, w.severity, w.count])).toEqual([
      ['billing.failed', 'CRITICAL', 1],
    ]);

    await database.prisma.billingEvent.updateMany({ data: { status: 'WAITING_FOR_CUSTOMER' } });
    health = await billingHealth({ db: database.prisma }, { now: new Date() });
    expect(health.warnings.map((w) => [w.kind, w.severity])).toEqual([
      ['billing.waiting_for_customer', 'INFO'],
    ]);
  });

  it('says the outbox is retrying, with the pending count, before the backlog is old', async () => {
    await database.prisma.billingEvent.deleteMany({});
    const { record } = await session();
    await record(5);
    expect((await billingHealth({ db: database.prisma })).warnings).toEqual([]);
    await database.prisma.billingEvent.updateMany({
      data: { attempts: 1, lastError: '[UNREACHABLE] connect ECONNREFUSED' },
    });
    const health = await billingHealth({ db: database.prisma });
    expect(health.warnings.map((w) => [w.kind, w.severity, w.count])).toEqual([
      ['billing.retrying', 'INFO', health.pending],
    ]);
    expect(health.warnings[0]!.message).toBe(
      'Lago did not accept the last delivery: 1 usage event waiting, retried automatically.',
    );
    await database.prisma.billingEvent.deleteMany({});
  });

  it('is empty when all is well', async () => {
    expect((await billingHealth({ db: database.prisma })).warnings).toEqual([]);
  });
});

describe('usage for a driver', () => {
  it('reads Lago’s current usage; unknown customers give null; outages a typed error', async () => {
    expect(await currentUsageForCustomer({ lago }, 'nobody')).toBeNull();
    lago.setFault({ down: true });
    await expect(currentUsageForCustomer({ lago }, 'nobody')).rejects.toBeInstanceOf(LagoUnavailableError);
  });
});
