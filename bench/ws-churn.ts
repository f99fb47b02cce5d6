/**
 * Subscription churn: rounds of N graphql-ws clients that connect, subscribe and close again, in two
 * parts: N sockets of one admin subscribed to `chargerStateChanged` (a cookie session, so the session
 * watch tracks each socket; identical subscriptions share one execution), then N distinct drivers,
 * each with its own session cookie, subscribed to `activeSession` (their own topic, batched reads)
 * and `chargerStateChanged` (one execution each), then the same drivers hanging up right after
 * sending `connection_init` and their subscribes (before the server answered). Reports the server's heap (not RSS, which PGlite's
 * WASM memory dominates) after a forced GC before the first round and after each round. A leak shows
 * as heap growing round after round.
 *
 *   node --expose-gc --import tsx bench/ws-churn.ts            # 5 × 1 000 subscribers, each part
 *   node --expose-gc --import tsx bench/ws-churn.ts --quick    # 5 × 200
 *
 * Server and clients share this process; the clients' objects are gone after each round (closed
 * sockets), so what stays on the heap after GC is the server's.
 */
import WebSocket from 'ws';
import { buildApp } from '../server/src/app.ts';
import { createLogger } from '../server/src/lib/logger.ts';
import { createTestDatabase } from '../server/test/db.ts';
import { benchConfig, createBenchDrivers, signInBenchAdmin } from './bench-app.ts';

const quick = process.argv.includes('--quick');
const ROUNDS = 5;
const PER_ROUND = quick ? 200 : 1_000;
const CONCURRENCY = 50;
const QUERY = 'subscription { chargerStateChanged { id state } }';
const ACTIVE = 'subscription { activeSession { id energyKwh charger { name } } }';
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

/** Connects, sends connection_init and a subscribe, and hangs up at once (before the server answered). */
async function abruptOne(wsUrl: string, cookie: string, queries: string[]): Promise<void> {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws', {
    headers: { cookie, origin: PUBLIC_URL },
    perMessageDeflate: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => {
      socket.send('{"type":"connection_init","payload":{}}');
      for (const [i, query] of queries.entries())
        socket.send(JSON.stringify({ id: String(i + 1), type: 'subscribe', payload: { query } }));
      socket.once('close', () => resolve());
      socket.close(1000);
    });
  });
}

/** Connects, subscribes (waits until the server accepted the subscription), then closes one client. */
async function churnOne(wsUrl: string, cookie: string, queries: string[]): Promise<void> {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws', {
    headers: { cookie, origin: PUBLIC_URL },
    perMessageDeflate: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => socket.send('{"type":"connection_init","payload":{}}'));
    socket.on('message', (data) => {
      if (!String(data).includes('"connection_ack"')) return;
      for (const [i, query] of queries.entries())
        socket.send(JSON.stringify({ id: String(i + 1), type: 'subscribe', payload: { query } }));
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
const charger = await app.services.db.charger.create({
  data: { chargeBoxId: 'BENCH-CHURN-1', state: 'ONLINE' },
});
// One driver per subscriber of a round (the same drivers come back every round, as people reconnect).
const { cookies: driverCookies } = await createBenchDrivers(app, PER_ROUND, charger.id);
const wsUrl = `${url.replace('http', 'ws')}/graphql`;

/** `n` clients, CONCURRENCY at a time; client i uses `cookieOf(i)`. */
let client = churnOne;
const round = async (n: number, cookieOf: (i: number) => string, queries: string[]) => {
  let index = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (index < n) {
        const i = index;
        index += 1;
        await client(wsUrl, cookieOf(i), queries);
      }
    }),
  );
};
const fmt = (mb: number) => `${mb.toLocaleString('en', { maximumFractionDigits: 1 })} MB`;

async function part(label: string, cookieOf: (i: number) => string, queries: string[]): Promise<void> {
  // One warm-up round so lazily built things (schema caches, JIT) are not counted as growth.
  await round(Math.min(PER_ROUND, 200), cookieOf, queries);
  const before = await heapMb();
  const rows: Array<{ round: number; heapMb: number; seconds: number }> = [];
  for (let r = 1; r <= ROUNDS; r += 1) {
    const started = performance.now();
    await round(PER_ROUND, cookieOf, queries);
    // Hung-up clients' authentications may still be running on the server: let them finish.
    if (client === abruptOne) await new Promise((r) => setTimeout(r, 1_500));
    rows.push({ round: r, heapMb: await heapMb(), seconds: (performance.now() - started) / 1000 });
  }
  console.log(
    `ws-churn ${label}: ${ROUNDS} × ${PER_ROUND.toLocaleString('en')} subscribers (connect, subscribe, close)`,
  );
  console.log(`  heap before: ${fmt(before)}`);
  for (const row of rows)
    console.log(`  after round ${row.round}: ${fmt(row.heapMb)} (${row.seconds.toFixed(1)} s)`);
  console.log(`  growth over all rounds: ${fmt(rows.at(-1)!.heapMb - before)}`);
}

await part('one admin, chargerStateChanged', () => cookie, [QUERY]);
await part('distinct drivers, activeSession + chargerStateChanged', (i) => driverCookies[i]!, [
  ACTIVE,
  QUERY,
]);
// Clients that hang up while the server still authenticates them (a page closed mid-connect).
client = abruptOne;
await part('distinct drivers hanging up before the server answered', (i) => driverCookies[i]!, [
  ACTIVE,
  QUERY,
]);
// Let the last authentications finish before the database goes away.
await new Promise((r) => setTimeout(r, 2_000));
await app.stop();
await database.close();
