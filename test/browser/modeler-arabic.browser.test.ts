/**
 * The modeler speaks Arabic (issue 19, point 4): bpmn-js's palette and context pad and the
 * properties panel through bpmn-js's `translate` service, replaced by the project's dictionary
 * (apps/web/src/modeler/bpmnTranslations.ts), and the lint findings worded in Arabic by rule.
 * In English the same modeler reads as bpmn-js writes it. Screenshots in Arabic and English land
 * in test/artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/app';
import { HOOK_MS, TEST_MS, WAIT_MS } from '../support/budget.mjs';
import { WEB_DIR, collectPageErrors, ensureWebBuild, launchBrowser, signInAsStaff, type LaunchedBrowser } from '../support/browser';

const ARTIFACTS = path.resolve('test/artifacts');
const PROCESS = 'beneficiary-intake';

let server: TestServer;
let browser: LaunchedBrowser;
let page: Page;
const errors: string[] = [];

async function visible(locator: Locator): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout: WAIT_MS });
  return locator;
}

const property = (id: string) => page.locator(`[data-testid="modeler-properties"] #bio-properties-panel-${id}`);

async function openEditor(): Promise<void> {
  await page.goto(`${server.url}/modeler/${PROCESS}`);
  await visible(page.getByTestId('modeler-edit'));
  await visible(page.locator(`[data-testid="modeler-canvas"] .djs-element[data-element-id="Task_VerifyData"]`));
}

async function selectElement(id: string): Promise<void> {
  await page.locator(`[data-testid="modeler-canvas"] .djs-element[data-element-id="${id}"]`).click();
  await expect.poll(() => property('id').inputValue(), { timeout: WAIT_MS }).toBe(id);
}

describe('the modeler in Arabic: bpmn-js, its properties panel and the lint', () => {
  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    await ensureWebBuild();
    server = await startTestServer({ webDir: WEB_DIR, seedDemo: true });
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    collectPageErrors(page, errors);
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

  it('palette, properties panel and lint findings in Arabic; the same in English after switching', async () => {
    await openEditor();
    // The palette's tools and the panel's groups and fields through the translate service.
    await visible(page.locator('[data-testid="modeler-canvas"] .djs-palette [aria-label="إنشاء مهمة"]'));
    await visible(page.locator('[data-testid="modeler-canvas"] .djs-palette [aria-label="أداة التحريك"]'));
    await selectElement('Task_VerifyData');
    const panel = page.getByTestId('modeler-properties');
    await visible(panel.locator('[data-group-id="group-general"] .bio-properties-panel-group-header-title', { hasText: 'عام' }));
    await visible(panel.locator('[data-group-id="group-taskDefinition"] .bio-properties-panel-group-header-title', { hasText: 'تعريف المهمة' }));
    // A service task loses its job type: the finding is worded in Arabic, the English kept as its title.
    const group = panel.locator('[data-group-id="group-taskDefinition"]');
    if ((await group.locator('.bio-properties-panel-group-entries.open').count()) === 0) await group.locator('.bio-properties-panel-group-header').click();
    await (await visible(property('taskDefinitionType'))).fill('');
    const problem = await visible(page.getByTestId('lint-list').locator('li[data-rule="mustafid/known-job-types"]').first());
    const message = problem.locator('.lint-message');
    expect(await message.innerText()).toBe('لا منفّذ مسجّل لنوع هذه المهمة الآلية: لن يؤديها أحد.');
    expect(await message.getAttribute('title')).toMatch(/has no job type/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'modeler-arabic-ar.png') });

    // English: the findings in bpmnlint's words.
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.waitForFunction(`document.documentElement.lang === 'en'`);
    await visible(page.getByTestId('lint-list').locator('li[data-rule="mustafid/known-job-types"]', { hasText: 'has no job type' }));
    // The palette and the panel follow the switch at once, the unsaved edit kept (no reload, no reopening).
    await visible(page.locator('[data-testid="modeler-canvas"] .djs-palette [aria-label="Create task"]'));
    expect(await page.locator('[data-testid="modeler-canvas"] .djs-palette [aria-label="إنشاء مهمة"]').count()).toBe(0);
    await visible(panel.locator('[data-group-id="group-general"] .bio-properties-panel-group-header-title', { hasText: 'General' }));
    await visible(panel.locator('[data-group-id="group-taskDefinition"] .bio-properties-panel-group-header-title', { hasText: 'Task definition' }));
    await visible(page.getByTestId('unsaved'));
    // And back to Arabic.
    await page.getByRole('button', { name: 'العربية', exact: true }).click();
    await visible(page.locator('[data-testid="modeler-canvas"] .djs-palette [aria-label="إنشاء مهمة"]'));
    await visible(panel.locator('[data-group-id="group-general"] .bio-properties-panel-group-header-title', { hasText: 'عام' }));
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await visible(page.locator('[data-testid="modeler-canvas"] .djs-palette [aria-label="Create task"]'));
    await page.screenshot({ path: path.join(ARTIFACTS, 'modeler-arabic-en.png') });
  });
});
