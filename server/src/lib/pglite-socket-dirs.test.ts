import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db.ts';
import { createLogger } from './logger.ts';
import {
  createSocketDir,
  removeStaleSocketDirs,
  SOCKET_DIR_PREFIX,
  SOCKET_FILE,
} from './pglite-socket-dirs.ts';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

describe('stale PGlite socket directories', () => {
  let tmp: string;
  let listener: net.Server;

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'socket-dirs-test-'));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve()));
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('removes only the directories of instances that are gone', async () => {
    const killed = await createSocketDir(tmp);
    await fs.writeFile(path.join(killed, 'owner.pid'), String(deadPid()));
    await fs.writeFile(path.join(killed, SOCKET_FILE), '');
    const mine = await createSocketDir(tmp);
    // Without an owner file (older versions): one whose socket still answers, one whose does not.
    const oldAlive = await fs.mkdtemp(path.join(tmp, SOCKET_DIR_PREFIX));
    listener = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => listener.listen(path.join(oldAlive, SOCKET_FILE), resolve));
    const oldDead = await fs.mkdtemp(path.join(tmp, SOCKET_DIR_PREFIX));
    const minuteAgo = new Date(Date.now() - 120_000);
    await fs.utimes(oldAlive, minuteAgo, minuteAgo);
    await fs.utimes(oldDead, minuteAgo, minuteAgo);
    // Just created by a starting instance (owner file not written yet): left alone.
    const starting = await fs.mkdtemp(path.join(tmp, SOCKET_DIR_PREFIX));
    const unrelated = await fs.mkdtemp(path.join(tmp, 'something-else-'));
    await fs.writeFile(path.join(unrelated, 'owner.pid'), String(deadPid()));

    const removed = await removeStaleSocketDirs(tmp);

    expect(removed.sort()).toEqual([killed, oldDead].sort());
    expect(await exists(killed)).toBe(false);
    expect(await exists(oldDead)).toBe(false);
    expect(await exists(mine)).toBe(true);
    expect(await exists(oldAlive)).toBe(true);
    expect(await exists(unrelated)).toBe(true);
    expect(await exists(starting)).toBe(true);
  });

  it('is done when the embedded database starts', async () => {
    const killed = await createSocketDir();
    await fs.writeFile(path.join(killed, 'owner.pid'), String(deadPid()));
    const database = await openDatabase({ pgliteDir: 'memory', logger: createLogger('silent') });
    try {
      expect(await exists(killed)).toBe(false);
    } finally {
      await database.close();
    }
  });
});
