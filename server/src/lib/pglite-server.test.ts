import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPGliteServer } from './pglite-server.ts';

describe('embedded PGlite socket server', () => {
  let db: PGlite;
  let server: PGLiteSocketServer;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    db = new PGlite();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pglite-test-'));
    server = await startPGliteServer(db, path.join(dir, '.s.PGSQL.5432'));
    url = `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(dir)}`;
    await db.exec('CREATE TABLE t (id serial PRIMARY KEY, a int, b text, c int, d text)');
  });

  afterAll(async () => {
    await server.stop();
    await db.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps concurrent extended-protocol queries from different connections apart', async () => {
    const pools = [
      new pg.Pool({ connectionString: url, max: 4 }),
      new pg.Pool({ connectionString: url, max: 4 }),
    ];
    try {
      const work: Promise<unknown>[] = [];
      for (let i = 0; i < 200; i += 1) {
        const pool = pools[i % 2]!;
        // Different parameter counts make any interleaving fail loudly.
        work.push(
          i % 2 === 0
            ? pool.query('INSERT INTO t (a, b, c, d) VALUES ($1, $2, $3, $4)', [i, `b${i}`, i, `d${i}`])
            : pool.query('SELECT count(*)::int AS n FROM t WHERE a >= $1', [0]),
        );
      }
      await Promise.all(work);
      const { rows } = await pools[0]!.query<{ n: number }>('SELECT count(*)::int AS n FROM t');
      expect(rows[0]?.n).toBe(100);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('makes other connections wait while one holds a transaction', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 3 });
    try {
      const tx = await pool.connect();
      await tx.query('BEGIN');
      await tx.query('INSERT INTO t (a, b) VALUES ($1, $2)', [-1, 'uncommitted']);
      const outside = pool.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE a = $1', [-1]);
      await tx.query('ROLLBACK');
      tx.release();
      expect((await outside).rows[0]?.n).toBe(0);
    } finally {
      await pool.end();
    }
  });
});
