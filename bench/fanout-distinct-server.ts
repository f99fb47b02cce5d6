/**
 * Server side of the distinct-viewer fan-out scenario (`bench/fanout-distinct.ts`), its own process:
 *   fanout-distinct-server.ts product N   — the real app (buildApp) with N drivers, each with its own
 *       better-auth session (cookie) and one ACTIVE charging session, plus one charger.
 *       `publish-sessions` touches every driver's session (one UPDATE, then one `driver:session` per
 *       driver, as a sync page that changed N sessions publishes); `publish-charger` emits one
 *       `charger:stateChanged` every driver's `chargerStateChanged` gets.
 *   fanout-distinct-server.ts baseline SESSION_SAMPLE CHARGER_SAMPLE — a raw `ws` server answering the
 *       graphql-ws handshake; `publish-sessions` serialises and sends each socket its own `next`
 *       message (the product's shape, its own session id and energy); `publish-charger` sends one
 *       pre-serialised message to every socket.
 * Both answer `memory` with the heap and RSS after a forced GC (run with --expose-gc), and
 * `statements` with the SQL statements the product sent so far.
 * IPC: sends `ready` ({ url, cookies }), answers `publish-*` with `published` ({ at }).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildApp } from '../server/src/app.ts';
import { createLogger } from '../server/src/lib/logger.ts';
import { createTestDatabase } from '../server/test/db.ts';
import { benchConfig, createBenchDrivers } from './bench-app.ts';
import { nowMs } from './lib.ts';

const mode = process.argv[2];
const send = (message: object) => process.send?.(message);
const gc = (globalThis as { gc?: () => void }).gc;

async function memory(): Promise<{ heapUsed: number; rss: number }> {
  for (let i = 0; i < 3; i += 1) {
    gc?.();
    await new Promise((r) => setImmediate(r));
  }
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

if (mode === 'product') {
  const n = Number(process.argv[3]);
  const PUBLIC_URL = 'http://localhost:4997';
  const database = await createTestDatabase();
  const app = await buildApp({
    config: benchConfig(PUBLIC_URL),
    database,
    logger: createLogger('silent'),
    background: false,
  });
  const { url } = await app.start();
  const db = app.services.db;
  const charger = await db.charger.create({
    data: { chargeBoxId: 'BENCH-DISTINCT-1', description: 'Bench', state: 'ONLINE' },
  });
  const { drivers, cookies } = await createBenchDrivers(app, n, charger.id);
  let energy = 0;
  process.on('message', (message: { type?: string }) => {
    void (async () => {
      if (message?.type === 'publish-sessions') {
        energy += 0.1;
        await db.chargingSession.updateMany({ where: { status: 'ACTIVE' }, data: { energyKwh: energy } });
        const at = nowMs();
        for (const d of drivers)
          app.services.pubsub.publish('driver:session', d.userId, { sessionId: d.chargingSessionId });
        send({ type: 'published', at });
      } else if (message?.type === 'publish-charger') {
        const at = nowMs();
        app.services.pubsub.publish('charger:stateChanged', { chargerId: charger.id });
        send({ type: 'published', at });
      } else if (message?.type === 'memory') {
        send({ type: 'memory', ...(await memory()) });
      } else if (message?.type === 'statements') {
        send({ type: 'statements', count: database.queryCount() });
      }
    })();
  });
  process.on('SIGTERM', () => {
    void app.stop().then(async () => {
      await database.close();
      process.exit(0);
    });
  });
  send({ type: 'ready', url, cookies, origin: PUBLIC_URL });
} else if (mode === 'baseline') {
  const sessionSample = JSON.parse(process.argv[3] ?? '{}') as {
    payload?: { data?: { activeSession?: Record<string, unknown> } };
  };
  const chargerMessage = process.argv[4] ?? '{}';
  const template = sessionSample.payload?.data?.activeSession ?? {};
  const server = http.createServer((_req, res) => res.end());
  const wss = new WebSocketServer({ server, path: '/graphql' });
  // Each socket's own session: what the product reads from the database per driver, kept in memory here.
  const sockets = new Map<WebSocket, { sessionOp: string; chargerOp: string | null; id: string }>();
  let count = 0;
  let energy = 0;
  const sessionMessage = (op: string, id: string) =>
    JSON.stringify({
      id: op,
      type: 'next',
      payload: { data: { activeSession: { ...template, id, energyKwh: energy } } },
    });
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as {
        type: string;
        id?: string;
        payload?: { query?: string };
      };
      if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
      if (message.type !== 'subscribe' || !message.id) return;
      const entry = sockets.get(socket) ?? { sessionOp: '', chargerOp: null, id: `session-${count++}` };
      if (message.payload?.query?.includes('activeSession')) {
        entry.sessionOp = message.id;
        socket.send(sessionMessage(message.id, entry.id));
      } else entry.chargerOp = message.id;
      sockets.set(socket, entry);
    });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  process.on('message', (message: { type?: string }) => {
    void (async () => {
      if (message?.type === 'publish-sessions') {
        energy += 0.1;
        const at = nowMs();
        for (const [socket, entry] of sockets) socket.send(sessionMessage(entry.sessionOp, entry.id));
        send({ type: 'published', at });
      } else if (message?.type === 'publish-charger') {
        const at = nowMs();
        for (const [socket, entry] of sockets) if (entry.chargerOp) socket.send(chargerMessage);
        send({ type: 'published', at });
      } else if (message?.type === 'memory') {
        send({ type: 'memory', ...(await memory()) });
      } else if (message?.type === 'statements') {
        send({ type: 'statements', count: 0 });
      }
    })();
  });
  process.on('SIGTERM', () => {
    for (const socket of sockets.keys()) socket.terminate();
    wss.close();
    server.close(() => process.exit(0));
  });
  send({ type: 'ready', url: `http://127.0.0.1:${port}`, cookies: [], origin: 'http://localhost:4997' });
} else {
  console.error('usage: fanout-distinct-server.ts product N | baseline SESSION_SAMPLE CHARGER_SAMPLE');
  process.exit(2);
}
