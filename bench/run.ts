/**
 * `npm run bench` — every scenario runs the product and a raw baseline side by side in the same run,
 * then prints one table of ratios (product / baseline) with latency percentiles and writes the
 * results as JSON to bench/results/. `npm run bench -- --quick` is a small smoke version.
 *
 * Services: REDIS (BENCH_REDIS_URL or TEST_REDIS_URL, default redis://127.0.0.1:6379) for the
 * cross-instance hop; MariaDB (BENCH_MARIADB_URL or TEST_MARIADB_URL, default
 * mysql://root@127.0.0.1:3306/mysql) for the SteVe sync; scenarios needing a missing service are
 * skipped and listed as such.
 * Databases are in-memory PGlite unless TEST_DATABASE=postgres with TEST_POSTGRES_URL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { run as runBillingDrain } from './billing-drain.ts';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { runDashboard } from './dashboard.ts';
import { runFanout } from './fanout.ts';
import { runFanoutDistinct } from './fanout-distinct.ts';
import { fmt, hasTaskset, pinSelf, ROOT, type ScenarioResult } from './lib.ts';
import { runRedisHop } from './redis-hop.ts';
import { runSync } from './sync.ts';
import { runLiveLatency } from './live-latency.ts';
import { runLiveLatencyCdc } from './live-latency-cdc.ts';
import { binlogMariaDbAvailable } from '../server/test/mariadb-binlog.ts';
import { runWebhooks } from './webhooks.ts';

const quick = process.argv.includes('--quick');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const log = (line: string) => console.log(`  ${line}`);
const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const postgresUrl =
  process.env.BENCH_POSTGRES_URL ??
  process.env.TEST_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const mariadbUrl =
  process.env.BENCH_MARIADB_URL ?? process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/mysql';

const sizes = quick
  ? {
      fanout: [200, 1000],
      fanoutEvents: 3,
      fanoutDistinct: [200, 1000],
      hopEvents: 300,
      billing: 2_000,
      chargers: 2_000,
      sessions: 50_000,
      seconds: 3,
      syncChargers: 1_000,
      syncTransactions: 1_000,
      liveSamples: 15,
      webhooks: 2_000,
    }
  : {
      fanout: [1_000, 5_000, 10_000],
      fanoutEvents: 5,
      fanoutDistinct: [1_000, 5_000, 10_000],
      hopEvents: 3_000,
      billing: 20_000,
      chargers: 10_000,
      sessions: 1_000_000,
      seconds: 8,
      syncChargers: 10_000,
      syncTransactions: 100_000,
      liveSamples: 40,
      webhooks: 20_000,
    };

async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function mariadbReachable(url: string): Promise<boolean> {
  try {
    const connection = await mysql.createConnection({ uri: url, connectTimeout: 2_000 });
    await connection.end();
    return true;
  } catch {
    return false;
  }
}

async function redisReachable(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

const results: ScenarioResult[] = [];
const skipped: string[] = [];
const wanted = (name: string) => !only || only.includes(name);
const started = Date.now();

// The generator (this process) on core 1; server children are started on core 0.
const pinned = pinSelf(1);
console.log(
  `Polaris Express benchmarks (${quick ? 'quick' : 'full'}) on ${os.cpus().length} cores, Node ${process.version}; ` +
    (pinned ? 'servers pinned to core 0, load generator to core 1' : 'taskset not available: no pinning'),
);

if (wanted('fanout')) {
  console.log('\n• subscription fan-out');
  results.push(...(await runFanout({ sizes: sizes.fanout, events: sizes.fanoutEvents, log })));
}
// `--only=fanout` runs both fan-out scenarios; `--only=fanout-distinct` only this one.
if (wanted('fanout') || wanted('fanout-distinct')) {
  console.log('\n• subscription fan-out to distinct drivers (activeSession, chargerStateChanged)');
  results.push(
    ...(await runFanoutDistinct({ sizes: sizes.fanoutDistinct, events: sizes.fanoutEvents, log })),
  );
}
if (wanted('dashboard')) {
  console.log('\n• operator dashboard query');
  if (await postgresReachable(postgresUrl))
    results.push(
      ...(await runDashboard({
        postgresUrl,
        chargers: sizes.chargers,
        sessions: sizes.sessions,
        seconds: sizes.seconds,
        log,
      })),
    );
  else skipped.push(`dashboard (no PostgreSQL at ${postgresUrl})`);
}
if (wanted('redis-hop')) {
  console.log('\n• cross-instance hop through Redis');
  if (await redisReachable(redisUrl))
    results.push(await runRedisHop({ redisUrl, events: sizes.hopEvents, log }));
  else skipped.push(`redis-hop (no Redis at ${redisUrl})`);
}
if (wanted('billing')) {
  console.log('\n• billing outbox drain');
  const r = await runBillingDrain({ n: sizes.billing, log });
  results.push({
    name: `billing drain ${sizes.billing} events`,
    unit: r.unit,
    product: r.product,
    baseline: r.baseline,
    ratio: r.ratio,
  });
}

if (wanted('sync')) {
  console.log('\n• SteVe sync (MariaDB → PostgreSQL)');
  if (!(await postgresReachable(postgresUrl))) skipped.push(`sync (no PostgreSQL at ${postgresUrl})`);
  else if (!(await mariadbReachable(mariadbUrl))) skipped.push(`sync (no MariaDB at ${mariadbUrl})`);
  else
    results.push(
      ...(await runSync({
        postgresUrl,
        mariadbUrl,
        chargers: sizes.syncChargers,
        transactions: sizes.syncTransactions,
        samplesPerTransaction: 10,
        log,
      })),
    );
}
if (wanted('live-latency')) {
  console.log('\n• live latency (SteVe meter value → subscriber at the LIVE tier)');
  results.push(await runLiveLatency({ samples: sizes.liveSamples, log }));
}

if (wanted('live-latency-cdc')) {
  console.log('\n• live latency cdc (SteVe MariaDB insert → binlog → subscriber)');
  const available = binlogMariaDbAvailable();
  if (available.ok) results.push(...(await runLiveLatencyCdc({ samples: sizes.liveSamples * 2, log })));
  else skipped.push(`live-latency-cdc (${available.reason})`);
}
if (wanted('webhooks')) {
  console.log('\n• webhook deliveries (outbox → signed POST to a local receiver)');
  results.push(...(await runWebhooks({ n: sizes.webhooks, latencySamples: quick ? 50 : 200, log })));
}

const rows = results.map((r) => {
  const d = r.details ?? {};
  const statements =
    'statementsSmall' in d ? `; SQL/request ${d.statementsSmall} → ${d.statementsLarge}` : '';
  const latency =
    'productP95' in d
      ? `p50 ${fmt(Number(d.productP50))} / p95 ${fmt(Number(d.productP95))} / p99 ${fmt(Number(d.productP99))} ms (raw p95 ${fmt(Number(d.baselineP95))})`
      : '';
  return [r.name, r.unit, fmt(r.product), fmt(r.baseline), r.ratio.toFixed(2), latency + statements];
});
const header = ['scenario', 'unit', 'product', 'baseline', 'ratio', 'product latency'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(`\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
for (const s of skipped) console.log(`skipped: ${s}`);
console.log(
  'ratio = product / baseline (throughput: below 1 is slower than raw; latency: above 1 is slower)',
);

const seconds = (Date.now() - started) / 1000;
const file = path.join(
  ROOT,
  'bench/results',
  `bench-${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`,
);
fs.writeFileSync(
  file,
  `${JSON.stringify({ at: new Date().toISOString(), quick, seconds, cores: os.cpus().length, node: process.version, pinned, taskset: hasTaskset(), results, skipped }, null, 2)}\n`,
);
console.log(`\n${results.length} results in ${seconds.toFixed(0)} s → ${path.relative(ROOT, file)}`);
