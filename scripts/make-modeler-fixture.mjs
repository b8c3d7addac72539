#!/usr/bin/env node
/**
 * Writes test/fixtures/bpmn/modeler-made.bpmn: a diagram drawn by the real Camunda 8 modeler.
 *
 * Why this exists: the engine must accept what people actually deploy, i.e. files saved by
 * camunda-bpmn-js / Camunda Modeler, with diagram interchange (bpmndi shapes, edges, labels),
 * <bpmn:incoming>/<bpmn:outgoing>, generated ids, modeler:* attributes and zeebe:* extensions
 * laid out exactly the way the modeler writes them. Hand-written test XML does not cover that,
 * so test/engine-contract/modeler-diagram.contract.test.ts deploys and runs this file.
 *
 * How: loads camunda-bpmn-js's prebuilt Camunda 8 modeler distro (the devDependency pinned to
 * 5.30.2) into headless Debian chromium through playwright-core, imports an empty Camunda 8
 * diagram and builds the process only through the modeler's own services (modeling,
 * elementFactory, bpmnFactory), as the properties panel would, then saves it with
 * saveXML({ format: true }). Math.random is seeded in the page so generated ids, and so the
 * file, are the same on every run.
 *
 * Re-run: node scripts/make-modeler-fixture.mjs   (Node 24; needs /usr/bin/chromium; no network)
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const output = join(root, 'test/fixtures/bpmn/modeler-made.bpmn');
const require = createRequire(join(root, 'package.json'));
const packageDir = dirname(require.resolve('camunda-bpmn-js/package.json'));
const { version: modelerVersion } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8'));
const distro = join(packageDir, 'dist/camunda-cloud-modeler.development.js');
const css = ['bpmn-js.css', 'diagram-js.css', 'camunda-cloud-modeler.css'].map((f) => join(packageDir, 'dist/assets', f));

/** What a new Camunda 8 (8.8) diagram holds before anything is drawn: an empty process. */
const emptyDiagram = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="camunda-bpmn-js (scripts/make-modeler-fixture.mjs)" exporterVersion="${modelerVersion}" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="modeler-made" isExecutable="true" />
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="modeler-made" />
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;

/** Runs in the page: draws the process with the modeler's APIs and returns the saved XML. */
async function drawInPage(emptyXml) {
  const modeler = new globalThis.BpmnModeler({ container: '#canvas' });
  const imported = await modeler.importXML(emptyXml);
  if (imported.warnings.length) throw new Error(`import warnings: ${imported.warnings.map((w) => w.message).join('; ')}`);

  const modeling = modeler.get('modeling');
  const elementFactory = modeler.get('elementFactory');
  const bpmnFactory = modeler.get('bpmnFactory');
  const canvas = modeler.get('canvas');
  const processElement = canvas.getRootElement();

  /** The element's bpmn:ExtensionElements, created the way the properties panel does. */
  const extensionElementsOf = (element) => {
    const bo = element.businessObject;
    let ext = bo.get('extensionElements');
    if (!ext) {
      ext = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
      ext.$parent = bo;
      modeling.updateProperties(element, { extensionElements: ext });
    }
    return ext;
  };
  /** Adds (or updates, when one of that type is there) a zeebe:* extension element. */
  const zeebe = (element, type, attrs, children = {}) => {
    const ext = extensionElementsOf(element);
    const existing = ext.get('values').find((v) => v.$type === type);
    if (existing) {
      modeling.updateModdleProperties(element, existing, attrs);
      return existing;
    }
    const created = bpmnFactory.create(type, attrs);
    created.$parent = ext;
    for (const [name, values] of Object.entries(children)) {
      for (const v of values) v.$parent = created;
      created.set(name, values);
    }
    modeling.updateModdleProperties(element, ext, { values: [...ext.get('values'), created] });
    return created;
  };
  const flowBetween = (source, target) => source.outgoing.find((c) => c.target === target);

  modeling.updateProperties(processElement, { name: 'عملية من المصمم / Modeler-made process' });

  const start = modeling.createShape(elementFactory.createShape({ type: 'bpmn:StartEvent' }), { x: 200, y: 220 }, processElement);
  modeling.updateProperties(start, { name: 'وصول الطلب' });

  const verify = modeling.appendShape(start, { type: 'bpmn:ServiceTask' }, { x: 340, y: 220 });
  modeling.updateProperties(verify, { name: 'تحقق من البيانات / Verify data' });
  zeebe(verify, 'zeebe:TaskDefinition', { type: 'modeler-verify', retries: '3' });
  const header = bpmnFactory.create('zeebe:Header', { key: 'channel', value: 'استقبال' });
  zeebe(verify, 'zeebe:TaskHeaders', {}, { values: [header] });

  const gateway = modeling.appendShape(verify, { type: 'bpmn:ExclusiveGateway' }, { x: 495, y: 220 });
  modeling.updateProperties(gateway, { name: 'البيانات مكتملة؟' });

  const review = modeling.appendShape(gateway, { type: 'bpmn:UserTask' }, { x: 640, y: 220 });
  modeling.updateProperties(review, { name: 'مراجعة / Review' });
  zeebe(review, 'zeebe:UserTask', {}); // the modeler already added it on create; kept idempotent
  zeebe(review, 'zeebe:AssignmentDefinition', { candidateGroups: 'reception' });

  const incomplete = modeling.appendShape(gateway, { type: 'bpmn:EndEvent' }, { x: 640, y: 370 });
  modeling.updateProperties(incomplete, { name: 'غير مكتمل / Incomplete' });

  const toReview = flowBetween(gateway, review);
  const toIncomplete = flowBetween(gateway, incomplete);
  const condition = bpmnFactory.create('bpmn:FormalExpression', { body: '=valid = true' });
  modeling.updateProperties(toReview, { name: 'نعم', conditionExpression: condition });
  modeling.updateProperties(toIncomplete, { name: 'لا' });
  modeling.updateProperties(gateway, { default: toIncomplete.businessObject });

  const wait = modeling.appendShape(
    review,
    { type: 'bpmn:IntermediateCatchEvent', eventDefinitionType: 'bpmn:TimerEventDefinition' },
    { x: 800, y: 220 },
  );
  modeling.updateProperties(wait, { name: 'انتظار ساعة' });
  const timerDefinition = wait.businessObject.get('eventDefinitions')[0];
  const duration = bpmnFactory.create('bpmn:FormalExpression', { body: 'PT1H' });
  duration.$parent = timerDefinition;
  modeling.updateModdleProperties(wait, timerDefinition, { timeDuration: duration });

  const end = modeling.appendShape(wait, { type: 'bpmn:EndEvent' }, { x: 920, y: 220 });
  modeling.updateProperties(end, { name: 'اكتمل' });

  canvas.zoom('fit-viewport');
  const { xml } = await modeler.saveXML({ format: true });

  // The saved file must import back into the modeler cleanly.
  const check = new globalThis.BpmnModeler({ container: '#check' });
  const reimported = await check.importXML(xml);
  return { xml, reimportWarnings: reimported.warnings.map((w) => w.message) };
}

/** Mulberry32 in place of Math.random, so the modeler's generated ids repeat run to run. */
const seedRandom = () => {
  let a = 0x6d757374; // "must"
  Math.random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const userDataDir = await mkdtemp(join(tmpdir(), 'mustafid-modeler-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let result;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  await page.setContent(
    '<!doctype html><html lang="ar"><body><div id="canvas" style="width:1200px;height:600px"></div><div id="check" style="width:1200px;height:600px"></div></body></html>',
  );
  for (const path of css) await page.addStyleTag({ path });
  await page.evaluate(seedRandom);
  await page.addScriptTag({ path: distro });
  result = await page.evaluate(drawInPage, emptyDiagram);
  if (process.env.MODELER_SCREENSHOT) await page.locator('#canvas').screenshot({ path: process.env.MODELER_SCREENSHOT });
  if (pageErrors.length) throw new Error(`page errors: ${pageErrors.map(String).join('; ')}`);
} finally {
  await context.close();
  await rm(userDataDir, { recursive: true, force: true });
}

const { xml, reimportWarnings } = result;
const expected = {
  'bpmndi:BPMNShape': /<bpmndi:BPMNShape /,
  'bpmndi:BPMNEdge': /<bpmndi:BPMNEdge /,
  'bpmndi:BPMNLabel': /<bpmndi:BPMNLabel>/,
  'bpmn:incoming': /<bpmn:incoming>/,
  'bpmn:outgoing': /<bpmn:outgoing>/,
  'modeler:executionPlatform': /modeler:executionPlatform="Camunda Cloud"/,
  'modeler:executionPlatformVersion': /modeler:executionPlatformVersion="8\.8\.0"/,
  'zeebe:taskDefinition': /<zeebe:taskDefinition type="modeler-verify"/,
  'zeebe:taskHeaders': /<zeebe:header key="channel"/,
  'zeebe:userTask': /<zeebe:userTask \/>/,
  'zeebe:assignmentDefinition': /<zeebe:assignmentDefinition candidateGroups="reception"/,
  'conditionExpression': /<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=valid = true</,
  'gateway default': /<bpmn:exclusiveGateway id="[^"]+" name="[^"]+" default="/,
  'timeDuration PT1H': /<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</,
};
const missing = Object.entries(expected)
  .filter(([, re]) => !re.test(xml))
  .map(([what]) => what);
if (missing.length || reimportWarnings.length) {
  console.error(xml);
  throw new Error(`generated diagram is not what the test expects; missing: ${missing.join(', ') || '-'}; re-import warnings: ${reimportWarnings.join('; ') || '-'}`);
}

await mkdir(dirname(output), { recursive: true });
await writeFile(output, xml.endsWith('\n') ? xml : `${xml}\n`);
console.log(`wrote ${relative(root, output)} (${xml.length} chars, camunda-bpmn-js ${modelerVersion})`);
