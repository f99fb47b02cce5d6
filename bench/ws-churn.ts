/**
 * Subscription churn: rounds of N graphql-ws clients that connect, subscribe to `chargerStateChanged`
 * (a cookie session, so the session watch tracks each socket and each stream) and close again.
 * Reports the server's heap (not RSS, which PGlite's WASM memory dominates) after a forced GC before
 * the first round and after each round. A leak shows as heap growing round after round.
 *
 *   node --expose-gc --import tsx bench/ws-churn.ts            # 5 × 1 000 subscribers
 *   node --expose-gc --import tsx bench/ws-churn.ts --quick    # 5 × 200
 *
 * Server and clients share this process; the clients' objects are gone after each round (closed
 * sockets), so what stays on the heap after GC is the server's.
 */
import WebSocket from 'ws';
import { buildApp } from '../server/src/app.ts';
import { createLogger } from '../server/src/lib/logger.ts';
import { createTestDatabase } from '../server/test/db.ts';
import { benchConfig, signInBenchAdmin } from './bench-app.ts';

const quick = process.argv.includes('--quick');
const ROUNDS = 5;
const PER_ROUND = quick ? 200 : 1_000;
const CONCURRENCY = 50;
const QUERY = 'subscription { chargerStateChanged { id state } }';
const PUBLIC_URL = 'http://localhost:4998';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (see the header of bench/ws-churn.ts)');

async function heapMb(): Promise<number> {
  // Twice, with a turn of the event loop between: closed sockets release their buffers late.
  for (let i = 0; i < 2; i += 1) {
    gc!();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Connects, subscribes (waits until the server accepted the subscription), then closes one client. */
async function churnOne(wsUrl: string, cookie: string): Promise<void> {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws', {
    headers: { cookie, origin: PUBLIC_URL },
    perMessageDeflate: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => socket.send('{"type":"connection_init","payload":{}}'));
    socket.on('message', (data) => {
      if (!String(data).includes('"connection_ack"')) return;
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
      // A ping answered after the subscribe means the server has processed it.
      socket.send('{"type":"ping"}');
      socket.on('message', (again) => {
        if (String(again).includes('"pong"')) resolve();
      });
    });
  });
  await new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.close(1000);
  });
}

const config = benchConfig(PUBLIC_URL);
const database = await createTestDatabase();
const app = await buildApp({ config, database, logger: createLogger('silent'), background: false });
const { url } = await app.start();
const cookie = await signInBenchAdmin(app, url, 'bench-churn@example.test', PUBLIC_URL);
await app.services.db.charger.create({ data: { chargeBoxId: 'BENCH-CHURN-1', state: 'ONLINE' } });
const wsUrl = `${url.replace('http', 'ws')}/graphql`;

// One warm-up round so lazily built things (schema caches, JIT) are not counted as growth.
const warm = async (n: number) => {
  let index = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (index < n) {
        index += 1;
        await churnOne(wsUrl, cookie);
      }
    }),
  );
};
await warm(Math.min(PER_ROUND, 200));
const before = await heapMb();
const rows: Array<{ round: number; heapMb: number; seconds: number }> = [];
for (let round = 1; round <= ROUNDS; round += 1) {
  const started = performance.now();
  await warm(PER_ROUND);
  rows.push({ round, heapMb: await heapMb(), seconds: (performance.now() - started) / 1000 });
}
const fmt = (mb: number) => `${mb.toLocaleString('en', { maximumFractionDigits: 1 })} MB`;
console.log(
  `ws-churn: ${ROUNDS} × ${PER_ROUND.toLocaleString('en')} subscribers (connect, subscribe, close)`,
);
console.log(`  heap before: ${fmt(before)}`);
for (const row of rows)
  console.log(`  after round ${row.round}: ${fmt(row.heapMb)} (${row.seconds.toFixed(1)} s)`);
const growth = rows.at(-1)!.heapMb - before;
console.log(`  growth over all rounds: ${fmt(growth)}`);
await app.stop();
await database.close();
