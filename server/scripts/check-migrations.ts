// Drift check: proves the committed migrations (prisma/migrations/<timestamp>_<name>/migration.sql)
// build exactly the database prisma/schema.prisma describes. Works offline, with no server:
//   A = fresh database + the full SQL Prisma's schema engine generates from schema.prisma (from empty)
//   B = fresh database + every committed migration.sql, applied in folder-name order
// then compares the two catalogs (schemas, tables, columns, enums, indexes, constraints incl. foreign
// key actions, sequences, views, functions, triggers, extensions) and, as a second opinion, asks the
// engine for the SQL that would take B to schema.prisma (that SQL is what the fix migration needs).
//
//   tsx server/scripts/check-migrations.ts [--schema prisma/schema.prisma] [--migrations prisma/migrations]
//                                          [--url postgresql://...]   (A and B on a real server instead)
// Exit 0: no drift. Exit 1: drift, a migration that fails to apply, or a malformed migrations folder.
//
// Hand-written objects that schema.prisma cannot express (a partial index, a CHECK constraint, a
// trigger...) are drift too, unless the migration that creates them declares each one on a line of
// its own:   -- check-migrations: allow-extra <object name>     e.g. allow-extra Alert_open_idx
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import {
  DEFAULT_MIGRATIONS,
  DEFAULT_SCHEMA,
  openEngine,
  readMigrationsDir,
  readSchema,
  sqlFromMigrations,
  withoutPublicSchemaCreation,
} from './prisma-schema-engine.ts';
import type { MigrationsDir } from './prisma-schema-engine.ts';

interface Db {
  exec(sql: string): Promise<void>;
  rows<T>(sql: string): Promise<T[]>;
}

function pgliteDb(db: PGlite): Db {
  return {
    exec: async (sql) => {
      await db.exec(sql);
    },
    rows: async <T>(sql: string) => (await db.query<T>(sql)).rows,
  };
}

function clientDb(client: pg.Client): Db {
  return {
    exec: async (sql) => {
      await client.query(sql);
    },
    rows: async <T>(sql: string) => (await client.query(sql)).rows as T[],
  };
}

// ───────────────────────────── catalog snapshot ─────────────────────────────

/** One comparable fact: `kind` + `key` identify an object, `value` describes it. */
interface Fact {
  kind: string;
  key: string;
  value: string;
}

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'`;
// The runner's bookkeeping table is not part of the schema.
const NOT_BOOKKEEPING = `c.relname <> '_prisma_migrations'`;

const q = (s: string) => `"${s.replaceAll('"', '""')}"`;

async function snapshot(db: Db): Promise<{ facts: Fact[]; enumOrder: Map<string, string> }> {
  const facts: Fact[] = [];
  const add = (kind: string, key: string, value: string) => facts.push({ kind, key, value });

  for (const r of await db.rows<{ name: string }>(
    `SELECT n.nspname AS name FROM pg_namespace n WHERE ${USER_SCHEMAS}`,
  ))
    add('schema', q(r.name), 'present');

  for (const r of await db.rows<{ ext: string; version: string }>(
    `SELECT extname AS ext, extversion AS version FROM pg_extension`,
  ))
    add('extension', r.ext, r.version);

  const relkinds: Record<string, string> = {
    r: 'table',
    p: 'partitioned table',
    v: 'view',
    m: 'materialized view',
    f: 'foreign table',
  };
  for (const r of await db.rows<{
    schema: string;
    name: string;
    kind: string;
    rls: boolean;
    def: string | null;
  }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS kind, c.relrowsecurity AS rls,
            CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS def
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_SCHEMAS} AND ${NOT_BOOKKEEPING}`,
  ))
    add(
      relkinds[r.kind] ?? r.kind,
      `${q(r.schema)}.${q(r.name)}`,
      [r.rls ? 'row level security' : 'present', r.def?.trim()].filter(Boolean).join(': '),
    );

  // Column order is deliberately not compared: a column added by ALTER TABLE lands last, while the
  // from-empty SQL puts it where schema.prisma has it, and Prisma does not care about the order.
  for (const r of await db.rows<{
    schema: string;
    tbl: string;
    col: string;
    type: string;
    notnull: boolean;
    def: string | null;
    identity: string;
    generated: string;
    collation: string | null;
  }>(
    `SELECT n.nspname AS schema, c.relname AS tbl, a.attname AS col,
            format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
            pg_get_expr(d.adbin, d.adrelid) AS def, a.attidentity::text AS identity,
            a.attgenerated::text AS generated,
            CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       LEFT JOIN pg_collation co ON co.oid = a.attcollation
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
        AND ${USER_SCHEMAS} AND ${NOT_BOOKKEEPING}`,
  )) {
    const parts = [r.type, r.notnull ? 'NOT NULL' : 'NULL'];
    if (r.collation) parts.push(`COLLATE ${q(r.collation)}`);
    if (r.generated === 's') parts.push(`GENERATED ALWAYS AS (${r.def}) STORED`);
    else if (r.def !== null) parts.push(`DEFAULT ${r.def}`);
    if (r.identity === 'a') parts.push('GENERATED ALWAYS AS IDENTITY');
    if (r.identity === 'd') parts.push('GENERATED BY DEFAULT AS IDENTITY');
    add('column', `${q(r.schema)}.${q(r.tbl)}.${q(r.col)}`, parts.join(' '));
  }

  // Enum values are compared as a set; their order only yields a note (ALTER TYPE ... ADD VALUE
  // appends, so a value added in the middle of a Prisma enum legitimately ends up last).
  const enumOrder = new Map<string, string>();
  for (const r of await db.rows<{ schema: string; name: string; labels: string[] }>(
    `SELECT n.nspname AS schema, t.typname AS name,
            array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE ${USER_SCHEMAS} GROUP BY n.nspname, t.typname`,
  )) {
    const key = `${q(r.schema)}.${q(r.name)}`;
    add('enum', key, [...r.labels].sort().join(', '));
    enumOrder.set(key, r.labels.join(', '));
  }

  // pg_get_indexdef has everything that matters: UNIQUE, method, columns/expressions, ASC/DESC,
  // NULLS FIRST/LAST, opclasses, INCLUDE, WHERE. Primary keys and unique constraints show up here
  // and again as constraints.
  for (const r of await db.rows<{ schema: string; tbl: string; name: string; def: string }>(
    `SELECT n.nspname AS schema, c.relname AS tbl, ci.relname AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i
       JOIN pg_class ci ON ci.oid = i.indexrelid
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_SCHEMAS} AND ${NOT_BOOKKEEPING}`,
  ))
    add('index', `${q(r.schema)}.${q(r.name)}`, r.def.replace(/^CREATE (UNIQUE )?INDEX \S+ ON /, '$1ON '));

  // Primary keys, uniques, foreign keys (columns, target, ON DELETE / ON UPDATE, deferrability),
  // checks and exclusions. Not-null constraints (contype 'n', PostgreSQL 18+) are covered by columns.
  const contypes: Record<string, string> = {
    p: 'primary key',
    u: 'unique constraint',
    f: 'foreign key',
    c: 'check constraint',
    x: 'exclusion constraint',
    t: 'constraint trigger',
  };
  for (const r of await db.rows<{ schema: string; tbl: string; name: string; type: string; def: string }>(
    `SELECT n.nspname AS schema, c.relname AS tbl, con.conname AS name, con.contype::text AS type,
            pg_get_constraintdef(con.oid, true) AS def
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE con.contype IN ('p', 'u', 'f', 'c', 'x', 't') AND ${USER_SCHEMAS} AND ${NOT_BOOKKEEPING}`,
  ))
    add(contypes[r.type] ?? `constraint ${r.type}`, `${q(r.schema)}.${q(r.tbl)}.${q(r.name)}`, r.def);

  for (const r of await db.rows<{ schema: string; name: string; def: string }>(
    `SELECT s.schemaname AS schema, s.sequencename AS name,
            concat_ws(' ', s.data_type, 'START', s.start_value, 'INCREMENT', s.increment_by,
                      'MIN', s.min_value, 'MAX', s.max_value, CASE WHEN s.cycle THEN 'CYCLE' END) AS def
       FROM pg_sequences s JOIN pg_namespace n ON n.nspname = s.schemaname WHERE ${USER_SCHEMAS}`,
  ))
    add('sequence', `${q(r.schema)}.${q(r.name)}`, r.def);

  for (const r of await db.rows<{ schema: string; name: string; args: string; def: string }>(
    `SELECT n.nspname AS schema, p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args,
            pg_get_functiondef(p.oid) AS def
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       LEFT JOIN pg_depend dep ON dep.objid = p.oid AND dep.deptype = 'e'
      WHERE p.prokind IN ('f', 'p') AND dep.objid IS NULL AND ${USER_SCHEMAS}`,
  ))
    add('function', `${q(r.schema)}.${q(r.name)}(${r.args})`, r.def.trim());

  for (const r of await db.rows<{ schema: string; tbl: string; name: string; def: string }>(
    `SELECT n.nspname AS schema, c.relname AS tbl, t.tgname AS name, pg_get_triggerdef(t.oid, true) AS def
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT t.tgisinternal AND ${USER_SCHEMAS} AND ${NOT_BOOKKEEPING}`,
  ))
    add('trigger', `${q(r.schema)}.${q(r.tbl)}.${q(r.name)}`, r.def);

  return { facts, enumOrder };
}

interface Difference {
  kind: string;
  key: string;
  expected: string | undefined;
  actual: string | undefined;
}

const ALLOW_EXTRA = /^--\s*check-migrations:\s*allow-extra\s+"?([^"\s]+)"?\s*$/gm;

/** Object names the migrations declare as intentionally absent from schema.prisma. */
function allowedExtras(migrations: MigrationsDir): Set<string> {
  return new Set(migrations.migrations.flatMap((m) => [...m.sql.matchAll(ALLOW_EXTRA)].map((x) => x[1]!)));
}

/** The object's own name: the last quoted part of the key (`"public"."Alert"."x"` → `x`). */
const objectName = (key: string) =>
  /"((?:[^"]|"")*)"(?:\([^)]*\))?$/.exec(key)?.[1]?.replaceAll('""', '"') ?? key;

function compare(expected: Fact[], actual: Fact[]): Difference[] {
  const index = (facts: Fact[]) => new Map(facts.map((f) => [`${f.kind}\u0000${f.key}`, f]));
  const want = index(expected);
  const got = index(actual);
  const diffs: Difference[] = [];
  for (const id of new Set([...want.keys(), ...got.keys()])) {
    const w = want.get(id);
    const g = got.get(id);
    if (w?.value === g?.value) continue;
    const { kind, key } = (w ?? g)!;
    diffs.push({ kind, key, expected: w?.value, actual: g?.value });
  }
  return diffs.sort((a, b) => a.key.localeCompare(b.key) || a.kind.localeCompare(b.kind));
}

// ───────────────────────────── databases A and B ─────────────────────────────

interface Scratch {
  db: Db;
  /** The PGlite behind `db`, when it is one (the engine can then read it directly). */
  pglite?: PGlite;
  drop(): Promise<void>;
}

async function scratchPGlite(): Promise<Scratch> {
  const pglite = new PGlite();
  return { db: pgliteDb(pglite), pglite, drop: () => pglite.close() };
}

/** A fresh database on the server at `url`, dropped afterwards. */
async function scratchServer(url: string, label: string): Promise<Scratch> {
  const name = `polaris_drift_${label}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${q(name)}`);
  } finally {
    await admin.end();
  }
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: dbUrl.toString() });
  await client.connect();
  return {
    db: clientDb(client),
    async drop() {
      await client.end();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${q(name)}`);
      } finally {
        await a.end();
      }
    },
  };
}

/** Applies each migration.sql as one script, in order, as Prisma and the runtime runner do. */
async function applyMigrations(db: Db, migrations: MigrationsDir): Promise<string | null> {
  for (const m of migrations.migrations) {
    try {
      await db.exec(m.sql);
    } catch (error) {
      return `${m.name}/migration.sql failed to apply: ${(error as Error).message}`;
    }
  }
  return null;
}

// ───────────────────────────── main ─────────────────────────────

function show(value: string | undefined): string {
  if (value === undefined) return '(absent)';
  return value.includes('\n') ? `\n${value.replace(/^/gm, '          ')}` : value;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      schema: { type: 'string', default: DEFAULT_SCHEMA },
      migrations: { type: 'string', default: DEFAULT_MIGRATIONS },
      url: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const started = performance.now();
  const rel = (p: string) => path.relative(process.cwd(), path.resolve(p)) || '.';
  const schemaPath = values.schema;
  const migrationsPath = values.migrations;
  const schema = await readSchema(schemaPath);
  const migrations = await readMigrationsDir(migrationsPath);

  const out: string[] = [];
  let failed = false;
  if (migrations.problems.length > 0) {
    failed = true;
    out.push(`✗ ${rel(migrationsPath)} is malformed:`, ...migrations.problems.map((p) => `    ${p}`));
  }
  if (migrations.migrations.length === 0) {
    failed = true;
    out.push(`✗ ${rel(migrationsPath)} has no migrations.`);
  }

  const onServer = values.url !== undefined;
  const [a, b] = await Promise.all(
    onServer
      ? [scratchServer(values.url!, 'expected'), scratchServer(values.url!, 'actual')]
      : [scratchPGlite(), scratchPGlite()],
  );
  // The engine reads B directly when B is PGlite; on a server it replays the migrations on a shadow PGlite.
  const engine = await openEngine(schema, b.pglite);
  try {
    const expectedSql = withoutPublicSchemaCreation(
      (await engine.diff({ tag: 'empty' }, engine.schemaTarget())).sql,
    );
    try {
      await a.db.exec(expectedSql);
    } catch (error) {
      const reason = (error as Error).message;
      throw new Error(`the SQL generated from ${rel(schemaPath)} failed to apply: ${reason}`, {
        cause: error,
      });
    }
    const applyError = await applyMigrations(b.db, migrations);
    if (applyError !== null) {
      out.push(`✗ ${applyError}`);
      failed = true;
    } else {
      const [want, got] = await Promise.all([snapshot(a.db), snapshot(b.db)]);
      const allowed = allowedExtras(migrations);
      const diffs = compare(want.facts, got.facts).filter(
        // An allowed extra object, and the columns of an allowed extra table or view.
        (d) =>
          !(
            d.expected === undefined &&
            (allowed.has(objectName(d.key)) ||
              (d.kind === 'column' && allowed.has(objectName(d.key.replace(/\."(?:[^"]|"")*"$/, '')))))
          ),
      );
      if (diffs.length > 0) {
        failed = true;
        out.push(
          `✗ Drift: the migrations in ${rel(migrationsPath)} do not build what ${rel(schemaPath)} describes` +
            ` (${diffs.length} difference${diffs.length === 1 ? '' : 's'}):`,
        );
        for (const d of diffs) {
          out.push(
            `  ${d.kind} ${d.key}`,
            `      schema.prisma: ${show(d.expected)}`,
            `      migrations:    ${show(d.actual)}`,
          );
        }
      }
      for (const [key, order] of want.enumOrder) {
        const other = got.enumOrder.get(key);
        if (other !== undefined && other !== order && !diffs.some((d) => d.key === key))
          out.push(
            `  note: enum ${key} has its values in another order (${other}); Prisma ignores the order.`,
          );
      }

      // Second opinion from Prisma's own differ; its SQL is what a fix migration would contain.
      const fix = onServer
        ? await sqlFromMigrations(schema, migrations)
        : await engine.diff(engine.databaseTarget(), engine.schemaTarget());
      if (!fix.empty) {
        failed = true;
        if (diffs.length === 0)
          out.push(`✗ Prisma's schema engine sees drift that the catalog comparison missed.`);
        out.push(
          '',
          `SQL that would bring the migrations up to ${rel(schemaPath)}:`,
          fix.sql.trim().replace(/^/gm, '    '),
          '',
          'If schema.prisma is right, add a migration: tsx server/scripts/migration-sql.ts new <name>',
          'If the migrations are right, change schema.prisma back.',
        );
      }
    }
  } finally {
    await engine.close();
    await Promise.all([a.drop(), b.drop()]);
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const where = onServer ? 'PostgreSQL' : 'PGlite';
  if (failed) {
    console.error(out.join('\n'));
    console.error(`migrations check FAILED (${seconds}s, ${where})`);
    return 1;
  }
  if (out.length > 0) console.log(out.join('\n'));
  if (!values.quiet)
    console.log(
      `✓ ${migrations.migrations.length} migration(s) in ${rel(migrationsPath)} match ${rel(schemaPath)}` +
        ` (${seconds}s, ${where})`,
    );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`migrations check FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
