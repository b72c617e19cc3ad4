/**
 * Vitest global setup (runs in Node): starts the same local stack `npm start` uses, on free
 * ports with an in-memory Postgres, applies the migrations, and hands the Worker's variables to
 * the workerd test runtime through `provide`. With DATABASE_URL / REDIS_URL set (the CI's
 * real-server pass) it uses those servers instead, in a database created for this run.
 */
import type { TestProject } from 'vitest/node';
import { localNeonPool } from '../../local/postgres/neon-node';
import { startNeonWsBridge } from '../../local/postgres/ws-bridge';
import { stackOptionsFromEnv } from '../../local/options';
import { startLocalStack } from '../../local/stack';

declare module 'vitest' {
  export interface ProvidedContext {
    workerEnv: Record<string, string>;
  }
}

export const TEST_APP_URL = 'http://leadpulse.test';

export default async function setup(project: TestProject) {
  const env = { ...process.env };
  let dropDatabase: (() => Promise<void>) | undefined;
  if (env.DATABASE_URL) {
    const created = await createScratchDatabase(env.DATABASE_URL);
    env.DATABASE_URL = created.url;
    dropDatabase = created.drop;
  }
  const stack = await startLocalStack(stackOptionsFromEnv(env, { appUrl: TEST_APP_URL }));
  project.provide('workerEnv', { ...stack.workerEnv, LOG_LEVEL: 'error' });
  return async () => {
    await stack.close();
    await dropDatabase?.();
  };
}

/** A fresh database per run on a shared server, so runs never see each other's rows. */
async function createScratchDatabase(adminUrl: string) {
  const u = new URL(adminUrl);
  const bridge = await startNeonWsBridge({ allowedTargets: [`${u.hostname}:${u.port || 5432}`] });
  const name = `leadpulse_test_${Date.now()}_${process.pid}`;
  const admin = localNeonPool(adminUrl, bridge.wsProxy, 1);
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
      await bridge.close();
    },
  };
}
