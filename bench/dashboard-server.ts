/**
 * Server side of the dashboard scenario, run as its own process (pinned to one core):
 *   dashboard-server.ts product  <databaseUrl> — the real app; the parent sends GraphQL over HTTP
 *   dashboard-server.ts baseline <databaseUrl> — raw `pg` + JSON.stringify answering GET with the same JSON
 * IPC: sends `ready` ({ url, cookie }); answers `count` (optionally with a `query`, default the
 * dashboard's) with `counted` ({ statements }) — the SQL statements one request issues (product only).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { buildApp } from '../server/src/app.ts';
import { openDatabase } from '../server/src/lib/db.ts';
import { createLogger } from '../server/src/lib/logger.ts';
import { DASHBOARD_QUERY } from './dashboard-query.ts';
import { benchConfig, signInBenchAdmin } from './bench-app.ts';

const WEEK_MS = 7 * 24 * 60 * 60_000;
const [, , mode, databaseUrl] = process.argv;
const send = (message: object) => process.send?.(message);

if (mode === 'product' && databaseUrl) {
  const PUBLIC_URL = 'http://localhost:4998';
  const config = benchConfig(PUBLIC_URL, { DATABASE_URL: databaseUrl });
  const logger = createLogger('silent');
  const database = await openDatabase({ databaseUrl, logger, poolSize: 10 });
  const app = await buildApp({ config, database, logger, background: false });
  const { url } = await app.start();
  const cookie = await signInBenchAdmin(app, url, 'bench-dashboard@example.test', PUBLIC_URL);
  process.on('message', (message: { type?: string; query?: string }) => {
    if (message?.type !== 'count') return;
    void (async () => {
      const before = database.queryCount();
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, origin: PUBLIC_URL },
        body: JSON.stringify({ query: message.query ?? DASHBOARD_QUERY }),
      });
      await res.text();
      send({ type: 'counted', statements: database.queryCount() - before });
    })();
  });
  process.on('SIGTERM', () => {
    void app.stop().then(async () => {
      await database.close();
      process.exit(0);
    });
  });
  send({ type: 'ready', url: `${url}/graphql`, cookie, origin: PUBLIC_URL });
} else if (mode === 'baseline' && databaseUrl) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const server = http.createServer((_req, res) => {
    void (async () => {
      const since = new Date(Date.now() - WEEK_MS);
      const [counts, weekly, live] = await Promise.all([
        pool.query<{ total: number; online: number; alerts: number }>(
          `SELECT (SELECT count(*)::int FROM "Charger" WHERE "goneAt" IS NULL) AS total,
                  (SELECT count(*)::int FROM "Charger" WHERE "goneAt" IS NULL AND state <> 'OFFLINE') AS online,
                  (SELECT count(*)::int FROM "Alert" WHERE "readAt" IS NULL) AS alerts`,
        ),
        pool.query<{ kwh: number | null; runs: number; cards: number; reservations: number }>(
          `SELECT (SELECT sum("energyKwh") FROM "ChargingSession" WHERE status = 'COMPLETED' AND "stoppedAt" >= $1) AS kwh,
                  (SELECT count(*)::int FROM "SyncRun" WHERE "startedAt" >= $1) AS runs,
                  (SELECT count(*)::int FROM "EvCard" WHERE "activatedAt" >= $1) AS cards,
                  (SELECT count(*)::int FROM "Reservation" WHERE status = 'COMPLETED' AND "statusAt" >= $1) AS reservations`,
          [since],
        ),
        pool.query<{
          id: string;
          pk: number;
          idTag: string;
          startedAt: Date;
          powerKw: number | null;
          chargeBoxId: string;
        }>(
          `SELECT s.id, s."steveTransactionPk" AS pk, s."idTag", s."startedAt", s."powerKw", c."chargeBoxId"
             FROM "ChargingSession" s JOIN "Charger" c ON c.id = s."chargerId"
            WHERE s.status = 'ACTIVE' ORDER BY s."startedAt" DESC, s.id DESC LIMIT 50`,
        ),
      ]);
      const c = counts.rows[0]!;
      const w = weekly.rows[0]!;
      const body = JSON.stringify({
        data: {
          adminDashboard: {
            chargersTotal: c.total,
            chargersOnline: c.online,
            unreadAlerts: c.alerts,
            weeklyFigures: {
              kwhDelivered: Math.round(Number(w.kwh ?? 0) * 10) / 10,
              syncRuns: w.runs,
              cardsActivated: w.cards,
              reservationsCompleted: w.reservations,
            },
            liveSessions: live.rows.map((s) => ({
              id: s.id,
              steveTransactionPk: s.pk,
              idTag: s.idTag,
              startedAt: iso(s.startedAt),
              powerKw: s.powerKw,
              charger: { chargeBoxId: s.chargeBoxId },
            })),
          },
        },
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  process.on('SIGTERM', () => {
    server.close();
    void pool.end().then(() => process.exit(0));
  });
  send({ type: 'ready', url: `http://127.0.0.1:${port}/`, cookie: '', origin: '' });
} else {
  console.error('usage: dashboard-server.ts product|baseline <databaseUrl>');
  process.exit(2);
}
