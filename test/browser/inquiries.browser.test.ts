/**
 * Inquiries in a real browser against the real server (issue 20): the beneficiary-relations
 * officer records an inquiry at /inquiries, searches the reference library with another Arabic
 * spelling, cites an article and answers; in English the same with an inquiry the website sent;
 * the public questions page (/portal/questions) with no account, and its form to write to the
 * Society, whose link shows the inquiry. Screenshots land in test/artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/app';
import { TEST_MS, WAIT_MS } from '../support/budget.mjs';
import { WEB_DIR, collectPageErrors, ensureWebBuild, launchBrowser, signInAsStaff, type LaunchedBrowser } from '../support/browser';
import { IntakeDriver } from '../support/intake';

const ARTIFACTS = path.resolve('test/artifacts');
const WAIT = WAIT_MS;

let server: TestServer;
let driver: IntakeDriver;
let browser: LaunchedBrowser;
let page: Page;
let fromWebsite: string;
const errors: string[] = [];

async function inLanguage(lang: 'ar' | 'en'): Promise<void> {
  if ((await page.locator('html').getAttribute('lang')) === lang) return;
  await page.getByRole('button', { name: lang === 'ar' ? 'العربية' : 'English', exact: true }).click();
  await page.waitForFunction(`document.documentElement.lang === '${lang}'`);
}

describe('inquiries: answering from the library, and the public questions page', () => {
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await ensureWebBuild();
    server = await startTestServer({ webDir: WEB_DIR, seedDemo: true, env: { ENABLE_TEST_CLOCK: 'true' } });
    driver = new IntakeDriver(server);
    await driver.signIn('process-owner');
    const article = await driver.as('process-owner').post('/api/library/articles').send({
      slug: 'iqama-renewal',
      kind: 'faq',
      public: true,
      titleAr: 'تجديد الإقامة قبل التقديم',
      titleEn: 'Renewing the iqama before applying',
      bodyAr: 'يجب أن تكون الإقامة سارية وقت التقديم، ويُمهَل المستفيد ٣٠ يومًا لاستكمال الطلب.',
      bodyEn: 'The iqama must be valid on the day of submission; the beneficiary has 30 days to complete the request.',
    });
    expect(article.status, JSON.stringify(article.body)).toBe(201);
    const sent = await server.http().post('/api/public/inquiries').send({ kind: 'question', topic: 'documents', body: 'My iqama expires next week: can I still apply?', email: 'omar@example.com', personName: 'Omar' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    fromWebsite = sent.body.number;
    await driver.settle();

    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.setViewportSize({ width: 1280, height: 900 });
    collectPageErrors(page, errors, [401]);
    await signInAsStaff(page, server.url, 'reception');
  }, 10 * WAIT_MS);

  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.close();
  }, TEST_MS);

  it('records an inquiry at reception and answers it citing a library article found with another spelling, in Arabic [S1, O3, R1]', async () => {
    await inLanguage('ar');
    await page.getByRole('navigation').getByRole('link', { name: 'الاستفسارات والشكاوى', exact: true }).click();
    await page.waitForURL(`${server.url}/inquiries`);
    await page.getByRole('heading', { level: 1, name: 'الاستفسارات والاقتراحات والشكاوى' }).waitFor({ timeout: WAIT });
    await page.getByLabel('القناة').selectOption('C2');
    await page.getByLabel('نص الاستفسار').fill('هل أستطيع التقديم وإقامتي تنتهي بعد أسبوع؟');
    await page.getByLabel('رقم الجوال').fill('٠٥٥١٢٣٤٥٦٧');
    await page.getByRole('button', { name: 'تسجيل', exact: true }).click();
    const recorded = page.getByRole('status').filter({ hasText: 'سُجّل برقم' });
    await recorded.waitFor({ timeout: WAIT });
    const number = /INQ-\d{4}-\d{6}/.exec((await recorded.textContent()) ?? '')![0];
    await driver.settle(); // the response-time target is set and the answer task waits for the group
    await page.getByRole('heading', { level: 2, name: new RegExp(number) }).waitFor({ timeout: WAIT });

    await page.getByLabel('كلمات البحث').fill('الاقامه'); // no hamza, haa for taa marbuta
    await page.getByRole('search').getByRole('button', { name: 'ابحث' }).click();
    const hit = page.locator('.library-hits li').filter({ hasText: 'تجديد الإقامة قبل التقديم' });
    await hit.waitFor({ timeout: WAIT });
    await expect.poll(() => hit.textContent()).toMatch(/الترتيب [٠-٩]/);
    await hit.getByRole('button', { name: 'استشهد بها' }).click();
    await page.getByLabel('نص الرد', { exact: true }).fill('نعم، بشرط تجديد الإقامة قبل تاريخ التقديم.');
    await page.getByRole('button', { name: 'إرسال الرد' }).click();
    await page.locator('.inquiry-citation').filter({ hasText: 'المادة المستشهد بها: «تجديد الإقامة قبل التقديم» (الإصدار ١)' }).waitFor({ timeout: WAIT });
    await page.getByText('رسالة نصية · أجاب').waitFor({ timeout: WAIT });
    await page.screenshot({ path: path.join(ARTIFACTS, 'inquiry-answered-ar.png'), fullPage: true });

    await driver.settle();
    const stored = await driver.as('admin').get(`/api/inquiries/${number}`).expect(200);
    expect(stored.body).toMatchObject({ status: 'answered', channel: 'C2', mobile: '+966551234567', citation: { slug: 'iqama-renewal', version: 1 } });
  });

  it('answers an inquiry the website sent, citing the library, in English [S1, O3, R1]', async () => {
    await page.goto(`${server.url}/inquiries`);
    await inLanguage('en');
    await page.getByRole('heading', { level: 1, name: 'Inquiries, suggestions and complaints' }).waitFor({ timeout: WAIT });
    await page.getByRole('button', { name: new RegExp(`${fromWebsite}.*Question.*Documents.*C7.*Open`) }).click();
    await page.getByText('My iqama expires next week: can I still apply?').waitFor({ timeout: WAIT });
    await page.getByLabel('Words to look for').fill('Iqama');
    await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
    const hit = page.locator('.library-hits li').filter({ hasText: 'Renewing the iqama before applying' });
    await hit.waitFor({ timeout: WAIT });
    await hit.getByRole('button', { name: 'Cite it' }).click();
    await expect.poll(() => page.getByLabel('How the answer reaches the person').inputValue()).toBe('email');
    await page.getByLabel('The answer', { exact: true }).fill('Yes, once the iqama is renewed before you apply.');
    await page.getByRole('button', { name: 'Send the answer' }).click();
    await page.locator('.inquiry-citation').filter({ hasText: 'Cited article: «Renewing the iqama before applying» (version 1)' }).waitFor({ timeout: WAIT });
    await page.screenshot({ path: path.join(ARTIFACTS, 'inquiry-answered-en.png'), fullPage: true });
    await inLanguage('ar');
  });

  it('shows the published questions to anyone, in Arabic and English, and takes a question from the website [T1]', async () => {
    // A browser of its own: nobody signed in.
    const visitor = await launchBrowser();
    const anonymous = visitor.context.pages()[0] ?? (await visitor.context.newPage());
    collectPageErrors(anonymous, errors, [401]);
    await anonymous.goto(`${server.url}/portal/questions#iqama-renewal`);
    await anonymous.getByRole('heading', { level: 1, name: 'الأسئلة الشائعة' }).waitFor({ timeout: WAIT });
    await anonymous.getByRole('heading', { level: 2, name: 'كيف أتقدّم بطلب دعم إلى الجمعية؟' }).waitFor({ timeout: WAIT });
    await anonymous.getByRole('heading', { level: 2, name: 'تجديد الإقامة قبل التقديم' }).waitFor({ timeout: WAIT });
    // The policy is for the officers, not published.
    expect(await anonymous.getByRole('heading', { name: 'سياسة تنظيم العلاقة مع المستفيدين' }).count()).toBe(0);
    expect(await anonymous.locator('html').getAttribute('dir')).toBe('rtl');
    await anonymous.screenshot({ path: path.join(ARTIFACTS, 'questions-ar.png'), fullPage: true });

    await anonymous.getByRole('button', { name: 'English', exact: true }).click();
    await anonymous.getByRole('heading', { level: 1, name: 'Frequently asked questions' }).waitFor({ timeout: WAIT });
    await anonymous.getByRole('heading', { level: 2, name: 'How do I apply to the Society for support?' }).waitFor({ timeout: WAIT });
    await anonymous.getByLabel('What the person asked or said').fill('Do you offer evening training courses?');
    await anonymous.getByLabel('Mobile number').fill('0559876543');
    await anonymous.getByRole('button', { name: 'Send', exact: true }).click();
    const sent = anonymous.getByRole('status').filter({ hasText: 'We have received it; its number is' });
    await sent.waitFor({ timeout: WAIT });
    await sent.getByRole('link', { name: 'Follow it here' }).click();
    await anonymous.getByRole('heading', { level: 1, name: 'Follow your inquiry' }).waitFor({ timeout: WAIT });
    await anonymous.getByText('No answer yet; we will tell you when it comes.').waitFor({ timeout: WAIT });
    await anonymous.screenshot({ path: path.join(ARTIFACTS, 'inquiry-track-en.png'), fullPage: true });
    await visitor.close();
  });

  it('shows managers the inquiries on the dashboard, time to answer against target by kind, with the CSV [G1, T4]', async () => {
    const manager = await launchBrowser();
    const dash = manager.context.pages()[0] ?? (await manager.context.newPage());
    collectPageErrors(dash, errors, [401]);
    await signInAsStaff(dash, server.url, 'manager');
    await dash.goto(`${server.url}/dashboard`);
    const card = dash.getByTestId('report-inquiries');
    await card.waitFor({ timeout: WAIT });
    await card.getByRole('heading', { level: 2, name: 'الاستفسارات والاقتراحات والشكاوى' }).waitFor({ timeout: WAIT });
    const question = card.getByTestId('inquiries-time-to-answer').getByRole('row').filter({ hasText: 'استفسار' });
    await question.waitFor({ timeout: WAIT });
    expect(await card.getByTestId('csv-inquiries').getAttribute('href')).toMatch(/^\/api\/reports\/inquiries\.csv\?from=/);
    await dash.screenshot({ path: path.join(ARTIFACTS, 'dashboard-inquiries-ar.png'), fullPage: true });
    await manager.close();
  });
});
