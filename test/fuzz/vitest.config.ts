import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** `npm run fuzz`: only the property tests, each at its full number of runs (FUZZ_SCALE multiplies them). */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/fuzz/**/*.test.ts'],
    env: { FUZZ_SCALE: process.env.FUZZ_SCALE ?? '1' },
    testTimeout: 600_000,
    pool: 'forks',
  },
});
