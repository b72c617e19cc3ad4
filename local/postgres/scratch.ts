import { localNeonPool } from './neon-node';
import { startNeonWsBridge } from './ws-bridge';

/**
 * A fresh database on a shared PostgreSQL server for one test run, so runs (and a developer's
 * own data) never see each other's rows. `drop()` removes it.
 */
export async function createScratchDatabase(serverUrl: string, label = 'test') {
  const u = new URL(serverUrl);
  const bridge = await startNeonWsBridge({ allowedTargets: [`${u.hostname}:${u.port || 5432}`] });
  const name = `leadpulse_${label}_${Date.now()}_${process.pid}`;
  const admin = localNeonPool(serverUrl, bridge.wsProxy, 1);
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
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
