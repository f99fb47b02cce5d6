import net from 'node:net';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeSteveRest,
  type FakeSteveRest,
} from '../../src/integrations/steve/simulator/fake-steve-rest.ts';
import {
  createSteveTestDatabase,
  type SteveTestDatabase,
} from '../../src/integrations/steve/fixtures/mariadb.ts';
import { RealSteveAdapter } from '../../src/integrations/steve/real-adapter.ts';
import { CHARGER_REJECTED_MESSAGE } from '../../src/modules/charging/charging.errors.ts';
import { createTestApp, type TestApp } from '../app.ts';
import { createTcpProxy } from './tcp-proxy.ts';

const START = `mutation ($id: ID!) { startCharging(chargerId: $id) {
  __typename
  ... on StartChargingSuccess { startRequest { outcome message } }
  ... on ChargerRejectedError { message } } }`;
const REQUEST = `query ($id: ID!) { node(id: $id) { ... on StartRequest { outcome message } } }`;
const HEALTH = '{ operatorHealth { healthy warnings { code severity message } } }';
const SYNC = `{ syncSchedule { tier consecutiveFailures }
  syncRuns(first: 1) { edges { node { status error } } } }`;

/** A TCP relay in front of the fake SteVe REST whose answers arrive `delayMs` late (SteVe answering slowly). */
async function createSlowRelay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  const relay = {
    delayMs: 0,
    port: 0,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      setTimeout(() => client.writable && client.write(chunk), relay.delayMs);
    });
    upstream.on('end', () => setTimeout(() => client.end(), relay.delayMs));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.port = (server.address() as net.AddressInfo).port;
  return relay;
}

const CHARGE_BOX = 'CP-REAL-1';
const ID_TAG = 'REALTAG1';

/**
 * The same faults as steve-rest-faults.test.ts, but through the production RealSteveAdapter: REST
 * goes to the fake SteVe REST server (scripted to hang or to answer garbage), reads go to a real
 * MariaDB with the SteVe schema behind a TCP proxy the test can cut. Everything is observed the way
 * a driver or an operator sees it: GraphQL.
 */
describe.skipIf(!process.env.TEST_MARIADB_URL)(
  'SteVe REST and database faults through the real adapter (MariaDB)',
  () => {
    let steveDb: SteveTestDatabase;
    let proxy: Awaited<ReturnType<typeof createTcpProxy>>;
    let fake: FakeSteveRest;
    let slow: Awaited<ReturnType<typeof createSlowRelay>>;
    let adapter: RealSteveAdapter;
    let t: TestApp;
    let driverId: string;
    let driverCookie: string;
    let adminCookie: string;
    let chargerGid: string;

    const run = async () => {
      const engine = t.app.services.sync.engine;
      while (engine.running) await new Promise((r) => setTimeout(r, 10));
      return engine.run({ trigger: 'MANUAL' });
    };
    const start = async () => {
      const res = await t.graphql<{
        startCharging: { __typename: string; message?: string; startRequest?: { outcome: string } };
      }>(START, { id: chargerGid }, { cookie: driverCookie });
      expect(res.errors).toBeUndefined();
      const latest = await t.app.services.db.startRequest.findFirstOrThrow({
        where: { userId: driverId },
        orderBy: { createdAt: 'desc' },
      });
      const request = await t.graphql<{ node: { outcome: string; message: string | null } }>(
        REQUEST,
        { id: encodeGlobalID('StartRequest', latest.id) },
        { cookie: driverCookie },
      );
      expect(request.errors).toBeUndefined();
      return { result: res.data!.startCharging, request: request.data!.node, detail: latest.detail };
    };
    const health = async () => {
      const res = await t.graphql<{
        operatorHealth: { healthy: boolean; warnings: Array<{ code: string; message: string }> };
      }>(HEALTH, {}, { cookie: adminCookie });
      expect(res.errors).toBeUndefined();
      return res.data!.operatorHealth;
    };
    const sync = async () => {
      const res = await t.graphql<{
        syncSchedule: { tier: string; consecutiveFailures: number };
        syncRuns: { edges: Array<{ node: { status: string; error: string | null } }> };
      }>(SYNC, {}, { cookie: adminCookie });
      expect(res.errors).toBeUndefined();
      return { schedule: res.data!.syncSchedule, lastRun: res.data!.syncRuns.edges[0]!.node };
    };

    beforeAll(async () => {
      steveDb = await createSteveTestDatabase(process.env.TEST_MARIADB_URL!);
      const exec = (sql: string) => steveDb.admin.query(sql);
      await exec(
        `INSERT INTO charge_box (charge_box_pk, charge_box_id, ocpp_protocol, last_heartbeat_timestamp)
         VALUES (1, '${CHARGE_BOX}', 'ocpp1.6J', UTC_TIMESTAMP(6))`,
      );
      await exec(`INSERT INTO evse (evse_pk, charge_box_id, evse_id) VALUES (1, '${CHARGE_BOX}', 1)`);
      await exec(
        `INSERT INTO connector_status (evse_pk, status_timestamp, status, error_code)
         VALUES (1, UTC_TIMESTAMP(6), 'Available', 'NoError')`,
      );
      await exec(
        `INSERT INTO ocpp_tag (ocpp_tag_pk, id_tag, max_active_transaction_count) VALUES (1, '${ID_TAG}', 1)`,
      );

      const server = new URL(process.env.TEST_MARIADB_URL!);
      proxy = await createTcpProxy({ host: server.hostname, port: Number(server.port || 3306) });
      const viaProxy = new URL(steveDb.url);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);
      fake = await startFakeSteveRest({ username: 'polaris', password: 'pw' });
      fake.stations.set(CHARGE_BOX, { kind: 'answer', response: 'Accepted' });
      fake.addTag({ ocppTagPk: 1, idTag: ID_TAG });
      const rest = new URL(fake.baseUrl);
      slow = await createSlowRelay({ host: rest.hostname, port: Number(rest.port) });
      rest.port = String(slow.port);
      adapter = new RealSteveAdapter({
        baseUrl: rest.href,
        username: 'polaris',
        password: 'pw',
        dbUrl: viaProxy.href,
        timeouts: { operationMs: 500, readMs: 2_000 },
      });
      t = await createTestApp({ app: { background: false, steve: adapter } });

      const driver = await t.createUser();
      driverId = driver.id;
      driverCookie = await t.signIn(driver.email, driver.password);
      const admin = await t.createUser({ role: 'admin' });
      adminCookie = await t.signIn(admin.email, admin.password);

      const first = await run();
      expect(first.status).toBe('SUCCEEDED');
      const charger = await t.app.services.db.charger.findUniqueOrThrow({
        where: { chargeBoxId: CHARGE_BOX },
      });
      expect(charger.state).toBe('ONLINE');
      chargerGid = encodeGlobalID('Charger', charger.id);
      // The synced SteVe tag becomes the driver's primary ACTIVE card.
      await t.app.services.db.evCard.upsert({
        where: { idTag: ID_TAG },
        update: { ownerId: driverId, status: 'ACTIVE', isPrimary: true, activatedAt: new Date() },
        create: {
          idTag: ID_TAG,
          publicId: 'PX-REALTAG1',
          ownerId: driverId,
          status: 'ACTIVE',
          isPrimary: true,
          activatedAt: new Date(),
        },
      });
    }, 60_000);
    afterAll(async () => {
      await t?.stop();
      await adapter?.close();
      await proxy?.close();
      await slow?.close();
      await fake?.close();
      await steveDb?.drop();
    });

    it('REST never answers, or answers after the deadline: the start times out with the driver message', async () => {
      const never = () => fake.respondNext({ hang: true });
      const tooSlow = () => {
        slow.delayMs = 1_500;
      };
      try {
        for (const fault of [never, tooSlow]) {
          fault();
          const started = Date.now();
          const { result, request, detail } = await start();
          const tookMs = Date.now() - started;
          expect(result.__typename).toBe('ChargerRejectedError');
          expect(result.message).toBe(CHARGER_REJECTED_MESSAGE);
          expect(request.outcome).toBe('TIMED_OUT');
          expect(request.message).toBe(CHARGER_REJECTED_MESSAGE);
          expect(detail).toMatch(/500 ms/);
          expect(tookMs).toBeLessThan(5_000);
        }
      } finally {
        slow.delayMs = 0;
      }
    });

    it('REST answers garbage (malformed JSON, wrong shape, HTML): the start fails with the driver message', async () => {
      for (const answer of [
        { status: 200, body: '{"taskId": 7, "successResponses": [', contentType: 'application/json' },
        { status: 200, body: JSON.stringify({ hello: 'world' }), contentType: 'application/json' },
        { status: 200, body: '<html>gateway says hi</html>', contentType: 'text/html' },
      ]) {
        fake.respondNext(answer);
        const { result, request, detail } = await start();
        expect(result.__typename).toBe('ChargerRejectedError');
        expect(result.message).toBe(CHARGER_REJECTED_MESSAGE);
        expect(request.outcome).toBe('FAILED');
        expect(request.message).toBe(CHARGER_REJECTED_MESSAGE);
        expect(detail).toMatch(/unexpected|malformed|not JSON|shape/i);
      }
      // Once SteVe answers properly again, even slowly (within the deadline), the start goes through.
      slow.delayMs = 200;
      const ok = await start().finally(() => {
        slow.delayMs = 0;
      });
      expect(ok.result.__typename).toBe('StartChargingSuccess');
      expect(ok.request.outcome).toBe('ACCEPTED');
    });

    it('SteVe database unreachable: runs fail with UNREACHABLE, back off, Health warns, then recover by themselves', async () => {
      await proxy.cut();
      try {
        const failed = await run();
        expect(failed.status).toBe('FAILED');
        expect(failed.error).toMatch(/\[UNREACHABLE\]/);
        expect(failed.schedule.tier).toBe('BACKOFF');
        const second = await run();
        expect(second.status).toBe('FAILED');
        expect(second.schedule.intervalMs).toBeGreaterThan(failed.schedule.intervalMs);

        const seen = await sync();
        expect(seen.lastRun.status).toBe('FAILED');
        expect(seen.lastRun.error).toMatch(/UNREACHABLE/);
        expect(seen.schedule.tier).toBe('BACKOFF');
        // (The immediate sync the accepted start above asked for may have failed here too.)
        expect(seen.schedule.consecutiveFailures).toBeGreaterThanOrEqual(2);
        const h = await health();
        expect(h.healthy).toBe(false);
        const warning = h.warnings.find((w) => w.code === 'STEVE_UNREACHABLE');
        expect(warning?.message).toMatch(/UNREACHABLE/);
      } finally {
        await proxy.restore();
      }

      const recovered = await run();
      expect(recovered.status).toBe('SUCCEEDED');
      expect(recovered.schedule.tier).not.toBe('BACKOFF');
      const seen = await sync();
      expect(seen.lastRun.status).toBe('SUCCEEDED');
      expect(seen.schedule.tier).not.toBe('BACKOFF');
      expect(seen.schedule.consecutiveFailures).toBe(0);
      const codes = (await health()).warnings.map((w) => w.code);
      expect(codes).not.toContain('STEVE_UNREACHABLE');
      expect(codes).not.toContain('SYNC_FAILING');
    });
  },
);
