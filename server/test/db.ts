import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import pg from 'pg';
import { openDatabase, type Database } from '../src/lib/db.ts';
import { createLogger } from '../src/lib/logger.ts';

/**
 * A fresh, migrated database for one test suite. By default an in-memory PGlite; with
 * TEST_DATABASE=postgres (and TEST_POSTGRES_URL pointing at a server where we may create databases)
 * a new PostgreSQL database that is dropped again on close. CI runs the whole suite both ways.
 *
 * Under Vitest the database is a copy of the one server/test/global-setup.ts migrated once (PGlite:
 * its saved data directory; PostgreSQL: `CREATE DATABASE … TEMPLATE`); migrations then find nothing
 * left to apply. Elsewhere (the benches) it is created and migrated from scratch.
 */
export async function createTestDatabase(
  options: { engine?: 'pglite' | 'postgres' } = {},
): Promise<Database> {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const engine = options.engine ?? (process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'pglite');
  const templates = await providedTemplates();
  if (engine !== 'postgres') {
    const pgliteDataDir = templates.pglite ? new Blob([await fs.readFile(templates.pglite)]) : undefined;
    return openDatabase({ pgliteDir: 'memory', logger, ...(pgliteDataDir ? { pgliteDataDir } : {}) });
  }

  const adminUrl = process.env.TEST_POSTGRES_URL;
  if (!adminUrl)
    throw new Error(
      'TEST_DATABASE=postgres needs TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)',
    );
  const name = `polaris_test_${randomBytes(6).toString('hex')}`;
  const template = templates.postgres ? ` TEMPLATE ${templates.postgres}` : '';
  await useAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}${template}`));
  const database = await openDatabase({ databaseUrl: postgresUrlFor(adminUrl, name), logger, poolSize: 5 });
  return {
    ...database,
    async close() {
      await database.close();
      await dropDatabase(adminUrl, name);
    },
  };
}

/** What the global setup prepared, when running under Vitest with it. */
async function providedTemplates(): Promise<{ pglite?: string | undefined; postgres?: string | undefined }> {
  if (!process.env.VITEST) return {};
  const { inject } = await import('vitest');
  return { pglite: inject('pgliteTemplate'), postgres: inject('postgresTemplate') };
}

export function postgresUrlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await useAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export async function useAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Whether the real-service suites can run; their describe blocks are skipped (by name) otherwise. */
export const services = {
  postgres: process.env.TEST_POSTGRES_URL,
  redis: process.env.TEST_REDIS_URL,
  mariadb: process.env.TEST_MARIADB_URL,
};
