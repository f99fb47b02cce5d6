/** Small helpers shared by the benchmark scenarios (no product code here). */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** One line of the results table: product and baseline measured in the same run. */
export interface ScenarioResult {
  name: string;
  unit: string;
  product: number;
  baseline: number;
  /** product / baseline. Throughputs: below 1 = slower than raw. Latencies: above 1 = slower than raw. */
  ratio: number;
  /** Percentiles and other facts, in milliseconds unless the key says otherwise. */
  details?: Record<string, number | string>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarise(samples: number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on one host. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

let tasksetAvailable: boolean | null = null;
export function hasTaskset(): boolean {
  if (tasksetAvailable === null) {
    try {
      execFileSync('taskset', ['-V'], { stdio: 'ignore' });
      tasksetAvailable = true;
    } catch {
      tasksetAvailable = false;
    }
  }
  return tasksetAvailable;
}

/** Pins this process (all its threads) to one core, when taskset exists. Returns whether it did. */
export function pinSelf(core: number): boolean {
  if (!hasTaskset()) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `bench/<script>` in its own Node process (tsx loader, plus `nodeFlags` such as
 * `--expose-gc`), pinned to `core` when possible, with an IPC channel. Resolves once the child sends `{ type: 'ready', ... }`.
 */
export async function startChild<T extends { type: 'ready' }>(
  script: string,
  args: string[],
  core: number,
  env: Record<string, string> = {},
  nodeFlags: string[] = [],
): Promise<{ child: ChildProcess; ready: T; stop: () => Promise<void> }> {
  const nodeArgs = [...nodeFlags, '--import', 'tsx', path.join(ROOT, 'bench', script), ...args];
  const [command, argv] = hasTaskset()
    ? ['taskset', ['-c', String(core), process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const child = spawn(command as string, argv as string[], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<T>((resolve, reject) => {
    child.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready') resolve(message as T);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited early (${code})`)));
  });
  return {
    child,
    ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Sends a message to a child and waits for the reply of the given type. */
export function request<T>(child: ChildProcess, message: object, replyType: string): Promise<T> {
  return new Promise<T>((resolve) => {
    const onMessage = (reply: { type?: string }) => {
      if (reply?.type !== replyType) return;
      child.off('message', onMessage);
      resolve(reply as T);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

export function fmt(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 1) return value.toFixed(2);
  return value.toFixed(3);
}
