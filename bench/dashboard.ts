/**
 * Operator dashboard query over a large PostgreSQL database (chargers and sessions generated with
 * bulk `INSERT … SELECT generate_series`): the product's `adminDashboard` over HTTP against a raw
 * `pg` + JSON.stringify handler producing the same JSON. Reports requests/s, p99 and the SQL
 * statements one request issues (at two database sizes: it must not grow with the data).
 */
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../server/src/lib/db.ts';
import { createLogger } from '../server/src/lib/logger.ts';
import { DASHBOARD_QUERY } from './dashboard-query.ts';
import { INSIGHTS_QUERIES, timeBaseline, timeProduct } from './insights.ts';
import { nowMs, request, startChild, summarise, type ScenarioResult } from './lib.ts';

interface Ready {
  type: 'ready';
  url: string;
  cookie: string;
  origin: string;
}

const CONCURRENCY = 8;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function addSessions(url: string, from: number, to: number, chargers: number) {
  await withClient(url, async (c) => {
    // Completed sessions spread over the last ~30 days, none within ±4 h of the 7-day boundary, so
    // the weekly kWh does not change while the window slides during the run.
    await c.query(`
      INSERT INTO "ChargingSession" (id, "steveTransactionPk", "chargerId", "connectorNumber", "idTag", status,
        "startedAt", "stoppedAt", "meterStartWh", "meterStopWh", "energyKwh", "updatedAt")
      SELECT 'bs-' || g, g, 'bc-' || (g % ${chargers} + 1), 1, 'TAG-' || (g % 5000), 'COMPLETED',
        now() - o * interval '1 second' - interval '40 minutes',
        now() - o * interval '1 second' - interval '10 minutes',
        0, (g % 40) * 1000 + 500, (g % 40) + 0.5, now()
      FROM (SELECT g, (g % 2500000) + CASE WHEN g % 2500000 BETWEEN 590000 AND 620000 THEN 30000 ELSE 0 END AS o
              FROM generate_series(${from}, ${to}) AS g) AS x`);
  });
}

/**
 * Connector status history for the uptime chart, one event per five sessions (`from`…`to` are
 * session numbers), spread over the last ~40 days: mostly usable, every tenth Faulted or Unavailable.
 */
async function addStatusEvents(url: string, from: number, to: number, chargers: number) {
  await withClient(url, async (c) => {
    await c.query(`
      INSERT INTO "ConnectorStatusEvent" (id, "chargerId", "connectorId", status, at, "recordedAt")
      SELECT 'be-' || g, 'bc-' || (g % ${chargers} + 1), 1,
             (ARRAY['Faulted', 'Unavailable', 'Available', 'Charging', 'Available',
                    'Finishing', 'Available', 'Charging', 'Available', 'Preparing'])[(g / ${chargers}) % 10 + 1],
             now() - ((g * 7919) % 3456000) * interval '1 second', now()
        FROM generate_series(${Math.ceil(from / 5)}, ${Math.floor(to / 5)}) AS g`);
  });
}

async function load(
  url: string,
  init: RequestInit,
  seconds: number,
): Promise<{ rps: number; latencies: number[]; body: unknown }> {
  const latencies: number[] = [];
  let body: unknown = null;
  const end = nowMs() + seconds * 1000;
  const start = nowMs();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (nowMs() < end) {
        const t = nowMs();
        const res = await fetch(url, init);
        const text = await res.text();
        if (!res.ok) throw new Error(`dashboard request failed: ${res.status} ${text.slice(0, 200)}`);
        latencies.push(nowMs() - t);
        body ??= JSON.parse(text);
      }
    }),
  );
  return { rps: latencies.length / ((nowMs() - start) / 1000), latencies, body };
}

export async function runDashboard(options: {
  postgresUrl: string;
  chargers: number;
  sessions: number;
  seconds: number;
  log: (line: string) => void;
}): Promise<ScenarioResult[]> {
  const { postgresUrl, chargers, sessions, seconds, log } = options;
  const name = `polaris_bench_dashboard_${process.pid}`;
  await withClient(postgresUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  try {
    const t0 = nowMs();
    const migrated = await openDatabase({ databaseUrl, logger: createLogger('silent'), poolSize: 1 });
    await migrated.close();
    await withClient(databaseUrl, async (c) => {
      await c.query(`
        INSERT INTO "Charger" (id, "chargeBoxId", state, "updatedAt")
        SELECT 'bc-' || g, 'CB-' || lpad(g::text, 6, '0'), 'ONLINE', now() FROM generate_series(1, ${chargers}) AS g`);
      await c.query(`UPDATE "Charger" SET state = 'OFFLINE' WHERE right(id, 1) IN ('3', '7')`);
      // One connector each; 40 sites (every 20th charger has none) for the energy-by-site chart.
      await c.query(`
        INSERT INTO "Connector" (id, "chargerId", "connectorId", status, "updatedAt")
        SELECT 'bk-' || g, 'bc-' || g, 1, 'Available', now() FROM generate_series(1, ${chargers}) AS g`);
      await c.query(`
        INSERT INTO "ChargerProfile" ("chargerId", "siteName", "updatedAt")
        SELECT 'bc-' || g, 'Site ' || lpad((g % 40)::text, 2, '0'), now()
          FROM generate_series(1, ${chargers}) AS g WHERE g % 20 <> 0`);
      // 120 running sessions.
      await c.query(`
        INSERT INTO "ChargingSession" (id, "steveTransactionPk", "chargerId", "connectorNumber", "idTag", status,
          "startedAt", "meterStartWh", "powerKw", "updatedAt")
        SELECT 'ba-' || g, 100000000 + g, 'bc-' || g, 1, 'LIVE-' || g, 'ACTIVE',
          now() - g * interval '1 minute', 0, 7.4, now() FROM generate_series(1, 120) AS g`);
    });
    const half = Math.floor(sessions / 10);
    await addSessions(databaseUrl, 1, half, chargers);
    await addStatusEvents(databaseUrl, 1, half, chargers);
    await withClient(databaseUrl, (c) => c.query('ANALYZE'));
    log(
      `dashboard: ${chargers} chargers, ${half} sessions written in ${((nowMs() - t0) / 1000).toFixed(1)} s`,
    );

    const product = await startChild<Ready>('dashboard-server.ts', ['product', databaseUrl], 0);
    let statementsSmall = 0;
    let statementsLarge = 0;
    const insightStatements: Record<string, number[]> = {};
    let insightsProduct: Record<string, number> = {};
    let p: Awaited<ReturnType<typeof load>>;
    const productInit = (r: Ready): RequestInit => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: r.cookie, origin: r.origin },
      body: JSON.stringify({ query: DASHBOARD_QUERY }),
    });
    try {
      await request(product.child, { type: 'count' }, 'counted'); // warm-up
      statementsSmall = (await request<{ statements: number }>(product.child, { type: 'count' }, 'counted'))
        .statements;
      for (const [chart, query] of Object.entries(INSIGHTS_QUERIES))
        insightStatements[chart] = [
          (await request<{ statements: number }>(product.child, { type: 'count', query }, 'counted'))
            .statements,
        ];
      const t1 = nowMs();
      await addSessions(databaseUrl, half + 1, sessions, chargers);
      await addStatusEvents(databaseUrl, half + 1, sessions, chargers);
      await withClient(databaseUrl, (c) => c.query('ANALYZE'));
      log(`dashboard: grown to ${sessions} sessions in ${((nowMs() - t1) / 1000).toFixed(1)} s`);
      statementsLarge = (await request<{ statements: number }>(product.child, { type: 'count' }, 'counted'))
        .statements;
      for (const [chart, query] of Object.entries(INSIGHTS_QUERIES))
        insightStatements[chart]!.push(
          (await request<{ statements: number }>(product.child, { type: 'count', query }, 'counted'))
            .statements,
        );
      insightsProduct = await timeProduct(product.ready.url, (query) => ({
        ...productInit(product.ready),
        body: JSON.stringify({ query }),
      }));
      await load(product.ready.url, productInit(product.ready), 1); // warm-up
      p = await load(product.ready.url, productInit(product.ready), seconds);
    } finally {
      await product.stop();
    }
    const baseline = await startChild<Ready>('dashboard-server.ts', ['baseline', databaseUrl], 0);
    let b: Awaited<ReturnType<typeof load>>;
    try {
      await load(baseline.ready.url, {}, 1);
      b = await load(baseline.ready.url, {}, seconds);
    } finally {
      await baseline.stop();
    }
    const same = isDeepStrictEqual(p.body, b.body);
    if (!same)
      log(
        `dashboard: WARNING product and baseline JSON differ:\n${JSON.stringify(p.body).slice(0, 400)}\n${JSON.stringify(b.body).slice(0, 400)}`,
      );
    const ps = summarise(p.latencies);
    const bs = summarise(b.latencies);
    log(
      `dashboard: product ${Math.round(p.rps)} req/s p99 ${ps.p99.toFixed(1)} ms, ${statementsSmall} → ${statementsLarge} SQL statements/request at ${half} → ${sessions} sessions; baseline ${Math.round(b.rps)} req/s p99 ${bs.p99.toFixed(1)} ms; same JSON: ${same}`,
    );
    const insightsBaseline = await timeBaseline(databaseUrl);
    const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
    const grew = Object.entries(insightStatements).filter(([, [small, large]]) => small !== large);
    log(
      `insights: product ${sum(insightsProduct).toFixed(1)} ms for ${Object.keys(insightsProduct).length} charts (${Object.entries(
        insightsProduct,
      )
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(
          ', ',
        )}); raw SQL ${sum(insightsBaseline).toFixed(1)} ms; SQL statements constant: ${grew.length === 0}`,
    );
    const insights: ScenarioResult = {
      name: `insights ${chargers} chargers/${sessions} sessions`,
      unit: 'ms (all charts, mean)',
      product: sum(insightsProduct),
      baseline: sum(insightsBaseline),
      ratio: sum(insightsProduct) / sum(insightsBaseline),
      details: {
        ...Object.fromEntries(Object.entries(insightsProduct).map(([k, v]) => [`product_${k}`, v])),
        ...Object.fromEntries(Object.entries(insightsBaseline).map(([k, v]) => [`baseline_${k}`, v])),
        ...Object.fromEntries(
          Object.entries(insightStatements).map(([k, [small, large]]) => [
            `statements_${k}`,
            `${small} → ${large}`,
          ]),
        ),
      },
    };
    const dashboard: ScenarioResult = {
      name: `dashboard ${chargers} chargers/${sessions} sessions`,
      unit: 'req/s',
      product: p.rps,
      baseline: b.rps,
      ratio: p.rps / b.rps,
      details: {
        productP50: ps.p50,
        productP95: ps.p95,
        productP99: ps.p99,
        baselineP50: bs.p50,
        baselineP95: bs.p95,
        baselineP99: bs.p99,
        statementsSmall,
        statementsLarge,
        sameJson: String(same),
      },
    };
    return [dashboard, insights];
  } finally {
    await withClient(postgresUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}
