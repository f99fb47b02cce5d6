import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';

/**
 * A private MariaDB server with the binary log on (ROW format), for change-capture tests and the
 * `live latency cdc` bench: the machine's shared MariaDB runs with `log_bin=OFF`. The data directory
 * is created with `mariadb-install-db` in a temp dir; the server listens on a free port on
 * 127.0.0.1 and a socket in that dir, and is stopped by its pid.
 *
 * CLI (used by .ci/run): `tsx server/test/mariadb-binlog.ts check` starts one, prints what it
 * found and stops it again; exit code 0 either way (a machine without mariadbd skips those tests).
 */
export interface BinlogMariaDb {
  /** mysql://root@127.0.0.1:<port>/test (root without password, `test` exists). */
  url: string;
  port: number;
  pid: number;
  serverId: number;
  dataDir: string;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and removes its files. */
  stop(): Promise<void>;
  /** Kills the server without a clean shutdown (the files stay until `stop`). */
  kill(): Promise<void>;
}

const MARIADBD_CANDIDATES = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld', '/usr/bin/mariadbd'];

/** Path of `mariadbd`, or null when the machine has none (tests then skip, naming themselves). */
export function findMariadbd(): string | null {
  for (const path of MARIADBD_CANDIDATES) if (existsSync(path)) return path;
  const which = spawnSync('sh', ['-c', 'command -v mariadbd || command -v mysqld'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  return found && existsSync(found) ? found : null;
}

function findInstallDb(): string | null {
  const which = spawnSync('sh', ['-c', 'command -v mariadb-install-db || command -v mysql_install_db'], {
    encoding: 'utf8',
  });
  const found = which.stdout.trim();
  return found && existsSync(found) ? found : null;
}

/** Whether binlog tests can run here; when not, `reason` says what is missing. */
export function binlogMariaDbAvailable(): { ok: true } | { ok: false; reason: string } {
  if (!findMariadbd()) return { ok: false, reason: 'mariadbd not found' };
  if (!findInstallDb()) return { ok: false, reason: 'mariadb-install-db not found' };
  return { ok: true };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts a MariaDB server with `--log-bin --binlog-format=ROW --server-id=<serverId>` and waits
 * until it accepts connections (polling a connect, up to `readyTimeoutMs`).
 */
export async function startBinlogMariaDb(
  options: { serverId?: number; readyTimeoutMs?: number; extraArgs?: string[] } = {},
): Promise<BinlogMariaDb> {
  const mariadbd = findMariadbd();
  const installDb = findInstallDb();
  if (!mariadbd || !installDb) throw new Error('mariadbd / mariadb-install-db not found');
  const serverId = options.serverId ?? 1;
  const dir = await mkdtemp(join(tmpdir(), 'polaris-binlog-'));
  const dataDir = join(dir, 'data');
  const install = spawnSync(
    installDb,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--skip-name-resolve',
    ],
    { encoding: 'utf8' },
  );
  if (install.status !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
  }
  const port = await freePort();
  const child = spawn(
    mariadbd,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--socket=${join(dir, 'mysqld.sock')}`,
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      '--bind-address=127.0.0.1',
      `--port=${port}`,
      '--skip-name-resolve',
      `--log-bin=${join(dataDir, 'binlog')}`,
      '--binlog-format=ROW',
      `--server-id=${serverId}`,
      '--innodb-buffer-pool-size=32M',
      '--innodb-log-file-size=16M',
      '--performance-schema=OFF',
      '--max-connections=200',
      ...(process.getuid?.() === 0 ? ['--user=root'] : []),
      ...(options.extraArgs ?? []),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-4000);
  });
  const url = `mysql://root@127.0.0.1:${port}/test`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let ready = false;
  while (!ready) {
    if (child.exitCode !== null) break;
    try {
      const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
      await c.query('CREATE DATABASE IF NOT EXISTS test');
      await c.end();
      ready = true;
    } catch {
      if (Date.now() > deadline) break;
      // Wait for the server to come up: poll again shortly (the condition is the connect itself).
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
  };
  if (!ready) {
    await kill();
    await rm(dir, { recursive: true, force: true });
    throw new Error(`mariadbd did not become ready on port ${port}: ${log}`);
  }
  return {
    url,
    port,
    pid: child.pid!,
    serverId,
    dataDir,
    kill,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited(child);
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Purges every binlog but the current one (as an operator's PURGE BINARY LOGS or expiry would). A
 * dump thread still reading an old file keeps it, so dump threads are ended first; the purge is
 * repeated until only the current file is left (a killed thread lets go a moment later).
 */
export async function purgeBinaryLogs(admin: mysql.Connection, timeoutMs = 10_000): Promise<void> {
  const [dumps] = await admin.query<mysql.RowDataPacket[]>(
    "SELECT id FROM information_schema.processlist WHERE command LIKE 'Binlog Dump%'",
  );
  for (const d of dumps) await admin.query(`KILL ${Number(d.id)}`).catch(() => undefined);
  const [logs] = await admin.query<mysql.RowDataPacket[]>('SHOW BINARY LOGS');
  const current = String(logs.at(-1)!.Log_name);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await admin.query(`PURGE BINARY LOGS TO '${current}'`);
    const [left] = await admin.query<mysql.RowDataPacket[]>('SHOW BINARY LOGS');
    if (left.length === 1) return;
    if (Date.now() > deadline) throw new Error(`binlogs still in use after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const available = binlogMariaDbAvailable();
  if (!available.ok) {
    console.log(`binlog MariaDB: unavailable (${available.reason}); CDC tests and the cdc bench skip`);
  } else {
    const started = Date.now();
    const server = await startBinlogMariaDb();
    const c = await mysql.createConnection(server.url);
    const [rows] = await c.query(
      "SHOW VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format', 'version')",
    );
    await c.end();
    const vars = Object.fromEntries(
      (rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, r.Value]),
    );
    console.log(
      `binlog MariaDB: ok (${vars.version}, log_bin=${vars.log_bin}, binlog_format=${vars.binlog_format}, ready in ${Date.now() - started} ms)`,
    );
    await server.stop();
  }
}
