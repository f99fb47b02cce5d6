import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * The embedded PGlite is served on a Unix socket in a private temp directory (`polaris-pg-…`).
 * A clean stop removes it; a killed instance cannot, so every start removes the directories of
 * instances that are gone: the owner's pid (written into the directory) no longer runs, or — for an
 * older directory without one — nothing answers on its socket any more.
 */

export const SOCKET_DIR_PREFIX = 'polaris-pg-';
export const SOCKET_FILE = '.s.PGSQL.5432';
const OWNER_FILE = 'owner.pid';
const OWNERLESS_GRACE_MS = 60_000;

/** A new socket directory owned by this process. */
export async function createSocketDir(tmpDir = os.tmpdir()): Promise<string> {
  const dir = await fs.mkdtemp(path.join(tmpDir, SOCKET_DIR_PREFIX));
  await fs.writeFile(path.join(dir, OWNER_FILE), String(process.pid));
  return dir;
}

/** Removes the socket directories whose owner is dead; returns the removed paths. Never throws. */
export async function removeStaleSocketDirs(tmpDir = os.tmpdir()): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(tmpDir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(SOCKET_DIR_PREFIX)) continue;
    const dir = path.join(tmpDir, name);
    try {
      if (!(await isStale(dir))) continue;
      await fs.rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Someone else's directory, or removed meanwhile: leave it.
    }
  }
  return removed;
}

async function isStale(dir: string): Promise<boolean> {
  const stat = await fs.lstat(dir);
  if (!stat.isDirectory()) return false;
  const owner = await fs.readFile(path.join(dir, OWNER_FILE), 'utf8').catch(() => null);
  if (owner !== null) {
    const pid = Number.parseInt(owner.trim(), 10);
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processRuns(pid);
  }
  // No owner file: one being created right now (leave it), or from an older version — stale when a
  // minute old and nothing listens on its socket.
  if (Date.now() - stat.mtimeMs < OWNERLESS_GRACE_MS) return false;
  return !(await socketAnswers(path.join(dir, SOCKET_FILE)));
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function socketAnswers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    const done = (answers: boolean) => {
      socket.destroy();
      resolve(answers);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(1_000, () => done(true));
  });
}
