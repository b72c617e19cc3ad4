/**
 * `npm run assistant:evaluate [-- --split dev|holdout|all] [--json] [--failures] [--dir <path>]`
 *
 * Scores the deterministic seller assistant on the labelled conversations in
 * tests/fixtures/seller-conversations/{dev,holdout}/*.json: per-field accuracy, intent
 * precision/recall (opt-out called out), corrections, and the final state after replaying each
 * conversation through extract + decideTurn. It is a report: it exits 0 whatever the figures,
 * and non-zero only when a fixture is malformed (the file and conversation are named) or there
 * is nothing to evaluate.
 *
 * `--failures` lists the messages that missed, for the dev split only: reading the holdout's
 * misses line by line would turn it into a second dev set.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FIELDS,
  evaluate,
  fieldFigures,
  parseFixtureFile,
  precisionRecall,
  ratio,
  type Conversation,
  type Failure,
  type Report,
} from '../worker/assistant/evaluation';
import { INTENTS } from '../worker/assistant/types';

const SPLITS = ['dev', 'holdout'] as const;
type Split = (typeof SPLITS)[number];

interface Options {
  split: Split | 'all';
  json: boolean;
  failures: boolean;
  dir: string;
}

function parseArgs(argv: string[]): Options {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const opts: Options = { split: 'all', json: false, failures: false, dir: join(root, 'tests/fixtures/seller-conversations') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) usage(`${arg} needs a value`);
      return v;
    };
    if (arg === '--json') opts.json = true;
    else if (arg === '--failures') opts.failures = true;
    else if (arg.startsWith('--split')) {
      const v = value();
      if (v !== 'dev' && v !== 'holdout' && v !== 'all') usage(`--split must be dev, holdout or all, not "${v}"`);
      opts.split = v;
    } else if (arg.startsWith('--dir')) opts.dir = resolve(value());
    else if (arg === '--help' || arg === '-h') usage();
    else usage(`unknown option ${arg}`);
  }
  return opts;
}

function usage(problem?: string): never {
  if (problem) console.error(problem);
  console.error('usage: npm run assistant:evaluate -- [--split dev|holdout|all] [--json] [--failures] [--dir <fixtures root>]');
  process.exit(problem ? 2 : 0);
}

function load(dir: string, split: Split): { conversations: Conversation[]; problems: string[]; missing: boolean } {
  const folder = join(dir, split);
  if (!existsSync(folder)) return { conversations: [], problems: [], missing: true };
  const conversations: Conversation[] = [];
  const problems: string[] = [];
  for (const name of readdirSync(folder).filter((f) => f.endsWith('.json')).sort()) {
    const path = join(folder, name);
    const label = relative(process.cwd(), path) || path;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      problems.push(`${label}: invalid JSON (${(e as Error).message})`);
      continue;
    }
    const parsed = parseFixtureFile(label, json);
    conversations.push(...parsed.conversations);
    problems.push(...parsed.problems);
  }
  return { conversations, problems, missing: false };
}

const pct = (x: number | null): string => (x === null ? '   —  ' : `${(x * 100).toFixed(1).padStart(5)}%`);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

function render(title: string, r: Report): string {
  const out: string[] = [];
  out.push(`\n== ${title}: ${r.conversations} conversations, ${r.messages} messages ==`);
  out.push('\nFields (per message; precision over values extracted, recall over values labelled, accuracy over all messages)');
  const fieldRows = [['field', 'labelled', 'extracted', 'correct', 'wrong', 'missed', 'false+', 'precision', 'recall', 'F1', 'accuracy']];
  for (const field of FIELDS) {
    const s = r.fields[field];
    const f = fieldFigures(s);
    fieldRows.push([field, `${s.expected}`, `${s.predicted}`, `${s.correct}`, `${s.wrong}`, `${s.misses}`, `${s.falsePositives}`, pct(f.precision), pct(f.recall), pct(f.f1), pct(f.accuracy)]);
  }
  out.push(table(fieldRows));
  out.push(`motivation strength (category right): ${r.motivationStrength.correct}/${r.motivationStrength.scored} ${pct(ratio(r.motivationStrength.correct, r.motivationStrength.scored))}`);
  out.push('timelineDays counts within max(7 days, 20 %); priceCents within 2 %.');

  out.push('\nIntents');
  const intentRows = [['intent', 'tp', 'fp', 'fn', 'precision', 'recall', 'F1']];
  for (const intent of INTENTS) {
    const c = r.intents[intent];
    const f = precisionRecall(c);
    intentRows.push([intent, `${c.tp}`, `${c.fp}`, `${c.fn}`, pct(f.precision), pct(f.recall), pct(f.f1)]);
  }
  out.push(table(intentRows));
  const oo = precisionRecall(r.intents.opt_out);
  out.push(`opt-out (detectComplianceKeyword): precision ${pct(oo.precision)}, recall ${pct(oo.recall)}  (${r.intents.opt_out.fp} false opt-outs, ${r.intents.opt_out.fn} missed)`);

  const c = r.corrections;
  const cf = precisionRecall(c);
  out.push(`\nCorrections: exact on ${c.exact}/${c.messages} messages ${pct(ratio(c.exact, c.messages))}; precision ${pct(cf.precision)}, recall ${pct(cf.recall)} (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`);

  const f = r.final;
  out.push(`\nFinal state after replay (extract + decideTurn): all fields right in ${f.allCorrect}/${f.conversations} ${pct(ratio(f.allCorrect, f.conversations))}`);
  out.push(
    table([
      ['', 'motivation', 'timelineDays', 'condition', 'priceCents', 'optedOut'],
      ['correct', ...(['motivation', 'timelineDays', 'condition', 'priceCents', 'optedOut'] as const).map((k) => `${f.fields[k]}/${f.conversations}`)],
      ['accuracy', ...(['motivation', 'timelineDays', 'condition', 'priceCents', 'optedOut'] as const).map((k) => pct(ratio(f.fields[k], f.conversations)))],
    ]),
  );
  return out.join('\n');
}

function renderFailures(failures: Failure[]): string {
  const out = [`\nMisses on dev (${failures.length}):`];
  for (const f of failures) {
    const where = f.turn === 0 ? `${f.id} final` : `${f.id} #${f.turn} [${f.expecting ?? '-'}]`;
    out.push(`- ${where} ${JSON.stringify(f.text)}\n    ${f.problems.join('\n    ')}`);
  }
  return out.join('\n');
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const splits: Split[] = opts.split === 'all' ? [...SPLITS] : [opts.split];
  const loaded = new Map<Split, Conversation[]>();
  const problems: string[] = [];
  for (const split of splits) {
    const l = load(opts.dir, split);
    if (l.missing) console.error(`note: no ${split} split at ${join(opts.dir, split)}`);
    problems.push(...l.problems);
    loaded.set(split, l.conversations);
  }
  if (problems.length > 0) {
    console.error(`Malformed fixtures (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    process.exit(1);
  }
  const total = [...loaded.values()].reduce((n, cs) => n + cs.length, 0);
  if (total === 0) {
    console.error(`No conversations found under ${opts.dir}.`);
    process.exit(1);
  }

  const devFailures: Failure[] = [];
  const reports: Record<string, Report> = {};
  for (const [split, conversations] of loaded) {
    if (conversations.length === 0) continue;
    reports[split] = evaluate(conversations, split === 'dev' && opts.failures ? devFailures : undefined);
  }
  if (splits.length > 1) reports.all = evaluate([...loaded.values()].flat());

  if (opts.json) {
    const body: Record<string, unknown> = { splits: reports };
    if (opts.failures) body.devFailures = devFailures;
    console.log(JSON.stringify(body));
    return;
  }
  for (const [name, report] of Object.entries(reports)) console.log(render(name, report));
  if (opts.failures) {
    if (loaded.has('dev')) console.log(renderFailures(devFailures));
    if (opts.split === 'holdout') console.log('\n(--failures lists dev misses only: the holdout stays a held-out measure.)');
  }
}

main();
