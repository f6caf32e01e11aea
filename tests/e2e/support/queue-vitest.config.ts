import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Runs only the queue e2e files, in a test slot of their own, without the shared global setup:
 *   HOTLINE_TEST_SLOT=2 npx vitest run -c tests/e2e/support/queue-vitest.config.ts [file]
 * (see queue-global-setup.ts for why). `npx vitest run --project e2e tests/e2e/queue.test.ts`
 * runs the same files with the normal e2e setup.
 */
export default defineConfig({
  test: {
    root: resolve(import.meta.dirname, '../../..'),
    include: ['tests/e2e/queue*.test.ts'],
    environment: 'node',
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    testTimeout: 90_000,
    hookTimeout: 120_000,
    globalSetup: ['tests/e2e/support/queue-global-setup.ts'],
  },
});
