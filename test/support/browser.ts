import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from './app';
import { WAIT_MS } from './budget.mjs';

/** Debian's Chromium (apt-get install chromium fonts-noto-core); never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface LaunchedBrowser {
  context: BrowserContext;
  /** Closes the browser and removes its profile folder. */
  close(): Promise<void>;
}

/**
 * Starts headless Chromium on a fresh, throw-away profile (DESIGN.md §6: a persistent
 * context on a new temp dir is what works with the system Chromium here).
 */
export async function launchBrowser(options: { locale?: string } = {}): Promise<LaunchedBrowser> {
  const profileDir = await mkdtemp(join(tmpdir(), 'mustafid-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      locale: options.locale,
      viewport: { width: 1280, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (error) {
    await rm(profileDir, { recursive: true, force: true });
    throw error;
  }
  // Playwright's own waits (clicks, fills, waitFor without a timeout) from the suite's budget too.
  context.setDefaultTimeout(2 * WAIT_MS);
  return {
    context,
    async close() {
      try {
        await context.close();
      } finally {
        await rm(profileDir, { recursive: true, force: true, maxRetries: 3 });
      }
    },
  };
}

export const WEB_SOURCE = path.resolve('apps/web');
export const WEB_DIR = path.resolve('dist/apps/web');

/** Newest modification time of any file under a folder (0 when it does not exist). */
async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const { mtimeMs } = await stat(path.join(entry.parentPath, entry.name));
    newest = Math.max(newest, mtimeMs);
  }
  return newest;
}

/**
 * Builds the web UI when dist/apps/web is missing or older than its sources, in a child
 * process: inside vitest NODE_ENV is "test", which would make Vite bundle React's
 * development build.
 */
export async function ensureWebBuild(): Promise<void> {
  const built = await stat(path.join(WEB_DIR, 'index.html')).then((s) => s.mtimeMs, () => 0);
  // The modeler bundles the project's bpmnlint rules from libs/workflow as well.
  const sources = Math.max(await newestMtime(WEB_SOURCE), await newestMtime(path.resolve('libs/workflow/bpmnlint-plugin-mustafid')));
  if (built > 0 && built >= sources) return;
  const vite = path.resolve('node_modules/vite/bin/vite.js');
  await promisify(execFile)(process.execPath, [vite, 'build', '--config', path.join(WEB_SOURCE, 'vite.config.mts')], {
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

/**
 * Collects what a page should never show into `errors`: uncaught exceptions and console
 * errors, except failed requests with the HTTP statuses a test provokes on purpose (401: the
 * session check before signing in).
 */
export function collectPageErrors(page: Page, errors: string[], expectedStatuses: number[] = [401]): void {
  const expected = new RegExp(`status of (${expectedStatuses.join('|')})\\b`);
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected.test(message.text())) errors.push(`console: ${message.text()}`);
  });
}

/** Signs a demo staff account in on the (Arabic) sign-in page and waits for the home page. */
export async function signInAsStaff(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('اسم المستخدم', { exact: true }).fill(username);
  await page.getByLabel('كلمة المرور', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'دخول', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: /أهلًا بك/ }).waitFor({ state: 'visible' });
}
