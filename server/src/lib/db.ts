import fs from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from './logger.ts';
import { applyMigrations } from './migrate.ts';
import { startPGliteServer } from './pglite-server.ts';
import { createSocketDir, removeStaleSocketDirs, SOCKET_FILE } from './pglite-socket-dirs.ts';

export type Db = PrismaClient;

export interface Database {
  prisma: PrismaClient;
  /** Connection string every component uses (Prisma, the job queue, raw pg): one code path for both engines. */
  url: string;
  engine: 'pglite' | 'postgres';
  /** Counts SQL statements sent by Prisma; tests use it to prove no N+1. */
  queryCount(): number;
  /** Embedded PGlite only: its data directory as an uncompressed tarball (see `pgliteDataDir`). */
  dumpDataDir?: () => Promise<Blob>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** External PostgreSQL; when absent an embedded PGlite is served over a local socket. */
  databaseUrl?: string | undefined;
  /** Where PGlite persists its files; `memory` keeps it in memory (tests). */
  pgliteDir?: string | 'memory';
  /**
   * An in-memory PGlite starts from this data directory (a `dumpDataDir` tarball) instead of running
   * initdb: the test suites clone one migrated database this way. Ignored for an external database.
   */
  pgliteDataDir?: Blob;
  poolSize?: number;
  logger: Logger;
}

/**
 * Opens the database, applies pending migrations and returns a Prisma client. PGlite is exposed on a
 * Unix socket through pglite-socket so that Prisma's pg adapter, the job queue and raw queries use the
 * same driver against PGlite and PostgreSQL.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { logger } = options;
  let url = options.databaseUrl;
  let embedded: { server: PGLiteSocketServer; db: PGlite; socketDir: string; ownsDir: boolean } | undefined;

  if (!url) {
    const dir = options.pgliteDir ?? 'memory';
    if (dir !== 'memory') await fs.mkdir(dir, { recursive: true });
    const db =
      dir === 'memory'
        ? new PGlite(options.pgliteDataDir ? { loadDataDir: options.pgliteDataDir } : {})
        : new PGlite(path.resolve(dir));
    await db.waitReady;
    // A short private directory for the socket: Unix socket paths are limited to ~100 bytes.
    // Killed instances leave their socket directories behind: remove those first.
    const stale = await removeStaleSocketDirs();
    if (stale.length > 0) logger.info({ removed: stale.length }, 'stale PGlite socket directories removed');
    const socketDir = await createSocketDir();
    const server = await startPGliteServer(db, path.join(socketDir, SOCKET_FILE));
    embedded = { server, db, socketDir, ownsDir: true };
    url = `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`;
    logger.info(
      { dir: dir === 'memory' ? 'memory' : path.resolve(dir) },
      'embedded PostgreSQL (PGlite) started',
    );
  }

  await applyMigrations(url, logger);

  // PGlite serialises everything on one connection; a small pool avoids pointless queueing there.
  const max = embedded ? 4 : (options.poolSize ?? 10);
  const prisma = new PrismaClient({
    // A database that does not answer (host gone, not refusing) fails requests after 10 s instead of hanging them.
    adapter: new PrismaPg({ connectionString: url, max, connectionTimeoutMillis: 10_000 }),
    log: [{ emit: 'event', level: 'query' }],
  });
  const pglite = embedded?.db;
  let queries = 0;
  prisma.$on('query', () => {
    queries += 1;
  });
  await prisma.$connect();

  return {
    prisma,
    url,
    engine: embedded ? 'pglite' : 'postgres',
    queryCount: () => queries,
    ...(pglite ? { dumpDataDir: () => pglite.dumpDataDir('none') } : {}),
    async close() {
      await prisma.$disconnect();
      if (embedded) {
        await embedded.server.stop();
        await embedded.db.close();
        await fs.rm(embedded.socketDir, { recursive: true, force: true });
      }
    },
  };
}
