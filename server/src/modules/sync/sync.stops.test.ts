import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/db.ts';
import {
  compareTimeCursor,
  type StevePort,
  type SteveTransaction,
  type StoppedTransactionsQuery,
} from '../../integrations/steve/port.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import type { Database } from '../../lib/db.ts';
import { DEEP_STOP_SCAN_MS, STOP_WINDOW_MS, type SyncEngine } from './sync.engine.ts';
import { createTestEngine, interceptSteve, ManualClock } from './test-helpers.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * SteVe has no index on the stop time, so reading stops over all history costs a scan of every stop
 * row. Each run reads only transactions started within the stop window (a primary-key range); the
 * whole history is read once every DEEP_STOP_SCAN_MS for late stops of older transactions.
 */
describe('sync engine: stops read in a recent window, all history hourly', () => {
  let database: Database;
  let clock: ManualClock;
  let sim: FleetSimulator;
  let engine: SyncEngine;
  /** minTransactionPk of every listStoppedTransactions call (undefined: all history). */
  const calls: Array<number | undefined> = [];
  /** A stop SteVe recorded late for an old transaction (SteVe's own filters applied to it). */
  let late: SteveTransaction | null = null;

  beforeAll(async () => {
    database = await createTestDatabase();
    clock = new ManualClock();
    sim = new FleetSimulator({
      seed: 11,
      size: 8,
      now: clock.now,
      warmupMs: 0,
      backgroundActivity: false,
      fleetChurn: false,
      outages: false,
      remoteStartNoShowRate: 0,
    });
    // The late stop shows in the stop reads and in reads by pk; the start pass's re-read of the last
    // few pks does not reach it (in a real history the old transaction lies far below them).
    const inner = interceptSteve(sim, {});
    const port = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'getTransactions') {
          return async (pks: number[]) =>
            (await target.getTransactions(pks)).map((t) => (late && t.pk === late.pk ? late : t));
        }
        if (prop !== 'listStoppedTransactions') return Reflect.get(target, prop, receiver) as unknown;
        return async (query: StoppedTransactionsQuery) => {
          calls.push(query.minTransactionPk);
          const page = await target.listStoppedTransactions(query);
          if (!late) return page;
          // SteVe shows a transaction with its latest stop, and finds it by that stop's time.
          const items = page.items.filter((t) => t.pk !== late!.pk);
          if (
            late.pk >= (query.minTransactionPk ?? 0) &&
            (!query.after || compareTimeCursor({ at: late.stopEventAt!, pk: late.pk }, query.after) > 0)
          ) {
            items.push(late);
          }
          return { ...page, items };
        };
      },
    }) as StevePort;
    engine = createTestEngine(database.prisma, port, clock).engine;
  });
  afterAll(async () => {
    await database?.close();
  });

  it('reads recent stops every run and the whole history only once an hour, applying a late stop then', async () => {
    const db = database.prisma;
    await engine.run({ trigger: 'STARTUP' });
    // The first run reads everything.
    expect(calls).toContain(undefined);

    // One finished session, then more than a stop window of quiet.
    const chargeBoxId = sim.normalChargers[0]!;
    const tag = await sim.createTag({ idTag: 'LATE-STOP-1' });
    expect((await sim.remoteStart({ chargeBoxId, idTag: tag.idTag })).kind).toBe('ACCEPTED');
    clock.advance(20 * MINUTE);
    await engine.run({ trigger: 'SCHEDULED' });
    const session = await db.chargingSession.findFirstOrThrow({ where: { card: { idTag: 'LATE-STOP-1' } } });
    expect((await sim.remoteStop({ chargeBoxId, transactionPk: session.steveTransactionPk })).kind).toBe(
      'ACCEPTED',
    );
    clock.advance(MINUTE);
    await engine.run({ trigger: 'SCHEDULED' });
    const finished = await db.chargingSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(finished.status).toBe('COMPLETED');

    clock.advance(STOP_WINDOW_MS + DAY);
    await engine.run({ trigger: 'SCHEDULED' }); // a deep pass is due (over an hour since the last)
    calls.length = 0;

    // SteVe now records the station's own, later stop of that old transaction: 1 kWh more.
    const [current] = await sim.getTransactions([session.steveTransactionPk]);
    late = {
      ...current!,
      meterStopWh: current!.meterStopWh! + 1000,
      stopActor: 'station',
      stopEventAt: clock.now(),
    };
    clock.advance(MINUTE);
    await engine.run({ trigger: 'SCHEDULED' });
    // Within the hour: only the recent window (which no longer holds the old transaction).
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((minPk) => minPk !== undefined && minPk > session.steveTransactionPk)).toBe(true);
    expect((await db.chargingSession.findUniqueOrThrow({ where: { id: session.id } })).energyKwh).toBe(
      finished.energyKwh,
    );

    clock.advance(DEEP_STOP_SCAN_MS);
    calls.length = 0;
    await engine.run({ trigger: 'SCHEDULED' });
    expect(calls).toContain(undefined);
    const corrected = await db.chargingSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(corrected.energyKwh).toBeCloseTo(finished.energyKwh + 1, 6);

    // The deep pass is not repeated on the next run.
    calls.length = 0;
    clock.advance(MINUTE);
    await engine.run({ trigger: 'SCHEDULED' });
    expect(calls).not.toContain(undefined);
  });

  it('keeps reading stops of transactions started within the window on every run', async () => {
    const db = database.prisma;
    const chargeBoxId = sim.normalChargers[1]!;
    const tag = await sim.createTag({ idTag: 'RECENT-STOP-1' });
    expect((await sim.remoteStart({ chargeBoxId, idTag: tag.idTag })).kind).toBe('ACCEPTED');
    clock.advance(MINUTE);
    await engine.run({ trigger: 'SCHEDULED' });
    const session = await db.chargingSession.findFirstOrThrow({
      where: { card: { idTag: 'RECENT-STOP-1' } },
    });
    calls.length = 0;
    clock.advance(MINUTE);
    await engine.run({ trigger: 'SCHEDULED' });
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((minPk) => minPk !== undefined && minPk <= session.steveTransactionPk)).toBe(true);
  });
});
