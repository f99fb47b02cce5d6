/**
 * Insights charts over the dashboard scenario's database (10k chargers / 1M sessions in full mode,
 * chargers on 40 sites, a status history of one event per five sessions):
 * each chart's GraphQL query through the product (HTTP, auth, Pothos, one bucketed SQL statement)
 * against a raw-SQL baseline over `pg` (the plainest GROUP BY for the same figures, no empty
 * buckets). Reports the mean latency per chart, their sum, and the SQL statements per request at
 * the small and the large database (they must not grow).
 */
import pg from 'pg';
import { nowMs } from './lib.ts';

export const INSIGHTS_QUERIES: Record<string, string> = {
  energyDay: '{ insightsEnergy(bucket: DAY) { bucket kwh sessions } }',
  energyWeek: '{ insightsEnergy(bucket: WEEK) { bucket kwh sessions } }',
  energySiteDay:
    '{ insightsEnergyBySite(bucket: DAY) { site others totalKwh points { bucket kwh sessions } } }',
  energySiteWeek:
    '{ insightsEnergyBySite(bucket: WEEK) { site others totalKwh points { bucket kwh sessions } } }',
  hours: '{ insightsSessionsByHour(days: 30) { hour sessions } }',
  utilisation7: '{ insightsUtilisation(days: 7) { chargeBoxId share rank } }',
  utilisation30: '{ insightsUtilisation(days: 30) { chargeBoxId share rank } }',
  uptime7: '{ insightsUptime(days: 7) { chargeBoxId share downMinutes rank } }',
  uptime30: '{ insightsUptime(days: 30) { chargeBoxId share downMinutes rank } }',
  syncRuns: '{ insightsSyncRuns { bucket runs meanDurationMs changes } }',
  billing: '{ insightsBilling { day sent waiting refused } }',
};

/** The same figures the plain way, one statement each (the baseline). */
const BASELINE_SQL: Record<string, string> = {
  energyDay: `SELECT date_trunc('day', "stoppedAt") d, sum("energyKwh"), count(*) FROM "ChargingSession"
               WHERE status = 'COMPLETED' AND "stoppedAt" >= now() - interval '30 days' GROUP BY 1 ORDER BY 1`,
  energyWeek: `SELECT date_trunc('week', "stoppedAt") d, sum("energyKwh"), count(*) FROM "ChargingSession"
               WHERE status = 'COMPLETED' AND "stoppedAt" >= now() - interval '26 weeks' GROUP BY 1 ORDER BY 1`,
  energySiteDay: energySiteSql('30 days', 'day'),
  energySiteWeek: energySiteSql('26 weeks', 'week'),
  hours: `SELECT extract(hour FROM "startedAt") h, count(*) FROM "ChargingSession"
           WHERE "startedAt" >= now() - interval '30 days' GROUP BY 1 ORDER BY 1`,
  utilisation7: utilisationSql(7),
  utilisation30: utilisationSql(30),
  uptime7: uptimeSql(7),
  uptime30: uptimeSql(30),
  syncRuns: `SELECT date_bin('15 minutes', "startedAt", timestamp '2000-01-01') b, count(*),
                    avg(extract(epoch FROM "finishedAt" - "startedAt")) FROM "SyncRun"
              WHERE "startedAt" >= now() - interval '1 day' GROUP BY 1 ORDER BY 1`,
  billing: `SELECT date_trunc('day', "createdAt") d, status, count(*) FROM "BillingEvent"
             WHERE "createdAt" >= now() - interval '30 days' GROUP BY 1, 2 ORDER BY 1`,
};

function energySiteSql(span: string, unit: string): string {
  return `SELECT p."siteName", date_trunc('${unit}', s."stoppedAt") d, sum(s."energyKwh"), count(*)
            FROM "ChargingSession" s LEFT JOIN "ChargerProfile" p ON p."chargerId" = s."chargerId"
           WHERE s.status = 'COMPLETED' AND s."stoppedAt" >= now() - interval '${span}' GROUP BY 1, 2 ORDER BY 1, 2`;
}

/** Segments between the window's events only (no opening status before it): the plainest uptime. */
function uptimeSql(days: number): string {
  return `WITH seg AS (
      SELECT "chargerId", status,
             extract(epoch FROM COALESCE(lead(at) OVER (PARTITION BY "chargerId", "connectorId" ORDER BY at), now()) - at) s
        FROM "ConnectorStatusEvent" WHERE at >= now() - interval '${days} days' AND "connectorId" > 0),
    per AS (SELECT "chargerId", sum(s) FILTER (WHERE status NOT IN ('Faulted', 'Unavailable')) / sum(s) share
              FROM seg GROUP BY 1 HAVING sum(s) > 0)
    (SELECT * FROM per ORDER BY share DESC LIMIT 5) UNION ALL (SELECT * FROM per ORDER BY share ASC LIMIT 5)`;
}

function utilisationSql(days: number): string {
  return `WITH used AS (
      SELECT "chargerId", sum(extract(epoch FROM COALESCE("stoppedAt", now()) - "startedAt")) s FROM "ChargingSession"
       WHERE "startedAt" >= now() - interval '${days} days' GROUP BY 1)
    (SELECT c.id, COALESCE(u.s, 0) s FROM "Charger" c LEFT JOIN used u ON u."chargerId" = c.id ORDER BY s DESC LIMIT 5)
    UNION ALL
    (SELECT c.id, COALESCE(u.s, 0) s FROM "Charger" c LEFT JOIN used u ON u."chargerId" = c.id ORDER BY s ASC LIMIT 5)`;
}

const RUNS = 10;

async function mean(fn: () => Promise<void>): Promise<number> {
  await fn(); // warm-up
  const t0 = nowMs();
  for (let i = 0; i < RUNS; i += 1) await fn();
  return (nowMs() - t0) / RUNS;
}

/** Mean ms per chart through the product's GraphQL endpoint. */
export async function timeProduct(
  url: string,
  init: (query: string) => RequestInit,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, query] of Object.entries(INSIGHTS_QUERIES)) {
    out[name] = await mean(async () => {
      const res = await fetch(url, init(query));
      const body = (await res.json()) as { errors?: unknown };
      if (!res.ok || body.errors)
        throw new Error(`insights ${name} failed: ${JSON.stringify(body).slice(0, 300)}`);
    });
  }
  return out;
}

/** Mean ms per chart for the raw SQL. */
export async function timeBaseline(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const out: Record<string, number> = {};
    for (const [name, sql] of Object.entries(BASELINE_SQL)) {
      out[name] = await mean(async () => {
        const res = await client.query(sql);
        JSON.stringify(res.rows);
      });
    }
    return out;
  } finally {
    await client.end();
  }
}
