/**
 * Server side of the subscription fan-out scenario, run as its own process (pinned to one core):
 *   fanout-server.ts product   — the real app (buildApp) with one charger; `publish` emits
 *                                 charger:stateChanged, which every `chargerStateChanged` subscriber gets
 *   fanout-server.ts baseline  — a raw `ws` server that answers graphql-ws' handshake and, on `publish`,
 *                                 sends one pre-serialised `next` message to every socket
 * Talks to the parent over IPC: sends `ready` ({ url, cookie }), answers `publish` with `published` ({ at }).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildApp } from '../server/src/app.ts';
import { createLogger } from '../server/src/lib/logger.ts';
import { createTestDatabase } from '../server/test/db.ts';
import { benchConfig, signInBenchAdmin } from './bench-app.ts';
import { nowMs } from './lib.ts';

const mode = process.argv[2];
const send = (message: object) => process.send?.(message);

if (mode === 'product') {
  const PUBLIC_URL = 'http://localhost:4999';
  const config = benchConfig(PUBLIC_URL);
  const database = await createTestDatabase();
  const app = await buildApp({ config, database, logger: createLogger('silent'), background: false });
  const { url } = await app.start();
  const cookie = await signInBenchAdmin(app, url, 'bench-admin@example.test', PUBLIC_URL);
  const charger = await app.services.db.charger.create({
    data: { chargeBoxId: 'BENCH-FANOUT-1', state: 'ONLINE' },
  });
  process.on('message', (message: { type?: string }) => {
    if (message?.type !== 'publish') return;
    const at = nowMs();
    app.services.pubsub.publish('charger:stateChanged', { chargerId: charger.id });
    send({ type: 'published', at });
  });
  process.on('SIGTERM', () => {
    void app.stop().then(async () => {
      await database.close();
      process.exit(0);
    });
  });
  send({ type: 'ready', url, cookie, chargerId: charger.id });
} else if (mode === 'baseline') {
  const payload = process.argv[3] ?? '{}';
  const server = http.createServer((_req, res) => res.end());
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const sockets = new Set<WebSocket>();
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
      if (message.type === 'subscribe') sockets.add(socket);
    });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  process.on('message', (message: { type?: string }) => {
    if (message?.type !== 'publish') return;
    const at = nowMs();
    for (const socket of sockets) socket.send(payload);
    send({ type: 'published', at });
  });
  process.on('SIGTERM', () => {
    for (const socket of sockets) socket.terminate();
    wss.close();
    server.close(() => process.exit(0));
  });
  send({ type: 'ready', url: `http://127.0.0.1:${port}`, cookie: '' });
} else {
  console.error('usage: fanout-server.ts product|baseline [payload]');
  process.exit(2);
}
