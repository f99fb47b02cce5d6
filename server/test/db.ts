import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../src/lib/db.ts';
import { createLogger } from '../src/lib/logger.ts';

/**
 * A fresh, migrated database for one test suite. By default an in-memory PGlite; with
 * TEST_DATABASE=postgres (and TEST_POSTGRES_URL pointing at a server where we may create databases)
 * a new PostgreSQL database that is dropped again on close. CI runs the whole suite both ways.
 */
export async function createTestDatabase(
  options: { engine?: 'pglite' | 'postgres' } = {},
): Promise<Database> {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const engine = options.engine ?? (process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'pglite');
  if (engine !== 'postgres') return openDatabase({ pgliteDir: 'memory', logger });

  const adminUrl = process.env.TEST_POSTGRES_URL;
  if (!adminUrl)
    throw new Error(
      'TEST_DATABASE=postgres needs TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)',
    );
  const name = `polaris_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), logger, poolSize: 5 });
  return {
    ...database,
    async close() {
      await database.close();
      await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
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
