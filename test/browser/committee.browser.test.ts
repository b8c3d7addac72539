/**
 * The committee's votes in a real browser (issue 19, point 1). The vote is a multi-instance
 * user task, one iteration per member; the diagram maps `vote`, `voteNotes` and `voter` in as
 * locals of each iteration and collects them through `outputElement`, so under Zeebe's
 * propagation rules a member's answer never reaches the process scope
 * (docs.camunda.io/docs/components/concepts/variables/#variable-propagation,
 * docs.camunda.io/docs/components/modeler/bpmn/multi-instance/#collect-the-output).
 *
 * Two members vote differently with notes that mix Arabic and English: each opens an empty
 * form, the second after the first has voted; the chair then reads both votes, each with the
 * member's name, the notes isolated in their own direction. Screenshots in Arabic and English
 * land in test/artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/app';
import { HOOK_MS, TEST_MS, WAIT_MS } from '../support/budget.mjs';
import { WEB_DIR, collectPageErrors, ensureWebBuild, launchBrowser, signInAsStaff, type LaunchedBrowser } from '../support/browser';
import { IntakeDriver } from '../support/intake';

const ARTIFACTS = path.resolve('test/artifacts');
const FIRST_NOTES = 'الدخل أقل من الحد (income below 3,000 SAR) والتدريب مناسب.';
const SECOND_NOTES = 'Income is close to the limit — الدخل قريب من الحد.';

let server: TestServer;
let d: IntakeDriver;
const browsers: LaunchedBrowser[] = [];
const errors: string[] = [];

async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout: WAIT_MS });
  return locator;
}

/** A fresh browser signed in as the staff member, in the language given. */
async function staff(username: string, lang: 'ar' | 'en'): Promise<Page> {
  const browser = await launchBrowser();
  browsers.push(browser);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  // 409: the second member's attempt to vote twice is not provoked here; 401 before sign-in.
  collectPageErrors(page, errors);
  await signInAsStaff(page, server.url, username);
  if (lang === 'en') {
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.waitForFunction(`document.documentElement.lang === 'en'`);
  }
  return page;
}

async function openTask(page: Page, key: string): Promise<void> {
  await page.goto(`${server.url}/tasks/${key}`);
  await visible(page.getByTestId('task-form').locator('.fjs-form'));
}

async function claimAndComplete(page: Page, lang: 'ar' | 'en', fill: () => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: lang === 'ar' ? 'حجز المهمة' : 'Claim', exact: true }).click();
  await visible(page.getByTestId('claim-toggle').getByText(lang === 'ar' ? 'إلغاء الحجز' : 'Unclaim'));
  await fill();
  await page.getByRole('button', { name: lang === 'ar' ? 'إنجاز المهمة' : 'Complete', exact: true }).click();
  await visible(page.getByTestId('task-done').or(page.getByTestId('action-error')));
  expect(await page.getByTestId('action-error').count(), await page.getByTestId('action-error').innerText().catch(() => '')).toBe(0);
}

/** What the member sees before voting: no option chosen, no notes. */
async function emptyVoteForm(page: Page, lang: 'ar' | 'en'): Promise<{ checked: number; notes: string }> {
  const form = page.getByTestId('task-form');
  return {
    checked: await form.locator('input[type="radio"]:checked').count(),
    notes: await form.getByLabel(lang === 'ar' ? 'ملاحظات' : 'Notes', { exact: true }).inputValue(),
  };
}

describe('committee votes: each member votes alone, the chair reads every vote named', () => {
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await ensureWebBuild();
    server = await startTestServer({ webDir: WEB_DIR, env: { ENABLE_TEST_CLOCK: 'true' } });
    d = new IntakeDriver(server);
    await d.signIn('reception');
  }, HOOK_MS);

  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    for (const b of browsers) await b.close().catch(() => undefined);
    await server?.close();
  }, TEST_MS);

  it('two members vote differently, each sees an empty form, the chair sees both, named', async () => {
    const c = await d.toCommittee();
    const votes = (await d.view(c.id)).openTasks.filter((t) => t.elementId === 'Task_CommitteeVote');
    expect(votes).toHaveLength(2);

    // The first member, in Arabic: an empty form; accepts with mixed-direction notes.
    const first = await staff('committee', 'ar');
    await openTask(first, votes[0]!.key);
    expect(await emptyVoteForm(first, 'ar')).toEqual({ checked: 0, notes: '' });
    await claimAndComplete(first, 'ar', async () => {
      await first.getByLabel('قبول', { exact: true }).check();
      await first.getByLabel('ملاحظات', { exact: true }).fill(FIRST_NOTES);
    });

    // The second member, in English, after the first has voted: still an empty form.
    const second = await staff('committee2', 'en');
    await openTask(second, votes[1]!.key);
    expect(await emptyVoteForm(second, 'en')).toEqual({ checked: 0, notes: '' });
    expect(await second.getByTestId('task-form').innerText()).not.toContain('income below');
    await claimAndComplete(second, 'en', async () => {
      await second.getByLabel('Reject', { exact: true }).check();
      await second.getByLabel('Notes', { exact: true }).fill(SECOND_NOTES);
    });

    // The chair: both votes, each with the member who cast it.
    const view = await d.at(c.id, 'Task_ChairDecision');
    const chairTask = view.openTasks.find((t) => t.elementId === 'Task_ChairDecision')!;
    const users = (await d.as('admin').get('/api/users?role=committee').expect(200)).body.items as Array<{ username: string; displayName: string }>;
    const nameOf = (username: string) => users.find((u) => u.username === username)!.displayName;

    const chair = await staff('committee-chair', 'ar');
    await openTask(chair, chairTask.key);
    const members = chair.getByTestId('task-form').locator('.vote-member');
    expect(await members.allInnerTexts()).toEqual([nameOf('committee'), nameOf('committee2')]);
    const list = await chair.getByTestId('task-form').locator('li').allInnerTexts();
    expect(list).toHaveLength(2);
    expect(list[0]).toContain('قبول');
    expect(list[0]).toContain(FIRST_NOTES);
    expect(list[1]).toContain('اعتذار');
    expect(list[1]).toContain(SECOND_NOTES);
    // Each note reads in its own direction (the first strong letter's, as dir="auto"), isolated from the labels.
    const bidi = await chair
      .getByTestId('task-form')
      .locator('.vote-notes')
      .evaluateAll((spans) => spans.map((s) => getComputedStyle(s).unicodeBidi));
    expect(bidi).toEqual(['plaintext', 'plaintext']);
    await chair.getByTestId('task-form').locator('.vote-member').first().scrollIntoViewIfNeeded();
    await chair.screenshot({ path: path.join(ARTIFACTS, 'committee-votes-ar.png'), fullPage: true });

    await chair.getByRole('button', { name: 'English', exact: true }).click();
    await visible(chair.getByTestId('task-form').getByText("Members' votes:"));
    const english = await chair.getByTestId('task-form').locator('li').allInnerTexts();
    expect(english[0]).toContain(`${nameOf('committee')}: accept`);
    expect(english[1]).toContain(`${nameOf('committee2')}: reject`);
    await chair.screenshot({ path: path.join(ARTIFACTS, 'committee-votes-en.png'), fullPage: true });
  });
});
