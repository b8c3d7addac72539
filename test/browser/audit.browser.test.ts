/**
 * The auditor's pages in a real browser against the real server (test clock on): one request
 * run through the API (submitted, reception's check referring it to the researcher, the
 * researcher, the paper signature, the committee's two votes and the chair's decision), then
 * the auditor finds it at /audit by its application number and opens /audit/cases/:id:
 * the diagram with the steps and flows taken and how many times each ran, the timeline with
 * reception's task completion under its step's name, a click on a step filtering the timeline,
 * and the audit log's check. In Arabic and English; screenshots land in test/artifacts/.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { journey } from '../support/journey';
import type { Locator, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/app';
import { HOOK_MS, TEST_MS, WAIT_MS } from '../support/budget.mjs';
import { WEB_DIR, collectPageErrors, ensureWebBuild, launchBrowser, signInAsStaff, type LaunchedBrowser } from '../support/browser';
import { IntakeDriver } from '../support/intake';

const ARTIFACTS = path.resolve('test/artifacts');
const SCREENSHOTS = path.resolve('docs/screenshots');
const WAIT = WAIT_MS;

let server: TestServer;
let driver: IntakeDriver;
let browser: LaunchedBrowser;
let page: Page;
const errors: string[] = [];
let caseId = '';
let applicationNumber = '';
let steps: Record<string, { ar: string; en: string }> = {};

async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout: WAIT });
  return locator;
}

async function inLanguage(lang: 'ar' | 'en'): Promise<void> {
  if ((await page.locator('html').getAttribute('lang')) === lang) return;
  await page.getByRole('button', { name: lang === 'ar' ? 'العربية' : 'English', exact: true }).click();
  await page.waitForFunction(`document.documentElement.lang === '${lang}'`);
}

describe('auditor: a request’s path and history', () => {
  const { step } = journey();
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await ensureWebBuild();
    server = await startTestServer({ webDir: WEB_DIR, seedDemo: true, env: { ENABLE_TEST_CLOCK: 'true' } });
    driver = new IntakeDriver(server);
    await driver.signIn();

    // Submitted, checked at reception with a referral, explained by the researcher, signed, voted on twice, decided.
    const c = await driver.toCommittee({}, true);
    caseId = c.id;
    applicationNumber = c.applicationNumber;
    await driver.decide(caseId, 'accepted', 'Meets the conditions of the training programme');
    // The minimum response period passes (14 days on the test clock): the case goes on to registration.
    await driver.advance('P14D');
    await driver.at(caseId, 'Task_RegistrationRequirements');

    const definitions = await driver.as('admin').get('/api/process-definitions');
    const intake = (definitions.body as Array<{ bpmnProcessId: string; versions: Array<{ key: string }> }>).find((d) => d.bpmnProcessId === 'beneficiary-intake');
    steps = (await driver.as('admin').get(`/api/process-definitions/${intake!.versions[0]!.key}/elements`)).body;

    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    collectPageErrors(page, errors);
    await signInAsStaff(page, server.url, 'auditor');
  }, HOOK_MS);

  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.close();
  }, TEST_MS);

  step('finds the request by its application number from the home page', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'التدقيق', exact: true }).click();
    await page.waitForURL(`${server.url}/audit`);
    await visible(page.getByRole('heading', { level: 1, name: 'التدقيق' }));
    await page.getByLabel('رقم الطلب أو الاسم أو رقم الهوية').fill(applicationNumber);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/audit?q=${applicationNumber}`);
    const result = await visible(page.getByTestId('audit-results').locator(`.audit-result[data-case="${applicationNumber}"]`));
    expect(await result.innerText()).toContain('فاطمة عبدالله الحربي');
    await result.getByRole('link', { name: applicationNumber }).click();
    await page.waitForURL(`${server.url}/audit/cases/${caseId}`);
    await visible(page.getByRole('heading', { level: 1, name: new RegExp(applicationNumber) }));
  });

  step('shows the diagram with the steps taken, their run counts, the version and the current step', async () => {
    const canvas = page.getByTestId('case-diagram').locator('.case-diagram-canvas');
    await expect.poll(() => canvas.getAttribute('data-visited'), { timeout: WAIT }).toMatch(/Task_ReceptionCheck/);
    const visitedIds = (await canvas.getAttribute('data-visited'))!.split(' ');
    for (const id of ['Task_ReceptionCheck', 'Task_ResearcherClarification', 'Task_CommitteeVote', 'Task_ChairDecision']) expect(visitedIds).toContain(id);
    expect((await canvas.getAttribute('data-flows'))!.split(' ').filter(Boolean).length).toBeGreaterThan(3);
    // Highlighted in the drawing itself.
    expect(await canvas.locator('.djs-element.visited').count()).toBeGreaterThanOrEqual(visitedIds.length);
    expect(await canvas.locator('.djs-connection.flow-taken').count()).toBeGreaterThan(3);
    expect(await canvas.getAttribute('data-marked')).toBe('Task_RegistrationRequirements');
    // Each visited element carries a badge with the times it ran, as GET /api/cases/:id/path counts them (in Arabic digits).
    const taken = (await driver.as('admin').get(`/api/cases/${caseId}/path`)).body as { visited: Record<string, number> };
    for (const id of ['Task_ReceptionCheck', 'Task_CommitteeVote']) {
      const badge = await visible(canvas.locator(`.run-count[data-element="${id}"]`));
      expect(await badge.innerText()).toBe(new Intl.NumberFormat('ar-SA').format(taken.visited[id]!));
    }
    expect(await canvas.locator('.run-count').count()).toBe(visitedIds.length);
    expect(await page.getByTestId('diagram-version').innerText()).toMatch(/نسخة الإجراء/);
  });

  step("lists reception's task completion under the step's name, and filters by a clicked element", async () => {
    const timeline = page.getByTestId('audit-timeline');
    const completion = await visible(timeline.locator('.timeline-entry[data-action="task.completed"][data-element="Task_ReceptionCheck"]'));
    expect(await completion.innerText()).toContain('أُنجزت المهمة');
    expect(await completion.innerText()).toContain(steps.Task_ReceptionCheck!.ar);
    expect(await completion.innerText()).toContain('reception');
    // The form's values, before → after, under the form's labels, never the variable keys (issue 19 point 4).
    const changes = await completion.locator('.timeline-changes').innerText();
    expect(changes).toContain('يحتاج المستفيد إلى توضيح الإجراءات من الباحث الاجتماعي');
    expect(changes).not.toContain('referToResearcher');
    // Steps the diagram leaves unnamed (a merging gateway) are said by what they are, never by id.
    const named = await timeline.locator('.timeline-element').allInnerTexts();
    expect(named.length).toBeGreaterThan(0);
    for (const text of named) expect(text).not.toMatch(/^(Gateway|Event|Task|Flow|Activity)_/);
    // People's actions and element completions only, by default.
    expect(await timeline.locator('.timeline-entry[data-action="engine.ELEMENT_ACTIVATED"]').count()).toBe(0);
    expect(await timeline.locator('.timeline-entry[data-action="engine.ELEMENT_COMPLETED"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'audit-ar.png'), fullPage: true });
    await mkdir(SCREENSHOTS, { recursive: true });
    await copyFile(path.join(ARTIFACTS, 'audit-ar.png'), path.join(SCREENSHOTS, 'audit-ar.png'));

    // A click on the researcher's step in the diagram: only its entries remain.
    const all = await timeline.locator('.timeline-entry').count();
    await page.locator('.case-diagram-canvas .djs-element[data-element-id="Task_ResearcherClarification"]').click();
    await page.waitForURL(/element=Task_ResearcherClarification/);
    await expect.poll(() => timeline.locator('.timeline-entry').count()).toBeLessThan(all);
    const elements = await timeline.locator('.timeline-entry').evaluateAll((items) => items.map((i) => i.getAttribute('data-element')));
    expect(elements.length).toBeGreaterThan(0);
    expect(new Set(elements)).toEqual(new Set(['Task_ResearcherClarification']));
    expect(await page.getByTestId('timeline-status').innerText()).toContain(steps.Task_ResearcherClarification!.ar);
    expect(await page.getByTestId('element-filter').inputValue()).toBe('Task_ResearcherClarification');
    // The engine's events too, when asked.
    await page.getByTestId('show-engine').check();
    await visible(timeline.locator('.timeline-entry[data-action="engine.ELEMENT_ACTIVATED"]'));
    await page.getByTestId('show-engine').uncheck();
    // And the filter goes away.
    await page.getByTestId('clear-element').click();
    await expect.poll(() => timeline.locator('.timeline-entry').count()).toBe(all);
  });

  step('verifies the audit log and offers the exports', async () => {
    await page.getByRole('button', { name: 'التحقق من سلامة السجل', exact: true }).click();
    const result = page.getByTestId('verify-result');
    await visible(result.locator('[data-ok="true"]'));
    expect(await result.getAttribute('aria-live')).toBe('polite');
    expect(await result.innerText()).toMatch(/السجل سليم/);
    expect(await page.getByTestId('export-csv').getAttribute('href')).toBe(`/api/cases/${caseId}/history.csv`);
    expect(await page.getByTestId('export-json').getAttribute('href')).toBe(`/api/cases/${caseId}/history.json`);
    // The download works with the page's session cookie.
    const csv = await page.evaluate(async (href) => {
      const r = await fetch(href!);
      return { status: r.status, type: r.headers.get('content-type') ?? '' };
    }, await page.getByTestId('export-csv').getAttribute('href'));
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
  });

  step('reads in English, and fits a phone', async () => {
    await inLanguage('en');
    const timeline = page.getByTestId('audit-timeline');
    const completion = await visible(timeline.locator('.timeline-entry[data-action="task.completed"][data-element="Task_ReceptionCheck"]'));
    expect(await completion.innerText()).toContain('Task completed');
    expect(await completion.innerText()).toContain(steps.Task_ReceptionCheck!.en);
    expect(await page.getByTestId('diagram-version').innerText()).toMatch(/process version/);
    await page.getByRole('button', { name: 'Verify the log', exact: true }).click();
    await visible(page.getByTestId('verify-result').getByText(/The log is intact/));
    await page.screenshot({ path: path.join(ARTIFACTS, 'audit-en.png'), fullPage: true });
    await copyFile(path.join(ARTIFACTS, 'audit-en.png'), path.join(SCREENSHOTS, 'audit-en.png'));

    await inLanguage('ar');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/audit/cases/${caseId}`);
    await visible(timeline.locator('.timeline-entry').first());
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'audit-ar-phone.png'), fullPage: true });
  });
});
