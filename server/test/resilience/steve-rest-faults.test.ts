import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetSimulator } from '../../src/integrations/steve/simulator/index.ts';
import { CHARGER_REJECTED_MESSAGE } from '../../src/modules/charging/charging.errors.ts';
import { giveCard } from '../../src/modules/charging/test-fixtures.ts';
import { ManualClock } from '../../src/modules/sync/test-helpers.ts';
import { createTestApp, type TestApp } from '../app.ts';

const START = `mutation ($id: ID!) { startCharging(chargerId: $id) {
  __typename
  ... on StartChargingSuccess { startRequest { outcome message } }
  ... on ChargerRejectedError { message } } }`;
const HEALTH = '{ operatorHealth { healthy warnings { code severity } } }';

/**
 * SteVe answering garbage and answering slowly, seen end to end through the app (simulator fault
 * switch): the driver gets the "could not start" message, runs fail with the reason and back off,
 * Health says so, and everything recovers by itself when the fault ends.
 */
describe('SteVe REST faults, end to end', () => {
  let t: TestApp;
  let sim: FleetSimulator;
  let clock: ManualClock;
  let driverCookie: string;
  let adminCookie: string;

  const run = async (trigger: 'SCHEDULED' | 'MANUAL' = 'SCHEDULED') => {
    const engine = t.app.services.sync.engine;
    while (engine.running) await new Promise((r) => setTimeout(r, 10));
    return engine.run({ trigger });
  };
  const chargerId = async (chargeBoxId: string) => {
    const row = await t.app.services.db.charger.findUniqueOrThrow({ where: { chargeBoxId } });
    return encodeGlobalID('Charger', row.id);
  };

  beforeAll(async () => {
    clock = new ManualClock();
    sim = new FleetSimulator({
      seed: 11,
      size: 6,
      now: clock.now,
      fleetChurn: false,
      outages: false,
      backgroundActivity: false,
      remoteStartNoShowRate: 0,
      operationWaitMs: 10,
    });
    t = await createTestApp({ app: { background: false, steve: sim, clock: clock.now } });
    const driver = await t.createUser();
    driverCookie = await t.signIn(driver.email, driver.password);
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
    await giveCard(t.app.services.db, sim, driver.id, { isPrimary: true });
    expect((await run('MANUAL')).status).toBe('SUCCEEDED');
  });
  afterAll(async () => {
    sim?.setFault({});
    await t?.stop();
  });

  it('garbage answers: start refused with the driver message, runs fail and back off, Health shows it, then recovery', async () => {
    sim.setFault({ garbage: true });
    try {
      const start = await t.graphql<{
        startCharging: {
          __typename: string;
          message?: string;
          startRequest?: { outcome: string; message: string };
        };
      }>(START, { id: await chargerId(sim.normalChargers[0]!) }, { cookie: driverCookie });
      expect(start.status).toBe(200);
      const result = start.data!.startCharging;
      expect(result.message ?? result.startRequest?.message).toBe(CHARGER_REJECTED_MESSAGE);

      clock.advance(10_000);
      const first = await run();
      expect(first.status).toBe('FAILED');
      expect(first.error).toMatch(/\[BAD_RESPONSE\]/);
      expect(first.schedule.tier).toBe('BACKOFF');
      clock.advance(first.schedule.intervalMs);
      const second = await run();
      expect(second.schedule.intervalMs).toBeGreaterThan(first.schedule.intervalMs);
      const health = await t.graphql<{
        operatorHealth: { healthy: boolean; warnings: Array<{ code: string }> };
      }>(HEALTH, {}, { cookie: adminCookie });
      expect(health.data?.operatorHealth.healthy).toBe(false);
      expect(health.data?.operatorHealth.warnings.map((w) => w.code)).toContain('SYNC_FAILING');
    } finally {
      sim.setFault({});
    }
    clock.advance(60_000);
    const recovered = await run();
    expect(recovered.status).toBe('SUCCEEDED');
    expect(recovered.schedule.tier).not.toBe('BACKOFF');
    const health = await t.graphql<{ operatorHealth: { warnings: Array<{ code: string }> } }>(
      HEALTH,
      {},
      { cookie: adminCookie },
    );
    const codes = health.data?.operatorHealth.warnings.map((w) => w.code) ?? [];
    expect(codes).not.toContain('SYNC_FAILING');
    expect(codes).not.toContain('STEVE_UNREACHABLE');
  });

  it('slow answers: runs still succeed, only later', async () => {
    sim.setFault({ slowMs: 50 });
    try {
      clock.advance(60_000);
      const started = Date.now();
      const slow = await run();
      expect(slow.status).toBe('SUCCEEDED');
      expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    } finally {
      sim.setFault({});
    }
  });
});
