/**
 * Reaching applicants who came in person (issue 19, point 3), in a real browser:
 *   - reception records a walk-in request with the applicant's consent to follow it in the portal
 *     and their choice of SMS for notices, typing every number in Arabic-Indic digits (the ID,
 *     the mobile, the income, the document number); the server stores them as Western digits;
 *   - the applicant signs in to the portal on a phone with that mobile number and the one-time
 *     code, both typed in Arabic-Indic digits, and sees the request recorded with consent —
 *     not one recorded for the same number without it.
 * Each test sets up its own requests, so each passes alone. Screenshots in Arabic and English
 * land in test/artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/app';
import { HOOK_MS, TEST_MS, WAIT_MS } from '../support/budget.mjs';
import { WEB_DIR, collectPageErrors, ensureWebBuild, launchBrowser, signInAsStaff, type LaunchedBrowser } from '../support/browser';
import { IntakeDriver, VALID_EXPIRY, nextNationalId } from '../support/intake';

const ARTIFACTS = path.resolve('test/artifacts');
const PHONE = { width: 390, height: 844 };

let server: TestServer;
let d: IntakeDriver;
const browsers: LaunchedBrowser[] = [];
const errors: string[] = [];

/** 0551234567 → ٠٥٥١٢٣٤٥٦٧ (Arabic-Indic), or with persian: ۰۵۵۱۲۳۴۵۶۷. */
const indic = (text: string, persian = false) => text.replace(/\d/g, (digit) => String.fromCharCode((persian ? 0x06f0 : 0x0660) + Number(digit)));

/** A Saudi mobile number no other test uses. */
let mobiles = 0;
const freshMobile = () => `059${String(Date.now() % 1_000_000).padStart(6, '0')}${++mobiles % 10}`;

async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout: WAIT_MS });
  return locator;
}

async function browserPage(expected: number[] = [401]): Promise<Page> {
  const browser = await launchBrowser();
  browsers.push(browser);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  collectPageErrors(page, errors, expected);
  return page;
}

describe('applicants reached whatever the channel, numbers in any digits', () => {
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

  it('reception records a walk-in request with the portal consent and SMS notices, every number typed in Arabic-Indic digits', async () => {
    const page = await browserPage();
    await signInAsStaff(page, server.url, 'reception');
    await page.goto(`${server.url}/cases/new`);
    await visible(page.getByRole('heading', { level: 1, name: 'تسجيل طلب جديد' }));
    // The navigation marks this page alone, not "Requests" (/cases) as well.
    const nav = page.getByRole('navigation');
    expect(await nav.locator('[aria-current="page"]').allInnerTexts()).toEqual(['تسجيل طلب جديد']);
    const nationalId = nextNationalId();
    const mobile = freshMobile();
    await page.getByLabel('قناة التواصل').selectOption('C1');
    await page.getByLabel('نوع الدعم المطلوب').selectOption('training');
    await page.getByLabel('الاسم الكامل').fill('مريم علي الشهري');
    await page.getByLabel('رقم الهوية أو الإقامة').fill(indic(nationalId));
    await page.locator('#request-birthDate').fill('1988-03-02');
    await page.getByLabel('رقم الجوال').fill(indic(mobile));
    await page.getByLabel('المدينة').fill('أبها');
    await page.getByLabel('العنوان').fill('حي المنسك، شارع الملك فيصل');
    await page.getByLabel('دخل الأسرة الشهري (ريال)').fill('٢٨٠٠٫٥٠');
    await page.getByLabel('طريقة إبلاغ المستفيد').selectOption('sms');
    await page.getByLabel('يوافق المستفيد على متابعة طلبه في بوابة المستفيدين').check();
    const first = page.getByTestId('documents').locator('.repeat-row[data-row="0"]');
    await first.getByLabel('رقم المستند').fill(indic(nationalId, true));
    await first.getByLabel('تاريخ الانتهاء').fill(VALID_EXPIRY);
    await page.getByRole('button', { name: 'إضافة مستند' }).click();
    const second = page.getByTestId('documents').locator('.repeat-row[data-row="1"]');
    await second.getByLabel('نوع المستند').selectOption('qualification');
    await second.getByLabel('رقم المستند').fill(`Q-${indic('2019')}-${indic('7')}`);
    await page.getByLabel('طريقة إبلاغ المستفيد').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'reception-consent-ar.png'), fullPage: true });
    const [accepted] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/applications') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'تسجيل الطلب', exact: true }).click(),
    ]);
    expect(accepted.status(), await accepted.text()).toBe(201);
    const { id } = (await accepted.json()) as { id: string };
    const view = (await d.as('admin').get(`/api/cases/${id}`).expect(200)).body;
    expect(view.applicant).toMatchObject({ nationalId, mobile: `+966${mobile.slice(1)}`, monthlyIncome: 2800.5 });
    expect(view.preferredContact).toBe('sms');
    expect(view.portalConsentAt).toBeTruthy();
    expect(view.documents.map((x: { number: string }) => x.number)).toEqual([nationalId, 'Q-2019-7']);

    // The same form in English names the two new fields.
    await page.goto(`${server.url}/cases/new`);
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await visible(page.getByLabel('How the applicant wants notices'));
    await visible(page.getByLabel("The applicant agrees to follow the request in the applicants' portal"));
    await page.getByLabel('How the applicant wants notices').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'reception-consent-en.png') });
  });

  it('the portal shows the applicant a request recorded at reception with their consent, signing in with the mobile and code in Arabic-Indic digits', async () => {
    const mobile = freshMobile();
    // Recorded in person with consent (the mobile sent in Arabic-Indic digits: the server reads them), and one without.
    const consented = await d.submit({ mobile: indic(mobile), portalConsent: true, preferredContact: 'sms' });
    const without = await d.submit({ mobile, channel: 'C2' });

    const page = await browserPage([400, 401, 404]);
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}/portal`);
    await visible(page.getByRole('heading', { level: 1, name: 'بوابة المستفيدين' }));
    await page.getByLabel('رقم الجوال').fill(indic(mobile));
    await page.getByRole('button', { name: 'أرسل رمز الدخول' }).click();
    const message = await visible(page.getByTestId('demo-code-message'));
    const code = /(\d{6})/.exec(await message.innerText())![1]!;
    await page.getByLabel('رمز الدخول').fill(indic(code));
    await page.getByRole('button', { name: 'دخول', exact: true }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'طلباتي' }));
    const list = await visible(page.locator('.portal-requests'));
    expect(await list.innerText()).toContain(consented.applicationNumber);
    expect(await list.innerText()).not.toContain(without.applicationNumber);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'portal-consent-ar.png'), fullPage: true });

    // The request opens; the other one answers as if it did not exist.
    await list.getByRole('link', { name: new RegExp(consented.applicationNumber) }).click();
    await visible(page.getByRole('heading', { level: 1, name: new RegExp(consented.applicationNumber) }));
    await page.goto(`${server.url}/portal/requests/${without.id}`);
    await visible(page.getByRole('alert'));

    await page.goto(`${server.url}/portal`);
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'My requests' }));
    expect(await page.locator('.portal-requests').innerText()).toContain(consented.applicationNumber);
    await page.screenshot({ path: path.join(ARTIFACTS, 'portal-consent-en.png'), fullPage: true });
  });
});
