/**
 * `npm run bench [suite…]` — runs the benchmarks against a freshly started local product and
 * writes bench/results/<suite>.<postgres mode>.json. Suites: speed-to-lead, events, routing, dashboard,
 * scoring, rescore, alert-latency. Environment: BENCH_* knobs in each
 * suite; DATABASE_URL / REDIS_URL to measure against real servers instead of the embedded ones.
 */
import { startBenchStack, writeResult } from './harness';
import { benchDashboard } from './dashboard';
import { benchEvents } from './events';
import { benchRouting } from './routing';
import { benchRescore, benchScoring } from './scoring';
import { benchAlertLatency } from './alert-latency';
import { benchSpeedToLead } from './speed-to-lead';
import { benchChurn } from './churn';

const SUITES = { 'speed-to-lead': benchSpeedToLead, events: benchEvents, routing: benchRouting, dashboard: benchDashboard, scoring: benchScoring, rescore: benchRescore, 'alert-latency': benchAlertLatency, churn: benchChurn } as const;
/** Suites that measure pure code in this process and need no running product. */
const STANDALONE = new Set<string>(['routing', 'scoring']);

async function main() {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = (wanted.length ? wanted : Object.keys(SUITES)) as Array<keyof typeof SUITES>;
  for (const n of names) if (!(n in SUITES)) throw new Error(`unknown suite ${n}; known: ${Object.keys(SUITES).join(', ')}`);
  for (const name of names.filter((n) => STANDALONE.has(n))) {
    console.log(`[bench] ${name}…`);
    const result = await (SUITES[name] as () => Promise<object>)();
    console.log(JSON.stringify(result, null, 2));
    console.log(`[bench] wrote ${writeResult(name, { result })}`);
  }
  const needStack = names.filter((n) => !STANDALONE.has(n));
  if (!needStack.length) return;
  const env = await startBenchStack();
  try {
    for (const name of needStack) {
      console.log(`[bench] ${name}…`);
      const result = await (SUITES[name] as (env: Awaited<ReturnType<typeof startBenchStack>>) => Promise<object>)(env);
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
