/**
 * The process owner's modeler in a real browser against the real server: a request is
 * submitted first and waits at reception on version N of the intake diagram. The owner
 * opens the intake diagram at /modeler, renames a task in the properties panel and sees it
 * in the changes list, saves a named draft, deploys with a comment and sees version N+1 in
 * the history while the running request stays on version N. Then a service task loses its
 * job type: the live lint lists the error and the deploy button stays off. Bad uploads (not
 * BPMN, too large) leave the canvas as it was; a file made in Camunda Desktop Modeler loads.
 * An old version opens read-only and is deployed again as the newest. Renaming an element in
 * one language asks whether to rename it in the other, and leaving through the site's links with
 * unsaved edits asks first (issue 19, point 8), at desktop and phone widths in Arabic and English.
 * Screenshots in Arabic and English land in test/artifacts/ (some are copied to docs/screenshots/).
 */
import { copyFile, mkdir, readFile } from 'node:fs/promises';
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
/** The modeler loads bpmn-js and its panels: a wait of its own, from the budget. */
const WAIT = 2 * WAIT_MS;
const PROCESS = 'beneficiary-intake';
const NEW_NAME = 'استقبال المستفيد ومطابقة بياناته مع الهوية';
const COMMENT = 'توضيح اسم خطوة الاستقبال: المطابقة مع الهوية';

let server: TestServer;
let driver: IntakeDriver;
let browser: LaunchedBrowser;
let page: Page;
const errors: string[] = [];
let caseId = '';
let versionN = 0;

interface Version {
  key: string;
  version: number;
  deployedBy: string;
  comment: string | null;
  instances: { active: number; completed: number; canceled: number } | null;
}

async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout: WAIT });
  return locator;
}

async function inLanguage(lang: 'ar' | 'en'): Promise<void> {
  if ((await page.locator('html').getAttribute('lang')) === lang) return;
  await page.getByRole('button', { name: lang === 'ar' ? 'العربية' : 'English', exact: true }).click();
  await page.waitForFunction(`document.documentElement.lang === '${lang}'`);
}

async function versions(): Promise<Version[]> {
  const res = await driver.as('admin').get(`/api/modeling/processes/${PROCESS}/versions`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Version[];
}

async function caseVersion(id: string): Promise<number> {
  const res = await driver.as('admin').get(`/api/cases/${id}/path`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body as { version: number }).version;
}

/** A field of the diagram's properties panel (the form editor's panel beside it uses the same ids). */
const property = (id: string) => page.locator(`[data-testid="modeler-properties"] #bio-properties-panel-${id}`);

/** Opens a group of a properties panel (the diagram's, unless told) unless it is open. */
async function openGroup(groupId: string, panel = '[data-testid="modeler-properties"]'): Promise<void> {
  const group = page.locator(`${panel} [data-group-id="group-${groupId}"]`);
  if ((await group.locator('.bio-properties-panel-group-entries.open').count()) === 0) await group.locator('.bio-properties-panel-group-header').click();
  await visible(group.locator('.bio-properties-panel-group-entries.open'));
}

/** Clicks an element of the diagram so that the properties panel shows it. */
async function selectElement(id: string): Promise<void> {
  await page.locator(`[data-testid="modeler-canvas"] .djs-element[data-element-id="${id}"]`).click();
  await expect.poll(() => property('id').inputValue(), { timeout: WAIT }).toBe(id);
}

async function openEditor(): Promise<void> {
  await page.goto(`${server.url}/modeler/${PROCESS}`);
  await visible(page.getByTestId('modeler-edit'));
  await visible(page.locator(`[data-testid="modeler-canvas"] .djs-element[data-element-id="Task_VerifyData"]`));
  await expect.poll(() => page.getByTestId('lint-problems').getAttribute('data-errors'), { timeout: WAIT }).toBe('0');
}

describe('process owner: the modeler', () => {
  const { step } = journey();
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await ensureWebBuild();
    server = await startTestServer({ webDir: WEB_DIR, seedDemo: true });
    driver = new IntakeDriver(server);
    await driver.signIn();
    // A request running on version N: it must stay there whatever is deployed after.
    const c = await driver.submit();
    caseId = c.id;
    await driver.at(caseId, 'Task_ReceptionCheck');
    versionN = (await versions())[0]!.version;
    expect(await caseVersion(caseId)).toBe(versionN);

    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    // 401 before signing in; the 400s, 409 and 413 the tests provoke on purpose are shown on the page.
    collectPageErrors(page, errors, [400, 401, 409, 413]);
    page.on('dialog', (dialog) => void dialog.accept());
    await signInAsStaff(page, server.url, 'process-owner');
  }, HOOK_MS);

  afterEach(() => {
    expect(errors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.close();
  }, TEST_MS);

  step('opens the intake diagram from the site navigation, clean under the live lint', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'مصمم الإجراءات', exact: true }).click();
    await page.waitForURL(`${server.url}/modeler`);
    await (await visible(page.getByTestId('process-list').locator(`[data-process="${PROCESS}"] a`))).click();
    await page.waitForURL(`${server.url}/modeler/${PROCESS}`);
    await visible(page.locator(`[data-testid="modeler-canvas"] .djs-element[data-element-id="Task_ReceptionCheck"]`));
    await expect.poll(() => page.getByTestId('lint-problems').getAttribute('data-errors'), { timeout: WAIT }).toBe('0');
    expect(await page.getByTestId('modeler-source').innerText()).toContain(new Intl.NumberFormat('ar-SA').format(versionN));
    await visible(page.getByTestId('changes').getByText('لا تغييرات عن النسخة المنشورة.'));
    // The canvas is drawn left to right inside the right-to-left page, the Zeebe properties panel beside it.
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.getByTestId('modeler-canvas').getAttribute('dir')).toBe('ltr');
    // The task forms of this version are in the form editor.
    await visible(page.getByTestId('form-editor').locator('.fjs-editor-container'));
    expect(await page.getByTestId('form-choice').locator('option').count()).toBeGreaterThan(0);
  });

  step('renames a task in the properties panel and lists it among the changes', async () => {
    await selectElement('Task_ReceptionCheck');
    await openGroup('general');
    const name = property('name');
    await name.fill(NEW_NAME);
    const change = await visible(page.getByTestId('change-list').locator('li[data-element="Task_ReceptionCheck"][data-kind="changed"]'));
    expect(await change.innerText()).toContain(NEW_NAME);
    // The old name, and the English name beside it.
    expect(await change.innerText()).toContain('استقبال المستفيد ومطابقة بياناته');
    expect(await change.innerText()).toContain('Receive the applicant and match the data');
    expect(await page.getByTestId('change-list').locator('li').count()).toBe(1);
    await visible(page.getByTestId('unsaved'));
  });

  step('saves the edit as a named draft with its author', async () => {
    await page.getByTestId('draft-name').fill('تسمية أوضح للاستقبال');
    await page.getByTestId('save-draft').click();
    await visible(page.getByTestId('modeler-notice').getByText('حُفظت المسودة «تسمية أوضح للاستقبال».'));
    const draft = await visible(page.getByTestId('draft-list').locator('li[data-draft="تسمية أوضح للاستقبال"]'));
    expect(await draft.innerText()).toContain('process-owner');
    expect(await page.getByTestId('unsaved').count()).toBe(0);
    // A second draft cannot take the same name: the server's 409 in words.
    await page.getByRole('button', { name: 'حفظ كمسودة جديدة', exact: true }).click();
    await visible(page.getByTestId('modeler-notice').getByText('الاسم مستخدم لمسودة أخرى لهذا الإجراء؛ اختر اسمًا آخر.', { exact: false }));
    // The name input stops at the server's limit.
    expect(await page.getByTestId('draft-name').getAttribute('maxlength')).toBe('120');
  });

  step('deploys with a comment: version N+1 in the history, the running request stays on version N', async () => {
    const button = page.getByTestId('deploy-button');
    expect(await button.isDisabled()).toBe(true);
    await page.getByTestId('deploy-comment').fill(COMMENT);
    await expect.poll(() => button.isDisabled()).toBe(false);
    await page.screenshot({ path: path.join(ARTIFACTS, 'modeler-ar.png'), fullPage: true });
    await button.click();
    const done = `نُشرت النسخة ${new Intl.NumberFormat('ar-SA').format(versionN + 1)}.`;
    await visible(page.getByTestId('modeler-notice').getByText(done, { exact: false }));
    const row = await visible(page.getByTestId('version-history').locator(`tr[data-version="${versionN + 1}"]`));
    expect(await row.innerText()).toContain(COMMENT);
    expect(await row.innerText()).toContain('process-owner');
    // Deployed: nothing left to list against the new version, which is what the page now edits.
    await visible(page.getByTestId('changes').getByText('لا تغييرات عن النسخة المنشورة.'));
    expect(await page.getByTestId('modeler-source').innerText()).toBe(`مفتوح من النسخة ${new Intl.NumberFormat('ar-SA').format(versionN + 1)}`);

    const after = await versions();
    expect(after[0]).toMatchObject({ version: versionN + 1, comment: COMMENT, deployedBy: 'process-owner' });
    expect(await caseVersion(caseId)).toBe(versionN);
    expect(after.find((v) => v.version === versionN)!.instances!.active).toBeGreaterThanOrEqual(1);
    expect(after[0]!.instances?.active ?? 0).toBe(0);
    const xml = (await driver.as('admin').get(`/api/process-definitions/${after[0]!.key}/xml`)).text;
    expect(xml).toContain(NEW_NAME);
    // The running request's step is still the one it was on, under its old name.
    expect((await driver.view(caseId)).currentSteps.map((s) => s.elementId)).toContain('Task_ReceptionCheck');
  });

  step('blocks deploying while the lint finds a service task without a job type', async () => {
    await selectElement('Task_VerifyData');
    await openGroup('taskDefinition');
    const type = await visible(property('taskDefinitionType'));
    expect(await type.inputValue()).toBe('verify-data');
    await type.fill('');
    const problem = await visible(page.getByTestId('lint-list').locator('li[data-element="Task_VerifyData"][data-severity="error"]').first());
    expect(await problem.innerText()).toContain('التحقق الآلي من البيانات والمستندات');
    expect(await page.getByTestId('lint-list').locator('li[data-rule="mustafid/known-job-types"]').count()).toBe(1);
    // The canvas marks it too.
    await visible(page.locator('[data-testid="modeler-canvas"] .bjsl-overlay'));
    await page.getByTestId('deploy-comment').fill('should not deploy');
    expect(await page.getByTestId('deploy-button').isDisabled()).toBe(true);
    expect(await page.getByTestId('deploy-state').innerText()).toContain('لا يمكن النشر');

    // The page chrome in English; the canvas as drawn.
    await inLanguage('en');
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
    await visible(page.getByRole('heading', { level: 2, name: 'Problems' }));
    expect(await page.getByTestId('deploy-state').innerText()).toContain('Cannot deploy');
    await page.screenshot({ path: path.join(ARTIFACTS, 'modeler-en.png'), fullPage: true });
    await inLanguage('ar');
    expect((await versions())[0]!.version).toBe(versionN + 1);
  });

  step('refuses bad uploads in words and leaves the canvas as it was', async () => {
    await openEditor();
    const canvasTask = page.locator(`[data-testid="modeler-canvas"] .djs-element[data-element-id="Task_VerifyData"]`);
    const upload = page.getByTestId('upload-bpmn');

    await upload.setInputFiles({ name: 'notes.bpmn', mimeType: 'application/xml', buffer: Buffer.from('<html><body>not a diagram</body></html>') });
    await visible(page.getByTestId('modeler-notice').locator('[data-tone="error"]', { hasText: 'الملف notes.bpmn ليس رسم BPMN 2.0 صالحًا' }));
    expect(await canvasTask.count()).toBe(1);

    await upload.setInputFiles({ name: 'broken.bpmn', mimeType: 'application/xml', buffer: Buffer.from('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="x">') });
    await visible(page.getByTestId('modeler-notice').locator('[data-tone="error"]', { hasText: 'broken.bpmn' }));
    expect(await canvasTask.count()).toBe(1);

    await upload.setInputFiles({ name: 'huge.bpmn', mimeType: 'application/xml', buffer: Buffer.alloc(6 * 1024 * 1024, 32) });
    await visible(page.getByTestId('modeler-notice').locator('[data-tone="error"]', { hasText: 'أكبر من الحد المسموح به' }));
    expect(await canvasTask.count()).toBe(1);

    // A file made in Camunda Desktop Modeler: loaded, with a word that it is another process.
    const fixture = await readFile(path.resolve('test/fixtures/bpmn/modeler-made.bpmn'));
    await upload.setInputFiles({ name: 'modeler-made.bpmn', mimeType: 'application/xml', buffer: fixture });
    await visible(page.getByTestId('modeler-notice').getByText('حُمّل الملف modeler-made.bpmn في الرسم.', { exact: false }));
    await visible(page.locator(`[data-testid="modeler-canvas"] .djs-element[data-element-id="Activity_19ocqx2"]`));
    expect(await canvasTask.count()).toBe(0);
    expect(await page.getByTestId('modeler-source').innerText()).toContain('modeler-made.bpmn');
    // Against the deployed intake diagram: its process is gone, the file's is new.
    await visible(page.getByTestId('change-list').locator(`li[data-element="${PROCESS}"][data-kind="removed"]`));
    await visible(page.getByTestId('change-list').locator('li[data-element="modeler-made"][data-kind="added"]'));
  });

  step('opens version N read-only and deploys it again as the newest', async () => {
    await page.goto(`${server.url}/modeler/${PROCESS}`);
    await (await visible(page.getByTestId('version-history').locator(`tr[data-version="${versionN}"] [data-testid="open-version"]`))).click();
    await page.waitForURL(`${server.url}/modeler/${PROCESS}/versions/${versionN}`);
    await visible(page.getByTestId('modeler-version'));
    await visible(page.locator(`[data-testid="version-canvas"] .djs-element[data-element-id="Task_ReceptionCheck"]`));
    // Read-only: no properties panel, no palette.
    expect(await page.locator('[data-testid="version-canvas"] .djs-palette').count()).toBe(0);
    const label = await page.locator(`[data-testid="version-canvas"] .djs-element[data-element-id="Task_ReceptionCheck"] text`).textContent();
    expect(label).not.toContain('مع الهوية');

    await page.getByTestId('redeploy-comment').fill('العودة إلى الاسم السابق');
    await page.getByTestId('redeploy-button').click();
    const n2 = new Intl.NumberFormat('ar-SA').format(versionN + 2);
    await visible(page.getByTestId('redeploy-result').getByText(`برقم ${n2}`, { exact: false }));
    await visible(page.getByTestId('version-history').locator(`tr[data-version="${versionN + 2}"]`));
    const after = await versions();
    expect(after[0]).toMatchObject({ version: versionN + 2, comment: 'العودة إلى الاسم السابق' });
    const xml = (await driver.as('admin').get(`/api/process-definitions/${after[0]!.key}/xml`)).text;
    expect(xml).not.toContain(NEW_NAME);
    expect(await caseVersion(caseId)).toBe(versionN);

    await mkdir(SCREENSHOTS, { recursive: true });
    await copyFile(path.join(ARTIFACTS, 'modeler-ar.png'), path.join(SCREENSHOTS, 'modeler-ar.png'));
    await copyFile(path.join(ARTIFACTS, 'modeler-en.png'), path.join(SCREENSHOTS, 'modeler-en.png'));
  });

  step('edits a task form beside the diagram and deploys it with the diagram', async () => {
    await openEditor();
    const editor = page.getByTestId('form-editor');
    await page.getByTestId('form-choice').selectOption('applicant-attestation');
    await expect.poll(() => editor.getAttribute('data-form')).toBe('applicant-attestation');
    await editor.locator('.fjs-form-field-textfield').first().click();
    await openGroup('general', '[data-testid="form-editor"] .fjs-properties-container');
    const description = await visible(editor.locator('.fjs-properties-container #bio-properties-panel-description'));
    await description.click();
    await page.keyboard.type('كما في بطاقة الهوية');
    await expect.poll(() => page.getByTestId('form-choice').locator('option[value="applicant-attestation"]').innerText(), { timeout: WAIT }).toContain('معدّل');

    await page.getByTestId('deploy-comment').fill('وصف لحقل الاسم في نموذج الإقرار');
    await page.getByTestId('deploy-button').click();
    const forms = await visible(page.getByTestId('deployed-forms'));
    expect(await forms.innerText()).toMatch(/applicant-attestation \(نسخة جديدة/);
    const newest = (await versions())[0]!;
    const deployed = await driver.as('admin').get(`/api/modeling/versions/${newest.key}/forms`);
    expect(deployed.status).toBe(200);
    expect(JSON.stringify(deployed.body.forms['applicant-attestation'])).toContain('كما في بطاقة الهوية');
    // Untouched forms were not sent again.
    expect(await forms.innerText()).not.toContain('committee-vote');
  });

  // Issue 19, point 8: the two names of an element kept together, and unsaved edits kept on in-app navigation.
  const RENAME = {
    ar: {
      heading: 'الاسم باللغتين',
      renamedAr: (from: string, to: string) => `تغيّر الاسم العربي من \u2068${from}\u2069 إلى \u2068${to}\u2069. ما زال اسمه الإنجليزي \u2068Receive the applicant and match the data\u2069: أتحدّثه أيضًا؟`,
      applyEn: 'تحديث الاسم الإنجليزي',
      applyAr: 'تحديث الاسم العربي',
      renamedEn: 'تغيّر الاسم الإنجليزي',
      home: 'الرئيسية',
      leaveHeading: 'أتغادر دون حفظ؟',
      stay: 'البقاء ومواصلة التعديل',
      leave: 'المغادرة دون حفظ',
    },
    en: {
      heading: 'The name in both languages',
      renamedAr: (from: string, to: string) => `The Arabic name changed from \u2068${from}\u2069 to \u2068${to}\u2069. Its English name is still \u2068Receive the applicant and match the data\u2069: update it too?`,
      applyEn: 'Update the English name',
      applyAr: 'Update the Arabic name',
      renamedEn: 'The English name changed',
      home: 'Home',
      leaveHeading: 'Leave without saving?',
      stay: 'Stay and keep editing',
      leave: 'Leave without saving',
    },
  };
  for (const { width, lang } of [
    { width: 1280, lang: 'ar' },
    { width: 1280, lang: 'en' },
    { width: 414, lang: 'ar' },
    { width: 360, lang: 'en' },
  ] as const) {
    step(`${width} px, ${lang === 'ar' ? 'Arabic' : 'English'}: renaming in one language asks about the other; leaving with unsaved edits asks first`, async () => {
      const words = RENAME[lang];
      await page.setViewportSize({ width, height: 900 });
      await openEditor();
      await inLanguage(lang);
      // Selected by a click on the element itself, wherever the canvas shows it (under the palette on a phone).
      await page.locator('[data-testid="modeler-canvas"] .djs-element[data-element-id="Task_ReceptionCheck"] .djs-hit').dispatchEvent('click');
      await expect.poll(() => property('id').inputValue(), { timeout: WAIT }).toBe('Task_ReceptionCheck');
      await openGroup('general');
      const name = property('name');
      const oldName = await name.inputValue();
      const newName = `${oldName} (${width})`;
      await name.fill(newName);

      // Asked whether the English name should follow, with the English name ready to edit.
      const prompt = await visible(page.locator('[data-testid="rename-prompt"][data-element="Task_ReceptionCheck"][data-update="en"]'));
      expect(await prompt.getByRole('heading').innerText()).toBe(words.heading);
      expect(await prompt.locator('p').first().innerText()).toBe(words.renamedAr(oldName, newName));
      const english = prompt.getByTestId('rename-value');
      expect(await english.inputValue()).toBe('Receive the applicant and match the data');
      expect(await english.getAttribute('dir')).toBe('ltr');
      // Typing more of the Arabic name keeps one question, from the first old name.
      await name.fill(`${newName}.`);
      await name.fill(newName);
      await expect.poll(() => page.getByTestId('rename-prompt').count()).toBe(1);
      expect(await prompt.locator('p').first().innerText()).toBe(words.renamedAr(oldName, newName));
      await page.screenshot({ path: path.join(ARTIFACTS, `modeler-rename-${lang}-${width}.png`), fullPage: width < 1000 });
      const newEnglish = `Receive the applicant and match the data (${width})`;
      await english.fill(newEnglish);
      await prompt.getByRole('button', { name: words.applyEn, exact: true }).click();
      await expect.poll(() => page.getByTestId('rename-prompt').count()).toBe(0);
      // Both names changed: the changes list shows the new pair.
      const change = await visible(page.getByTestId('change-list').locator('li[data-element="Task_ReceptionCheck"]'));
      await expect.poll(() => change.innerText()).toContain(newEnglish);
      expect(await change.innerText()).toContain(newName);

      // And back: the English name changed in the properties panel asks about the Arabic one.
      const list = page.locator('[data-testid="modeler-properties"] [data-group-id="group-Zeebe__ExtensionProperties"]');
      if ((await list.locator('.bio-properties-panel-list.open').count()) === 0) await list.locator('.bio-properties-panel-group-header').click();
      const entry = await visible(list.locator('[data-entry-id="Task_ReceptionCheck-extensionProperty-0"]'));
      if ((await entry.locator('.bio-properties-panel-collapsible-entry.open, .bio-properties-panel-collapsible-entry-entries.open').count()) === 0) {
        await entry.locator('.bio-properties-panel-collapsible-entry-header').click();
      }
      await visible(property('Task_ReceptionCheck-extensionProperty-0-value'));
      expect(await property('Task_ReceptionCheck-extensionProperty-0-name').inputValue()).toBe('name:en');
      await property('Task_ReceptionCheck-extensionProperty-0-value').fill(`${newEnglish} again`);
      const back = await visible(page.locator('[data-testid="rename-prompt"][data-element="Task_ReceptionCheck"][data-update="ar"]'));
      expect(await back.locator('p').first().innerText()).toContain(words.renamedEn);
      const arabic = back.getByTestId('rename-value');
      expect(await arabic.inputValue()).toBe(newName);
      expect(await arabic.getAttribute('dir')).toBe('rtl');
      await arabic.fill(`${oldName} من جديد`);
      await back.getByRole('button', { name: words.applyAr, exact: true }).click();
      await expect.poll(() => name.inputValue()).toBe(`${oldName} من جديد`);
      await expect.poll(() => page.getByTestId('rename-prompt').count()).toBe(0);

      // Leaving through the site's own navigation with unsaved edits: asked first, in words.
      await visible(page.getByTestId('unsaved'));
      const editing = page.url();
      await page.getByRole('link', { name: words.home, exact: true }).first().click();
      const guard = await visible(page.getByTestId('leave-guard'));
      expect(await guard.getByRole('heading').innerText()).toBe(words.leaveHeading);
      expect(page.url()).toBe(editing);
      await page.screenshot({ path: path.join(ARTIFACTS, `modeler-leave-${lang}-${width}.png`) });
      await guard.getByRole('button', { name: words.stay, exact: true }).click();
      await expect.poll(() => guard.isVisible()).toBe(false);
      expect(page.url()).toBe(editing);
      expect(await name.inputValue()).toBe(`${oldName} من جديد`);
      // Escape is staying, too.
      await page.getByRole('link', { name: words.home, exact: true }).first().click();
      await visible(guard);
      await page.keyboard.press('Escape');
      await expect.poll(() => guard.isVisible()).toBe(false);
      expect(page.url()).toBe(editing);
      // Leaving on purpose drops the edits.
      await page.getByRole('link', { name: words.home, exact: true }).first().click();
      await guard.getByRole('button', { name: words.leave, exact: true }).click();
      await page.waitForURL(`${server.url}/`);
      if (width === 1280) await copyFile(path.join(ARTIFACTS, `modeler-rename-${lang}-${width}.png`), path.join(SCREENSHOTS, `modeler-rename-${lang}.png`));
    });
  }

  step('leaves without asking once the edits are saved as a draft', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await openEditor();
    await inLanguage('ar');
    await selectElement('Task_ReceptionCheck');
    await openGroup('general');
    await property('name').fill('استقبال المستفيد');
    await visible(page.getByTestId('unsaved'));
    await page.getByTestId('draft-name').fill('مسودة قبل المغادرة');
    await page.getByTestId('save-draft').click();
    await expect.poll(() => page.getByTestId('unsaved').count()).toBe(0);
    await page.getByRole('link', { name: 'الرئيسية', exact: true }).first().click();
    await page.waitForURL(`${server.url}/`);
    // The address changes before React unmounts the editor (and its closed guard dialog) with it.
    await expect.poll(() => page.getByTestId('leave-guard').count()).toBe(0);
  });
});
