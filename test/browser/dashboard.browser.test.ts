/**
 * The managers' dashboard in a real browser against the real server (test clock on): the
 * seeded requests of support/service-quality.ts, then the demo manager opens /dashboard from the
 * navigation: every chart drawn by chart.js on a canvas, its numbers in a table (Arabic-Indic
 * digits in Arabic) and its CSV link; the range kept in the address; a backwards range refused;
 * staff without the role turned away. In Arabic and English; screenshots land in test/artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { journey } from '../support/journey';
import type { Locator, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/app';
import { TEST_MS, WAIT_MS } from '../support/budget.mjs';
import { WEB_DIR, collectPageErrors, ensureWebBuild, launchBrowser, signInAsStaff, type LaunchedBrowser } from '../support/browser';
import { IntakeDriver } from '../support/intake';
import { seedServiceQuality } from '../support/service-quality';

const ARTIFACTS = path.resolve('test/artifacts');
const SCREENSHOTS = path.resolve('docs/screenshots');
const WAIT = WAIT_MS;
const REPORTS = ['cases', 'durations', 'minimum-period', 'overdue-tasks', 'incidents', 'satisfaction'];
const CHARTS = ['chart-cases-channel', 'chart-cases-status', 'chart-minimum-period', 'chart-overdue', 'chart-incidents', 'chart-satisfaction-trend', 'chart-satisfaction-channel'];

let server: TestServer;
let driver: IntakeDriver;
let browser: LaunchedBrowser;
let page: Page;
const errors: string[] = [];

async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout: WAIT });
  return locator;
}

async function inLanguage(lang: 'ar' | 'en'): Promise<void> {
  if ((await page.locator('html').getAttribute('lang')) === lang) return;
  await page.getByRole('button', { name: lang === 'ar' ? 'العربية' : 'English', exact: true }).click();
  await page.waitForFunction(`document.documentElement.lang === '${lang}'`);
}

/** Every chart has been drawn: a canvas with a size, its pixels not all blank. */
async function chartsDrawn(): Promise<void> {
  for (const id of CHARTS) {
    const canvas = await visible(page.getByTestId(id));
    await expect
      .poll(() => canvas.evaluate((c: HTMLCanvasElement) => c.width > 0 && c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.some((v) => v !== 0)), { timeout: WAIT })
      .toBe(true);
  }
}

describe('managers: the service-quality dashboard', () => {
  const { step } = journey();
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await ensureWebBuild();
    server = await startTestServer({ webDir: WEB_DIR, seedDemo: true, env: { ENABLE_TEST_CLOCK: 'true' } });
    driver = new IntakeDriver(server);
    await driver.signIn('process-owner');
    await seedServiceQuality(server, driver, '');

    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.setViewportSize({ width: 1280, height: 900 });
    // A 400 for a backwards range is expected in one test; 401 before signing in.
    collectPageErrors(page, errors, [400, 401]);
    await signInAsStaff(page, server.url, 'manager');
  }, 20 * WAIT_MS);

  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.close();
  }, TEST_MS);

  step('opens from the navigation in Arabic, with every chart drawn, its numbers as a table and its CSV', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'لوحة جودة الخدمة', exact: true }).click();
    await page.waitForURL(`${server.url}/dashboard`);
    await visible(page.getByRole('heading', { level: 1, name: 'لوحة جودة الخدمة' }));
    await chartsDrawn();
    for (const id of REPORTS) await visible(page.getByTestId(`report-${id}`));

    // The screenshot for the README: the first charts, as a manager first sees them.
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-ar.png') });

    // The headline figures, as the reports give them, in Arabic-Indic digits.
    expect(await page.getByTestId('minimum-share').innerText()).toBe(`عند الحد الأدنى: ${new Intl.NumberFormat('ar-SA', { style: 'percent' }).format(0.8)} من ٥ ردود`);
    expect(await page.getByTestId('incidents-open').innerText()).toBe('الحوادث المفتوحة: ١');
    // The satisfaction numbers as a table: C1 averaged, C7 withheld (one answer), no comment anywhere.
    await page.getByTestId('report-satisfaction').locator('summary').click();
    const byChannel = await visible(page.getByTestId('satisfaction-by-channel'));
    const c1 = await byChannel.locator('tbody tr').nth(0).innerText();
    expect(c1).toContain('C1');
    expect(c1).toContain('٤٫٣٣');
    expect(await byChannel.locator('tbody tr').nth(1).innerText()).toContain('محجوب');
    expect(await page.locator('body').innerText()).not.toMatch(/أحمد|Khalid/);

    // Each chart's CSV is its report's, for the range shown.
    // Opened without a range in the address: the reports' default (90 days up to today), which the links carry.
    expect(new URL(page.url()).search).toBe('');
    const link = page.getByTestId('csv-cases');
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(/^\/api\/reports\/cases\.csv\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&bucket=week$/);
    const csv = await page.request.get(`${server.url}${href}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect((await csv.text()).split('\r\n')[0]).toBe('\uFEFFperiod,channel,status,cases');
    for (const id of REPORTS) expect(await page.getByTestId(`csv-${id}`).getAttribute('href')).toMatch(/^\/api\/reports\/[a-z-]+\.csv\?from=/);

    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-ar.png'), fullPage: true });
  });

  step('keeps the range in the address and redraws in English', async () => {
    await inLanguage('en');
    await visible(page.getByRole('heading', { level: 1, name: 'Service-quality dashboard' }));
    const from = await page.getByLabel('From', { exact: true }).inputValue();
    const to = await page.getByLabel('To', { exact: true }).inputValue();
    await page.getByLabel('Count by', { exact: true }).selectOption('day');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL(`${server.url}/dashboard?from=${from}&to=${to}&bucket=day`);
    await chartsDrawn();
    expect(await page.getByTestId('csv-satisfaction').getAttribute('href')).toBe(`/api/reports/satisfaction.csv?from=${from}&to=${to}&bucket=day`);
    expect(await page.getByTestId('minimum-share').innerText()).toBe('At the minimum period: 80% of 5 answers');
    await page.getByTestId('report-durations').locator('summary').click();
    const endToEnd = await visible(page.getByTestId('end-to-end'));
    expect(await endToEnd.locator('tbody tr').first().innerText()).toMatch(/^All closed requests\s+5\s+384\s+384$/);

    // The same address opens the same view (a link a manager can share).
    await page.reload();
    await chartsDrawn();
    expect(await page.getByLabel('Count by', { exact: true }).inputValue()).toBe('day');
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-en.png'), fullPage: true });
  });

  step('refuses a backwards range in the form, and explains one that comes in the address', async () => {
    await page.getByLabel('From', { exact: true }).fill('2026-11-10');
    await page.getByLabel('To', { exact: true }).fill('2026-11-01');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    expect(await (await visible(page.getByRole('alert'))).innerText()).toBe('The first day must be on or before the last day.');

    await page.goto(`${server.url}/dashboard?from=2026-11-10&to=2026-11-01`);
    const alert = await visible(page.getByRole('alert'));
    expect(await alert.innerText()).toBe(
      'This period cannot be shown: the first day must be on or before the last, the period at most 366 days, and dates written as on the calendar (YYYY-MM-DD).',
    );
  });

  // Issue 19, point 7: 17 steps once squeezed into ~40 px of canvas with one or two labels.
  for (const width of [360, 414, 1280]) {
    for (const lang of ['ar', 'en'] as const) {
      step(`time per step at ${width} px in ${lang === 'ar' ? 'Arabic' : 'English'}: every step's full name shown, none over another`, async () => {
        await page.setViewportSize({ width, height: 900 });
        await inLanguage(lang);
        await page.goto(`${server.url}/dashboard`);
        const bars = await visible(page.getByTestId('chart-durations'));
        const report = (await (await page.request.get(`${server.url}/api/reports/step-durations`)).json()) as { steps: Array<{ elementId: string; name: { ar?: string; en?: string }; medianHours: number; p90Hours: number }> };
        expect(report.steps.length).toBeGreaterThanOrEqual(8);
        const rows = bars.locator('.step-bar');
        expect(await rows.count()).toBe(report.steps.length);
        const shown = await rows.evaluateAll((items) =>
          items.map((item) => {
            const name = item.querySelector('.step-bar-name') as HTMLElement;
            const box = name.getBoundingClientRect();
            const fills = Array.from(item.querySelectorAll('.step-bar-fill')).map((f) => f.getBoundingClientRect().width);
            return { id: item.getAttribute('data-element'), text: name.innerText, top: box.top, bottom: box.bottom, left: box.left, right: box.right, clipped: name.scrollWidth > name.clientWidth, fills };
          }),
        );
        for (const [i, step] of report.steps.entries()) {
          const row = shown[i]!;
          expect(row.id).toBe(step.elementId);
          // The full name in the page's language (the other when it has none), never cut.
          expect(row.text).toBe(step.name[lang] || step.name[lang === 'ar' ? 'en' : 'ar'] || step.elementId);
          expect(row.clipped, `${row.text} is cut off`).toBe(false);
          expect(row.right - row.left).toBeGreaterThan(0);
          expect(row.left).toBeGreaterThanOrEqual(0);
          expect(row.right).toBeLessThanOrEqual(width);
          // A bar for each figure above zero (an automatic step may take no time at all).
          expect(row.fills.map((w) => w > 0), `${row.text}'s bars`).toEqual([step.medianHours > 0, step.p90Hours > 0]);
          // Each name below the one before it: no two overlap.
          if (i > 0) expect(row.top, `${row.text} overlaps ${shown[i - 1]!.text}`).toBeGreaterThanOrEqual(shown[i - 1]!.bottom);
        }
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
        await bars.screenshot({ path: path.join(ARTIFACTS, `dashboard-steps-${lang}-${width}.png`) });
        if (width === 414) await bars.screenshot({ path: path.join(SCREENSHOTS, `dashboard-steps-${lang}.png`) });
      });
    }
  }

  step('says in words that a period without requests has nothing to show, in Arabic and English', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const empty = {
      ar: {
        'chart-cases-channel-empty': 'لم يُقدَّم أي طلب في هذه الفترة.',
        'chart-durations-empty': 'لم تُنجَز أي خطوة في هذه الفترة، فلا أوقات تُعرض.',
        'chart-minimum-period-empty': 'لم يُبلَّغ أي رد في هذه المدة.',
        'chart-overdue-empty': 'لم تستحق أي مهمة في هذه الفترة.',
        'chart-incidents-empty': 'لم تقع أي حادثة في هذه الفترة.',
        'chart-satisfaction-trend-empty': 'لا تقييمات تُعرض لهذه الفترة: تُعرض المجموعة متى بلغت إجاباتها ٣.',
        'chart-satisfaction-channel-empty': 'لا تقييمات تُعرض لهذه الفترة: تُعرض المجموعة متى بلغت إجاباتها ٣.',
      },
      en: {
        'chart-cases-channel-empty': 'No request was submitted in this period.',
        'chart-durations-empty': 'No step was finished in this period, so there is no time to show.',
        'chart-minimum-period-empty': 'No answer was communicated in this period.',
        'chart-overdue-empty': 'No task was due in this period.',
        'chart-incidents-empty': 'No incident was raised in this period.',
        'chart-satisfaction-trend-empty': 'No ratings to show for this period: a group is shown once it has 3 answers.',
        'chart-satisfaction-channel-empty': 'No ratings to show for this period: a group is shown once it has 3 answers.',
      },
    };
    for (const lang of ['ar', 'en'] as const) {
      await inLanguage(lang);
      // A month long before the seeded requests.
      await page.goto(`${server.url}/dashboard?from=2025-01-01&to=2025-01-31&bucket=week`);
      for (const [id, words] of Object.entries(empty[lang])) expect(await (await visible(page.getByTestId(id))).innerText()).toBe(words);
      // No bare axes: not one chart is drawn.
      expect(await page.locator('canvas').count()).toBe(0);
      await page.screenshot({ path: path.join(ARTIFACTS, `dashboard-empty-${lang}.png`), fullPage: true });
    }
  });

  step('is not open to staff without the manager or administrator role', async () => {
    await inLanguage('ar');
    await page.getByRole('button', { name: 'تسجيل الخروج', exact: true }).click();
    await signInAsStaff(page, server.url, 'reception');
    expect(await page.getByRole('navigation').getByRole('link', { name: 'لوحة جودة الخدمة' }).count()).toBe(0);
    await page.goto(`${server.url}/dashboard`);
    await visible(page.getByText('هذه الصفحة ليست ضمن صلاحيات أدوارك.'));
    expect(await page.locator('canvas').count()).toBe(0);
  });
});
