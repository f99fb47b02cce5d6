/**
 * Live latency: a meter value recorded by SteVe (the FleetSimulator on the real clock, one sample per
 * second per running session) → the new kWh in an admin's `liveSessions` subscription, with the
 * sync at the LIVE cadence tier (running sessions keep it there). Latency = time the subscriber sees
 * the changed kWh − the sample's timestamp (the session's `latestMeterAt`, which the sync copies from
 * the sample). Baseline: the same kind of sample handed through an in-process EventEmitter to a raw
 * `ws` server that sends it to the socket at once.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { buildApp } from '../server/src/app.ts';
import { FleetSimulator } from '../server/src/integrations/steve/simulator/index.ts';
import { createLogger } from '../server/src/lib/logger.ts';
import { DEFAULT_CADENCE } from '../server/src/modules/sync/cadence.ts';
import { createTestDatabase } from '../server/test/db.ts';
import { benchConfig, signInBenchAdmin } from './bench-app.ts';
import { nowMs, summarise, type ScenarioResult } from './lib.ts';

const METER_INTERVAL_MS = 1_000;
const QUERY = 'subscription { liveSessions { id energyKwh } }';
const PUBLIC_URL = 'http://localhost:4999';

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

async function measureProduct(samples: number, timeoutMs: number): Promise<number[]> {
  const config = benchConfig(PUBLIC_URL);
  const database = await createTestDatabase();
  const steve = new FleetSimulator({
    seed: 7,
    size: 24,
    meterIntervalMs: METER_INTERVAL_MS,
    fleetChurn: false,
    outages: false,
  });
  const app = await buildApp({
    config,
    database,
    logger: createLogger('silent'),
    steve,
    background: true,
  });
  const latencies: number[] = [];
  let socket: WebSocket | null = null;
  try {
    const { url } = await app.start();
    const cookie = await signInBenchAdmin(app, url, 'bench-live@example.test', PUBLIC_URL);

    // Steady state first: the first runs import the simulator's warm-up history (old samples).
    const settled = nowMs() + 60_000;
    while ((await app.services.db.syncRun.count({ where: { status: 'SUCCEEDED' } })) < 2) {
      if (nowMs() > settled) throw new Error('live-latency: the sync did not complete two runs in 60 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const seen = new Map<string, number>();
    let first = true;
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    socket = await connect(`${url.replace(/^http/, 'ws')}/graphql`, cookie, (text) => {
      const at = nowMs();
      const message = JSON.parse(text) as {
        type: string;
        payload?: { data?: { liveSessions?: { id: string; energyKwh: number }[] } };
      };
      const list = message.payload?.data?.liveSessions;
      if (message.type !== 'next' || !list) return;
      const changed = list.filter((s) => seen.has(s.id) && seen.get(s.id) !== s.energyKwh).map((s) => s.id);
      for (const s of list) seen.set(s.id, s.energyKwh);
      // The first message is the current state, not a delivery of a new sample.
      if (first) {
        first = false;
        return;
      }
      if (changed.length === 0) return;
      void app.services.db.chargingSession
        .findMany({ where: { id: { in: changed } }, select: { latestMeterAt: true } })
        .then((rows) => {
          for (const row of rows) if (row.latestMeterAt) latencies.push(at - row.latestMeterAt.getTime());
          if (latencies.length >= samples) resolveDone();
        });
    });
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
  } finally {
    socket?.terminate();
    await app.stop();
    await database.close();
  }
  return latencies;
}

/** A timer writes a sample every METER_INTERVAL_MS; an EventEmitter hands it to a raw ws send. */
async function measureBaseline(samples: number): Promise<number[]> {
  const bus = new EventEmitter();
  const server = http.createServer((_req, res) => res.end());
  const wss = new WebSocketServer({ server, path: '/graphql' });
  wss.on('connection', (s) => {
    s.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === 'connection_init') s.send('{"type":"connection_ack"}');
      if (message.type === 'subscribe')
        bus.on('sample', (sample: { id: string; energyKwh: number; at: number }) =>
          s.send(JSON.stringify({ id: '1', type: 'next', payload: { data: { liveSessions: [sample] } } })),
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const latencies: number[] = [];
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const socket = await connect(`ws://127.0.0.1:${port}/graphql`, '', (text) => {
    const at = nowMs();
    const sample = (JSON.parse(text) as { payload: { data: { liveSessions: { at: number }[] } } }).payload
      .data.liveSessions[0]!;
    latencies.push(at - sample.at);
    if (latencies.length >= samples) resolveDone();
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  let energy = 0;
  const timer = setInterval(() => {
    energy += 0.1;
    bus.emit('sample', { id: 'baseline', energyKwh: energy, at: nowMs() });
  }, METER_INTERVAL_MS / 10);
  await done;
  clearInterval(timer);
  socket.terminate();
  wss.close();
  await new Promise((resolve) => server.close(resolve));
  return latencies;
}

export async function runLiveLatency(options: {
  samples: number;
  log: (line: string) => void;
}): Promise<ScenarioResult> {
  const { samples, log } = options;
  const liveMs = DEFAULT_CADENCE.liveMs;
  const product = await measureProduct(samples, Math.max(30_000, samples * liveMs));
  if (product.length === 0) throw new Error('live-latency: the subscriber saw no kWh change');
  const baseline = await measureBaseline(samples);
  const p = summarise(product);
  const b = summarise(baseline);
  log(
    `live-latency: ${product.length} kWh changes, LIVE tier ${liveMs} ms, samples every ${METER_INTERVAL_MS} ms: ` +
      `p50 ${p.p50.toFixed(0)} / p95 ${p.p95.toFixed(0)} ms; raw EventEmitter → ws p50 ${b.p50.toFixed(2)} / p95 ${b.p95.toFixed(2)} ms; ` +
      `LIVE-tier floor (mean wait for the next sync) ≈ ${liveMs / 2} ms`,
  );
  return {
    name: `live latency sample → subscriber (${product.length})`,
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
      liveTierMs: liveMs,
      ratioToLiveTierP50: p.p50 / liveMs,
    },
  };
}
