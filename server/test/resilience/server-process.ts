import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A Polaris server in its own process, as an operator runs it (`tsx server/src/index.ts`), for fault
 * tests that kill it with SIGKILL. Node runs tsx's loader itself: the tsx CLI would put a second
 * process in between, and a SIGKILL to it would leave the server running.
 */
export interface ServerProcess {
  name: string;
  child: ChildProcess;
  url: string;
  /** Everything it printed (JSON log lines). */
  output(): string;
  exited: Promise<void>;
  /** kill -9, and wait until the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (graceful stop: the stand-ins are saved), and wait. */
  stop(): Promise<void>;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export async function spawnServer(name: string, env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  let listening = false;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start:\n${output.slice(-2000)}`)),
      90_000,
    );
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (listening) return;
      for (const line of output.split('\n')) {
        if (!line.includes('Polaris Express listening')) continue;
        clearTimeout(timer);
        listening = true;
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!listening) reject(new Error(`${name} exited (${code}):\n${output.slice(-2000)}`));
    });
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    child,
    url,
    output: () => output,
    exited,
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!gone()) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Polls `probe` until it returns something truthy (a condition, not a sleep). */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
