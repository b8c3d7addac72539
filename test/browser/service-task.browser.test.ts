/**
 * The service task (S7) on a phone, at 360 and 414 px in Arabic and English (issue 19, point 6):
 * the form's date picker speaks the page's language (Arabic month and day names in Arabic), fits
 * the screen when open, and a service date before the committee's decision is refused at the
 * field in the page's language; the decision day itself completes the task. The server refuses
 * the same date on its own (test/e2e/intake-process.e2e.test.ts, "(a′)"). Screenshots in test/artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/app';
import { HOOK_MS, WAIT_MS } from '../support/budget.mjs';
import { WEB_DIR, collectPageErrors, ensureWebBuild, launchBrowser } from '../support/browser';
import { IntakeDriver, REGISTERED } from '../support/intake';

const ARTIFACTS = path.resolve('test/artifacts');
const WAIT = WAIT_MS;
const COMBINATIONS = [
  { width: 360, lang: 'ar' },
  { width: 360, lang: 'en' },
  { width: 414, lang: 'ar' },
  { width: 414, lang: 'en' },
] as const;

const UI = {
  ar: {
    claim: 'حجز المهمة',
    complete: 'إنجاز المهمة',
    date: 'تاريخ التقديم',
    months: ['يناير', 'فبراير', 'مارس', 'أبريل', 'مايو', 'يونيو', 'يوليو', 'أغسطس', 'سبتمبر', 'أكتوبر', 'نوفمبر', 'ديسمبر'],
    firstWeekday: 'س',
    tooEarly: 'لا يجوز أن يكون تاريخ الخدمة قبل قرار لجنة البحث',
    done: 'أُنجزت المهمة',
  },
  en: {
    claim: 'Claim',
    complete: 'Complete',
    date: 'Date provided',
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    firstWeekday: 'Sun',
    tooEarly: 'The service date cannot be before the research committee’s decision',
    done: 'Task completed',
  },
} as const;

let server: TestServer;
let d: IntakeDriver;
const errors: string[] = [];
/** One case at the service step for each combination, with its task key and decision day. */
const cases: Array<{ taskKey: string; decisionDay: string }> = [];

async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout: WAIT });
  return locator;
}

const sidewaysOverflow = (page: Page) => page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));

/** "2026-12-03" as the browser's own locale writes a date (en-US here: 12/3/2026), which form-js's input reads. */
const typed = (day: string) => {
  const [y, m, dd] = day.split('-').map(Number);
  return `${m}/${dd}/${y}`;
};

const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

describe('the service task on a phone: its date picker and the date against the decision', () => {
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await ensureWebBuild();
    server = await startTestServer({ webDir: WEB_DIR, env: { ENABLE_TEST_CLOCK: 'true' } });
    d = new IntakeDriver(server);
    await d.signIn('reception');
    const ids: string[] = [];
    for (const _ of COMBINATIONS) {
      const c = await d.toCommittee();
      await d.decide(c.id, 'accepted', 'تنطبق عليه الشروط');
      await d.onlyAt(c.id, 'Event_MinimumResponsePeriod');
      ids.push(c.id);
    }
    await d.advance('P14D');
    for (const id of ids) {
      await d.complete(id, 'Task_RegistrationRequirements', REGISTERED);
      const view = await d.at(id, 'Task_DeliverService');
      const decidedAt = (await d.as('admin').get(`/api/cases/${id}`).expect(200)).body.decision.decidedAt as string;
      const decisionDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Riyadh' }).format(new Date(decidedAt));
      cases.push({ taskKey: view.openTasks.find((t) => t.elementId === 'Task_DeliverService')!.key, decisionDay });
    }
  }, 4 * HOOK_MS);

  afterAll(async () => {
    await server?.close();
  });

  for (const [i, { width, lang }] of COMBINATIONS.entries()) {
    it(`${width} px, ${lang === 'ar' ? 'Arabic' : 'English'}: the picker in the page's language; a date before the decision refused at the field`, async () => {
      const ui = UI[lang];
      const { taskKey, decisionDay } = cases[i]!;
      const browser = await launchBrowser();
      try {
        const page = browser.context.pages()[0] ?? (await browser.context.newPage());
        await page.setViewportSize({ width, height: 800 });
        await page.addInitScript(`window.localStorage.setItem('mustafid.lang', '${lang}')`);
        await browser.context.addCookies([{ name: 'mustafid_session', value: await server.login('service'), url: server.url }]);
        collectPageErrors(page, errors, [401]);
        await page.goto(`${server.url}/tasks/${taskKey}`);
        await (await visible(page.getByRole('button', { name: ui.claim, exact: true }))).click();
        const date = await visible(page.getByLabel(ui.date));
        await expect.poll(() => date.isEditable(), { timeout: WAIT }).toBe(true);

        // The calendar that opens: month and day names in the page's language, and it fits the screen.
        await date.click();
        const calendar = await visible(page.locator('.flatpickr-calendar.open'));
        // Past its fade-in (300 ms), for the screenshot.
        await page.waitForTimeout(400);
        const monthNames = await calendar.locator('.flatpickr-monthDropdown-months option').allInnerTexts();
        expect(monthNames.length).toBeGreaterThan(0);
        for (const name of monthNames) expect(ui.months).toContain(name.trim());
        expect((await calendar.locator('.flatpickr-weekday').first().innerText()).trim()).toBe(ui.firstWeekday);
        await page.screenshot({ path: path.join(ARTIFACTS, `service-date-picker-${lang}-${width}.png`), fullPage: true });
        expect(await sidewaysOverflow(page)).toBe(0);
        const [field, opened] = await Promise.all([date.locator('xpath=ancestor::*[contains(@class, "fjs-input-group")][1]').boundingBox(), calendar.boundingBox()]);
        expect(opened!.x, 'the calendar starts inside the field').toBeGreaterThanOrEqual(field!.x - 1);
        expect(opened!.x + opened!.width, 'the calendar ends inside the field').toBeLessThanOrEqual(field!.x + field!.width + 1);
        await page.keyboard.press('Escape');

        // The rest of the form, so that the date is the only thing at fault.
        await page.locator('.fjs-form-field-select .fjs-input-group').click();
        await page.locator('.fjs-dropdownlist-item', { hasText: lang === 'ar' ? 'مقر الجمعية' : "The Society's office" }).click();
        await page.getByLabel(lang === 'ar' ? 'الخدمة المقدمة' : 'The service provided').fill(lang === 'ar' ? 'التحق بدورة يناير' : 'Enrolled in the January course');

        // A day before the decision: refused at the field, in the page's language, before anything is sent.
        await date.fill(typed(dayBefore(decisionDay)));
        await date.press('Enter');
        let sent = 0;
        page.on('request', (r) => {
          if (r.url().endsWith(`/api/tasks/${taskKey}/complete`)) sent += 1;
        });
        await page.getByTestId('complete').click();
        const fieldError = await visible(page.locator('.fjs-form-field-error', { hasText: ui.tooEarly }));
        expect(await fieldError.innerText()).toContain(ui.tooEarly);
        expect(await page.getByTestId('action-error').getAttribute('data-invalid-fields')).toBe('service-delivery-deliveredOn');
        expect(sent).toBe(0);
        // The field is focused with its calendar closed, so the message stays readable.
        expect(await date.evaluate((input) => input === document.activeElement)).toBe(true);
        expect(await page.locator('.flatpickr-calendar.open').count()).toBe(0);
        await page.screenshot({ path: path.join(ARTIFACTS, `service-date-refused-${lang}-${width}.png`), fullPage: true });

        // The decision day itself, with the rest of the form: completed.
        await date.fill(typed(decisionDay));
        await date.press('Enter');
        await page.getByTestId('complete').click();
        await visible(page.getByTestId('task-done'));
        expect(await page.getByTestId('task-done').getByRole('heading').innerText()).toBe(ui.done);
        expect(sent).toBe(1);
        const completed = (await d.as('admin').get(`/api/tasks/${taskKey}`).expect(200)).body;
        expect(completed.task.state).toBe('completed');
        expect(completed.variables.deliveredOn).toBe(decisionDay);
        expect(await sidewaysOverflow(page)).toBe(0);
        expect(errors.splice(0)).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  }
});
