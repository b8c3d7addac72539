/**
 * Every page of the applicant portal at the narrowest and the widest common phone widths (360 and
 * 414 px), in Arabic and in English (issue 19, point 6): nothing needs sideways scrolling (the
 * survey notice's link is a button, not a 60-character word), text a person typed is isolated from
 * the page's direction (a document's type, number and file name stay in reading order), and every
 * rating of the satisfaction survey is a target of at least 44 × 44 px (WCAG 2.2, 2.5.5).
 * Requests are brought to their stages through the API as staff and applicant would; the browser
 * holds the applicant's session. Screenshots in test/artifacts/ (two copied to docs/screenshots/).
 */
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/app';
import { HOOK_MS, WAIT_MS } from '../support/budget.mjs';
import { WEB_DIR, collectPageErrors, ensureWebBuild, launchBrowser, type LaunchedBrowser } from '../support/browser';
import { IntakeDriver, PDF, REGISTERED, SERVED, VALID_EXPIRY, applicationFor, nextNationalId } from '../support/intake';
import { PortalApplicant } from '../support/portal';

const ARTIFACTS = path.resolve('test/artifacts');
const SCREENSHOTS = path.resolve('docs/screenshots');
const WAIT = WAIT_MS;
const MOBILE = '0551230101';
/** Reasons and notes as staff type them: Arabic with English and numbers inside. */
const REASONS = 'تنطبق عليه شروط برنامج التدريب (Training programme, level 2) رقم Q-2012-77';
const MISSING_NOTE = 'صورة شهادة آخر مؤهل (Diploma) رقم Q-2012-77';

let server: TestServer;
let d: IntakeDriver;
let applicant: PortalApplicant;
const errors: string[] = [];
/** The requests, one at each stage that has its own form or list on the page. */
const requests: Record<'missing' | 'signature' | 'survey', { id: string; applicationNumber: string }> = {} as never;
let surveyLink = '';

async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout: WAIT });
  return locator;
}

/** [] when the page needs no sideways scroll; else the elements that stick out, to say which. */
const sidewaysOverflow = (page: Page) =>
  page.evaluate<string[]>(`document.documentElement.scrollWidth <= window.innerWidth ? [] :
    ['scrollWidth ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth, ...[...document.querySelectorAll('body *')]
      .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1); })
      .slice(-5)
      .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().left) + '..' + Math.round(e.getBoundingClientRect().right))]`);

/** The sizes of the survey's rating targets (the labels around each radio button). */
const ratingTargets = (page: Page) =>
  page.locator('.rating-option').evaluateAll((labels) => labels.map((l) => ({ width: Math.floor(l.getBoundingClientRect().width), height: Math.floor(l.getBoundingClientRect().height) })));

async function portalPhone(width: number, lang: 'ar' | 'en', signedIn: boolean): Promise<{ page: Page; browser: LaunchedBrowser }> {
  const browser = await launchBrowser();
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.setViewportSize({ width, height: 780 });
  await page.addInitScript(`window.localStorage.setItem('mustafid.lang', '${lang}')`);
  if (signedIn) await browser.context.addCookies([{ name: 'mustafid_session', value: applicant.token, url: server.url }]);
  // 401: the session check before signing in.
  collectPageErrors(page, errors, [401]);
  return { page, browser };
}

const texts = {
  ar: { myRequests: 'طلباتي', newRequest: 'تقديم طلب جديد', sendCode: 'أرسل رمز الدخول', mobile: 'رقم الجوال', survey: 'افتح استبانة التقييم', addDocument: 'إضافة مستند', addMember: 'إضافة فرد من الأسرة', file: 'الملف:' },
  en: { myRequests: 'My requests', newRequest: 'Submit a new request', sendCode: 'Send the sign-in code', mobile: 'Mobile number', survey: 'Open the survey', addDocument: 'Add a document', addMember: 'Add a household member', file: 'File:' },
};

describe('the portal on a phone: 360 and 414 px, Arabic and English', () => {
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await ensureWebBuild();
    // Four browsers ask for sign-in codes from this one address.
    server = await startTestServer({ webDir: WEB_DIR, env: { ENABLE_TEST_CLOCK: 'true', LOGIN_MAX_FAILURES: '50' } });
    d = new IntakeDriver(server);
    await d.signIn('reception');
    applicant = await new PortalApplicant(server, MOBILE).signIn();
    const submit = async (documents: Array<Record<string, unknown>>, files: Array<[string, string]>) => {
      const { channel: _c, mobile: _m, ...application } = applicationFor({ documents });
      const req = applicant.post('/api/portal/requests').field('application', JSON.stringify(application));
      for (const [part, name] of files) req.attach(part, PDF, name);
      const res = await req;
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; applicationNumber: string };
    };
    const fullDocuments = (nationalId: string) => [
      { type: 'national-id', number: nationalId, expiryDate: VALID_EXPIRY, file: 'document-0' },
      { type: 'qualification', number: 'Q-2012-77', file: 'document-1' },
    ];

    // Missing a document: the form to send it, and the officer's note with English inside.
    const id1 = nextNationalId();
    requests.missing = await submit([{ type: 'national-id', number: id1, expiryDate: VALID_EXPIRY, file: 'document-0' }], [['document-0', 'national-id (scan).pdf']]);
    await d.complete(requests.missing.id, 'Task_ReceptionCheck', { dataComplete: false, missingItems: MISSING_NOTE });
    await d.at(requests.missing.id, 'Event_DocumentsProvided');

    // Waiting for the applicant's signature: the data to sign.
    const id2 = nextNationalId();
    requests.signature = await submit(fullDocuments(id2), [['document-0', 'national-id.pdf'], ['document-1', 'شهادة المؤهل.pdf']]);
    await d.complete(requests.signature.id, 'Task_ReceptionCheck', { dataComplete: true, referToResearcher: false });
    await d.at(requests.signature.id, 'Task_Attestation');

    // Served: the decision, the messages with the survey link, the survey form.
    const id3 = nextNationalId();
    requests.survey = await submit(fullDocuments(id3), [['document-0', 'national-id scan.pdf'], ['document-1', 'شهادة Q-2012-77.pdf']]);
    await d.complete(requests.survey.id, 'Task_ReceptionCheck', { dataComplete: true, referToResearcher: false });
    await d.at(requests.survey.id, 'Task_Attestation');
    const shown = await applicant.get(`/api/portal/requests/${requests.survey.id}/attestation`).expect(200);
    await applicant.post(`/api/portal/requests/${requests.survey.id}/attestation`).send({ typedName: shown.body.fullName, consent: true, dataHash: shown.body.dataHash }).expect(201);
    await d.at(requests.survey.id, 'Task_CommitteeVote');
    await d.decide(requests.survey.id, 'accepted', REASONS);
    await d.onlyAt(requests.survey.id, 'Event_MinimumResponsePeriod');
    await d.advance('P14D');
    await d.complete(requests.survey.id, 'Task_RegistrationRequirements', REGISTERED);
    await d.complete(requests.survey.id, 'Task_DeliverService', SERVED);
    await d.at(requests.survey.id, 'Event_SurveyAnswered');
    const notice = (await d.notifications(requests.survey.id)).find((n) => n.notice === 'survey')!;
    surveyLink = /(https?:\/\/\S+\/survey\/\S+)/.exec(notice.body.en)![1].replace(/^https?:\/\/[^/]+/, server.url);
  }, 4 * HOOK_MS);

  afterAll(async () => {
    await server?.close();
  });

  for (const width of [360, 414]) {
    for (const lang of ['ar', 'en'] as const) {
      it(`${width} px, ${lang === 'ar' ? 'Arabic' : 'English'}: every portal page fits the screen, and a rating is a 44 px target`, async () => {
        const words = texts[lang];
        const overflow: Record<string, string[]> = {};
        const check = async (page: Page, name: string) => {
          overflow[name] = await sidewaysOverflow(page);
        };

        // Signed out: the sign-in page, then the code step with the demo's message.
        const out = await portalPhone(width, lang, false);
        try {
          await out.page.goto(`${server.url}/portal`);
          await visible(out.page.getByLabel(words.mobile));
          await check(out.page, 'sign-in');
          await out.page.getByLabel(words.mobile).fill(`05512302${width === 360 ? '6' : '1'}${lang === 'ar' ? '1' : '2'}`);
          await out.page.getByRole('button', { name: words.sendCode }).click();
          await visible(out.page.getByTestId('demo-code-message'));
          await check(out.page, 'sign-in code');
          // The survey notice's link needs no session.
          await out.page.goto(surveyLink);
          await visible(out.page.locator('.survey-form'));
          await check(out.page, 'survey link');
          for (const target of await ratingTargets(out.page)) {
            expect(target.width, 'a rating on the survey link page is at least 44 px wide').toBeGreaterThanOrEqual(44);
            expect(target.height, 'a rating on the survey link page is at least 44 px high').toBeGreaterThanOrEqual(44);
          }
        } finally {
          await out.browser.close();
        }

        const { page, browser } = await portalPhone(width, lang, true);
        try {
          await page.goto(`${server.url}/portal`);
          await visible(page.getByRole('heading', { level: 1, name: words.myRequests }));
          await visible(page.locator('.portal-request-item').first());
          await check(page, 'my requests');

          // The request form, with a household member and a second document row open.
          await page.getByRole('link', { name: words.newRequest }).click();
          await visible(page.getByRole('heading', { level: 1, name: words.newRequest }));
          await page.getByRole('button', { name: words.addDocument }).click();
          await page.getByRole('button', { name: words.addMember }).click();
          await check(page, 'new request');

          await page.goto(`${server.url}/portal/requests/${requests.missing.id}`);
          await visible(page.getByTestId('portal-missing'));
          await check(page, 'missing documents');
          // The officer's note, in the message asking for it, keeps its words as typed.
          expect(await page.locator('.portal-message p[dir="auto"]', { hasText: 'Diploma' }).innerText()).toContain(MISSING_NOTE);

          await page.goto(`${server.url}/portal/requests/${requests.signature.id}`);
          await visible(page.getByTestId('data-to-sign'));
          await check(page, 'signature');

          await page.goto(`${server.url}/portal/requests/${requests.survey.id}`);
          await visible(page.locator('.survey-form'));
          await check(page, 'served, with the survey');
          const targets = await ratingTargets(page);
          expect(targets).toHaveLength(20);
          for (const target of targets) {
            expect(target.width, 'a rating is at least 44 px wide').toBeGreaterThanOrEqual(44);
            expect(target.height, 'a rating is at least 44 px high').toBeGreaterThanOrEqual(44);
          }
          // The survey notice's link is a button, not the address spelled out.
          const link = await visible(page.getByTestId('message-link').first());
          expect(await link.innerText()).toBe(words.survey);
          expect(await link.getAttribute('href')).toMatch(/\/survey\/REQ-\d{4}-\d+\?token=/);
          expect(await page.locator('.portal-messages').innerText()).not.toContain('token=');
          // The decision's reasons as the chair wrote them.
          expect(await page.getByTestId('portal-decision').locator('p > bdi').innerText()).toBe(REASONS);
          // Application, beneficiary and document numbers inside words are never split across lines
          // (split at a hyphen inside Arabic, "REQ-2026-000003" read "-REQ" and then the digits).
          const codes = await page.locator('.portal-messages .code-token, [data-testid="portal-decision"] .code-token').evaluateAll((tokens) =>
            tokens.map((token) => ({ text: token.textContent, lines: token.getClientRects().length })),
          );
          expect(codes.map((c) => c.text)).toEqual(expect.arrayContaining([requests.survey.applicationNumber, 'BEN-0000001', 'Q-2012-77']));
          expect(codes.filter((c) => c.lines !== 1)).toEqual([]);

          // Each document: its type, then its number, then the file, in reading order for the page's direction.
          const documents = page.getByTestId('portal-documents').locator('li');
          expect(await documents.count()).toBe(2);
          const stored = (await applicant.get(`/api/portal/requests/${requests.survey.id}`).expect(200)).body.documents as Array<{ number: string; fileName: string }>;
          expect(stored.map((s) => s.fileName)).toEqual(['national-id scan.pdf', 'شهادة Q-2012-77.pdf']);
          for (const [i, { number, fileName: file }] of stored.entries()) {
            const row = documents.nth(i);
            expect(await row.locator('.portal-document-number').innerText()).toBe(number);
            expect(await row.locator('.portal-document-file bdi').innerText()).toBe(file);
            expect(await row.locator('.portal-document-file').innerText()).toBe(`${words.file} ${file}`);
            const [type, num] = await Promise.all([row.locator('.portal-document-type'), row.locator('.portal-document-number')].map((l) => l.boundingBox()));
            if (type!.y === num!.y) {
              if (lang === 'ar') expect(num!.x + num!.width, 'the number is left of the type in Arabic').toBeLessThanOrEqual(type!.x + 1);
              else expect(num!.x, 'the number is right of the type in English').toBeGreaterThanOrEqual(type!.x + type!.width - 1);
            }
          }
          if (width === 360) {
            await page.screenshot({ path: path.join(ARTIFACTS, `portal-phone-${lang}.png`), fullPage: true });
            await mkdir(SCREENSHOTS, { recursive: true });
            await copyFile(path.join(ARTIFACTS, `portal-phone-${lang}.png`), path.join(SCREENSHOTS, `portal-phone-${lang}.png`));
          }
        } finally {
          await browser.close();
        }

        expect(overflow).toEqual(Object.fromEntries(Object.keys(overflow).map((k) => [k, []])));
        expect(errors.splice(0)).toEqual([]);
      });
    }
  }
});
