import { mkdirSync } from 'node:fs';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// The Worker's assets folder must exist for workerd to start, even before the first web build.
mkdirSync('web/out', { recursive: true });

export default defineConfig({
  test: {
    projects: [
      {
        // Stand-ins driven by the providers' own clients, the migrator, and end-to-end runs of
        // the real `wrangler dev` stack.
        test: {
          name: 'node',
          environment: 'node',
          include: ['local/**/*.test.ts', 'tests/node/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The Worker itself, inside workerd, against the local stack started by the global setup.
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: inject('workerEnv') },
          })),
        ],
        test: {
          name: 'worker',
          include: ['worker/**/*.test.ts'],
          globalSetup: ['tests/setup/local-stack.ts'],
          // One workerd module graph per worker instead of per file: loading the Worker costs
          // ~3 s, paid 57 times with isolation (≈6 min of a CI run) and twice without. Every test
          // makes its own tenant, so files share nothing they could trip over.
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
