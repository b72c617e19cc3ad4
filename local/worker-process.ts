import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface WorkerProcess {
  url: string;
  child: ChildProcess;
  close(): Promise<void>;
}

/**
 * Runs the Worker under `wrangler dev` (workerd, the production runtime) with the given
 * variables. They go through an env file, which wrangler treats as secrets and does not print.
 */
export async function startWorker(opts: {
  port: number;
  env: Record<string, string>;
  stateDir: string;
  onOutput?: (line: string) => void;
  readyTimeoutMs?: number;
}): Promise<WorkerProcess> {
  mkdirSync(opts.stateDir, { recursive: true });
  const envFile = join(opts.stateDir, 'worker.env');
  writeFileSync(envFile, Object.entries(opts.env).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('\n') + '\n', { mode: 0o600 });
  mkdirSync(join(ROOT, 'web/out'), { recursive: true });

  const wrangler = join(ROOT, 'node_modules/.bin/wrangler');
  const child = spawn(
    wrangler,
    ['dev', '--port', String(opts.port), '--ip', '127.0.0.1', '--env-file', envFile, '--persist-to', join(opts.stateDir, 'wrangler'), '--show-interactive-dev-session=false', '--log-level', process.env.WRANGLER_LOG_LEVEL ?? 'warn'],
    {
      cwd: ROOT,
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: false,
    },
  );
  const forward = (buf: Buffer) => {
    for (const line of buf.toString().split('\n')) if (line.trim()) opts.onOutput?.(line);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);

  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  let exited = false;
  child.once('exit', () => (exited = true));
  while (true) {
    if (exited) throw new Error(`wrangler dev exited before serving (exit code ${child.exitCode})`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`wrangler dev did not answer /health within ${opts.readyTimeoutMs ?? 60_000} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    child,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

