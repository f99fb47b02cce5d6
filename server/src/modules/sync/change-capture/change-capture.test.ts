import { createPubSub } from 'graphql-yoga';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  binlogMariaDbAvailable,
  purgeBinaryLogs,
  startBinlogMariaDb,
  type BinlogMariaDb,
} from '../../../../test/mariadb-binlog.ts';
import { createTestDatabase } from '../../../../test/db.ts';
import {
  createSteveTestDatabase,
  type SteveTestDatabase,
} from '../../../integrations/steve/fixtures/mariadb.ts';
import { RealSteveAdapter } from '../../../integrations/steve/real-adapter.ts';
import type { Database } from '../../../lib/db.ts';
import type { Topics } from '../../../lib/pubsub.ts';
import { SyncEngine } from '../sync.engine.ts';
import { testLogger, waitFor } from '../test-helpers.ts';
import { ChangeCapture } from './capture.ts';

const available = binlogMariaDbAvailable();
const NAME = 'change capture from the binlog (own mariadbd with log_bin, SteVe schema from Flyway)';
if (!available.ok) console.log(`skipped: ${NAME}: ${available.reason}`);

describe.skipIf(!available.ok)(NAME, { timeout: 120_000 }, () => {
  let server: BinlogMariaDb;
  let steve: SteveTestDatabase;
  let database: Database;
  let adapter: RealSteveAdapter;
  let engine: SyncEngine;
  const pubsub = createPubSub<Topics>();
  const events: { topic: string; payload: unknown }[] = [];
  const captures: ChangeCapture[] = [];
  let reconciles = 0;
  const sql = (q: string, params: unknown[] = []) => steve.admin.query(q, params);

  function newCapture(holder: string): ChangeCapture {
    const capture = new ChangeCapture({
      db: database.prisma,
      steve: adapter,
      pubsub,
      logger: testLogger,
      mode: 'auto',
      serverId: 201 + captures.length,
      holder,
      reconcile: async () => {
        reconciles += 1;
        const run = await engine.run({ trigger: 'RECONCILE' });
        if (run.status === 'FAILED') throw new Error(run.error ?? 'failed');
      },
      leaseMs: 2_000,
      renewMs: 300,
      backoffBaseMs: 100,
      backoffMaxMs: 500,
    });
    captures.push(capture);
    return capture;
  }

  const streamRow = () => database.prisma.changeStream.findUniqueOrThrow({ where: { id: 1 } });
  const streaming = (holder: string) =>
    waitFor(
      async () => {
        const row = await database.prisma.changeStream.findUnique({ where: { id: 1 } });
        return row?.status === 'STREAMING' && row.holder === holder ? row : null;
      },
      20_000,
      `${holder} streaming`,
    );
  const session = (pk: number) =>
    database.prisma.chargingSession.findUnique({ where: { steveTransactionPk: pk } });
  const sampleCount = async (pk: number) => {
    const s = await session(pk);
    return s ? database.prisma.meterSample.count({ where: { sessionId: s.id } }) : 0;
  };
  let meterAt = Date.parse('2026-12-03T10:00:00.000Z');
  const meterValue = (evsePk: number, txPk: number | null, wh: number) => {
    meterAt += 1_000;
    return sql(
      `INSERT INTO connector_meter_value (evse_pk, transaction_pk, value_timestamp, value, measurand, unit)
       VALUES (?, ?, ?, ?, 'Energy.Active.Import.Register', 'Wh')`,
      [evsePk, txPk, new Date(meterAt), String(wh)],
    );
  };

  beforeAll(async () => {
    server = await startBinlogMariaDb({ serverId: 21 });
    steve = await createSteveTestDatabase(server.url);
    await sql(
      `INSERT INTO charge_box (charge_box_pk, charge_box_id, ocpp_protocol, registration_status, last_heartbeat_timestamp)
       VALUES (1, 'CP-1', 'ocpp1.6J', 'Accepted', NOW(6)), (2, 'CP-2', 'ocpp1.6J', 'Accepted', NOW(6))`,
    );
    await sql(`INSERT INTO evse (evse_pk, charge_box_id, evse_id) VALUES (1, 'CP-1', 1), (2, 'CP-2', 1)`);
    await sql(
      `INSERT INTO connector_status (evse_pk, status_timestamp, status, error_code) VALUES
       (1, NOW(6), 'Available', 'NoError'), (2, NOW(6), 'Available', 'NoError')`,
    );
    await sql(
      `INSERT INTO ocpp_tag (ocpp_tag_pk, id_tag, max_active_transaction_count) VALUES (1, 'TAG-1', 1)`,
    );
    database = await createTestDatabase();
    adapter = new RealSteveAdapter({
      // Change capture only reads: no REST call is made.
      baseUrl: 'http://127.0.0.1:9/steve',
      username: 'polaris',
      password: 'unused',
      dbUrl: steve.url,
    });
    engine = new SyncEngine({ db: database.prisma, steve: adapter, pubsub, logger: testLogger });
    for (const topic of ['session:updated', 'charger:stateChanged', 'alerts:changed'] as const) {
      void (async () => {
        for await (const payload of pubsub.subscribe(topic)) events.push({ topic, payload });
      })();
    }
  }, 120_000);

  afterAll(async () => {
    for (const c of captures) await c.stop();
    await adapter?.close();
    await database?.close();
    await steve?.drop();
    await server?.stop();
  });

  it('reconciles with a full sync first, then streams (the cadence tier becomes STREAMING)', async () => {
    const a = newCapture('A');
    await a.start();
    await streaming('A');
    expect(reconciles).toBe(1);
    expect(await database.prisma.charger.count({ where: { goneAt: null } })).toBe(2);
    const run = await engine.run({ trigger: 'SCHEDULED' });
    expect(run.schedule.tier).toBe('STREAMING');
    expect(run.schedule.intervalMs).toBe(5 * 60_000);
  });

  it('a status change in SteVe changes the charger state', async () => {
    const charger = await database.prisma.charger.findUniqueOrThrow({ where: { chargeBoxId: 'CP-2' } });
    expect(charger.state).toBe('ONLINE');
    await sql(
      `INSERT INTO connector_status (evse_pk, status_timestamp, status, error_code) VALUES (2, NOW(6), 'Charging', 'NoError')`,
    );
    await waitFor(
      async () => {
        const c = await database.prisma.charger.findUniqueOrThrow({ where: { id: charger.id } });
        return c.state === 'IN_USE';
      },
      10_000,
      'charger IN_USE',
    );
    expect(
      events.some(
        (e) =>
          e.topic === 'charger:stateChanged' && (e.payload as { chargerId: string }).chargerId === charger.id,
      ),
    ).toBe(true);
  });

  it('a new transaction, its meter values (what the banner shows) and its stop arrive as they commit', async () => {
    await sql(
      `INSERT INTO transaction_start (transaction_pk, event_timestamp, evse_pk, id_tag, start_timestamp, start_value)
       VALUES (1, NOW(6), 1, 'TAG-1', ?, '1000')`,
      [new Date(meterAt)],
    );
    const started = (await waitFor(() => session(1), 30_000, 'session 1'))!;
    expect(started.status).toBe('ACTIVE');

    await meterValue(1, 1, 1500);
    await waitFor(async () => (await session(1))?.energyKwh === 0.5, 30_000, 'energy 0.5 kWh');
    expect(
      events.some(
        (e) => e.topic === 'session:updated' && (e.payload as { sessionId: string }).sessionId === started.id,
      ),
    ).toBe(true);
    // An untagged meter value on the connector belongs to the running session.
    await meterValue(1, null, 2200);
    await waitFor(async () => (await session(1))?.energyKwh === 1.2, 30_000, 'energy 1.2 kWh');
    expect(await sampleCount(1)).toBe(2);

    await sql(
      `INSERT INTO transaction_stop (transaction_pk, event_timestamp, event_actor, stop_timestamp, stop_value, stop_reason)
       VALUES (1, NOW(6), 'station', ?, '2500', 'Local')`,
      [new Date(meterAt + 500)],
    );
    const stopped = await waitFor(
      async () => {
        const s = await session(1);
        return s?.status === 'COMPLETED' ? s : null;
      },
      10_000,
      'session 1 completed',
    );
    expect(stopped.energyKwh).toBe(1.5);
    expect(await database.prisma.billingEvent.count({ where: { sessionId: stopped.id } })).toBe(1);
  });

  it('a charge point deleted in SteVe is marked gone and OFFLINE', async () => {
    await sql(`DELETE FROM connector_status WHERE evse_pk = 2`);
    await sql(`DELETE FROM evse WHERE evse_pk = 2`);
    await sql(`DELETE FROM charge_box WHERE charge_box_pk = 2`);
    const gone = await waitFor(
      async () => {
        const c = await database.prisma.charger.findUniqueOrThrow({ where: { chargeBoxId: 'CP-2' } });
        return c.goneAt && c.state === 'OFFLINE' ? c : null;
      },
      10_000,
      'CP-2 gone',
    );
    expect(gone.goneAt).not.toBeNull();
  });

  it('a restart mid-stream resumes at the stored position: no gap, no duplicate', async () => {
    meterAt += 10_000; // after session 1's readings
    await sql(
      `INSERT INTO transaction_start (transaction_pk, event_timestamp, evse_pk, id_tag, start_timestamp, start_value)
       VALUES (2, NOW(6), 1, 'TAG-1', ?, '5000')`,
      [new Date(meterAt)],
    );
    await meterValue(1, 2, 5100);
    await waitFor(async () => (await sampleCount(2)) === 1, 60_000, 'first sample of session 2');
    const before = await streamRow();
    await captures[0]!.stop();
    // Written while no instance streams.
    await meterValue(1, 2, 5200);
    await meterValue(1, 2, 5300);
    const b = newCapture('B');
    await b.start();
    await streaming('B');
    await waitFor(async () => (await sampleCount(2)) === 3, 60_000, 'samples written while stopped');
    expect(reconciles).toBe(1); // resumed from the position, no full sync
    expect((await streamRow()).gtid).not.toBe(before.gtid);
    // Restart again: the batches after the position are not applied twice.
    await b.stop();
    const c = newCapture('C');
    await c.start();
    await streaming('C');
    await meterValue(1, 2, 5400);
    await waitFor(async () => (await sampleCount(2)) === 4, 60_000, 'fourth sample');
    expect(await sampleCount(1)).toBe(2);
    expect(await database.prisma.billingEvent.count()).toBe(1);
    expect((await session(2))?.energyKwh).toBe(0.4);
  });

  it('a purged binlog position raises an alert, reconciles with a full sync, then streams again', async () => {
    await captures.at(-1)!.stop();
    await meterValue(1, 2, 5500);
    const admin = await mysql.createConnection(server.url);
    await admin.query('FLUSH BINARY LOGS');
    await purgeBinaryLogs(admin);
    await admin.end();
    const d = newCapture('D');
    await d.start();
    await waitFor(
      () =>
        database.prisma.alert.findFirst({
          where: { kind: 'steve.changeCapture', message: { contains: 'POSITION_LOST' } },
        }),
      20_000,
      'position-lost alert',
    );
    await streaming('D');
    expect(reconciles).toBe(2);
    // The full sync brought what the purged binlog held; streaming continues after it.
    expect(await sampleCount(2)).toBe(5);
    await meterValue(1, 2, 5600);
    await waitFor(async () => (await sampleCount(2)) === 6, 60_000, 'sample after reconciling');
    const alert = await database.prisma.alert.findFirstOrThrow({ where: { kind: 'steve.changeCapture' } });
    expect(alert.resolvedAt).not.toBeNull();
  });

  it('two instances: one streams; when it dies the other takes over from the stored position', async () => {
    const standby = newCapture('E');
    await standby.start();
    // D holds the lease: E waits.
    expect((await streamRow()).holder).toBe('D');
    await captures.find((c) => c.holder === 'D')!.crash();
    await meterValue(1, 2, 5700);
    await streaming('E');
    await waitFor(async () => (await sampleCount(2)) === 7, 45_000, 'sample applied by the standby');
    expect(reconciles).toBe(2);
    expect(await database.prisma.meterSample.count()).toBe(9);
  });
});
