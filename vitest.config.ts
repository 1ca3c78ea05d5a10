import { defineConfig } from 'vitest/config';

// Test tiers are told apart by suffix: *.test.ts (pure), *.int.test.ts (real PostgreSQL and
// Redis), *.e2e.test.ts (real processes and the emulators).
const roots = ['packages', 'bots', 'services', 'scripts', 'bench'].map((r) => `${r}/**/*`);
const ignore = ['**/node_modules/**', '**/dist/**'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: roots.map((r) => `${r}.test.ts`),
          exclude: [...ignore, '**/*.int.test.ts', '**/*.e2e.test.ts'],
        },
      },
      {
        test: {
          name: 'int',
          include: roots.map((r) => `${r}.int.test.ts`),
          exclude: ignore,
          globalSetup: ['packages/db/src/testing/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: roots.map((r) => `${r}.e2e.test.ts`),
          exclude: ignore,
          globalSetup: ['packages/db/src/testing/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // End-to-end files spawn whole processes: one file at a time on a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
