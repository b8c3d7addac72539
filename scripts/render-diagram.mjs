#!/usr/bin/env node
/**
 * Renders a BPMN diagram in a real browser, checks its layout and saves a screenshot.
 *
 * Why this exists: the diagram interchange (bpmndi shapes, edges, labels) of the process files
 * in bpmn/ is what people see in Camunda Modeler. Lint and deploy checks (libs/intake) do not
 * look at it, so this script does: it imports the file into bpmn-js's NavigatedViewer, the
 * viewer Camunda's tools are built on, and fails if
 *   - importXML reports warnings, or a flow node or sequence flow has no DI;
 *   - two shapes that are not nested in each other overlap (a boundary event and its host excepted);
 *   - a shape inside a subprocess sticks out of it, or a boundary event is not on its host's border;
 *   - an edge is not orthogonal, does not start and end on its source's and target's borders,
 *     runs through another shape, or crosses another edge;
 *   - an external label (event, gateway, flow names) overlaps a shape, another label, a subprocess
 *     title or an edge other than its own, or its rendered text does not fit its DI bounds;
 *   - a subprocess title overlaps what is drawn inside the subprocess.
 * Then it zooms to fit and writes a PNG of the whole diagram (2400x1100 viewport).
 *
 * How: bpmn-js comes from camunda-bpmn-js (the pinned devDependency that bundles it), loaded as its
 * prebuilt navigated-viewer bundle into headless Debian chromium through playwright-core.
 *
 * Run: node scripts/render-diagram.mjs [diagram.bpmn] [screenshot.png]
 *      defaults: bpmn/beneficiary-intake.bpmn  docs/screenshots/intake-diagram.png
 *      (Node 24; needs /usr/bin/chromium and fonts-noto-core for the Arabic labels; no network)
 */
import { mkdtemp, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const input = resolve(process.argv[2] ?? join(root, 'bpmn/beneficiary-intake.bpmn'));
const output = resolve(process.argv[3] ?? join(root, 'docs/screenshots/intake-diagram.png'));
const viewport = { width: 2400, height: 1100 };

const require = createRequire(join(root, 'package.json'));
const camundaBpmnJs = dirname(require.resolve('camunda-bpmn-js/package.json'));
const bpmnJs = dirname(createRequire(join(camundaBpmnJs, 'package.json')).resolve('bpmn-js/package.json'));
const viewerBundle = join(bpmnJs, 'dist/bpmn-navigated-viewer.production.min.js');
const css = ['diagram-js.css', 'bpmn-js.css'].map((f) => join(bpmnJs, 'dist/assets', f));

/** Runs in the page: imports the XML and returns every layout problem found. */
async function importAndCheck(xml) {
  /* global BpmnJS */
  const viewer = new BpmnJS({ container: '#canvas' });
  const { warnings } = await viewer.importXML(xml);
  const problems = warnings.map((w) => `import warning: ${w.message}`);
  const registry = viewer.get('elementRegistry');
  const canvas = viewer.get('canvas');
  const rootElement = canvas.getRootElement();
  const all = registry.getAll().filter((e) => e !== rootElement);
  const shapes = all.filter((e) => !e.waypoints && e.type !== 'label');
  const labels = all.filter((e) => e.type === 'label');
  const connections = all.filter((e) => e.waypoints);

  // every flow node and sequence flow of the process has DI
  const semantic = [];
  const walk = (container) => {
    for (const el of container.flowElements ?? []) {
      semantic.push(el);
      if (el.$type === 'bpmn:SubProcess') walk(el);
    }
  };
  walk(rootElement.businessObject);
  for (const el of semantic) if (!registry.get(el.id)) problems.push(`no DI for ${el.id}`);

  const box = (e) => ({ x: e.x, y: e.y, w: e.width, h: e.height });
  const overlap = (a, b, gap = 0) => a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap;
  const inside = (a, b) => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
  const ancestors = (e) => {
    const list = [];
    for (let p = e.parent; p && p !== rootElement; p = p.parent) list.push(p);
    return list;
  };
  const nested = (a, b) => ancestors(a).includes(b) || ancestors(b).includes(a);
  const isBoundary = (e) => e.type === 'bpmn:BoundaryEvent';

  // shapes: no overlap unless nested or attached; children inside their subprocess
  for (let i = 0; i < shapes.length; i++) {
    for (let j = i + 1; j < shapes.length; j++) {
      const [a, b] = [shapes[i], shapes[j]];
      if (nested(a, b) || a.host === b || b.host === a) continue;
      if (overlap(box(a), box(b))) problems.push(`shapes overlap: ${a.id} / ${b.id}`);
    }
  }
  for (const s of shapes) {
    if (isBoundary(s)) {
      const h = s.host;
      const cx = s.x + s.width / 2;
      const cy = s.y + s.height / 2;
      const onX = (Math.abs(cx - h.x) <= 1 || Math.abs(cx - h.x - h.width) <= 1) && cy >= h.y && cy <= h.y + h.height;
      const onY = (Math.abs(cy - h.y) <= 1 || Math.abs(cy - h.y - h.height) <= 1) && cx >= h.x && cx <= h.x + h.width;
      if (!onX && !onY) problems.push(`boundary event ${s.id} is not on the border of ${h.id}`);
      // a boundary event of a nested activity must still lie inside the enclosing subprocess
      if (s.parent !== rootElement && !inside(box(s), box(s.parent))) problems.push(`${s.id} sticks out of ${s.parent.id}`);
    } else if (s.parent && s.parent !== rootElement && !inside(box(s), box(s.parent))) {
      problems.push(`${s.id} sticks out of ${s.parent.id}`);
    }
  }

  // edges: orthogonal, attached to source and target borders, no shape run-through, no crossings
  const onBorder = ([x, y], e) => {
    const b = box(e);
    const inX = x >= b.x - 1 && x <= b.x + b.w + 1;
    const inY = y >= b.y - 1 && y <= b.y + b.h + 1;
    const onVertical = (Math.abs(x - b.x) <= 1 || Math.abs(x - b.x - b.w) <= 1) && inY;
    const onHorizontal = (Math.abs(y - b.y) <= 1 || Math.abs(y - b.y - b.h) <= 1) && inX;
    return onVertical || onHorizontal;
  };
  const segments = [];
  for (const c of connections) {
    const pts = c.waypoints.map((p) => [p.x, p.y]);
    if (!onBorder(pts[0], c.source)) problems.push(`${c.id} does not start on the border of ${c.source.id}`);
    if (!onBorder(pts.at(-1), c.target)) problems.push(`${c.id} does not end on the border of ${c.target.id}`);
    for (let k = 1; k < pts.length; k++) {
      const [[x1, y1], [x2, y2]] = [pts[k - 1], pts[k]];
      if (x1 !== x2 && y1 !== y2) problems.push(`${c.id} segment ${k} is not orthogonal`);
      if (x1 === x2 && y1 === y2) problems.push(`${c.id} segment ${k} has zero length`);
      segments.push({ c, k, x1: Math.min(x1, x2), x2: Math.max(x1, x2), y1: Math.min(y1, y2), y2: Math.max(y1, y2) });
    }
  }
  const segBox = (s) => ({ x: s.x1, y: s.y1, w: s.x2 - s.x1, h: s.y2 - s.y1 });
  const shrink = (b, d) => ({ x: b.x + d, y: b.y + d, w: b.w - 2 * d, h: b.h - 2 * d });
  for (const s of segments) {
    const skip = new Set([s.c.source, s.c.target, ...ancestors(s.c.source), ...ancestors(s.c.target)]);
    for (const sh of shapes) {
      if (skip.has(sh)) continue;
      if (overlap(segBox(s), shrink(box(sh), 1))) problems.push(`${s.c.id} runs through ${sh.id}`);
    }
  }
  for (let i = 0; i < segments.length; i++) {
    for (let j = i + 1; j < segments.length; j++) {
      const [a, b] = [segments[i], segments[j]];
      if (a.c === b.c) continue;
      if (!overlap(segBox(a), segBox(b))) continue;
      // two flows of a fork or a join may meet, but only on the border of the node they share
      const meet = { x: Math.max(a.x1, b.x1), y: Math.max(a.y1, b.y1), w: Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1), h: Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1) };
      const sharedNodes = [a.c.source, a.c.target].filter((n) => n === b.c.source || n === b.c.target);
      if (!sharedNodes.some((n) => inside(meet, shrink(box(n), -1)))) problems.push(`edges cross or run together: ${a.c.id} / ${b.c.id}`);
    }
  }

  // labels: no overlap with shapes, other labels, titles or foreign edges; text fits the bounds
  const gfx = (e) => registry.getGraphics(e);
  const textBox = (e) => {
    const t = gfx(e).querySelector('text');
    if (!t) return null;
    const b = t.getBBox();
    return { x: e.x + b.x, y: e.y + b.y, w: b.width, h: b.height };
  };
  const union = (a, b) => {
    const x = Math.min(a.x, b.x);
    const y = Math.min(a.y, b.y);
    return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
  };
  const fmt = (b) => `${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.w)}x${Math.round(b.h)}`;
  const labelBox = (e) => (textBox(e) ? union(box(e), textBox(e)) : box(e));
  const titles = shapes
    .filter((s) => s.type === 'bpmn:SubProcess')
    .map((s) => {
      const t = gfx(s).querySelector('text');
      const b = t.getBBox();
      return { s, b: { x: s.x + b.x, y: s.y + b.y, w: b.width, h: b.height } };
    });
  for (const l of labels) {
    const tb = textBox(l);
    // glyphs (Arabic vowel marks above the line, overhangs) may reach a few pixels past the
    // line box bpmn-js measures; more than that means the text wraps to more lines than the bounds hold
    if (tb && !inside(tb, shrink(box(l), -6))) problems.push(`text of ${l.labelTarget.id}'s label does not fit its bounds (text ${fmt(tb)}, bounds ${fmt(box(l))})`);
    // bpmn-js keeps a label's stored width and re-lays its text out to get the height: a taller
    // label than stored means the text wraps to more lines than the DI bounds hold
    const stored = l.labelTarget.di.label.bounds;
    if (l.height > stored.height + 1) {
      const lines = gfx(l).querySelectorAll('text tspan').length;
      problems.push(`label of ${l.labelTarget.id} wraps to ${lines} lines, more than its bounds (${stored.width}x${stored.height}) hold`);
    }
    const lb = labelBox(l);
    for (const sh of shapes) {
      if (ancestors(l.labelTarget).includes(sh)) {
        if (!inside(lb, box(sh))) problems.push(`label of ${l.labelTarget.id} sticks out of ${sh.id}`);
      } else if (overlap(lb, box(sh))) {
        problems.push(`label of ${l.labelTarget.id} overlaps ${sh.id}`);
      }
    }
    for (const o of labels) if (o !== l && o.id > l.id && overlap(lb, labelBox(o))) problems.push(`labels overlap: ${l.labelTarget.id} / ${o.labelTarget.id}`);
    for (const t of titles) if (overlap(lb, t.b)) problems.push(`label of ${l.labelTarget.id} overlaps the title of ${t.s.id}`);
    for (const s of segments) {
      if (s.c === l.labelTarget) continue;
      if (overlap(segBox(s), lb)) problems.push(`label of ${l.labelTarget.id} lies on ${s.c.id}`);
    }
  }
  for (const t of titles) {
    for (const sh of shapes) if (ancestors(sh).includes(t.s) && overlap(t.b, box(sh), 4)) problems.push(`title of ${t.s.id} overlaps ${sh.id}`);
    for (const s of segments) if (ancestors(s.c).includes(t.s) && overlap(segBox(s), t.b, 4)) problems.push(`title of ${t.s.id} overlaps ${s.c.id}`);
  }

  // fit and centre the whole diagram, then step back a little so the outermost labels keep a margin
  canvas.zoom('fit-viewport', 'auto');
  canvas.zoom(canvas.zoom() * 0.96);
  const vb = canvas.viewbox();
  return {
    problems,
    counts: { flowNodes: semantic.filter((e) => e.$type !== 'bpmn:SequenceFlow').length, sequenceFlows: semantic.filter((e) => e.$type === 'bpmn:SequenceFlow').length, shapes: shapes.length, edges: connections.length, labels: labels.length },
    diagram: { width: Math.round(vb.inner.width), height: Math.round(vb.inner.height) },
    zoom: Number(vb.scale.toFixed(3)),
  };
}

const xml = await readFile(input, 'utf8');
const userDataDir = await mkdtemp(join(tmpdir(), 'mustafid-render-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport,
  deviceScaleFactor: 1,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let result;
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  await page.setContent(
    `<!doctype html><html><head><style>html,body{margin:0;background:#fff}#canvas{width:${viewport.width}px;height:${viewport.height}px}</style></head><body><div id="canvas"></div></body></html>`,
  );
  for (const path of css) await page.addStyleTag({ path });
  await page.addScriptTag({ path: viewerBundle });
  result = await page.evaluate(importAndCheck, xml);
  if (pageErrors.length) throw new Error(`page errors: ${pageErrors.map(String).join('; ')}`);
  await mkdir(dirname(output), { recursive: true });
  await page.screenshot({ path: output });
} finally {
  await context.close();
  await rm(userDataDir, { recursive: true, force: true });
}

const { size } = await stat(output);
console.log(JSON.stringify({ file: relative(root, input), ...result.counts, diagram: result.diagram, zoom: result.zoom, screenshot: relative(root, output), bytes: size }));
if (result.problems.length) {
  for (const p of result.problems) console.error(`- ${p}`);
  console.error(`${result.problems.length} layout problem(s)`);
  process.exit(1);
}
console.log('layout checks passed');
