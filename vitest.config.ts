import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    // On PostgreSQL: a fresh database per worker (test/support/worker-database.ts).
    setupFiles: ['test/support/worker-database.ts'],
    // One PGlite per worker costs seconds; two workers match the two cores here.
    pool: 'forks',
    // Files in a worker share its one database (test/support/database.ts).
    isolate: false,
    maxWorkers: 2,
    // The evaluation, award and contract tests play a whole tender through the API first (opening, draw,
    // committee): tens of seconds on two busy cores.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
