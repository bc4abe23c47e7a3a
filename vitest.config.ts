import { defineConfig } from 'vitest/config';

// Tests run the TypeScript sources directly; fabric tests need root and real daemons.
// Two groups: the suite, two files at a time; then, alone on the machine, the tests whose
// verdict is a latency under load (the bot's acks while 100 requests arrive at once), so that
// what they measure is the bot, not another test file's fabric competing for the two cores.
const ALONE = ['test/security/load.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/global-teardown.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'suite', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: ALONE, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'alone', include: ALONE, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
