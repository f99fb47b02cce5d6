// Runs `prisma generate` offline: generation is WASM-only, but the CLI insists that a schema-engine
// binary exists, so point it at any existing file when none is configured (see README).
import { spawnSync } from 'node:child_process';

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const result = spawnSync('prisma', ['generate'], { stdio: ['ignore', 'pipe', 'inherit'], env, shell: false });
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? '');
  process.exit(result.status ?? 1);
}
