/**
 * The web shell in a real browser against the real server (Nest app, database, demo
 * users): Arabic first and right-to-left, the language switch and its memory, sign-in
 * and its errors, the home page, the role-gated sections, sign-out.
 * Screenshots land in test/artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startTestServer } from '../support/app';
import { TEST_MS, WAIT_MS } from '../support/budget.mjs';
import { WEB_DIR, ensureWebBuild, launchBrowser, type LaunchedBrowser } from '../support/browser';

const ARTIFACTS = path.resolve('test/artifacts');
const PASSWORD = process.env.DEMO_PASSWORD ?? 'mustafid-demo';
const WAIT = WAIT_MS;

const UI = {
  ar: {
    username: 'اسم المستخدم',
    password: 'كلمة المرور',
    submit: 'دخول',
    logout: 'تسجيل الخروج',
    switchTo: 'English',
    invalidCredentials: 'اسم المستخدم أو كلمة المرور غير صحيحة.',
    tooManyAttempts: 'محاولات دخول كثيرة. انتظر قليلًا ثم حاول مرة أخرى.',
    welcome: 'أهلًا بك',
    apiDocs: 'توثيق واجهة البرمجة (API)',
    tasks: 'المهام',
    newRequest: 'تسجيل طلب جديد',
  },
  en: {
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    logout: 'Sign out',
    switchTo: 'العربية',
    invalidCredentials: 'The username or password is incorrect.',
    tooManyAttempts: 'Too many sign-in attempts. Please wait a little and try again.',
    welcome: 'Welcome',
    apiDocs: 'API documentation',
    tasks: 'Tasks',
    newRequest: 'Record a request',
  },
} as const;
type Lang = keyof typeof UI;

interface Me {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
}

let server: { url: string; close(): Promise<void> } | undefined;
let browser: LaunchedBrowser | undefined;
let page: Page;
/** Script errors and failed loads other than the 401/429 answers the shell expects (session check, wrong password, lock-out). */
let browserErrors: string[] = [];
/** Set while a test blocks the app's own scripts on purpose. */
let blockingAppScripts = false;

async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout: WAIT });
  return locator;
}

// Browser-side code is passed as strings: the repository's tsconfig has no DOM types.
async function htmlLangDir(): Promise<{ lang: string | null; dir: string | null }> {
  const html = page.locator('html');
  return { lang: await html.getAttribute('lang'), dir: await html.getAttribute('dir') };
}

async function bodyDirection(): Promise<string> {
  return page.evaluate<string>('getComputedStyle(document.body).direction');
}

async function rememberedLanguage(): Promise<string | null> {
  return page.evaluate<string | null>("localStorage.getItem('mustafid.lang')");
}

function usernameInput(lang: Lang): Locator {
  return page.getByLabel(UI[lang].username, { exact: true });
}

function passwordInput(lang: Lang): Locator {
  return page.getByLabel(UI[lang].password, { exact: true });
}

async function openLoginPage(lang: Lang): Promise<void> {
  await page.goto(server!.url);
  await visible(usernameInput(lang));
}

interface LoginAnswer {
  status: number;
  body?: { code?: string; message?: unknown };
}

/** Fills and sends the sign-in form; returns the server's answer to POST /api/auth/login. */
async function signIn(lang: Lang, username: string, password = PASSWORD): Promise<LoginAnswer> {
  await usernameInput(lang).fill(username);
  await passwordInput(lang).fill(password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/auth/login') && r.request().method() === 'POST', { timeout: WAIT }),
    page.getByRole('button', { name: UI[lang].submit, exact: true }).click(),
  ]);
  const body = (await response.json().catch(() => undefined)) as LoginAnswer['body'];
  return { status: response.status(), body };
}

/** Who the server says is signed in, with the page's own cookies. */
async function me(): Promise<{ status: number; body?: Me }> {
  const response = await page.request.get(`${server!.url}/api/me`);
  return { status: response.status(), body: response.ok() ? ((await response.json()) as Me) : undefined };
}

async function signedInHome(lang: Lang, username: string): Promise<Me> {
  await visible(page.getByRole('heading', { level: 1, name: new RegExp(UI[lang].welcome) }));
  const session = await me();
  expect(session.status).toBe(200);
  expect(session.body?.username).toBe(username);
  return session.body!;
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
}

describe('web shell', () => {
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await ensureWebBuild();
    server = await startTestServer({ webDir: WEB_DIR, seedDemo: true });
  }, 8 * WAIT_MS);

  afterAll(async () => {
    await server?.close();
  }, TEST_MS);

  // A fresh browser profile per test: no cookie, no remembered language.
  beforeEach(async () => {
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    browserErrors = [];
    blockingAppScripts = false;
    page.on('pageerror', (error) => browserErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      if (/status of (401|429)/.test(message.text())) return;
      if (blockingAppScripts && /net::ERR_FAILED/.test(message.text())) return;
      browserErrors.push(`console: ${message.text()}`);
    });
  }, TEST_MS);

  afterEach(async () => {
    await browser?.close();
    browser = undefined;
    // No script error, blocked resource or CSP violation in any test.
    expect(browserErrors).toEqual([]);
  }, 2 * WAIT_MS);

  it('opens in Arabic, right to left, and signs a beneficiary-relations officer in', async () => {
    await openLoginPage('ar');
    expect(await htmlLangDir()).toEqual({ lang: 'ar', dir: 'rtl' });
    await visible(passwordInput('ar'));
    await visible(page.getByRole('button', { name: UI.ar.submit, exact: true }));
    await visible(page.getByRole('button', { name: UI.ar.switchTo, exact: true }));

    // The layout really flows right to left: the brand sits to the right of the switch.
    const brand = await page.locator('.brand').boundingBox();
    const languageSwitch = await page.getByRole('button', { name: UI.ar.switchTo }).boundingBox();
    expect(brand && languageSwitch && brand.x > languageSwitch.x).toBe(true);
    expect(await bodyDirection()).toBe('rtl');
    await screenshot('login-ar.png');

    await signIn('ar', 'reception');
    const user = await signedInHome('ar', 'reception');
    expect(user.roles).toContain('reception');

    expect(await page.getByTestId('display-name').innerText()).toBe(user.displayName);
    expect(await page.getByTestId('header-user').innerText()).toBe(user.displayName);
    expect(await page.getByTestId('username').innerText()).toBe('reception');
    expect(await page.getByTestId('roles').innerText()).toContain('موظف علاقات المستفيدين');

    // Today in both calendars, as ar-SA writes them.
    const expected = await page.evaluate(() => {
      const now = new Date();
      return {
        hijri: new Intl.DateTimeFormat('ar-SA', { calendar: 'islamic-umalqura', dateStyle: 'long' }).format(now),
        gregorian: new Intl.DateTimeFormat('ar-SA', { calendar: 'gregory', dateStyle: 'long' }).format(now),
      };
    });
    const hijri = await page.getByTestId('date-hijri').innerText();
    const gregorian = await page.getByTestId('date-gregorian').innerText();
    expect(hijri).toBe(expected.hijri);
    expect(hijri).toContain('هـ');
    expect(gregorian).toBe(expected.gregorian);
    expect(gregorian).not.toBe(hijri);
    await screenshot('home-ar.png');

    // Phone width: nothing overflows sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot('home-ar-phone.png');
  });

  it('switches to English, left to right, remembers it, and signs the committee chair in', async () => {
    await openLoginPage('ar');
    await page.getByRole('button', { name: UI.ar.switchTo, exact: true }).click();
    await visible(usernameInput('en'));
    expect(await htmlLangDir()).toEqual({ lang: 'en', dir: 'ltr' });
    await visible(passwordInput('en'));
    await visible(page.getByRole('button', { name: UI.en.submit, exact: true }));
    expect(await page.getByText(UI.ar.username, { exact: true }).count()).toBe(0);
    expect(await rememberedLanguage()).toBe('en');
    expect(await bodyDirection()).toBe('ltr');

    await page.reload();
    await visible(usernameInput('en'));
    expect(await htmlLangDir()).toEqual({ lang: 'en', dir: 'ltr' });

    // No right-to-left flash: public/lang-init.js sets the direction before the app's
    // module runs (here the module is blocked, and the page is still English, LTR).
    blockingAppScripts = true;
    await page.route('**/assets/*.js', (route) => route.abort());
    await page.reload();
    expect(await htmlLangDir()).toEqual({ lang: 'en', dir: 'ltr' });
    expect(await page.getByLabel(UI.en.username).count()).toBe(0); // the app really did not run
    await page.unroute('**/assets/*.js');
    blockingAppScripts = false;
    await page.reload();
    await visible(usernameInput('en'));
    const brand = await page.locator('.brand').boundingBox();
    const languageSwitch = await page.getByRole('button', { name: UI.en.switchTo }).boundingBox();
    expect(brand && languageSwitch && brand.x < languageSwitch.x).toBe(true);
    await screenshot('login-en.png');

    await signIn('en', 'committee-chair');
    const user = await signedInHome('en', 'committee-chair');
    expect(await page.getByTestId('display-name').innerText()).toBe(user.displayName);
    expect(await page.getByTestId('roles').innerText()).toContain('Research committee chair');
    expect(await page.getByTestId('date-hijri').innerText()).toMatch(/\d{4} AH/);
    await screenshot('home-en.png');
  });

  it('shows the translated error for a wrong password and stays on the sign-in page', async () => {
    await openLoginPage('ar');
    const answer = await signIn('ar', 'researcher', 'not-the-password');
    expect(answer.status).toBe(401);
    expect(answer.body?.code).toBe('INVALID_CREDENTIALS');
    const alert = await visible(page.getByRole('alert'));
    expect(await alert.innerText()).toBe(UI.ar.invalidCredentials);
    await visible(usernameInput('ar'));
    expect(await usernameInput('ar').inputValue()).toBe('researcher');
    expect(await passwordInput('ar').inputValue()).toBe('');
    expect((await me()).status).toBe(401);

    // The message follows the language switch.
    await page.getByRole('button', { name: UI.ar.switchTo, exact: true }).click();
    await visible(page.getByRole('alert').getByText(UI.en.invalidCredentials, { exact: true }));
  });

  it('lists each section only for the roles that have it', async () => {
    await openLoginPage('ar');
    await signIn('ar', 'admin');
    await signedInHome('ar', 'admin');
    const docsLink = await visible(page.getByRole('link', { name: UI.ar.apiDocs, exact: true }));
    expect(await docsLink.getAttribute('href')).toBe('/api/docs');
    // Only real pages are listed: the link leads to Swagger UI.
    const docs = await page.request.get(`${server!.url}/api/docs`);
    expect(docs.status()).toBe(200);
    expect(await docs.text()).toContain('swagger');

    await page.getByRole('button', { name: UI.ar.logout, exact: true }).click();
    await visible(usernameInput('ar'));
    await signIn('ar', 'reception');
    await signedInHome('ar', 'reception');
    // Reception works tasks, finds and records requests, and answers inquiries; the links open pages of the app.
    const sections = await visible(page.getByTestId('sections'));
    expect(await sections.getByRole('link').allInnerTexts()).toEqual([UI.ar.tasks, 'الطلبات', UI.ar.newRequest, 'الاستفسارات والشكاوى']);
    expect(await page.locator('a[href="/api/docs"]').count()).toBe(0);
    await sections.getByRole('link', { name: UI.ar.tasks, exact: true }).click();
    await page.waitForURL(`${server!.url}/tasks`);
    await visible(page.getByRole('heading', { level: 1, name: UI.ar.tasks, exact: true }));

    // An applicant has no staff section: their home is the portal, and a password account that
    // never signed in there by mobile number is told, in words, to do so (the portal's 403).
    await page.getByRole('button', { name: UI.ar.logout, exact: true }).click();
    await visible(usernameInput('ar'));
    await signIn('ar', 'applicant');
    await page.waitForURL(`${server!.url}/portal`);
    const told = await visible(page.getByRole('alert'));
    expect(await told.innerText()).toBe('هذا الحساب ليس حساب بوابة. ادخل إلى البوابة برقم جوالك.');
    expect(await page.getByTestId('sections').count()).toBe(0);
    const forbidden = browserErrors.filter((e) => /status of 403/.test(e));
    expect(forbidden).toHaveLength(1);
    browserErrors.splice(0, browserErrors.length, ...browserErrors.filter((e) => !forbidden.includes(e)));
  });

  it('signs out back to the sign-in page and ends the session', async () => {
    await openLoginPage('ar');
    await signIn('ar', 'auditor');
    await signedInHome('ar', 'auditor');
    expect(await page.getByTestId('roles').innerText()).toContain('مدقق');

    await page.getByRole('button', { name: UI.ar.logout, exact: true }).click();
    await visible(usernameInput('ar'));
    expect(await page.getByRole('button', { name: UI.ar.logout }).count()).toBe(0);
    expect(await page.getByTestId('header-user').count()).toBe(0);
    expect((await me()).status).toBe(401);

    await page.reload();
    await visible(usernameInput('ar'));
  });

  // Last: it locks one account (registrar) for the rest of this server's life.
  it('shows the translated message when the server refuses further attempts', async () => {
    await openLoginPage('ar');
    await page.getByRole('button', { name: UI.ar.switchTo, exact: true }).click();
    await visible(usernameInput('en'));
    let answer: LoginAnswer = { status: 0 };
    for (let attempt = 0; attempt < 20 && answer.status !== 429; attempt++) {
      answer = await signIn('en', 'registrar', `wrong-${attempt}`);
      expect([401, 429]).toContain(answer.status);
    }
    expect(answer.status).toBe(429);
    expect(answer.body?.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    expect(await (await visible(page.getByRole('alert'))).innerText()).toBe(UI.en.tooManyAttempts);
    // Even the right password is refused now, and the page says why.
    answer = await signIn('en', 'registrar');
    expect(answer.status).toBe(429);
    await visible(usernameInput('en'));
    expect((await me()).status).toBe(401);
  });
});
