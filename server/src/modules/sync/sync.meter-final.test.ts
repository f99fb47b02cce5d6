import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/db.ts';
import { SteveError, type StevePort } from '../../integrations/steve/port.ts';
import { FleetSimulator } from '../../integrations/steve/simulator/index.ts';
import type { Database } from '../../lib/db.ts';
import { createTestEngine, ManualClock } from './test-helpers.ts';

/**
 * #15 "samples exactly as a clean run gives": a run that completes a session and is cut off before
 * its METER_VALUES segment (a kill -9, or SteVe failing there) must not lose the session's last
 * samples: the next run reads them, as a clean run would.
 */
describe('sync: last samples of a completed session survive a cut-off run', () => {
  let database: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('reads them in the next run', async () => {
    const db = database.prisma;
    const clock = new ManualClock();
    const sim = new FleetSimulator({
      seed: 21,
      size: 4,
      now: clock.now,
      warmupMs: 0,
      backgroundActivity: false,
      fleetChurn: false,
      outages: false,
      remoteStartNoShowRate: 0,
    });
    let failMeterValues = false;
    const steve = new Proxy(sim, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop === 'listMeterValues')
          return (...args: Parameters<StevePort['listMeterValues']>) => {
            if (failMeterValues) throw new SteveError('UNREACHABLE', 'cut off', { source: 'rest' });
            return target.listMeterValues(...args);
          };
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as StevePort;
    const { engine } = createTestEngine(db, steve, clock);

    await engine.run({ trigger: 'STARTUP' });
    const tag = (await sim.listTags()).items[0]!;
    let chargeBoxId = '';
    for (const id of sim.normalChargers) {
      if ((await sim.remoteStart({ chargeBoxId: id, idTag: tag.idTag })).kind === 'ACCEPTED') {
        chargeBoxId = id;
        break;
      }
    }
    expect(chargeBoxId).not.toBe('');
    clock.advance(10_000);
    await engine.run({ trigger: 'SCHEDULED' });
    const session = await db.chargingSession.findFirstOrThrow({
      where: { status: 'ACTIVE', idTag: tag.idTag },
    });
    clock.advance(5 * 60_000);
    await engine.run({ trigger: 'SCHEDULED' });
    const samplesWhileActive = await db.meterSample.count({ where: { sessionId: session.id } });

    // The charge ends; the run that records its completion fails at METER_VALUES.
    clock.advance(60_000);
    await sim.remoteStop({ chargeBoxId, transactionPk: session.steveTransactionPk });
    clock.advance(10_000);
    failMeterValues = true;
    const cut = await engine.run({ trigger: 'SCHEDULED' });
    expect(cut.status).toBe('FAILED');
    expect((await db.chargingSession.findUniqueOrThrow({ where: { id: session.id } })).status).toBe(
      'COMPLETED',
    );

    failMeterValues = false;
    expect((await engine.run({ trigger: 'SCHEDULED' })).status).toBe('SUCCEEDED');
    const stored = await db.meterSample.findMany({
      where: { sessionId: session.id },
      orderBy: { sampledAt: 'asc' },
    });
    const inSteve = (
      await sim.listMeterValues({
        transactionPks: [session.steveTransactionPk],
        after: null,
        since: null,
        limit: 1000,
      })
    ).items;
    expect(stored.length).toBeGreaterThan(samplesWhileActive);
    expect(stored.map((s) => s.sampledAt.getTime())).toEqual(inSteve.map((m) => m.at.getTime()));
    // Read once: later runs do not read a finished session's samples again.
    expect(
      (await db.chargingSession.findUniqueOrThrow({ where: { id: session.id } })).meterFinalAt,
    ).not.toBeNull();
  });
});
