import { defineConfig } from 'vitest/config';

/**
 * Browser end-to-end tests (DESIGN §5): the real `ggzy serve --demo` in a child process, the real web
 * app, Debian's headless Chromium. One server for the whole run (test/browser/global-setup.ts), one
 * test file at a time: the machine has two cores and Chromium wants one of them.
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['test/browser/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
