/**
 * Live latency through change capture: a meter value row inserted into SteVe's MariaDB (a private
 * server with the binlog on, server/test/mariadb-binlog.ts) → the new kWh in an admin's
 * `liveSessions` graphql-ws subscription, with change capture streaming. Latency = time the
 * subscriber sees the changed kWh − time the INSERT was sent. Baseline: the same INSERT → the raw
 * binlog row event in the same library (@vlasky/zongji) → a raw `ws` send.
 *
 * Also: CPU time of this process per 1 000 SteVe changes applied by change capture vs by the
 * polling sync (the same 1 000 meter values; one sync run per burst of 100, as a LIVE-tier poll
 * would see them).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import ZongJi from '@vlasky/zongji';
import WebSocket, { WebSocketServer } from 'ws';
import { buildApp } from '../server/src/app.ts';
import {
  createSteveTestDatabase,
  type SteveTestDatabase,
} from '../server/src/integrations/steve/fixtures/mariadb.ts';
import { RealSteveAdapter } from '../server/src/integrations/steve/real-adapter.ts';
import { createLogger } from '../server/src/lib/logger.ts';
import { createTestDatabase } from '../server/test/db.ts';
import { startBinlogMariaDb } from '../server/test/mariadb-binlog.ts';
import { benchConfig, signInBenchAdmin } from './bench-app.ts';
import { nowMs, summarise, type ScenarioResult } from './lib.ts';

const QUERY = 'subscription { liveSessions { id energyKwh } }';
const PUBLIC_URL = 'http://localhost:4998';
const CHARGERS = 20;

function connect(url: string, cookie: string, onNext: (text: string) => void): Promise<WebSocket> {
  const socket = new WebSocket(url, 'graphql-transport-ws', {
    headers: { cookie, origin: PUBLIC_URL },
    perMessageDeflate: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => socket.send('{"type":"connection_init","payload":{}}'));
    socket.on('message', (data) => {
      const text = String(data);
      if (text.includes('"connection_ack"')) {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
        resolve(socket);
        return;
      }
      onNext(text);
    });
  });
}

async function seed(steve: SteveTestDatabase): Promise<void> {
  const q = (sql: string, params: unknown[] = []) => steve.admin.query(sql, params);
  const ids = Array.from({ length: CHARGERS }, (_, i) => i + 1);
  await q(
    `INSERT INTO charge_box (charge_box_pk, charge_box_id, ocpp_protocol, registration_status, last_heartbeat_timestamp) VALUES ${ids.map(() => "(?, ?, 'ocpp1.6J', 'Accepted', NOW(6))").join(', ')}`,
    ids.flatMap((i) => [i, `CDC-${i}`]),
  );
  await q(
    `INSERT INTO evse (evse_pk, charge_box_id, evse_id) VALUES ${ids.map(() => '(?, ?, 1)').join(', ')}`,
    ids.flatMap((i) => [i, `CDC-${i}`]),
  );
  await q(`INSERT INTO ocpp_tag (ocpp_tag_pk, id_tag, max_active_transaction_count) VALUES (1, 'BENCH', -1)`);
  await q(
    `INSERT INTO transaction_start (transaction_pk, event_timestamp, evse_pk, id_tag, start_timestamp, start_value) VALUES ${ids.map(() => "(?, NOW(6), ?, 'BENCH', NOW(6) - INTERVAL 1 MINUTE, '0')").join(', ')}`,
    ids.flatMap((i) => [i, i]),
  );
}

let meterClock = Date.now() - 30_000;
function insertMeter(steve: SteveTestDatabase, pk: number, wh: number) {
  meterClock += 1;
  return steve.admin.query(
    `INSERT INTO connector_meter_value (evse_pk, transaction_pk, value_timestamp, value, measurand, unit)
     VALUES (?, ?, ?, ?, 'Energy.Active.Import.Register', 'Wh')`,
    [pk, pk, new Date(meterClock), String(wh)],
  );
}

export async function runLiveLatencyCdc(options: {
  samples: number;
  log: (line: string) => void;
}): Promise<ScenarioResult[]> {
  const { samples, log } = options;
  const server = await startBinlogMariaDb({ serverId: 31 });
  const steve = await createSteveTestDatabase(server.url);
  await seed(steve);
  const database = await createTestDatabase();
  const adapter = new RealSteveAdapter({
    baseUrl: 'http://127.0.0.1:9/steve',
    username: 'bench',
    password: 'unused',
    dbUrl: steve.url,
  });
  const app = await buildApp({
    config: benchConfig(PUBLIC_URL, { STEVE_CDC_SERVER_ID: '3101' }),
    database,
    logger: createLogger('silent'),
    steve: adapter,
    background: true,
  });
  const energy = new Map<number, number>();
  const product: number[] = [];
  const baseline: number[] = [];
  let cdcCpuMs: number;
  let pollCpuMs: number;
  let socket: WebSocket | null = null;
  try {
    const { url } = await app.start();
    const cookie = await signInBenchAdmin(app, url, 'bench-cdc@example.test', PUBLIC_URL);
    const deadline = nowMs() + 120_000;
    for (;;) {
      const row = await app.services.db.changeStream.findUnique({ where: { id: 1 } });
      const sessions = await app.services.db.chargingSession.count({ where: { status: 'ACTIVE' } });
      if (row?.status === 'STREAMING' && sessions === CHARGERS) break;
      if (nowMs() > deadline)
        throw new Error(`live-latency-cdc: not streaming after 120 s (${row?.status} ${row?.problem})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const sessionPk = new Map(
      (
        await app.services.db.chargingSession.findMany({ select: { id: true, steveTransactionPk: true } })
      ).map((s) => [s.id, s.steveTransactionPk]),
    );

    // Product: one INSERT at a time, wait for the subscriber to see its kWh.
    let waiting: { pk: number; kwh: number; sentAt: number; resolve: () => void } | null = null;
    let first = true;
    socket = await connect(`${url.replace(/^http/, 'ws')}/graphql`, cookie, (text) => {
      const at = nowMs();
      const message = JSON.parse(text) as {
        type: string;
        payload?: { data?: { liveSessions?: { id: string; energyKwh: number }[] } };
      };
      const list = message.payload?.data?.liveSessions;
      if (message.type !== 'next' || !list) return;
      if (first) {
        first = false;
        return;
      }
      const w = waiting;
      if (!w) return;
      const hit = list.find((s) => sessionPk.get(s.id) === w.pk && Math.abs(s.energyKwh - w.kwh) < 1e-9);
      if (hit) {
        product.push(at - w.sentAt);
        waiting = null;
        w.resolve();
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < samples; i += 1) {
      const pk = (i % CHARGERS) + 1;
      const wh = (energy.get(pk) ?? 0) + 100;
      energy.set(pk, wh);
      const seen = new Promise<void>((resolve) => {
        waiting = { pk, kwh: wh / 1000, sentAt: nowMs(), resolve };
      });
      await insertMeter(steve, pk, wh);
      await Promise.race([seen, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      waiting = null;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    // CPU per 1 000 changes: change capture applying them as they come…
    const capture = app.services.sync.capture!;
    const appliedBefore = capture.applied;
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < 1000; i += 1) {
      const pk = (i % CHARGERS) + 1;
      const wh = (energy.get(pk) ?? 0) + 10;
      energy.set(pk, wh);
      await insertMeter(steve, pk, wh);
    }
    const lastPk = ((1000 - 1) % CHARGERS) + 1;
    const target = energy.get(lastPk)! / 1000;
    for (const until = nowMs() + 60_000; nowMs() < until;) {
      const s = await app.services.db.chargingSession.findUnique({ where: { steveTransactionPk: lastPk } });
      if (s && Math.abs(s.energyKwh - target) < 1e-9) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const cpu1 = process.cpuUsage(cpu0);
    cdcCpuMs = (cpu1.user + cpu1.system) / 1000;
    log(
      `live-latency-cdc: change capture applied ${capture.applied - appliedBefore} batches for 1000 changes`,
    );

    // …vs the polling sync: change capture stopped, one run per burst of 100.
    await capture.stop();
    const cpu2 = process.cpuUsage();
    for (let burst = 0; burst < 10; burst += 1) {
      for (let i = 0; i < 100; i += 1) {
        const pk = (i % CHARGERS) + 1;
        const wh = (energy.get(pk) ?? 0) + 10;
        energy.set(pk, wh);
        await insertMeter(steve, pk, wh);
      }
      await app.services.sync.engine.run({ trigger: 'SCHEDULED' });
    }
    const cpu3 = process.cpuUsage(cpu2);
    pollCpuMs = (cpu3.user + cpu3.system) / 1000;
  } finally {
    socket?.terminate();
    await app.stop();
    await adapter.close();
    await database.close();
  }

  // Baseline: INSERT → raw binlog row event (zongji) → raw ws send.
  const wsServer = http.createServer((_req, res) => res.end());
  const wss = new WebSocketServer({ server: wsServer, path: '/graphql' });
  let client: WebSocket | null = null;
  wss.on('connection', (s) => {
    client = s;
    s.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === 'connection_init') s.send('{"type":"connection_ack"}');
    });
  });
  await new Promise<void>((resolve) => wsServer.listen(0, '127.0.0.1', resolve));
  const { port } = wsServer.address() as AddressInfo;
  const dbUrl = new URL(steve.url);
  const zongji = new ZongJi({
    host: dbUrl.hostname,
    port: Number(dbUrl.port),
    user: 'root',
    database: steve.name,
  });
  zongji.on('error', () => undefined);
  await new Promise<void>((resolve) => {
    zongji.on('ready', () => resolve());
    zongji.start({
      serverId: 3102,
      startAtEnd: true,
      includeEvents: ['tablemap', 'writerows'],
      includeSchema: { [steve.name]: ['connector_meter_value'] },
    });
  });
  zongji.on('binlog', (e: unknown) => {
    const event = e as { getEventName(): string; rows?: { value: string; transaction_pk: number }[] };
    if (event.getEventName() !== 'writerows' || !event.rows) return;
    for (const row of event.rows)
      client?.send(
        JSON.stringify({
          id: '1',
          type: 'next',
          payload: {
            data: {
              liveSessions: [{ id: String(row.transaction_pk), energyKwh: Number(row.value) / 1000 }],
            },
          },
        }),
      );
  });
  let pending: { kwh: number; sentAt: number; resolve: () => void } | null = null;
  const raw = await connect(`ws://127.0.0.1:${port}/graphql`, '', (text) => {
    const at = nowMs();
    const s = (JSON.parse(text) as { payload: { data: { liveSessions: { energyKwh: number }[] } } }).payload
      .data.liveSessions[0]!;
    const p = pending;
    if (p && Math.abs(s.energyKwh - p.kwh) < 1e-9) {
      baseline.push(at - p.sentAt);
      pending = null;
      p.resolve();
    }
  });
  for (let i = 0; i < samples; i += 1) {
    const wh = (energy.get(1) ?? 0) + 100;
    energy.set(1, wh);
    const seen = new Promise<void>((resolve) => (pending = { kwh: wh / 1000, sentAt: nowMs(), resolve }));
    await insertMeter(steve, 1, wh);
    await Promise.race([seen, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  raw.terminate();
  zongji.stop();
  wss.close();
  await new Promise((resolve) => wsServer.close(resolve));
  await steve.drop();
  await server.stop();

  if (product.length === 0) throw new Error('live-latency-cdc: the subscriber saw no kWh change');
  const p = summarise(product);
  const b = summarise(baseline);
  log(
    `live-latency-cdc: ${product.length}/${samples} inserts seen: p50 ${p.p50.toFixed(1)} / p95 ${p.p95.toFixed(1)} ms (target p95 < 100); ` +
      `raw binlog event → ws p50 ${b.p50.toFixed(1)} / p95 ${b.p95.toFixed(1)} ms; ` +
      `CPU per 1000 changes: change capture ${cdcCpuMs.toFixed(0)} ms, polling sync ${pollCpuMs.toFixed(0)} ms`,
  );
  return [
    {
      name: `live latency cdc insert → subscriber (${product.length})`,
      unit: 'ms p50',
      product: p.p50,
      baseline: b.p50,
      ratio: p.p50 / b.p50,
      details: {
        productP50: p.p50,
        productP95: p.p95,
        productP99: p.p99,
        baselineP50: b.p50,
        baselineP95: b.p95,
        targetP95Ms: 100,
      },
    },
    {
      name: 'cdc CPU per 1000 changes (change capture vs polling sync)',
      unit: 'ms CPU',
      product: cdcCpuMs,
      baseline: pollCpuMs,
      ratio: cdcCpuMs / pollCpuMs,
      details: { cdcCpuMs, pollingCpuMs: pollCpuMs },
    },
  ];
}
