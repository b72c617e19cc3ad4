/**
 * `npm start` (tsx local/start.ts) as a child process on free ports, for the end-to-end test,
 * the browser tests and `npm run screenshots`: one copy of how to start it, wait for it to say
 * it is ready, and stop it with Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './ports';

export interface RunningStart {
  child: ChildProcess;
  /** Everything it printed so far, line by line (stdout and stderr). */
  output: string[];
}

/**
 * A free port for PORT and for every `LOCAL_…_PORT` that local/start.ts reads, so a stand-in
 * added later never collides with a developer's running `npm start` on its default port.
 */
export async function startPorts(root = process.cwd()): Promise<Record<string, number>> {
  const source = readFileSync(join(root, 'local/start.ts'), 'utf8');
  const names = new Set(['PORT', ...[...source.matchAll(/process\.env\.(LOCAL_[A-Z_]+_PORT)\b/g)].map((m) => m[1]!)]);
  const ports: Record<string, number> = {};
  for (const name of names) ports[name] = await freePort();
  return ports;
}

/** The environment for a run on `ports` (merged over `base`). */
export function startEnv(ports: Record<string, number>, base: NodeJS.ProcessEnv, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...base, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), ...extra };
}

/** Starts it and resolves once it prints its URL; rejects (and kills it) if it exits or takes longer than `timeoutMs`. */
export async function runNpmStart(env: NodeJS.ProcessEnv, opts: { root?: string; timeoutMs?: number } = {}): Promise<RunningStart> {
  const root = opts.root ?? process.cwd();
  const timeoutMs = opts.timeoutMs ?? 240_000;
  const ready = `LeadPulse is running at http://localhost:${env.PORT}`;
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['local/start.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (b: Buffer) => output.push(...b.toString().split('\n'));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const running = { child, output };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start not ready in ${timeoutMs / 1000} s:\n${output.join('\n')}`)), timeoutMs);
      child.stdout!.on('data', () => {
        if (output.some((l) => l.includes(ready))) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited with ${code}:\n${output.join('\n')}`));
      });
    });
  } catch (err) {
    await stopNpmStart(running);
    throw err;
  }
  return running;
}

/** Ctrl-C, as a user would stop it (SIGKILL after 20 s); resolves with its exit code. */
export function stopNpmStart(r: RunningStart): Promise<number | null> {
  return new Promise((resolve) => {
    if (r.child.exitCode !== null || r.child.signalCode !== null) return resolve(r.child.exitCode);
    const timer = setTimeout(() => r.child.kill('SIGKILL'), 20_000);
    r.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    r.child.kill('SIGINT');
  });
}
