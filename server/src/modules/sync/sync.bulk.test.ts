import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/db.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import {
  compareTimeCursor,
  pageLimit,
  toPage,
  type MeterSampleCursor,
  type StevePort,
  type SteveMeterSample,
  type SteveTransaction,
  type TimeCursor,
} from '../../integrations/steve/port.ts';
import type { Database } from '../../lib/db.ts';
import type { SyncEngine } from './sync.engine.ts';
import { syncHealthWarnings } from './sync.health.ts';
import { createTestEngine, ManualClock } from './test-helpers.ts';

const MINUTE = 60_000;
const SAMPLES = 3;

/**
 * The simulator's fleet and tags, plus `count` finished transactions (3 energy samples each) on its
 * first charger: a history whose size the test chooses, all of it in one page of every read.
 */
function withHistory(sim: FleetSimulator, count: number, chargeBoxId: string, idTag: string): StevePort {
  const base = new Date('2026-11-01T00:00:00.000Z').getTime();
  const transactions: SteveTransaction[] = Array.from({ length: count }, (_, i) => {
    const pk = i + 1;
    const startedAt = new Date(base + pk * 60 * MINUTE);
    const stoppedAt = new Date(startedAt.getTime() + 30 * MINUTE);
    return {
      pk,
      chargePointPk: 1,
      chargeBoxId,
      connectorId: 1,
      idTag,
      tagPk: null,
      startedAt,
      startEventAt: startedAt,
      meterStartWh: 1000,
      stoppedAt,
      stopEventAt: stoppedAt,
      meterStopWh: 1000 + SAMPLES * 1000,
      stopReason: 'EVDisconnected',
      stopActor: 'station',
    };
  });
  const samplesOf = (t: SteveTransaction): SteveMeterSample[] =>
    Array.from({ length: SAMPLES }, (_, k) => ({
      transactionPk: t.pk,
      chargeBoxId,
      connectorId: 1,
      at: new Date(t.startedAt.getTime() + (k + 1) * 10 * MINUTE),
      energyWh: 1000 + (k + 1) * 1000,
      powerW: 6000,
      socPercent: null,
    }));
  const stopCursor = (t: SteveTransaction): TimeCursor => ({ at: t.stopEventAt!, pk: t.pk });
  const overrides: Partial<StevePort> = {
    listTransactions: async (query = {}) => {
      const limit = pageLimit(query.limit);
      const afterPk = query.afterPk ?? 0;
      return toPage(transactions.filter((t) => t.pk > afterPk).slice(0, limit), limit, afterPk, (t) => t.pk);
    },
    listStoppedTransactions: async (query) => {
      const limit = pageLimit(query.limit);
      const start = query.after ?? { at: new Date(0), pk: 0 };
      const items = transactions.filter((t) => compareTimeCursor(stopCursor(t), start) > 0).slice(0, limit);
      return toPage(items, limit, start, stopCursor);
    },
    getTransactions: async (pks) => transactions.filter((t) => pks.includes(t.pk)),
    listMeterValues: async (query) => {
      const limit = pageLimit(query.limit);
      const start = query.after ?? null;
      const items = transactions
        .filter((t) => query.transactionPks.includes(t.pk))
        .flatMap(samplesOf)
        .filter(
          (s) =>
            (!start ||
              s.transactionPk > start.transactionPk ||
              (s.transactionPk === start.transactionPk && s.at > start.at)) &&
            (!query.since || s.at > query.since),
        )
        .slice(0, limit);
      return toPage<SteveMeterSample, MeterSampleCursor | null>(items, limit, start, (s) => ({
        transactionPk: s.transactionPk,
        at: s.at,
      }));
    },
  };
  return new Proxy(sim, {
    get(target, prop, receiver) {
      const override = overrides[prop as keyof StevePort];
      if (override) return override;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function quietSimulator(clock: ManualClock, seed: number, size = 3): FleetSimulator {
  return new FleetSimulator({
    seed,
    size,
    now: clock.now,
    warmupMs: 0,
    backgroundActivity: false,
    fleetChurn: false,
    outages: false,
    remoteStartNoShowRate: 0,
  });
}

describe('sync engine: SQL statements per page do not grow with the transactions in it', () => {
  const databases: Database[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.close()));
  });

  /** A first sync and a no-change sync of `count` finished transactions; SQL statements of each. */
  async function syncHistory(count: number) {
    const database = await createTestDatabase();
    databases.push(database);
    const clock = new ManualClock();
    const sim = quietSimulator(clock, 11);
    const chargeBoxId = sim.normalChargers[0]!;
    const idTag = (await sim.listTags()).items[0]!.idTag;
    const { engine } = createTestEngine(database.prisma, withHistory(sim, count, chargeBoxId, idTag), clock);

    const before = database.queryCount();
    const first = await engine.run({ trigger: 'STARTUP' });
    const firstStatements = database.queryCount() - before;
    expect(first.error).toBeNull();
    clock.advance(MINUTE);
    const beforeIdle = database.queryCount();
    const idle = await engine.run({ trigger: 'SCHEDULED' });
    expect(idle.error).toBeNull();
    return { database, first: firstStatements, idle: database.queryCount() - beforeIdle };
  }

  it('issues the same number of statements for 5 and 120 finished transactions, and writes them all', async () => {
    const small = await syncHistory(5);
    const large = await syncHistory(120);

    const db = large.database.prisma;
    const sessions = await db.chargingSession.findMany({ orderBy: { steveTransactionPk: 'asc' } });
    expect(sessions).toHaveLength(120);
    expect(sessions.every((s) => s.status === 'COMPLETED' && s.energyKwh === SAMPLES)).toBe(true);
    expect(sessions[7]).toMatchObject({
      meterStopWh: 1000 + SAMPLES * 1000,
      latestMeterWh: 1000 + SAMPLES * 1000,
      stopReason: 'EVDisconnected',
      powerKw: null,
    });
    expect(sessions[7]!.firstMeterAt!.getTime()).toBe(sessions[7]!.startedAt.getTime() + 10 * MINUTE);
    expect(sessions[7]!.latestMeterAt!.getTime()).toBe(sessions[7]!.startedAt.getTime() + 30 * MINUTE);
    expect(await db.meterSample.count()).toBe(120 * SAMPLES);
    const events = await db.billingEvent.findMany();
    expect(events).toHaveLength(120);
    expect(events.every((e) => (e.payload as { kwh: number }).kwh === SAMPLES)).toBe(true);
    expect(new Set(events.map((e) => e.transactionId)).size).toBe(120);

    // Per-session writes would make the large history cost hundreds of statements more.
    expect(large.first).toBe(small.first);
    expect(large.idle).toBe(small.idle);
    expect(large.idle).toBeLessThan(large.first);
  });
});

describe('sync engine: tags and reservations SteVe hard-deletes', () => {
  let database: Database;
  let clock: ManualClock;
  let sim: FleetSimulator;
  let engine: SyncEngine;

  beforeAll(async () => {
    database = await createTestDatabase();
    clock = new ManualClock();
    sim = quietSimulator(clock, 7, 6);
    engine = createTestEngine(database.prisma, sim, clock).engine;
    expect((await engine.run({ trigger: 'STARTUP' })).error).toBeNull();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('marks the card of a deleted tag (alert if active), keeps it, and clears the mark when the tag returns', async () => {
    const db = database.prisma;
    const active = await sim.createTag({ idTag: 'CARD-ACTIVE-1' });
    const pending = await sim.createTag({ idTag: 'CARD-UNKNOWN-1' });
    clock.advance(MINUTE);
    await engine.run({ trigger: 'MANUAL' });
    await db.evCard.update({ where: { idTag: 'CARD-ACTIVE-1' }, data: { status: 'ACTIVE' } });
    const unknownBefore = (await syncHealthWarnings(db, { now: clock.now() })).find(
      (w) => w.code === 'UNKNOWN_TAGS',
    )!.count;

    expect(sim.deleteTag('card-active-1')).toBe(true);
    expect(sim.deleteTag('CARD-UNKNOWN-1')).toBe(true);
    clock.advance(MINUTE);
    const run = await engine.run({ trigger: 'MANUAL' });
    expect(run.error).toBeNull();

    const gone = await db.evCard.findUniqueOrThrow({ where: { idTag: 'CARD-ACTIVE-1' } });
    expect(gone.steveTagGoneAt?.getTime()).toBe(clock.now().getTime());
    expect(gone.steveTagPk).toBe(active.pk);
    expect(gone.status).toBe('ACTIVE');
    const alerts = await db.alert.findMany({ where: { kind: 'card.steveTagDeleted' } });
    expect(alerts.map((a) => a.subjectId)).toEqual([gone.publicId]);
    const pendingCard = await db.evCard.findUniqueOrThrow({ where: { idTag: 'CARD-UNKNOWN-1' } });
    expect(pendingCard.steveTagGoneAt).not.toBeNull();
    expect(pendingCard.steveTagPk).toBe(pending.pk);
    // A tag SteVe no longer has is no longer an "unknown tag" waiting for review.
    const unknownAfter = (await syncHealthWarnings(db, { now: clock.now() })).find(
      (w) => w.code === 'UNKNOWN_TAGS',
    )!.count;
    expect(unknownAfter).toBe(unknownBefore - 1);
    const segment = await db.syncSegment.findFirstOrThrow({ where: { runId: run.runId, kind: 'TAGS' } });
    expect(segment.error).toMatch(/2 tags deleted in SteVe/);

    // Nothing more on the next run (no second alert, the mark stays).
    clock.advance(MINUTE);
    await engine.run({ trigger: 'MANUAL' });
    expect(await db.alert.count({ where: { kind: 'card.steveTagDeleted' } })).toBe(1);
    expect((await db.evCard.findUniqueOrThrow({ where: { id: gone.id } })).steveTagGoneAt).not.toBeNull();

    // Created again in SteVe (a new pk): the same card, linked to it, no longer marked.
    const again = await sim.createTag({ idTag: 'CARD-ACTIVE-1' });
    expect(again.pk).not.toBe(active.pk);
    clock.advance(MINUTE);
    await engine.run({ trigger: 'MANUAL' });
    const back = await db.evCard.findUniqueOrThrow({ where: { id: gone.id } });
    expect(back.steveTagGoneAt).toBeNull();
    expect(back.steveTagPk).toBe(again.pk);
  });

  it('cancels a reservation SteVe deleted, with the reason, and keeps the row', async () => {
    const db = database.prisma;
    const idTag = (await sim.listTags()).items[0]!.idTag;
    const chargeBoxId = sim.normalChargers[0]!;
    const kept = await sim.reserveNow({
      chargeBoxId,
      connectorId: 1,
      idTag,
      expiry: new Date(clock.now().getTime() + 30 * MINUTE),
    });
    const doomed = await sim.reserveNow({
      chargeBoxId: sim.normalChargers[1]!,
      connectorId: 1,
      idTag,
      expiry: new Date(clock.now().getTime() + 30 * MINUTE),
    });
    expect(kept.kind === 'ACCEPTED' && doomed.kind === 'ACCEPTED').toBe(true);
    const keptPk = kept.kind === 'ACCEPTED' ? kept.reservationId! : -1;
    const doomedPk = doomed.kind === 'ACCEPTED' ? doomed.reservationId! : -1;
    clock.advance(MINUTE);
    await engine.run({ trigger: 'MANUAL' });
    expect(
      (await db.reservation.findMany({ where: { steveReservationPk: { in: [keptPk, doomedPk] } } })).map(
        (r) => r.status,
      ),
    ).toEqual(['ACCEPTED', 'ACCEPTED']);

    expect(sim.deleteReservation(doomedPk)).toBe(true);
    clock.advance(MINUTE);
    const run = await engine.run({ trigger: 'MANUAL' });
    expect(run.error).toBeNull();
    const cancelled = await db.reservation.findUniqueOrThrow({ where: { steveReservationPk: doomedPk } });
    expect(cancelled).toMatchObject({ status: 'CANCELLED', statusReason: 'DeletedInSteve' });
    expect(cancelled.goneAt?.getTime()).toBe(clock.now().getTime());
    expect(cancelled.statusAt.getTime()).toBe(clock.now().getTime());
    const other = await db.reservation.findUniqueOrThrow({ where: { steveReservationPk: keptPk } });
    expect(other).toMatchObject({ status: 'ACCEPTED', statusReason: null, goneAt: null });
    // Partners learn it from the event stored with the change: created, then cancelled with the reason.
    const events = await db.domainEvent.findMany({
      where: { stream: `reservation:${cancelled.id}` },
      orderBy: { sequence: 'asc' },
    });
    expect(events.map((e) => [e.type, (e.payload as { reason: string | null }).reason])).toEqual([
      ['reservation.created', null],
      ['reservation.cancelled', 'DeletedInSteve'],
    ]);
    const segment = await db.syncSegment.findFirstOrThrow({
      where: { runId: run.runId, kind: 'RESERVATIONS' },
    });
    expect(segment.error).toMatch(/1 reservation deleted in SteVe/);

    // A reservation that ended normally is not asked about again and never changes.
    clock.advance(40 * MINUTE);
    await engine.run({ trigger: 'MANUAL' });
    expect((await db.reservation.findUniqueOrThrow({ where: { steveReservationPk: keptPk } })).status).toBe(
      'EXPIRED',
    );
    expect(sim.deleteReservation(keptPk)).toBe(true);
    clock.advance(MINUTE);
    await engine.run({ trigger: 'MANUAL' });
    expect(await db.reservation.findUniqueOrThrow({ where: { steveReservationPk: keptPk } })).toMatchObject({
      status: 'EXPIRED',
      goneAt: null,
    });
  });
});
