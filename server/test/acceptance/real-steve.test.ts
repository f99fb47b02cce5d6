/**
 * Acceptance of the SteVe issue with STEVE_URL / STEVE_DB_URL pointing at the test fixtures: the
 * app runs with its scheduler on the wall clock, reads the fleet from a SteVe database in MariaDB
 * (the fixture schema) and sends commands to a stand-in for SteVe's REST API. The test plays the
 * charge point: when SteVe is asked to start a transaction it writes the rows SteVe would write
 * (transaction_start, connector_status, connector_meter_value, transaction_stop).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeSteveRest,
  type FakeSteveRest,
} from '../../src/integrations/steve/simulator/fake-steve-rest.ts';
import {
  createSteveTestDatabase,
  type SteveTestDatabase,
} from '../../src/integrations/steve/fixtures/mariadb.ts';
import { giveCard } from '../../src/modules/charging/test-fixtures.ts';
import { createTestApp, type TestApp } from '../app.ts';

const SERVER_URL = process.env.TEST_MARIADB_URL;

/** MariaDB DATETIME(6) text for a JS date, in UTC (the fixture connection runs in UTC). */
function sqlTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  label: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${label}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface ChargerNode {
  id: string;
  chargeBoxId: string;
  state: string;
}

interface SyncRunNode {
  status: string;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
}

describe.skipIf(!SERVER_URL)('a real SteVe (fixture database + REST stand-in) behind the app', () => {
  let steveDb: SteveTestDatabase;
  let rest: FakeSteveRest;
  let t: TestApp;
  let adminCookie: string;
  let driverCookie: string;
  let idTag: string;

  const exec = async (sql: string, params: unknown[] = []) => {
    await steveDb.admin.query(sql, params);
  };

  const chargers = async (): Promise<ChargerNode[]> => {
    const res = await t.graphql<{ chargers: { edges: Array<{ node: ChargerNode }> } }>(
      '{ chargers(first: 10) { edges { node { id chargeBoxId state } } } }',
      {},
      { cookie: adminCookie },
    );
    expect(res.errors).toBeUndefined();
    return res.data!.chargers.edges.map((e) => e.node);
  };

  const finishedRuns = async (): Promise<SyncRunNode[]> => {
    const res = await t.graphql<{ syncRuns: { edges: Array<{ node: SyncRunNode }> } }>(
      '{ syncRuns(first: 50) { edges { node { status trigger startedAt finishedAt } } } }',
      {},
      { cookie: adminCookie },
    );
    expect(res.errors).toBeUndefined();
    return res.data!.syncRuns.edges.map((e) => e.node).filter((r) => r.status === 'SUCCEEDED');
  };

  beforeAll(async () => {
    steveDb = await createSteveTestDatabase(SERVER_URL!);
    rest = await startFakeSteveRest({ username: 'polaris', password: 'api-secret' });
    const heartbeat = sqlTime(new Date());
    await exec(
      `INSERT INTO charge_box (charge_box_pk, charge_box_id, ocpp_protocol, charge_point_vendor, charge_point_model,
         last_heartbeat_timestamp, description) VALUES
       (1, 'ACC-1', 'ocpp1.6J', 'ABB', 'Terra AC', ?, 'Depot bay 1'),
       (2, 'ACC-2', 'ocpp1.6J', 'Alfen', 'Eve Single', ?, 'Depot bay 2')`,
      [heartbeat, heartbeat],
    );
    await exec(`INSERT INTO evse (evse_pk, charge_box_id, evse_id) VALUES (1, 'ACC-1', 1), (2, 'ACC-2', 1)`);
    await exec(
      `INSERT INTO evse_connector (evse_pk, connector_id, power_type, max_electric_power) VALUES
       (1, 1, 'AC_3_PHASE', 22000), (2, 1, 'AC_3_PHASE', 11000)`,
    );
    await exec(
      `INSERT INTO connector_status (evse_pk, status_timestamp, status, error_code) VALUES
       (1, ?, 'Available', 'NoError'), (2, ?, 'Available', 'NoError')`,
      [heartbeat, heartbeat],
    );
    rest.stations.set('ACC-1', { kind: 'answer', response: 'Accepted' });
    rest.stations.set('ACC-2', { kind: 'answer', response: 'Accepted' });

    t = await createTestApp({
      env: {
        STEVE_URL: rest.baseUrl,
        STEVE_API_USER: 'polaris',
        STEVE_API_PASSWORD: 'api-secret',
        STEVE_DB_URL: steveDb.url,
      },
      app: { background: true },
    });
    const admin = await t.createUser({ role: 'admin' });
    adminCookie = await t.signIn(admin.email, admin.password);
    const driver = await t.createUser();
    driverCookie = await t.signIn(driver.email, driver.password);
    const card = await giveCard(t.app.services.db, t.app.services.steve, driver.id, { isPrimary: true });
    idTag = card.idTag;
    // SteVe keeps the tag it created over REST in its database too.
    await exec(`INSERT INTO ocpp_tag (id_tag, max_active_transaction_count) VALUES (?, 1)`, [idTag]);
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
    await rest?.close();
    await steveDb?.drop();
  });

  it('imports the fleet from SteVe on start-up, both chargers online', async () => {
    const fleet = await waitFor(async () => {
      const list = await chargers();
      return list.length === 2 && list.every((c) => c.state === 'ONLINE') ? list : undefined;
    }, 'the first sync to import two online chargers');
    expect(fleet.map((c) => c.chargeBoxId).sort()).toEqual(['ACC-1', 'ACC-2']);
  });

  it('starts a charge through SteVe, follows the transaction live and syncs every few seconds while it runs', async () => {
    const charger = (await chargers()).find((c) => c.chargeBoxId === 'ACC-1')!;
    const start = await t.graphql<{
      startCharging: { __typename: string; startRequest?: { outcome: string } };
    }>(
      'mutation ($id: ID!) { startCharging(chargerId: $id) { __typename ... on StartChargingSuccess { startRequest { outcome } } } }',
      { id: charger.id },
      { cookie: driverCookie },
    );
    expect(start.data?.startCharging).toEqual({
      __typename: 'StartChargingSuccess',
      startRequest: { outcome: 'ACCEPTED' },
    });
    const remoteStart = rest.requests.find((r) => r.path.endsWith('/operations/RemoteStartTransaction'));
    expect(remoteStart?.body).toMatchObject({ chargeBoxIdList: ['ACC-1'], idTag });

    // The charge point answers as a real one would: Preparing → a transaction → Charging, samples.
    const startedAt = new Date();
    await exec(
      `INSERT INTO transaction_start (transaction_pk, event_timestamp, evse_pk, id_tag, start_timestamp, start_value)
       VALUES (1, ?, 1, ?, ?, '1000')`,
      [sqlTime(startedAt), idTag, sqlTime(startedAt)],
    );
    await exec(
      `INSERT INTO connector_status (evse_pk, status_timestamp, status, error_code) VALUES (1, ?, 'Charging', 'NoError')`,
      [sqlTime(startedAt)],
    );
    const sample = async (wh: number) => {
      await exec(
        `INSERT INTO connector_meter_value (evse_pk, transaction_pk, value_timestamp, value, measurand, unit, format)
         VALUES (1, 1, ?, ?, 'Energy.Active.Import.Register', 'Wh', 'Raw')`,
        [sqlTime(new Date()), String(wh)],
      );
    };
    await sample(1500);

    const active = await waitFor(async () => {
      const res = await t.graphql<{
        activeSession: { energyKwh: number; charger: { chargeBoxId: string } } | null;
      }>('{ activeSession { energyKwh charger { chargeBoxId } } }', {}, { cookie: driverCookie });
      return res.data?.activeSession && res.data.activeSession.energyKwh > 0
        ? res.data.activeSession
        : undefined;
    }, "the driver's active session with the first kWh");
    expect(active.charger.chargeBoxId).toBe('ACC-1');
    expect(active.energyKwh).toBeCloseTo(0.5, 3);
    expect((await chargers()).find((c) => c.chargeBoxId === 'ACC-1')?.state).toBe('IN_USE');

    const schedule = await t.graphql<{
      syncSchedule: { tier: string; interval: number; nextRunAt: string | null };
    }>('{ syncSchedule { tier interval nextRunAt } }', {}, { cookie: adminCookie });
    expect(schedule.data?.syncSchedule.tier).toBe('LIVE');
    expect(schedule.data!.syncSchedule.interval).toBeLessThanOrEqual(10_000);

    // kWh keeps counting as the station reports.
    await sample(3250);
    await waitFor(async () => {
      const res = await t.graphql<{ activeSession: { energyKwh: number } | null }>(
        '{ activeSession { energyKwh } }',
        {},
        { cookie: driverCookie },
      );
      return res.data?.activeSession?.energyKwh === 2.25;
    }, 'the live kWh to reach 2.25');

    // Scheduled runs keep coming every few seconds while the session is active.
    const before = (await finishedRuns()).length;
    const runs = await waitFor(async () => {
      const list = await finishedRuns();
      return list.length >= before + 2 ? list : undefined;
    }, 'two more scheduled sync runs');
    const scheduled = runs
      .filter((r) => r.trigger === 'SCHEDULED')
      .map((r) => new Date(r.startedAt).getTime())
      .sort((a, b) => b - a);
    expect(scheduled.length).toBeGreaterThanOrEqual(2);
    expect(scheduled[0]! - scheduled[1]!).toBeLessThanOrEqual(10_000);
  }, 60_000);

  it('ends the session when SteVe records the stop, and the charger is online again', async () => {
    const stoppedAt = sqlTime(new Date());
    await exec(
      `INSERT INTO transaction_stop (transaction_pk, event_timestamp, event_actor, stop_timestamp, stop_value, stop_reason)
       VALUES (1, ?, 'station', ?, '4000', 'EVDisconnected')`,
      [stoppedAt, stoppedAt],
    );
    await exec(
      `INSERT INTO connector_status (evse_pk, status_timestamp, status, error_code) VALUES (1, ?, 'Available', 'NoError')`,
      [sqlTime(new Date(Date.now() + 1))],
    );
    await waitFor(async () => {
      const res = await t.graphql<{ activeSession: unknown }>(
        '{ activeSession { id } }',
        {},
        { cookie: driverCookie },
      );
      return res.data !== undefined && res.data?.activeSession === null;
    }, 'the session to end');
    const recent = await t.graphql<{
      sessions: { edges: Array<{ node: { energyKwh: number; status: string } }> };
    }>('{ sessions(first: 5) { edges { node { energyKwh status } } } }', {}, { cookie: driverCookie });
    expect(recent.errors).toBeUndefined();
    expect(recent.data!.sessions.edges[0]?.node).toMatchObject({ energyKwh: 3, status: 'COMPLETED' });
    await waitFor(
      async () => (await chargers()).find((c) => c.chargeBoxId === 'ACC-1')?.state === 'ONLINE',
      'ACC-1 to be online again',
    );
  }, 60_000);
});
