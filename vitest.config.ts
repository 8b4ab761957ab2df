import { defineConfig } from 'vitest/config'

// Three tiers, named by suffix: *.test.ts (unit, no DB), *.integration.test.ts (real Postgres, real router),
// *.spec.ts (Playwright driving Debian's Chromium against the built app).
export default defineConfig({
  test: {
    // On CI, also write a machine-readable summary that .ci/run turns into the "N passed, N failed" closing line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.data/test-results.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{apps,packages}/*/src/**/*.test.ts', '{apps,packages}/*/app/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{apps,packages}/*/{src,tests,server}/**/*.integration.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['packages/db/src/testing/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'browser',
          include: ['apps/web/tests/e2e/**/*.spec.ts'],
          globalSetup: ['apps/web/tests/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // A poll waits on state: on a loaded 2-core machine a revalidation can take seconds, so the default 1 s was
          // a race (a CI run failed on it), not a budget.
          expect: { poll: { timeout: 15_000 } },
          pool: 'forks',
          // One server and one seeded database for the whole tier: run the spec files one after another.
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
})
