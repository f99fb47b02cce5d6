import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // One graphql instance: Node (and so Pothos, Yoga, envelop) loads graphql's CommonJS entry, while
  // Vite would hand our sources the .mjs one, and the two reject each other's types and errors.
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/**/*.test.ts', 'client/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Migrates one database that every suite copies (server/test/db.ts).
    globalSetup: ['./server/test/global-setup.ts'],
    // Most suites wait on sockets, timers and the database rather than compute: more workers than
    // cores keeps both cores busy (Vitest's default is one fewer worker than cores). VITEST_MAX_WORKERS overrides.
    maxWorkers: process.env.VITEST_MAX_WORKERS ?? 3,
    reporters: ['default', './server/test/summary-reporter.ts'],
  },
});
