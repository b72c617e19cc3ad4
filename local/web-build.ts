import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(ROOT, 'web');
const OUT = join(WEB, 'out');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'out', '.next'].includes(entry.name)) continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Swagger UI for /docs, served as static assets from the package (no CDN, works offline). */
function copyDocsAssets() {
  const dest = join(WEB, 'public/docs-assets');
  mkdirSync(dest, { recursive: true });
  for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
    copyFileSync(join(ROOT, 'node_modules/swagger-ui-dist', file), join(dest, file));
  }
}

/** Builds the static export unless web/out is already newer than every web source file. */
export async function buildWebIfStale(log: (line: string) => void): Promise<'built' | 'fresh'> {
  if (!existsSync(join(WEB, 'public/docs-assets/swagger-ui-bundle.js'))) copyDocsAssets();
  const marker = join(OUT, 'index.html');
  if (existsSync(marker) && statSync(marker).mtimeMs >= newestMtime(WEB)) return 'fresh';
  await new Promise<void>((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/next'), ['build', WEB], {
      cwd: ROOT,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else {
        log(output);
        reject(new Error(`next build failed (exit ${code})`));
      }
    });
  });
  return 'built';
}
