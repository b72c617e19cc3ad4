/**
 * `npm run bench [suite…]` — runs the benchmarks against a freshly started local product and
 * writes bench/results/<suite>.<postgres mode>.json. Suites: speed-to-lead, events. Environment: BENCH_* knobs in each
 * suite; DATABASE_URL / REDIS_URL to measure against real servers instead of the embedded ones.
 */
import { startBenchStack, writeResult } from './harness';
import { benchEvents } from './events';
import { benchSpeedToLead } from './speed-to-lead';

const SUITES = { 'speed-to-lead': benchSpeedToLead, events: benchEvents } as const;

async function main() {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = (wanted.length ? wanted : Object.keys(SUITES)) as Array<keyof typeof SUITES>;
  for (const n of names) if (!(n in SUITES)) throw new Error(`unknown suite ${n}; known: ${Object.keys(SUITES).join(', ')}`);
  const env = await startBenchStack();
  try {
    for (const name of names) {
      console.log(`[bench] ${name}…`);
      const result = await SUITES[name](env);
      const mode = { postgres: env.stack.workerEnv.POSTGRES_MODE, redis: env.stack.workerEnv.REDIS_MODE, qstash: env.stack.workerEnv.QSTASH_MODE };
      // One file per suite and database mode, so embedded and real-server runs sit side by side.
      const file = writeResult(`${name}.${mode.postgres}`, { mode, result });
      console.log(JSON.stringify(result, null, 2));
      console.log(`[bench] wrote ${file}`);
    }
  } finally {
    await env.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
