/**
 * The applicant portal in a real browser at phone width (390×844), Arabic first: an applicant
 * signs in with the one-time code the demo outbox shows, submits a request with a scan, signs
 * the data shown to them, follows it to the committee, sees the decision on day 14 and rates
 * the service (the survey saying what a rating is for, T3). Staff steps go through the API.
 * In English: the survey notice's one-time link, no sign-in. Screenshots in test/artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/app';
import { HOOK_MS, WAIT_MS } from '../support/budget.mjs';
import { WEB_DIR, collectPageErrors, ensureWebBuild, launchBrowser, type LaunchedBrowser } from '../support/browser';
import { IntakeDriver, PDF, REGISTERED, SERVED, VALID_EXPIRY, nextNationalId } from '../support/intake';

const ARTIFACTS = path.resolve('test/artifacts');
const WAIT = WAIT_MS;
const PHONE = { width: 390, height: 844 };
const APPLICANT = 'فاطمة عبدالله الحربي';

let server: TestServer;
let d: IntakeDriver;
const browsers: LaunchedBrowser[] = [];
const errors: string[] = [];

async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout: WAIT });
  return locator;
}

const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
/** Nothing sticks out sideways at phone width: [] when the page needs no sideways scroll, else what sticks out. */
const sidewaysOverflow = (page: Page) =>
  page.evaluate<string[]>(`document.documentElement.scrollWidth <= window.innerWidth ? [] :
    [...document.querySelectorAll('body *')]
      .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1); })
      .slice(-5)
      .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().left) + '..' + Math.round(e.getBoundingClientRect().right))`);

/** Sends the survey form; the thanks, or the refusal's words as the failure. */
async function sendSurvey(page: Page, button: string): Promise<void> {
  await page.getByRole('button', { name: button }).click();
  const thanks = page.getByTestId('survey-thanks');
  const refused = page.locator('.survey-form [role="alert"]');
  await visible(thanks.or(refused));
  if (await refused.isVisible()) throw new Error(`the survey was refused: ${await refused.innerText()}`);
}

async function phone(): Promise<Page> {
  const browser = await launchBrowser();
  browsers.push(browser);
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.setViewportSize(PHONE);
  // 401: the session check before signing in; 400/401/409/410: answers provoked on purpose.
  collectPageErrors(page, errors, [400, 401, 409, 410]);
  return page;
}

/** Waits until the staff's step is done and the applicant's page shows the stage. */
async function reloadUntil(page: Page, stage: string): Promise<void> {
  await expect
    .poll(async () => {
      await page.reload();
      return (await visible(page.getByTestId('portal-stage').locator('h2'))).innerText();
    }, { timeout: WAIT })
    .toBe(stage);
}

describe('the applicant portal at phone width', () => {
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await ensureWebBuild();
    server = await startTestServer({ webDir: WEB_DIR, env: { ENABLE_TEST_CLOCK: 'true' } });
    d = new IntakeDriver(server);
    await d.signIn('reception', 'admin');
  }, HOOK_MS);

  afterAll(async () => {
    for (const b of browsers) await b.close();
    await server?.close();
  });

  it('in Arabic: sign in with the code, submit, sign the data shown, the decision on day 14, the survey once', async () => {
    const page = await phone();
    await page.goto(`${server.url}/portal`);
    await visible(page.getByRole('heading', { level: 1, name: 'بوابة المستفيدين' }));
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await page.getByLabel('رقم الجوال').fill('0551230001');
    await page.getByRole('button', { name: 'أرسل رمز الدخول' }).click();
    const message = await visible(page.getByTestId('demo-code-message'));
    const code = /(\d{6})/.exec(await message.innerText())![1];
    // A wrong code first: refused in Arabic.
    await page.getByLabel('رمز الدخول').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'دخول', exact: true }).click();
    expect(await (await visible(page.getByRole('alert'))).innerText()).toContain('الرمز غير صحيح');
    await page.getByLabel('رمز الدخول').fill(code);
    await screenshot(page, 'portal-sign-in-ar.png');
    await page.getByRole('button', { name: 'دخول', exact: true }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'طلباتي' }));
    await visible(page.getByText('لا طلبات لك بعد: لم تقدّم طلبًا عبر البوابة، ولا طلبًا مسجلًا لدى الجمعية بموافقتك على متابعته هنا.'));

    // The staff request form, for oneself: no channel to choose, the mobile number fixed.
    await page.getByRole('link', { name: 'تقديم طلب جديد' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'تقديم طلب جديد' }));
    expect(await page.getByLabel('قناة التواصل').count()).toBe(0);
    expect(await page.getByLabel('رقم الجوال').inputValue()).toBe('+966551230001');
    const nationalId = nextNationalId();
    await page.getByLabel('نوع الدعم المطلوب').selectOption('training');
    await page.getByLabel('الاسم الكامل').fill(APPLICANT);
    await page.getByLabel('رقم الهوية أو الإقامة').fill(nationalId);
    await page.locator('#request-birthDate').fill('1990-05-14');
    await page.getByLabel('المدينة').fill('الرياض');
    await page.getByLabel('العنوان').fill('حي الملز، شارع الستين');
    await page.getByLabel('دخل الأسرة الشهري (ريال)').fill('3500');
    const firstDocument = page.getByTestId('documents').locator('.repeat-row[data-row="0"]');
    await firstDocument.getByLabel('رقم المستند').fill(nationalId);
    await firstDocument.getByLabel('تاريخ الانتهاء').fill(VALID_EXPIRY);
    await firstDocument.getByLabel('صورة المستند').setInputFiles({ name: 'national-id.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: 'إضافة مستند' }).click();
    const second = page.getByTestId('documents').locator('.repeat-row[data-row="1"]');
    await second.getByLabel('نوع المستند').selectOption('qualification');
    await second.getByLabel('رقم المستند').fill('Q-2020-11');
    expect(await sidewaysOverflow(page)).toEqual([]);
    const [submitted] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/portal/requests') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'تسجيل الطلب', exact: true }).click(),
    ]);
    expect(submitted.status()).toBe(201);
    const { id, applicationNumber } = (await submitted.json()) as { id: string; applicationNumber: string };
    await visible(page.getByRole('heading', { level: 1, name: new RegExp(applicationNumber) }));
    expect(await page.getByTestId('portal-stage').locator('h2').innerText()).toBe('نراجع طلبك');
    expect((await d.view(id)).channel).toMatchObject({ code: 'C7' });

    // Reception checks it; the applicant reads the data, then signs it.
    await d.complete(id, 'Task_ReceptionCheck', { dataComplete: true, referToResearcher: false });
    await reloadUntil(page, 'بانتظار توقيعك');
    const data = await visible(page.getByTestId('data-to-sign'));
    expect(await data.innerText()).toContain(APPLICANT);
    expect(await data.innerText()).toContain(nationalId);
    await page.getByLabel('اكتب اسمك الكامل كما في الطلب').fill(APPLICANT);
    await page.getByRole('button', { name: 'توقيع', exact: true }).click();
    expect(await (await visible(page.getByTestId('portal-signature').getByRole('alert'))).innerText()).toBe('اكتب اسمك الكامل وأكّد الإقرار.');
    await page.getByLabel('أقرّ بأن البيانات أعلاه صحيحة، وأنني المسؤول عن صحتها.').check();
    await screenshot(page, 'portal-signature-ar.png');
    await page.getByRole('button', { name: 'توقيع', exact: true }).click();
    await reloadUntil(page, 'لدى لجنة البحث');
    const earliest = (await d.view(id)).earliestAnswerAt!;
    const hijri = await page.evaluate((iso) => new Intl.DateTimeFormat('ar-SA', { calendar: 'islamic-umalqura', dateStyle: 'long' }).format(new Date(iso)), earliest);
    expect(await page.getByTestId('earliest-answer').innerText()).toContain(hijri);
    expect(await page.getByText('أُحيل طلبكم').first().isVisible()).toBe(true);
    await screenshot(page, 'portal-request-ar.png');

    // The committee decides at once; the applicant hears nothing until day 14.
    await d.decide(id, 'accepted', 'تنطبق عليه شروط برنامج التدريب');
    await d.onlyAt(id, 'Event_MinimumResponsePeriod');
    await page.reload();
    await visible(page.getByTestId('portal-stage'));
    expect(await page.getByTestId('portal-decision').count()).toBe(0);
    await d.advance('P14D');
    await d.at(id, 'Task_RegistrationRequirements');
    await reloadUntil(page, 'استكمال التسجيل');
    expect(await page.getByTestId('portal-decision').innerText()).toContain('تنطبق عليه شروط برنامج التدريب');

    await d.complete(id, 'Task_RegistrationRequirements', REGISTERED);
    await d.complete(id, 'Task_DeliverService', SERVED);
    await reloadUntil(page, 'قُدّمت الخدمة: رأيك يهمنا');
    const promise = await visible(page.getByTestId('survey-promise'));
    expect(await promise.innerText()).toContain('لا للمحاسبة أو العقاب أو التشهير');
    expect(await promise.innerText()).toContain('بجانب اسم أي موظف');
    await page.getByRole('radiogroup').first().waitFor({ state: 'attached' }).catch(() => undefined);
    const questions = page.locator('.survey-question');
    for (const [i, n] of [5, 4, 4, 5].entries()) await questions.nth(i).getByText(new Intl.NumberFormat('ar-SA').format(n), { exact: true }).click();
    await page.getByLabel('تعليقك (اختياري)').fill('إجراءات واضحة وتعامل راقٍ');
    expect(await sidewaysOverflow(page)).toEqual([]);
    await screenshot(page, 'portal-survey-ar.png');
    await sendSurvey(page, 'إرسال التقييم');
    await d.until(id, 'completed');
    await reloadUntil(page, 'اكتمل الطلب');
    expect(await page.getByText('شكرًا لك، وصل تقييمك.').isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  it("in English: the survey notice's one-time link, without signing in, works once", async () => {
    const c = await d.toCommittee();
    await d.decide(c.id, 'accepted', 'Eligible');
    await d.onlyAt(c.id, 'Event_MinimumResponsePeriod');
    await d.advance('P14D');
    await d.complete(c.id, 'Task_RegistrationRequirements', REGISTERED);
    await d.complete(c.id, 'Task_DeliverService', SERVED);
    await d.at(c.id, 'Event_SurveyAnswered');
    const notice = (await d.notifications(c.id)).find((n) => n.notice === 'survey')!;
    const link = /(http:\/\/localhost:3000\/survey\/\S+)/.exec(notice.body.en)![1].replace('http://localhost:3000', server.url);

    const page = await phone();
    await page.goto(link);
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.waitForFunction("document.documentElement.lang === 'en'");
    await visible(page.getByRole('heading', { level: 1, name: 'Satisfaction survey' }));
    const promise = await visible(page.getByTestId('survey-promise'));
    expect(await promise.innerText()).toContain('never to hold anyone to account, punish or expose anyone');
    expect(await promise.innerText()).toContain('never shown beside the name of any staff member');
    // Every rating is needed.
    await page.getByRole('button', { name: 'Send my rating' }).click();
    expect(await page.getByText('Choose a rating from 1 to 5.').count()).toBe(4);
    const questions = page.locator('.survey-question');
    for (const [i, n] of [4, 3, 3, 5].entries()) await questions.nth(i).getByText(String(n), { exact: true }).click();
    expect(await sidewaysOverflow(page)).toEqual([]);
    await screenshot(page, 'survey-link-en.png');
    await sendSurvey(page, 'Send my rating');
    await d.until(c.id, 'completed');
    // The link works once.
    await page.reload();
    await visible(page.getByText('This request has been rated already. Thank you.'));
    expect(errors).toEqual([]);
  });
});
