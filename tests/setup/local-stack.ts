/**
 * Vitest global setup (runs in Node): starts the same local stack `npm start` uses, on free
 * ports with an in-memory Postgres, applies the migrations, and hands the Worker's variables to
 * the workerd test runtime through `provide`. With DATABASE_URL / REDIS_URL set (the CI's
 * real-server pass) it uses those servers instead, in a database created for this run.
 */
import { readFileSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import type { TestProject } from 'vitest/node';

// Loaded through tsx (plain Node resolution) rather than this project's Vite runner, which
// resolves packages with workerd/browser conditions meant for the Worker, not for Node servers.
type StackModules = typeof import('../../local/stack') & typeof import('../../local/options') & typeof import('../../local/postgres/scratch');
async function loadStack(): Promise<StackModules> {
  const [stack, options, scratch] = await Promise.all([
    tsImport('../../local/stack.ts', import.meta.url),
    tsImport('../../local/options.ts', import.meta.url),
    tsImport('../../local/postgres/scratch.ts', import.meta.url),
  ]);
  return { ...stack, ...options, ...scratch };
}

declare module 'vitest' {
  export interface ProvidedContext {
    workerEnv: Record<string, string>;
    /** The GHL stand-in's base URL (its /_standin/* inspection API). */
    ghlStandInUrl: string;
    /** Development-only private keys (PKCS#8 PEM) to sign GHL webhooks inside workerd tests. */
    ghlDevPrivateKeys: { ed25519: string; rsa: string };
    /** The Anthropic Messages API stand-in, for tests that drive the Claude assistant inside workerd. */
    anthropicStandIn: { url: string; apiKey: string };
    /** The tenant-webhook receiver (local/webhook-sink): give each test its own path, inspect with /_sink/requests. */
    webhookSinkUrl: string;
  }
}

export const TEST_APP_URL = 'http://leadpulse.test';

export default async function setup(project: TestProject) {
  const { createScratchDatabase, startLocalStack, stackOptionsFromEnv } = await loadStack();
  const env = { ...process.env };
  let dropDatabase: (() => Promise<void>) | undefined;
  if (env.DATABASE_URL) {
    const created = await createScratchDatabase(env.DATABASE_URL);
    env.DATABASE_URL = created.url;
    dropDatabase = created.drop;
  }
  const stack = await startLocalStack(stackOptionsFromEnv(env, { appUrl: TEST_APP_URL }));
  project.provide('workerEnv', { ...stack.workerEnv, LOG_LEVEL: 'error' });
  project.provide('ghlStandInUrl', stack.ghl?.url ?? '');
  project.provide('webhookSinkUrl', stack.webhookSink?.url ?? '');
  // Not in the Worker's env: the product runs the deterministic assistant in tests unless a test
  // builds the Claude assistant itself against this stand-in.
  const { startAnthropicStandIn } = (await tsImport('../../local/anthropic/server.ts', import.meta.url)) as typeof import('../../local/anthropic/server');
  const anthropic = await startAnthropicStandIn({ apiKey: `sk-ant-test-${crypto.randomUUID()}` });
  project.provide('anthropicStandIn', { url: anthropic.url, apiKey: anthropic.apiKey });
  const fixture = (name: string) => readFileSync(new URL(`../../local/fixtures/ghl/${name}`, import.meta.url), 'utf8');
  project.provide('ghlDevPrivateKeys', { ed25519: fixture('ed25519-private.pem'), rsa: fixture('rsa-private.pem') });
  return async () => {
    await anthropic.close();
    await stack.close();
    await dropDatabase?.();
  };
}
