/**
 * The client build the browser tests serve (client/dist), made at most once per test run.
 *
 * Each browser suite used to run `vite build` in its own beforeAll. With two workers, one suite's
 * build emptied client/dist while another suite's Chromium was loading pages from it: a blank page
 * (no script, no heading) that failed far from its cause. Now the first suite of a run builds, under
 * a lock only one process can take (an atomic mkdir named after the run), and the others wait for
 * its outcome. A build already newer than every client source is used as it is.
 *
 * E2E_SKIP_BUILD=1 skips it (serve whatever client/dist holds).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inject } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const INDEX = path.join(ROOT, 'client/dist/index.html');
const SOURCES = ['client/src', 'client/index.html', 'client/vite.config.ts', 'shared'].map((p) =>
  path.join(ROOT, p),
);
const WAIT_MS = 300_000;

/** The newest modification time under `target` (a file or a folder), 0 when it does not exist. */
function newest(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(target)
    .reduce((max, name) => Math.max(max, newest(path.join(target, name))), stat.mtimeMs);
}

function upToDate(): boolean {
  const builtAt = fs.existsSync(INDEX) ? fs.statSync(INDEX).mtimeMs : 0;
  return builtAt > 0 && SOURCES.every((source) => newest(source) <= builtAt);
}

async function build(): Promise<void> {
  if (upToDate()) return;
  await promisify(execFile)(
    path.join(ROOT, 'node_modules/.bin/vite'),
    ['build', '--config', 'client/vite.config.ts'],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
}

/** Resolves once client/dist holds this run's build; throws the build's error in every suite. */
export async function ensureClientBuild(): Promise<void> {
  if (process.env.E2E_SKIP_BUILD) return;
  const lock = path.join(os.tmpdir(), `polaris-client-build-${inject('testRunId')}`);
  const done = path.join(lock, 'done');
  const failed = path.join(lock, 'failed');
  let builder = true;
  try {
    fs.mkdirSync(lock);
  } catch {
    builder = false;
  }
  if (builder) {
    try {
      await build();
      fs.writeFileSync(done, '');
    } catch (error) {
      const err = error as Error & { stdout?: string; stderr?: string };
      const message = `client build failed:\n${err.stdout ?? ''}\n${err.stderr ?? err.message}`;
      fs.writeFileSync(failed, message);
      throw new Error(message, { cause: error });
    }
    return;
  }
  // Another suite of this run builds: wait for its outcome.
  const deadline = Date.now() + WAIT_MS;
  while (!fs.existsSync(done)) {
    if (fs.existsSync(failed)) throw new Error(fs.readFileSync(failed, 'utf8'));
    if (Date.now() > deadline) throw new Error(`no client build after ${WAIT_MS / 1000} s (lock ${lock})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
