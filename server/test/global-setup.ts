import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase, type Database } from '../src/lib/db.ts';
import { JobQueue } from '../src/lib/jobs.ts';
import { createLogger } from '../src/lib/logger.ts';
import { dropDatabase, postgresUrlFor, useAdmin } from './db.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A tarball of a migrated PGlite data directory (server/test/db.ts loads it per suite). */
    pgliteTemplate: string;
    /** With TEST_DATABASE=postgres: a migrated database each suite clones (`CREATE DATABASE … TEMPLATE`). */
    postgresTemplate: string;
    /** This run's id: the browser suites build the client once per run under a lock named after it. */
    testRunId: string;
  }
}

/**
 * Runs once before all test files: migrates one database and installs the job queue's schema in it,
 * so that every suite starts from a copy instead of running initdb and every migration again.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const cleanups: Array<() => Promise<void>> = [];

  const runId = randomBytes(6).toString('hex');
  project.provide('testRunId', runId);
  cleanups.push(() =>
    fs.rm(path.join(os.tmpdir(), `polaris-client-build-${runId}`), { recursive: true, force: true }),
  );

  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'polaris-test-template-'));
  cleanups.push(() => fs.rm(tmp, { recursive: true, force: true }));
  const pglite = await openDatabase({ pgliteDir: 'memory', logger });
  try {
    await installJobQueue(pglite);
    const tarball = await pglite.dumpDataDir!();
    const file = path.join(tmp, 'pglite-datadir.tar');
    await fs.writeFile(file, Buffer.from(await tarball.arrayBuffer()));
    project.provide('pgliteTemplate', file);
  } finally {
    await pglite.close();
  }

  const adminUrl = process.env.TEST_POSTGRES_URL;
  if (process.env.TEST_DATABASE === 'postgres' && adminUrl) {
    const name = `polaris_template_${randomBytes(6).toString('hex')}`;
    await useAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
    cleanups.push(() => dropDatabase(adminUrl, name));
    const database = await openDatabase({ databaseUrl: postgresUrlFor(adminUrl, name), logger, poolSize: 2 });
    try {
      await installJobQueue(database);
    } finally {
      await database.close();
    }
    project.provide('postgresTemplate', name);
  }

  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
}

async function installJobQueue(database: Database): Promise<void> {
  const jobs = new JobQueue({ url: database.url, logger: createLogger('silent'), stopGraceMs: 0 });
  await jobs.start();
  await jobs.stop();
}
