/**
 * `npm run screenshots`: PNGs of the web app at 375×812 (phone) and 1280×800 (desktop) — the
 * agent inbox, a lead, the manager dashboard and admin — signed in with the seeded demo logins,
 * written to screenshots/ (git-ignored): `<screen>-<width>.png` is the screen as it first shows,
 * `<screen>-<width>-full.png` the whole scrolled page. Prints a warning for any page wider than
 * its viewport.
 *
 *   npm run screenshots                         # uses http://localhost:8787 if it is up, else starts a stack
 *   LEADPULSE_URL=http://localhost:8870 npm run screenshots
 *   npm run screenshots -- --docs               # also copies them to docs/screenshots/ (shown by the README)
 *   npm run screenshots -- --only=inbox,lead    # some of them
 *
 * Needs Chromium at /usr/bin/chromium (Debian: apt-get install chromium).
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { apiCall, apiLogin, CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD, demoEmail, startStack, type Stack } from '../tests/node/browser/stack';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'screenshots');
const DOCS = join(ROOT, 'docs/screenshots');

const VIEWPORTS = [
  { name: '375', width: 375, height: 812, scale: 2, mobile: true },
  { name: '1280', width: 1280, height: 800, scale: 1, mobile: false },
] as const;

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) })).status === 200;
  } catch {
    return false;
  }
}

async function signIn(page: Page, baseUrl: string, email: string, next: string) {
  await page.goto(`${baseUrl}/?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Team').fill('demo');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === next.split('?')[0]);
}

async function settle(page: Page) {
  await page.locator('[data-screen-ready="true"]').first().waitFor({ timeout: 20_000 });
  // Charts animate in; fonts and images finish.
  await page.waitForTimeout(900);
}

async function main() {
  if (!existsSync(CHROMIUM)) {
    console.error(`Chromium not found at ${CHROMIUM} (apt-get install chromium).`);
    process.exit(1);
  }
  const docs = process.argv.includes('--docs');
  let stack: Stack | undefined;
  let baseUrl = process.env.LEADPULSE_URL?.replace(/\/$/, '');
  if (!baseUrl) {
    const local = `http://localhost:${process.env.PORT ?? 8787}`;
    if (await reachable(local)) baseUrl = local;
    else {
      console.log('starting a local stack (npm start on free ports)…');
      stack = await startStack({ root: ROOT });
      baseUrl = stack.baseUrl;
    }
  }
  console.log(`using ${baseUrl}`);

  // The lead to show: the agent's most recent hot lead (the demo's qualified seller), else any.
  const maria = await apiLogin(baseUrl, demoEmail('maria'));
  const hot = await apiCall(baseUrl, maria.accessToken, '/leads?temperature=hot&limit=1');
  const any = hot.body.leads?.[0] ?? (await apiCall(baseUrl, maria.accessToken, '/leads?limit=1')).body.leads?.[0];
  if (!any) throw new Error('no leads to show: is the demo tenant seeded (npm start seeds it)?');

  const all: Array<{ name: string; who: Parameters<typeof demoEmail>[0]; path: string; then?: (page: Page) => Promise<void> }> = [
    { name: 'inbox', who: 'maria', path: '/inbox' },
    { name: 'lead', who: 'maria', path: `/lead?id=${any.id}` },
    { name: 'dashboard', who: 'manager', path: '/dashboard' },
    { name: 'admin', who: 'owner', path: '/admin/users' },
    {
      name: 'admin-routing',
      who: 'owner',
      path: '/admin/routing',
      // Show a test route's why-log (nothing is created).
      then: async (page) => {
        await page.getByRole('button', { name: 'Who would get it?' }).click();
        await page.getByTestId('routing-preview').waitFor();
        await page.getByTestId('routing-preview').scrollIntoViewIfNeeded();
      },
    },
    { name: 'admin-models', who: 'owner', path: '/admin/models' },
    { name: 'admin-webhook', who: 'owner', path: '/admin/webhook' },
    { name: 'admin-billing', who: 'owner', path: '/admin/billing' },
    { name: 'coaching', who: 'manager', path: '/coaching' },
    { name: 'impact', who: 'manager', path: '/impact' },
  ];
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const shots = only ? all.filter((s) => only.includes(s.name)) : all;

  mkdirSync(OUT, { recursive: true });
  if (docs) mkdirSync(DOCS, { recursive: true });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    for (const vp of VIEWPORTS) {
      for (const who of [...new Set(shots.map((s) => s.who))]) {
        const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, deviceScaleFactor: vp.scale, isMobile: vp.mobile, hasTouch: vp.mobile });
        const page = await context.newPage();
        const mine = shots.filter((s) => s.who === who);
        await signIn(page, baseUrl, demoEmail(who), mine[0]!.path);
        for (const shot of mine) {
          if (page.url() !== `${baseUrl}${shot.path}`) await page.goto(`${baseUrl}${shot.path}`);
          await settle(page);
          await shot.then?.(page);
          // No hover state in the pictures.
          await page.mouse.move(0, 0);
          // What the screen shows (the README's pictures), and the whole page for review.
          const file = join(OUT, `${shot.name}-${vp.name}.png`);
          await page.screenshot({ path: file });
          await page.screenshot({ path: join(OUT, `${shot.name}-${vp.name}-full.png`), fullPage: true });
          // The root tsconfig has no DOM types; this runs in the page.
          const overflow = await page.evaluate(() => {
            const w = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
            return w.document.documentElement.scrollWidth - w.innerWidth;
          });
          console.log(`${file}${overflow > 0 ? `  ⚠ ${overflow}px wider than the viewport` : ''}`);
          if (docs) copyFileSync(file, join(DOCS, `${shot.name}-${vp.name}.png`));
        }
        await context.close();
      }
    }
  } finally {
    await browser?.close();
    await stack?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
