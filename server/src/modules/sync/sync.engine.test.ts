import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/db.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import type { SteveTransaction } from '../../integrations/steve/port.ts';
import type { Database } from '../../lib/db.ts';
import type { SyncEngine } from './sync.engine.ts';
import { syncHealthWarnings } from './sync.health.ts';
import { createTestEngine, interceptSteve, ManualClock } from './test-helpers.ts';

const MINUTE = 60_000;

describe('sync engine on the fleet simulator', () => {
  let database: Database;
  let clock: ManualClock;
  let sim: FleetSimulator;
  let engine: SyncEngine;
  const hidden = new Set<string>();
  const events: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    clock = new ManualClock();
    sim = new FleetSimulator({ seed: 42, size: 12, now: clock.now, fleetChurn: false });
    const built = createTestEngine(
      database.prisma,
      interceptSteve(sim, { hiddenChargeBoxIds: hidden }),
      clock,
    );
    engine = built.engine;
    void (async () => {
      for await (const e of built.pubsub.subscribe('sync:progress')) events.push(e.runId);
    })();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('imports the whole fleet on the first run', async () => {
    const result = await engine.run({ trigger: 'STARTUP' });
    expect(result.error).toBeNull();
    expect(result.status).toBe('SUCCEEDED');

    const steveChargers = (await sim.listChargePoints({ limit: 5000 })).items;
    const db = database.prisma;
    const chargers = await db.charger.findMany({ include: { connectors: true } });
    expect(chargers.map((c) => c.chargeBoxId).sort()).toEqual(steveChargers.map((c) => c.chargeBoxId).sort());
    for (const cp of steveChargers) {
      const local = chargers.find((c) => c.chargeBoxId === cp.chargeBoxId)!;
      expect(local.stevePk).toBe(cp.pk);
      expect(local.vendor).toBe(cp.vendor);
      expect(local.connectors.map((c) => c.connectorId).sort()).toEqual(
        cp.connectors.map((c) => c.connectorId).sort(),
      );
    }
    expect(chargers.some((c) => c.state !== 'OFFLINE')).toBe(true);

    const tags = (await sim.listTags({ limit: 5000 })).items;
    const cards = await db.evCard.findMany();
    expect(cards).toHaveLength(tags.length);
    expect(
      cards.every(
        (c) => c.origin === 'STEVE' && c.status === 'PENDING' && /^EV-[A-Z2-9]{6}$/.test(c.publicId),
      ),
    ).toBe(true);

    const transactions = (await sim.listTransactions({ limit: 5000 })).items;
    expect(transactions.length).toBeGreaterThan(0);
    expect(await db.chargingSession.count()).toBe(transactions.length);
    const completed = transactions.filter((t) => t.stoppedAt !== null).length;
    expect(await db.chargingSession.count({ where: { status: 'COMPLETED' } })).toBe(completed);
    expect(await db.billingEvent.count()).toBe(completed);

    const run = await db.syncRun.findUniqueOrThrow({
      where: { id: result.runId },
      include: { segments: true },
    });
    expect(run.segments.map((s) => s.status)).toEqual(Array(6).fill('SUCCEEDED'));
    expect(run.segments.find((s) => s.kind === 'CHARGERS')!.processed).toBe(steveChargers.length);
    expect(events.filter((id) => id === result.runId).length).toBeGreaterThanOrEqual(13);
  });

  it('turns meter values into live kWh on active sessions', async () => {
    const db = database.prisma;
    // Make sure something is charging: start one on an available connector of a normal charger.
    const tag = (await sim.listTags()).items[0]!;
    for (const chargeBoxId of sim.normalChargers) {
      const r = await sim.remoteStart({ chargeBoxId, idTag: tag.idTag });
      if (r.kind === 'ACCEPTED') break;
    }
    clock.advance(10_000);
    await engine.run({ trigger: 'SCHEDULED' });
    const active = await db.chargingSession.findMany({ where: { status: 'ACTIVE' } });
    expect(active.length).toBeGreaterThan(0);
    const before = new Map(active.map((s) => [s.id, s]));
    const samplesBefore = await db.meterSample.count();

    clock.advance(5 * MINUTE);
    await engine.run({ trigger: 'SCHEDULED' });
    const after = await db.chargingSession.findMany({ where: { id: { in: [...before.keys()] } } });
    expect(await db.meterSample.count()).toBeGreaterThan(samplesBefore);
    const stillActive = after.filter((s) => s.status === 'ACTIVE');
    expect(stillActive.length).toBeGreaterThan(0);
    for (const s of stillActive) {
      expect(s.latestMeterWh).not.toBeNull();
      expect(s.latestMeterAt!.getTime()).toBeGreaterThan(before.get(s.id)!.latestMeterAt?.getTime() ?? 0);
      expect(s.energyKwh).toBeCloseTo((s.latestMeterWh! - s.meterStartWh) / 1000, 6);
      expect(s.firstMeterAt).not.toBeNull();
    }
    const grew = stillActive.filter((s) => s.energyKwh > before.get(s.id)!.energyKwh);
    expect(grew.length).toBeGreaterThan(0);
    expect((await engine.getSchedule()).tier).toBe('LIVE');
  });

  it('writes exactly one billing event per completed session, however often it runs', async () => {
    const db = database.prisma;
    for (let i = 0; i < 8; i += 1) {
      clock.advance(30 * MINUTE);
      await engine.run({ trigger: 'SCHEDULED' });
    }
    // Forget the cursors: the next run re-reads everything SteVe has.
    await db.syncCursor.deleteMany();
    await engine.run({ trigger: 'MANUAL' });
    await engine.run({ trigger: 'MANUAL' });

    const completed = await db.chargingSession.findMany({
      where: { status: 'COMPLETED' },
      include: { billingEvents: true },
    });
    expect(completed.length).toBeGreaterThan(0);
    for (const s of completed) {
      expect(s.billingEvents).toHaveLength(1);
      const event = s.billingEvents[0]!;
      expect(event.transactionId).toBe(`polaris-session-${s.steveTransactionPk}`);
      expect(event.status).toBe('WAITING_FOR_CUSTOMER');
      expect((event.payload as { kwh: number }).kwh).toBeCloseTo((s.meterStopWh! - s.meterStartWh) / 1000, 3);
      expect(s.energyKwh).toBeCloseTo((s.meterStopWh! - s.meterStartWh) / 1000, 3);
    }
    const steveStopped = (await sim.listTransactions({ limit: 5000 })).items.filter((t) => t.stoppedAt);
    expect(await db.billingEvent.count()).toBe(steveStopped.length);
  });

  it('marks a charge point that disappears from SteVe as gone and revives it when it returns', async () => {
    const db = database.prisma;
    const victim = sim.normalChargers.at(-1)!;
    hidden.add(victim);
    clock.advance(10_000);
    await engine.run({ trigger: 'MANUAL' });
    const gone = await db.charger.findUniqueOrThrow({ where: { chargeBoxId: victim } });
    expect(gone.goneAt).not.toBeNull();
    expect(gone.state).toBe('OFFLINE');
    // Kept, never deleted: its history stays.
    expect(await db.charger.count()).toBe((await sim.listChargePoints({ limit: 5000 })).items.length);

    hidden.delete(victim);
    clock.advance(10_000);
    await engine.run({ trigger: 'MANUAL' });
    const back = await db.charger.findUniqueOrThrow({ where: { chargeBoxId: victim } });
    expect(back.goneAt).toBeNull();
    expect(back.id).toBe(gone.id);
  });

  it('backs off while SteVe fails and returns to normal after recovery', async () => {
    const db = database.prisma;
    sim.setFault({ unreachable: true });
    clock.advance(10_000);
    const first = await engine.run({ trigger: 'SCHEDULED' });
    expect(first.status).toBe('FAILED');
    expect(first.error).toMatch(/^CHARGERS: \[UNREACHABLE\]/);
    expect(first.schedule.tier).toBe('BACKOFF');
    expect(first.schedule.intervalMs).toBe(5_000);
    const run = await db.syncRun.findUniqueOrThrow({
      where: { id: first.runId },
      include: { segments: { orderBy: { position: 'asc' } } },
    });
    expect(run.status).toBe('FAILED');
    expect(run.segments.map((s) => s.status)).toEqual([
      'FAILED',
      'SKIPPED',
      'SKIPPED',
      'SKIPPED',
      'SKIPPED',
      'SKIPPED',
    ]);

    clock.advance(5_000);
    const second = await engine.run({ trigger: 'SCHEDULED' });
    expect(second.schedule.tier).toBe('BACKOFF');
    expect(second.schedule.intervalMs).toBe(10_000);
    expect(second.schedule.consecutiveFailures).toBe(2);
    const warnings = await syncHealthWarnings(db, { now: clock.now(), cadence: engine.cadence });
    expect(warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['STEVE_UNREACHABLE', 'SYNC_FAILING']),
    );

    sim.setFault({});
    clock.advance(10_000);
    const third = await engine.run({ trigger: 'SCHEDULED' });
    expect(third.status).toBe('SUCCEEDED');
    expect(third.schedule.tier).not.toBe('BACKOFF');
    expect(third.schedule.consecutiveFailures).toBe(0);
    const after = await syncHealthWarnings(db, { now: clock.now(), cadence: engine.cadence });
    expect(after.map((w) => w.code)).not.toContain('STEVE_UNREACHABLE');
    expect(after.map((w) => w.code)).toContain('UNKNOWN_TAGS');
  });
});

describe('sync engine: start requests, quiet fleets and superseded stops', () => {
  let database: Database;
  let clock: ManualClock;
  let sim: FleetSimulator;
  let engine: SyncEngine;
  let rewriteStop: ((t: SteveTransaction) => SteveTransaction) | null = null;

  beforeAll(async () => {
    database = await createTestDatabase();
    clock = new ManualClock();
    sim = new FleetSimulator({
      seed: 3,
      size: 4,
      now: clock.now,
      warmupMs: 0,
      backgroundActivity: false,
      fleetChurn: false,
      outages: false,
      remoteStartNoShowRate: 0,
    });
    engine = createTestEngine(
      database.prisma,
      interceptSteve(sim, { mapTransaction: (t) => (rewriteStop ? rewriteStop(t) : t) }),
      clock,
    ).engine;
  });
  afterAll(async () => {
    await database?.close();
  });

  it('goes IDLE when nothing happens and LIVE with a pending start, linking it to the new session', async () => {
    const db = database.prisma;
    await engine.run({ trigger: 'STARTUP' });
    clock.advance(11 * MINUTE);
    const quiet = await engine.run({ trigger: 'SCHEDULED' });
    expect(quiet.schedule.tier).toBe('IDLE');
    expect(quiet.schedule.intervalMs).toBe(5 * MINUTE);

    const card = await db.evCard.findFirstOrThrow({ orderBy: { idTag: 'asc' } });
    const user = await db.user.create({
      data: { id: 'driver-1', name: 'Dana Driver', email: 'dana@example.test' },
    });
    const customer = await db.customer.create({ data: { externalId: 'cust-1', name: 'Dana' } });
    await db.evCard.update({
      where: { id: card.id },
      data: { ownerId: user.id, status: 'ACTIVE', customerId: customer.id },
    });
    const chargeBoxId = sim.normalChargers[0]!;
    const charger = await db.charger.findUniqueOrThrow({ where: { chargeBoxId } });
    const request = await db.startRequest.create({
      data: { userId: user.id, chargerId: charger.id, cardId: card.id, createdAt: clock.now() },
    });
    expect((await engine.activityFacts()).pendingStartRequests).toBe(1);
    const pending = await engine.run({ trigger: 'START_REQUEST' });
    expect(pending.schedule.tier).toBe('LIVE');
    expect(pending.schedule.intervalMs).toBe(3_000);

    const started = await sim.remoteStart({ chargeBoxId, idTag: card.idTag });
    expect(started.kind).toBe('ACCEPTED');
    clock.advance(10_000);
    const live = await engine.run({ trigger: 'START_REQUEST' });
    expect(live.schedule.tier).toBe('LIVE');
    const linked = await db.startRequest.findUniqueOrThrow({
      where: { id: request.id },
      include: { session: true },
    });
    expect(linked.outcome).toBe('ACCEPTED');
    expect(linked.session?.driverId).toBe(user.id);
    expect(linked.session?.status).toBe('ACTIVE');
    const charging = await db.charger.findUniqueOrThrow({
      where: { chargeBoxId },
      include: { connectors: true },
    });
    expect(charging.connectors.some((c) => c.status === 'Charging')).toBe(true);
  });

  it('updates a stop SteVe replaced: outbox payload before delivery, an alert after', async () => {
    const db = database.prisma;
    const session = await db.chargingSession.findFirstOrThrow({
      where: { status: 'ACTIVE', driverId: 'driver-1' },
    });
    const stop = await sim.remoteStop({
      chargeBoxId: (await db.charger.findUniqueOrThrow({ where: { id: session.chargerId } })).chargeBoxId,
      transactionPk: session.steveTransactionPk,
    });
    expect(stop.kind).toBe('ACCEPTED');
    clock.advance(20 * MINUTE);
    await engine.run({ trigger: 'SCHEDULED' });
    const done = await db.chargingSession.findUniqueOrThrow({
      where: { id: session.id },
      include: { billingEvents: true },
    });
    expect(done.status).toBe('COMPLETED');
    expect(done.billingEvents).toHaveLength(1);
    expect(done.billingEvents[0]!.status).toBe('PENDING');
    const originalKwh = done.energyKwh;

    // SteVe now reports a later stop with 2 kWh more (the station's real stop superseding a manual one).
    rewriteStop = (t) =>
      t.pk === session.steveTransactionPk && t.meterStopWh !== null
        ? {
            ...t,
            meterStopWh: t.meterStopWh + 2000,
            stopActor: 'station',
            stopEventAt: new Date(clock.now().getTime() - 1000),
          }
        : t;
    clock.advance(MINUTE);
    await engine.run({ trigger: 'SCHEDULED' });
    const corrected = await db.chargingSession.findUniqueOrThrow({
      where: { id: session.id },
      include: { billingEvents: true },
    });
    expect(corrected.energyKwh).toBeCloseTo(originalKwh + 2, 6);
    expect(corrected.billingEvents).toHaveLength(1);
    expect((corrected.billingEvents[0]!.payload as { kwh: number }).kwh).toBeCloseTo(originalKwh + 2, 6);

    // Once delivered, Lago keeps what it got: a further increase is billed as a correction event.
    await db.billingEvent.update({
      where: { id: corrected.billingEvents[0]!.id },
      data: { status: 'DELIVERED' },
    });
    rewriteStop = (t) =>
      t.pk === session.steveTransactionPk && t.meterStopWh !== null
        ? {
            ...t,
            meterStopWh: t.meterStopWh + 3000,
            stopActor: 'station',
            stopEventAt: new Date(clock.now().getTime() - 1000),
          }
        : t;
    clock.advance(MINUTE);
    await engine.run({ trigger: 'SCHEDULED' });
    const delivered = await db.billingEvent.findUniqueOrThrow({
      where: { id: corrected.billingEvents[0]!.id },
    });
    expect((delivered.payload as { kwh: number }).kwh).toBeCloseTo(originalKwh + 2, 6);
    const correction = await db.billingEvent.findUniqueOrThrow({
      where: { transactionId: `polaris-session-${session.steveTransactionPk}-r1` },
    });
    expect(Number((correction.payload as { kwh: number | string }).kwh)).toBeCloseTo(1, 6);
    expect(correction.status).toBe('PENDING');
  });
});
