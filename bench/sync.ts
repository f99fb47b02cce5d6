/**
 * Full and no-change sync of a large SteVe database (MariaDB, the fixture schema, rows generated with
 * bulk `INSERT … SELECT` from MariaDB's `seq_1_to_N` sequence tables): the product's SyncEngine over
 * RealSteveAdapter into a fresh migrated PostgreSQL database, against a raw baseline that reads the
 * same tables with keyset SELECTs (mysql2) and writes each page with one bulk
 * `INSERT … ON CONFLICT DO UPDATE` into simple tables of its own PostgreSQL database.
 * No-change syncs run at two history sizes (before and after adding more finished transactions).
 */
import mysql from 'mysql2/promise';
import pg from 'pg';
import {
  createSteveTestDatabase,
  type SteveTestDatabase,
} from '../server/src/integrations/steve/fixtures/mariadb.ts';
import { RealSteveAdapter } from '../server/src/integrations/steve/real-adapter.ts';
import { openDatabase, type Database } from '../server/src/lib/db.ts';
import { createLogger } from '../server/src/lib/logger.ts';
import { createBus } from '../server/src/lib/pubsub.ts';
import { SyncEngine } from '../server/src/modules/sync/sync.engine.ts';
import { nowMs, type ScenarioResult } from './lib.ts';

const PAGE = 500;
/** Generated history starts this long ago; one transaction starts every minute (on another charger). */
const HISTORY_START_MS = 400 * 24 * 3600_000;

type Row = mysql.RowDataPacket;

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// ─────────────────────────────────────────── data ───────────────────────────────────────────

/** Chargers (one connector each, with a status), 1 000 tags (last updated long before the run). */
async function seedFleet(admin: mysql.Connection, chargers: number): Promise<void> {
  await admin.query('SET foreign_key_checks = 0, unique_checks = 0');
  await admin.query(
    `INSERT INTO charge_box (charge_box_pk, charge_box_id, description, charge_point_vendor, charge_point_model,
       fw_version, last_heartbeat_timestamp)
     SELECT seq, CONCAT('CB-', LPAD(seq, 6, '0')), CONCAT('Bench charger ', seq), 'Bench', 'B-22', '1.0',
       TIMESTAMP('2026-01-01 00:00:00') FROM seq_1_to_${chargers}`,
  );
  await admin.query(
    `INSERT INTO evse (evse_pk, charge_box_id, evse_id) SELECT charge_box_pk, charge_box_id, 1 FROM charge_box`,
  );
  await admin.query(
    `INSERT INTO evse_connector (evse_pk, connector_id, power_type, max_electric_power)
     SELECT evse_pk, 1, 'AC_3_PHASE', 22000 FROM evse`,
  );
  await admin.query(
    `INSERT INTO connector_status (evse_pk, status_timestamp, status, error_code)
     SELECT evse_pk, TIMESTAMP('2026-01-01 00:00:00'), 'Available', 'NoError' FROM evse`,
  );
  // Tags last changed long ago and at different times, as real ones are: the tags changed within
  // SYNC_OVERLAP (2 min) of the newest change are re-read by every run, each with its count of open
  // transactions (a scan of that tag's history in SteVe).
  await admin.query(
    `INSERT INTO ocpp_tag (ocpp_tag_pk, id_tag, max_active_transaction_count, created_at, updated_at)
     SELECT seq, CONCAT('TAG-', seq), 1, TIMESTAMP('2026-01-01 00:00:00') + INTERVAL seq MINUTE,
       TIMESTAMP('2026-01-01 00:00:00') + INTERVAL seq MINUTE
       FROM seq_1_to_1000`,
  );
}

/**
 * Finished transactions `from..to` (pk = sequence number), each 30 minutes long with `samples`
 * energy readings, on charger `pk % chargers + 1`; transaction k starts k minutes after the start of
 * the history, so later pks also stop later.
 */
async function addHistory(
  admin: mysql.Connection,
  base: Date,
  chargers: number,
  from: number,
  to: number,
  samples: number,
): Promise<void> {
  await admin.query('SET foreign_key_checks = 0, unique_checks = 0');
  const baseSql = base.toISOString().slice(0, 19).replace('T', ' ');
  await admin.query(
    `INSERT INTO transaction_start (transaction_pk, event_timestamp, evse_pk, id_tag, start_timestamp, start_value)
     SELECT seq, TIMESTAMP(?) + INTERVAL seq MINUTE, seq % ${chargers} + 1, CONCAT('TAG-', seq % 1000 + 1),
       TIMESTAMP(?) + INTERVAL seq MINUTE, '0'
       FROM seq_${from}_to_${to}`,
    [baseSql, baseSql],
  );
  await admin.query(
    `INSERT INTO transaction_stop (transaction_pk, event_timestamp, event_actor, stop_timestamp, stop_value, stop_reason)
     SELECT transaction_pk, start_timestamp + INTERVAL 30 MINUTE, 'station', start_timestamp + INTERVAL 30 MINUTE,
       CAST(${samples * 1500} AS CHAR), 'EVDisconnected'
       FROM transaction_start WHERE transaction_pk BETWEEN ${from} AND ${to}`,
  );
  await admin.query(
    `INSERT INTO connector_meter_value (evse_pk, transaction_pk, value_timestamp, value, reading_context, format,
       measurand, location, unit)
     SELECT t.evse_pk, t.transaction_pk, t.start_timestamp + INTERVAL (s.seq * 25) SECOND, CAST(s.seq * 1500 AS CHAR),
       'Sample.Periodic', 'Raw', 'Energy.Active.Import.Register', 'Outlet', 'Wh'
       FROM transaction_start t JOIN seq_1_to_${samples} s
      WHERE t.transaction_pk BETWEEN ${from} AND ${to}`,
  );
}

// ───────────────────────────────────────── baseline ─────────────────────────────────────────

const BASELINE_SCHEMA = `
  CREATE TABLE charger (pk int PRIMARY KEY, charge_box_id text NOT NULL UNIQUE, description text, vendor text,
    model text, fw_version text, last_heartbeat timestamptz);
  CREATE TABLE connector (evse_pk int PRIMARY KEY, charge_box_id text NOT NULL, connector_id int NOT NULL,
    status text, status_at timestamptz, error_code text);
  CREATE TABLE tag (pk int PRIMARY KEY, id_tag text NOT NULL UNIQUE, parent_id_tag text, expiry timestamptz,
    max_active int);
  CREATE TABLE session (pk int PRIMARY KEY, evse_pk int NOT NULL, id_tag text NOT NULL, started_at timestamptz,
    start_wh double precision, stopped_at timestamptz, stop_wh double precision, stop_reason text);
  CREATE TABLE meter_sample (transaction_pk int NOT NULL, sampled_at timestamptz NOT NULL, energy_wh double precision,
    PRIMARY KEY (transaction_pk, sampled_at));
  CREATE TABLE cursor (name text PRIMARY KEY, value bigint NOT NULL);`;

/** One bulk upsert of `rows` (column arrays through unnest). */
async function upsert(
  c: pg.Client,
  table: string,
  columns: [name: string, type: string][],
  key: string,
  rows: unknown[][],
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([n]) => n);
  const arrays = columns.map((_, i) => rows.map((r) => r[i] ?? null));
  const unnest = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  const updates = names
    .filter((n) => !key.split(',').includes(n))
    .map((n) => `${n} = EXCLUDED.${n}`)
    .join(', ');
  await c.query(
    `INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${unnest})
     ON CONFLICT (${key}) DO UPDATE SET ${updates}`,
    arrays,
  );
}

/**
 * The raw sync: chargers, connectors and tags are re-read in full every run (as the product does);
 * transactions and their meter values by pk after the last pk synced (the baseline's data has no
 * late stops, so this is its whole incremental work).
 */
async function baselineSync(my: mysql.Pool, c: pg.Client): Promise<number> {
  let rowsWritten = 0;
  const select = async (sql: string, params: unknown[]) => (await my.query<Row[]>(sql, params))[0];
  for (let after = 0; ;) {
    const rows = await select(
      `SELECT charge_box_pk, charge_box_id, description, charge_point_vendor, charge_point_model, fw_version,
         last_heartbeat_timestamp FROM charge_box WHERE charge_box_pk > ? ORDER BY charge_box_pk LIMIT ?`,
      [after, PAGE],
    );
    await upsert(
      c,
      'charger',
      [
        ['pk', 'int'],
        ['charge_box_id', 'text'],
        ['description', 'text'],
        ['vendor', 'text'],
        ['model', 'text'],
        ['fw_version', 'text'],
        ['last_heartbeat', 'timestamptz'],
      ],
      'pk',
      rows.map((r) => [
        r.charge_box_pk,
        r.charge_box_id,
        r.description,
        r.charge_point_vendor,
        r.charge_point_model,
        r.fw_version,
        r.last_heartbeat_timestamp,
      ]),
    );
    rowsWritten += rows.length;
    if (rows.length < PAGE) break;
    after = Number(rows.at(-1)!.charge_box_pk);
  }
  for (let after = 0; ;) {
    const rows = await select(
      `SELECT e.evse_pk, e.charge_box_id, e.evse_id, cs.status, cs.status_timestamp, cs.error_code
         FROM evse e LEFT JOIN connector_status cs ON cs.evse_pk = e.evse_pk
          AND cs.status_timestamp = (SELECT MAX(n.status_timestamp) FROM connector_status n WHERE n.evse_pk = e.evse_pk)
        WHERE e.evse_pk > ? ORDER BY e.evse_pk LIMIT ?`,
      [after, PAGE],
    );
    await upsert(
      c,
      'connector',
      [
        ['evse_pk', 'int'],
        ['charge_box_id', 'text'],
        ['connector_id', 'int'],
        ['status', 'text'],
        ['status_at', 'timestamptz'],
        ['error_code', 'text'],
      ],
      'evse_pk',
      rows.map((r) => [r.evse_pk, r.charge_box_id, r.evse_id, r.status, r.status_timestamp, r.error_code]),
    );
    rowsWritten += rows.length;
    if (rows.length < PAGE) break;
    after = Number(rows.at(-1)!.evse_pk);
  }
  for (let after = 0; ;) {
    const rows = await select(
      `SELECT ocpp_tag_pk, id_tag, parent_id_tag, expiry_date, max_active_transaction_count FROM ocpp_tag
        WHERE ocpp_tag_pk > ? ORDER BY ocpp_tag_pk LIMIT ?`,
      [after, PAGE],
    );
    await upsert(
      c,
      'tag',
      [
        ['pk', 'int'],
        ['id_tag', 'text'],
        ['parent_id_tag', 'text'],
        ['expiry', 'timestamptz'],
        ['max_active', 'int'],
      ],
      'pk',
      rows.map((r) => [
        r.ocpp_tag_pk,
        r.id_tag,
        r.parent_id_tag,
        r.expiry_date,
        r.max_active_transaction_count,
      ]),
    );
    rowsWritten += rows.length;
    if (rows.length < PAGE) break;
    after = Number(rows.at(-1)!.ocpp_tag_pk);
  }
  const saved = await c.query<{ value: string }>(`SELECT value FROM cursor WHERE name = 'transaction'`);
  let lastPk = Number(saved.rows[0]?.value ?? 0);
  for (;;) {
    const rows = await select(
      `SELECT ts.transaction_pk, ts.evse_pk, ts.id_tag, ts.start_timestamp, ts.start_value, st.stop_timestamp,
         st.stop_value, st.stop_reason
         FROM transaction_start ts LEFT JOIN transaction_stop st ON st.transaction_pk = ts.transaction_pk
        WHERE ts.transaction_pk > ? ORDER BY ts.transaction_pk LIMIT ?`,
      [lastPk, PAGE],
    );
    if (rows.length === 0) break;
    const last = Number(rows.at(-1)!.transaction_pk);
    await upsert(
      c,
      'session',
      [
        ['pk', 'int'],
        ['evse_pk', 'int'],
        ['id_tag', 'text'],
        ['started_at', 'timestamptz'],
        ['start_wh', 'float8'],
        ['stopped_at', 'timestamptz'],
        ['stop_wh', 'float8'],
        ['stop_reason', 'text'],
      ],
      'pk',
      rows.map((r) => [
        r.transaction_pk,
        r.evse_pk,
        r.id_tag,
        r.start_timestamp,
        Number(r.start_value),
        r.stop_timestamp,
        r.stop_value === null ? null : Number(r.stop_value),
        r.stop_reason,
      ]),
    );
    // The meter values of exactly these transactions, in keyset order.
    const values = await select(
      `SELECT transaction_pk, value_timestamp, value FROM connector_meter_value
        WHERE transaction_pk > ? AND transaction_pk <= ? AND measurand = 'Energy.Active.Import.Register'
        ORDER BY transaction_pk, value_timestamp`,
      [lastPk, last],
    );
    for (let i = 0; i < values.length; i += 5_000) {
      await upsert(
        c,
        'meter_sample',
        [
          ['transaction_pk', 'int'],
          ['sampled_at', 'timestamptz'],
          ['energy_wh', 'float8'],
        ],
        'transaction_pk, sampled_at',
        values.slice(i, i + 5_000).map((v) => [v.transaction_pk, v.value_timestamp, Number(v.value)]),
      );
    }
    rowsWritten += rows.length + values.length;
    lastPk = last;
    await c.query(
      `INSERT INTO cursor (name, value) VALUES ('transaction', $1) ON CONFLICT (name) DO UPDATE SET value = $1`,
      [lastPk],
    );
    if (rows.length < PAGE) break;
  }
  return rowsWritten;
}

// ────────────────────────────────────────── profile ──────────────────────────────────────────

function startProfile(database: Database, adapter: RealSteveAdapter) {
  type Entry = { n: number; ms: number };
  const statements: { at: number; key: string; ms: number }[] = [];
  const reads: { at: number; key: string; ms: number }[] = [];
  // openDatabase subscribes to query events (its statement count); the client's type does not say so.
  const events = database.prisma as unknown as {
    $on(event: 'query', listener: (e: { timestamp: Date; query: string; duration: number }) => void): void;
  };
  events.$on('query', (e) => {
    statements.push({
      at: e.timestamp.getTime(),
      key: e.query.replace(/\s+/g, ' ').slice(0, 100),
      ms: e.duration,
    });
  });
  const reader = adapter.db as unknown as Record<string, unknown>;
  for (const name of [
    'listChargePoints',
    'listConnectorStatuses',
    'listTags',
    'listTagPks',
    'listTransactions',
    'listStoppedTransactions',
    'getTransactions',
    'listMeterValues',
    'listReservations',
    'getReservations',
  ]) {
    const original = reader[name];
    if (typeof original !== 'function') continue;
    reader[name] = async (...args: unknown[]) => {
      const at = Date.now();
      const t = nowMs();
      try {
        return await (original as (...a: unknown[]) => Promise<unknown>).apply(adapter.db, args);
      } finally {
        reads.push({ at, key: `read ${name}`, ms: nowMs() - t });
      }
    };
  }
  const top = (list: { key: string; ms: number }[], k: number) => {
    const m = new Map<string, Entry>();
    for (const s of list) {
      const e = m.get(s.key) ?? { n: 0, ms: 0 };
      e.n += 1;
      e.ms += s.ms;
      m.set(s.key, e);
    }
    return [...m.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, k);
  };
  const cpu = { at: process.cpuUsage() };
  return {
    reset() {
      statements.length = 0;
      reads.length = 0;
      cpu.at = process.cpuUsage();
    },
    /** Per segment: statements and reads that started in it, the busiest first. */
    print(
      log: (line: string) => void,
      label: string,
      segments: { kind: string; startedAt: Date | null; finishedAt: Date | null }[],
    ) {
      const used = process.cpuUsage(cpu.at);
      log(`sync: profile ${label}: node CPU ${((used.user + used.system) / 1000).toFixed(0)} ms`);
      for (const g of segments) {
        if (!g.startedAt || !g.finishedAt) continue;
        const within = <T extends { at: number }>(l: T[]) =>
          l.filter((s) => s.at >= g.startedAt!.getTime() && s.at <= g.finishedAt!.getTime());
        const st = within(statements);
        const rd = within(reads);
        const sum = (l: { ms: number }[]) => l.reduce((a, s) => a + s.ms, 0);
        log(
          `  ${g.kind} ${g.finishedAt.getTime() - g.startedAt.getTime()} ms: ${st.length} statements ${sum(st).toFixed(0)} ms, ` +
            `${rd.length} reads ${sum(rd).toFixed(0)} ms`,
        );
        for (const [q, e] of top([...st, ...rd], 8))
          log(`    ${e.ms.toFixed(0).padStart(6)} ms ${String(e.n).padStart(5)}× ${q}`);
      }
    },
  };
}

// ────────────────────────────────────────── scenario ──────────────────────────────────────────

export async function runSync(options: {
  postgresUrl: string;
  mariadbUrl: string;
  chargers: number;
  transactions: number;
  samplesPerTransaction: number;
  log: (line: string) => void;
}): Promise<ScenarioResult[]> {
  const { postgresUrl, mariadbUrl, chargers, transactions, samplesPerTransaction: samples, log } = options;
  const logger = createLogger('silent');
  const productName = `polaris_bench_sync_${process.pid}`;
  const rawName = `polaris_bench_sync_raw_${process.pid}`;
  let steve: SteveTestDatabase | null = null;
  let database: Database | null = null;
  let adapter: RealSteveAdapter | null = null;
  let my: mysql.Pool | null = null;
  let raw: pg.Client | null = null;
  await withClient(postgresUrl, async (c) => {
    await c.query(`CREATE DATABASE ${productName}`);
    await c.query(`CREATE DATABASE ${rawName}`);
  });
  try {
    const t0 = nowMs();
    steve = await createSteveTestDatabase(mariadbUrl);
    const base = new Date(Date.now() - HISTORY_START_MS);
    await seedFleet(steve.admin, chargers);
    await addHistory(steve.admin, base, chargers, 1, transactions, samples);
    await steve.admin.query(
      'ANALYZE TABLE charge_box, evse, transaction_start, transaction_stop, connector_meter_value',
    );
    log(
      `sync: ${chargers} chargers, ${transactions} transactions, ${transactions * samples} meter values ` +
        `generated in MariaDB in ${((nowMs() - t0) / 1000).toFixed(1)} s`,
    );

    database = await openDatabase({
      databaseUrl: databaseUrl(postgresUrl, productName),
      logger,
      poolSize: 5,
    });
    adapter = new RealSteveAdapter({
      // Commands only; the sync never calls the REST API.
      baseUrl: 'http://127.0.0.1:9/steve',
      username: 'bench',
      password: 'bench',
      dbUrl: steve.url,
    });
    const bus = createBus(undefined, logger);
    const engine = new SyncEngine({ db: database.prisma, steve: adapter, pubsub: bus.pubsub, logger });
    my = mysql.createPool({ uri: steve.url, timezone: 'Z', connectionLimit: 2 });
    raw = new pg.Client({ connectionString: databaseUrl(postgresUrl, rawName) });
    await raw.connect();
    await raw.query(BASELINE_SCHEMA);

    // BENCH_SYNC_PROFILE=1: the product's statements by total time, and its time waiting on SteVe reads.
    const profile = process.env.BENCH_SYNC_PROFILE === '1' ? startProfile(database, adapter) : null;
    const productRun = async (label: string) => {
      profile?.reset();
      const t = nowMs();
      const result = await engine.run({ trigger: 'MANUAL' });
      const ms = nowMs() - t;
      if (result.status !== 'SUCCEEDED') throw new Error(`product ${label} sync failed: ${result.error}`);
      const segments = await database!.prisma.syncSegment.findMany({
        where: { runId: result.runId },
        orderBy: { position: 'asc' },
      });
      profile?.print(log, label, segments);
      const bySegment = segments
        .map((g) => {
          const took = g.startedAt && g.finishedAt ? g.finishedAt.getTime() - g.startedAt.getTime() : NaN;
          return `${g.kind} ${took < 1000 ? `${took} ms` : `${(took / 1000).toFixed(1)} s`}`;
        })
        .join(', ');
      log(`sync: product ${label} sync ${ms.toFixed(0)} ms — ${bySegment}`);
      return ms;
    };
    const baselineRun = async () => {
      const t = nowMs();
      await baselineSync(my!, raw!);
      return nowMs() - t;
    };

    const productFull = await productRun('full');
    const sessions = await database.prisma.chargingSession.count();
    const meterSamples = await database.prisma.meterSample.count();
    log(
      `sync: product full sync ${(productFull / 1000).toFixed(1)} s (${sessions} sessions, ${meterSamples} samples)`,
    );
    const baselineFull = await baselineRun();
    const rawSamples = Number((await raw.query('SELECT count(*) AS n FROM meter_sample')).rows[0].n);
    log(`sync: baseline full sync ${(baselineFull / 1000).toFixed(1)} s (${rawSamples} samples)`);

    const productIdle1 = await productRun('no-change');
    const baselineIdle1 = await baselineRun();
    log(
      `sync: no-change at ${transactions} transactions: product ${productIdle1.toFixed(0)} ms, baseline ${baselineIdle1.toFixed(0)} ms`,
    );

    // More history: as many finished transactions again, then sync them in, then no-change again.
    const t1 = nowMs();
    await addHistory(steve.admin, base, chargers, transactions + 1, transactions * 2, samples);
    log(`sync: added ${transactions} more transactions in ${((nowMs() - t1) / 1000).toFixed(1)} s`);
    const productIncrement = await productRun('incremental');
    const baselineIncrement = await baselineRun();
    log(
      `sync: incremental sync of the added history: product ${(productIncrement / 1000).toFixed(1)} s, ` +
        `baseline ${(baselineIncrement / 1000).toFixed(1)} s`,
    );
    const productIdle2 = await productRun('no-change');
    const baselineIdle2 = await baselineRun();
    log(
      `sync: no-change at ${transactions * 2} transactions: product ${productIdle2.toFixed(0)} ms, baseline ${baselineIdle2.toFixed(0)} ms ` +
        `(growth with 2× history: product ×${(productIdle2 / productIdle1).toFixed(2)}, baseline ×${(baselineIdle2 / baselineIdle1).toFixed(2)})`,
    );
    await bus.close();

    const values = transactions * samples;
    return [
      {
        name: `sync full ${chargers} chargers, ${values} values`,
        unit: 'ms',
        product: productFull,
        baseline: baselineFull,
        ratio: productFull / baselineFull,
        details: { sessions, meterSamples, rawSamples, productIncrement, baselineIncrement },
      },
      {
        name: `sync no-change at ${transactions} tx`,
        unit: 'ms',
        product: productIdle1,
        baseline: baselineIdle1,
        ratio: productIdle1 / baselineIdle1,
      },
      {
        name: `sync no-change at ${transactions * 2} tx`,
        unit: 'ms',
        product: productIdle2,
        baseline: baselineIdle2,
        ratio: productIdle2 / baselineIdle2,
        details: {
          productGrowth: productIdle2 / productIdle1,
          baselineGrowth: baselineIdle2 / baselineIdle1,
        },
      },
    ];
  } finally {
    await adapter?.db.close().catch(() => undefined);
    await my?.end().catch(() => undefined);
    await raw?.end().catch(() => undefined);
    await database?.close().catch(() => undefined);
    await steve?.drop().catch(() => undefined);
    await withClient(postgresUrl, async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${productName} WITH (FORCE)`);
      await c.query(`DROP DATABASE IF EXISTS ${rawName} WITH (FORCE)`);
    });
  }
}
