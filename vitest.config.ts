import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'bench/**/*.test.ts',
      'test/**/*.test.ts',
      'deploy/**/*.test.ts',
      'web/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'web/dist/**'],
    // Timeouts catch hangs; they are not performance checks (those live in bench/). They leave room
    // for a CI machine that is busy with something else: the suite must pass under a CPU hog.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Database-backed suites share one PostgreSQL schema namespace per file; two workers match the 2-core CI box.
    maxWorkers: 2,
    env: { OMP_WAIT_POLICY: 'PASSIVE' },
  },
});
