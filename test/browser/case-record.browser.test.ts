/**
 * The staff's view of a request (issue 19, point 5), in a real browser against the real server:
 *   - beside every task, the request's record: earlier steps by their names from the diagram,
 *     with the notes, reasons and decisions named by their forms' labels, the documents and the
 *     notices sent — never element ids or variable keys;
 *   - a case search for the roles that work cases (a researcher here, not an auditor): by name,
 *     ID number, mobile (typed in Arabic-Indic digits too) and application number, opening the
 *     case page with its open tasks and record;
 *   - the task list refreshes itself and marks a task that arrived while it was open.
 * Each test sets up its own request, so each passes alone. Screenshots in Arabic and English
 * land in test/artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/app';
import { HOOK_MS, TEST_MS, WAIT_MS } from '../support/budget.mjs';
import { WEB_DIR, collectPageErrors, ensureWebBuild, launchBrowser, signInAsStaff, type LaunchedBrowser } from '../support/browser';
import { IntakeDriver, nextNationalId } from '../support/intake';

const ARTIFACTS = path.resolve('test/artifacts');
const INQUIRY = 'سألت عن مدة الدراسة (study period) وأجبتها: أسبوعان.';

let server: TestServer;
let d: IntakeDriver;
const browsers: LaunchedBrowser[] = [];
const errors: string[] = [];

async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout: WAIT_MS });
  return locator;
}

async function staff(username: string, lang: 'ar' | 'en'): Promise<Page> {
  const browser = await launchBrowser();
  browsers.push(browser);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  collectPageErrors(page, errors);
  await signInAsStaff(page, server.url, username);
  if (lang === 'en') await toLanguage(page, 'en');
  return page;
}

async function toLanguage(page: Page, lang: 'ar' | 'en'): Promise<void> {
  if ((await page.locator('html').getAttribute('lang')) === lang) return;
  await page.getByRole('button', { name: lang === 'en' ? 'English' : 'العربية', exact: true }).click();
  await page.waitForFunction(`document.documentElement.lang === '${lang}'`);
}

/** A request referred to the researcher, with the officer's notes on the applicant's questions. */
async function referred(overrides: Record<string, unknown> = {}) {
  const c = await d.submit(overrides);
  await d.complete(c.id, 'Task_ReceptionCheck', { dataComplete: true, referToResearcher: true, inquiryNotes: INQUIRY });
  const view = await d.at(c.id, 'Task_ResearcherClarification');
  return { ...c, taskKey: view.openTasks.find((t) => t.elementId === 'Task_ResearcherClarification')!.key };
}

describe("staff read a request's record, find requests, and see new tasks arrive", () => {
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await ensureWebBuild();
    server = await startTestServer({ webDir: WEB_DIR, env: { ENABLE_TEST_CLOCK: 'true' } });
    d = new IntakeDriver(server);
    await d.signIn('reception', 'researcher');
  }, HOOK_MS);

  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    await server?.close();
  }, TEST_MS);

  it("beside the researcher's task: the request's record with the officer's notes named by the form's labels", async () => {
    const c = await referred();
    const page = await staff('researcher', 'ar');
    await page.goto(`${server.url}/tasks/${c.taskKey}`);
    const record = await visible(page.getByTestId('case-record').locator('.record-list'));
    // The request as recorded, then the intake check by its name in the diagram, with its answers.
    expect(await record.locator('.record-entry').first().getAttribute('data-kind')).toBe('submitted');
    const check = record.locator('.record-entry[data-element="Task_ReceptionCheck"]');
    expect(await check.locator('.record-title').innerText()).toBe('استقبال المستفيد ومطابقة بياناته');
    expect(await check.locator('.record-field[data-field="inquiryNotes"] dt').innerText()).toBe('استفسارات المستفيد وما أُجيب به');
    expect(await check.locator('.record-field[data-field="inquiryNotes"] dd').innerText()).toBe(INQUIRY);
    expect(await check.locator('.record-field[data-field="referToResearcher"] dd').innerText()).toBe('نعم');
    // The acknowledgment notice sent on submission is there too.
    await visible(record.locator('.record-entry[data-kind="notice"]').first());
    // Words only: no element id, no variable key.
    const text = await record.innerText();
    for (const code of ['Task_', 'Gateway_', 'inquiryNotes', 'referToResearcher', 'dataComplete']) expect(text).not.toContain(code);
    await page.getByTestId('case-record').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'case-record-ar.png'), fullPage: true });

    await toLanguage(page, 'en');
    await visible(page.getByTestId('case-record').getByRole('heading', { name: "The request's record" }));
    expect(await check.locator('.record-field[data-field="inquiryNotes"] dt').innerText()).toBe("The applicant's questions and the answers given");
    expect(await check.locator('.record-field[data-field="referToResearcher"] dd').innerText()).toBe('Yes');
    await page.screenshot({ path: path.join(ARTIFACTS, 'case-record-en.png'), fullPage: true });
  });

  it('a researcher finds a request by name, ID number, mobile (in Arabic-Indic digits) and application number, and opens its page', async () => {
    const nationalId = nextNationalId();
    const c = await referred({ nationalId, fullName: 'نورة سعد القحطاني', mobile: '0557654321', documents: [{ type: 'national-id', number: nationalId, expiryDate: '2031-12-05' }, { type: 'qualification', number: 'Q-1' }] });
    const page = await staff('researcher', 'ar');
    await page.getByRole('navigation').getByRole('link', { name: 'الطلبات', exact: true }).click();
    await page.waitForURL(`${server.url}/cases`);
    const search = page.getByLabel('الاسم أو رقم الهوية أو الجوال أو رقم الطلب', { exact: true });
    for (const words of ['نورة سعد', nationalId, '٠٥٥٧٦٥٤٣٢١', c.applicationNumber]) {
      await search.fill(words);
      await page.getByRole('button', { name: 'بحث', exact: true }).click();
      await page.waitForURL((url) => url.searchParams.get('q') === words);
      const result = await visible(page.getByTestId('case-results').locator(`[data-case="${c.applicationNumber}"]`));
      expect(await result.innerText()).toContain('نورة سعد القحطاني');
    }
    await page.screenshot({ path: path.join(ARTIFACTS, 'case-search-ar.png'), fullPage: true });
    await page.getByTestId('case-results').getByRole('link', { name: c.applicationNumber }).click();
    await page.waitForURL(new RegExp(`/cases/${c.id}$`));
    const tasks = await visible(page.getByTestId('case-open-tasks'));
    await visible(tasks.locator('[data-element="Task_ResearcherClarification"]').getByRole('link', { name: 'توضيح الإجراءات والجانب التنظيمي للمستفيد' }));
    await visible(page.getByTestId('case-record').locator('.record-entry[data-element="Task_ReceptionCheck"]'));
    await toLanguage(page, 'en');
    await visible(page.getByTestId('case-open-tasks').getByRole('heading', { name: 'Open tasks' }));
    await page.screenshot({ path: path.join(ARTIFACTS, 'case-page-en.png'), fullPage: true });
    await tasks.locator('[data-element="Task_ResearcherClarification"] a').click();
    await page.waitForURL(`${server.url}/tasks/${c.taskKey}`);
  });

  it('the task list refreshes itself and marks a task that arrived while it was open', async () => {
    const page = await staff('reception', 'ar');
    await page.goto(`${server.url}/tasks?tab=groups`);
    await visible(page.getByTestId('list-status').filter({ hasText: /\S/ }));
    expect(await page.getByTestId('new-mark').count()).toBe(0);

    const c = await d.submit();
    await d.at(c.id, 'Task_ReceptionCheck');
    // The list reads itself again every 30 s and when the window comes back into view: bring it back.
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    const item = await visible(page.locator('.task-item.is-new', { hasText: c.applicationNumber }));
    expect(await item.getByTestId('new-mark').innerText()).toBe('جديدة');
    expect(await page.getByTestId('new-tasks-status').innerText()).toBe('وصلت مهام جديدة: ١');
    await page.screenshot({ path: path.join(ARTIFACTS, 'tasks-new-ar.png'), fullPage: true });
  });
});
