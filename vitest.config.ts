import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'rules/**/*.test.ts'],
    // PGlite boots in ~3 s per instance; fixtures share a cache but the first boot is slow.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
