import { localNeonPool } from './neon-node';
import { startNeonWsBridge } from './ws-bridge';

/** Scratch databases are named leadpulse_<label>_<epoch ms>_<pid>. */
const SCRATCH_NAME = /^leadpulse_[a-z0-9]+_(\d{13})_\d+$/;
/** No test or benchmark run lasts this long: an older scratch database belongs to a run that died. */
const STALE_AFTER_MS = 24 * 3_600_000;

/**
 * A fresh database on a shared PostgreSQL server for one test run, so runs (and a developer's
 * own data) never see each other's rows. `drop()` removes it. Runs that were killed before
 * dropping theirs (a benchmark stopped with Ctrl-C, CI cut off at its time limit) leave it
 * behind, so each new one first clears scratch databases older than a day.
 */
export async function createScratchDatabase(serverUrl: string, label = 'test') {
  const u = new URL(serverUrl);
  const bridge = await startNeonWsBridge({ allowedTargets: [`${u.hostname}:${u.port || 5432}`] });
  const name = `leadpulse_${label}_${Date.now()}_${process.pid}`;
  // The Neon driver's wsProxy is process-wide (neonConfig), and the stack started after this
  // points it at its own bridge, gone by the time the run drops its database: so each use opens
  // its own short-lived pool, which takes this bridge while it is the one configured.
  const withAdmin = async (fn: (admin: Admin) => Promise<void>) => {
    const admin = localNeonPool(serverUrl, bridge.wsProxy, 1);
    try {
      await fn(admin);
    } finally {
      await admin.end();
    }
  };
  await withAdmin(async (admin) => {
    await dropStaleScratchDatabases(admin);
    await admin.query(`create database ${name}`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await withAdmin((admin) => dropDatabase(admin, name));
      await bridge.close();
    },
  };
}

type Admin = ReturnType<typeof localNeonPool>;

async function dropStaleScratchDatabases(admin: Admin): Promise<void> {
  const { rows } = await admin.query(`select datname from pg_database where datname like 'leadpulse\\_%'`);
  for (const { datname } of rows as Array<{ datname: string }>) {
    const created = SCRATCH_NAME.exec(datname)?.[1];
    if (created && Date.now() - Number(created) > STALE_AFTER_MS) await dropDatabase(admin, datname);
  }
}

/** A failed drop does not fail the run that used the database, but it is said, with the name to drop by hand. */
async function dropDatabase(admin: Admin, name: string): Promise<void> {
  await admin.query(`drop database if exists "${name}" with (force)`).catch((err: Error) => {
    console.warn(`scratch database ${name} was not dropped (${err.message}); drop it with: dropdb ${name}`);
  });
}
