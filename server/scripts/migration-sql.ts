// Migration SQL from prisma/schema.prisma without Prisma's native schema engine (offline; see
// prisma-schema-engine.ts). With network access `prisma migrate dev` does the same job.
//
//   tsx server/scripts/migration-sql.ts from-empty      full SQL for an empty database (stdout)
//   tsx server/scripts/migration-sql.ts diff            SQL from the committed migrations to the schema (stdout)
//   tsx server/scripts/migration-sql.ts new <name>      writes prisma/migrations/<timestamp>_<name>/migration.sql
//                                                       with that SQL (the first one also gets migration_lock.toml)
// Options: --schema <file or folder>  --migrations <folder>  --allow-empty (new: write even if nothing changed)
// `--from-empty` is accepted for `from-empty`.
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_MIGRATIONS,
  DEFAULT_SCHEMA,
  LOCK_FILE,
  LOCK_FILE_CONTENT,
  readMigrationsDir,
  readSchema,
  sqlFromEmpty,
  sqlFromMigrations,
} from './prisma-schema-engine.ts';

const USAGE = `usage: tsx server/scripts/migration-sql.ts <from-empty | diff | new <name>>
       [--schema prisma/schema.prisma] [--migrations prisma/migrations] [--allow-empty]`;

/** Prisma's folder timestamp (UTC, YYYYMMDDHHMMSS), kept after the newest existing folder. */
function nextTimestamp(existing: string[]): string {
  const format = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const now = format(new Date());
  const last = existing
    .map((n) => n.slice(0, 14))
    .filter((t) => /^\d{14}$/.test(t))
    .sort()
    .at(-1);
  if (last === undefined || now > last) return now;
  // The clock is behind the newest folder (or two migrations in one second): one second after it.
  const iso = last.replace(/^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/, '$1-$2-$3T$4:$5:$6Z');
  return format(new Date(Date.parse(iso) + 1000));
}

/** Statements worth a second look before committing (Prisma's `migrate dev` warns about the same). */
function warnings(sql: string): string[] {
  const found: string[] = [];
  for (const stmt of sql.split(/;\s*$/m)) {
    const s = stmt.replace(/^--.*$/gm, '').trim();
    if (/^DROP TABLE/i.test(s)) found.push(`drops a table: ${s}`);
    else if (/DROP COLUMN/i.test(s)) found.push(`drops column(s), their data is lost: ${s}`);
    else if (/ADD COLUMN[^,]*NOT NULL(?![^,]*DEFAULT)/i.test(s))
      found.push(`adds a required column without a default; fails on a table that has rows: ${s}`);
    else if (/ALTER COLUMN .* (SET DATA TYPE|TYPE)/i.test(s)) found.push(`changes a column type: ${s}`);
    else if (/^CREATE UNIQUE INDEX/i.test(s))
      found.push(`adds a unique index; fails if duplicates exist: ${s}`);
    else if (/^DROP TYPE|^ALTER TYPE .* RENAME/i.test(s)) found.push(`recreates/drops an enum: ${s}`);
  }
  return found;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      schema: { type: 'string', default: DEFAULT_SCHEMA },
      migrations: { type: 'string', default: DEFAULT_MIGRATIONS },
      'allow-empty': { type: 'boolean', default: false },
      'from-empty': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = values['from-empty'] ? 'from-empty' : positionals[0];
  if (values.help || command === undefined) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const schema = await readSchema(values.schema);

  if (command === 'from-empty') {
    process.stdout.write(await sqlFromEmpty(schema));
    return 0;
  }

  const migrations = await readMigrationsDir(values.migrations);
  if (migrations.problems.length > 0) {
    console.error(`${values.migrations} is malformed:\n  ${migrations.problems.join('\n  ')}`);
    return 1;
  }

  if (command === 'diff') {
    const out = await sqlFromMigrations(schema, migrations);
    process.stdout.write(out.sql);
    return 0;
  }

  if (command === 'new') {
    const rawName = positionals[1];
    const name = (rawName ?? '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 200);
    if (!name) {
      console.error(`new needs a name, e.g. new add_card_labels\n${USAGE}`);
      return 2;
    }
    const out = await sqlFromMigrations(schema, migrations);
    if (out.empty && !values['allow-empty']) {
      console.error(
        'No changes: the migrations already build schema.prisma. Nothing written (see --allow-empty).',
      );
      return 0;
    }
    const folder = `${nextTimestamp(migrations.migrations.map((m) => m.name))}_${name}`;
    const dir = path.join(values.migrations, folder);
    await fs.mkdir(dir, { recursive: true });
    if (migrations.lockfile === null)
      await fs.writeFile(path.join(values.migrations, LOCK_FILE), LOCK_FILE_CONTENT);
    await fs.writeFile(path.join(dir, 'migration.sql'), out.sql);
    console.log(`Wrote ${path.relative(process.cwd(), path.join(dir, 'migration.sql'))}:\n\n${out.sql}`);
    const w = warnings(out.sql);
    if (w.length > 0) console.error(`Review before committing:\n  - ${w.join('\n  - ')}`);
    return 0;
  }

  console.error(`unknown command ${command}\n${USAGE}`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
