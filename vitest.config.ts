import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    // Native SQLite and child processes: separate processes keep tests from sharing state.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
