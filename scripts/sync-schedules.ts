import { fileURLToPath } from 'node:url';
import { Client } from '@upstash/qstash';
import { JOB_SCHEDULES } from '../worker/services/jobs/schedules';

/**
 * Creates or updates every recurring job in QStash under its fixed schedule id, so running it
 * on every start or deploy never duplicates a schedule.
 */
export async function syncJobSchedules(opts: { qstashUrl: string; token: string; appUrl: string }) {
  const client = new Client({ baseUrl: opts.qstashUrl, token: opts.token });
  const synced: string[] = [];
  for (const s of JOB_SCHEDULES) {
    await client.schedules.create({
      scheduleId: s.scheduleId,
      destination: new URL(s.path, opts.appUrl).toString(),
      cron: s.cron,
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    synced.push(s.scheduleId);
  }
  return synced;
}

// `npm run jobs:schedule` after a deploy: QSTASH_TOKEN and APP_URL from the environment.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { QSTASH_URL = 'https://qstash.upstash.io', QSTASH_TOKEN, APP_URL } = process.env;
  if (!QSTASH_TOKEN || !APP_URL) {
    console.error('Set QSTASH_TOKEN and APP_URL (the deployed Worker URL) to sync job schedules.');
    process.exit(2);
  }
  const ids = await syncJobSchedules({ qstashUrl: QSTASH_URL, token: QSTASH_TOKEN, appUrl: APP_URL });
  console.log(`Schedules synced: ${ids.join(', ')}`);
}
