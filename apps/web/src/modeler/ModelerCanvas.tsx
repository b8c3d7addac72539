import 'camunda-bpmn-js/dist/assets/camunda-cloud-modeler.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import CamundaCloudModeler from 'camunda-bpmn-js/lib/camunda-cloud/Modeler';
import lintModule from 'bpmn-js-bpmnlint';
import { resolver as bundledResolver } from 'virtual:bpmnlint-bundle';
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { ModdleElement } from 'bpmn-moddle';
import type { LocalisedName } from '../tasks/api';
import type { LintConfig } from './api';
import { elementNames } from './diagramChanges';
import { nameChanges, type NameLanguage } from './nameChanges';
import { problemsFromIssues, type CanvasIssue, type LintProblem } from './problems';
import { bpmnTranslateModule } from './bpmnTranslations';

/** What the page asks of the canvas. */
export interface ModelerCanvasHandle {
  /** The diagram as BPMN XML, formatted. */
  saveXml(): Promise<string>;
  /** Selects an element and scrolls it into view (from the problems or changes list). */
  select(elementId: string): boolean;
  /** The whole diagram in view. */
  fit(): void;
  /** Back to the start of the diagram at a readable scale. */
  showStart(): void;
  /** Sets an element's name in one language (Arabic: `name`; English: the `name:en` Zeebe property), as one undoable edit. */
  setName(elementId: string, language: NameLanguage, value: string): boolean;
}

interface ModelerCanvasProps {
  ref?: Ref<ModelerCanvasHandle>;
  /** Imported whenever `revision` changes (a version opened, a file uploaded, a draft opened). */
  xml: string;
  revision: number;
  /** The server's bpmnlint config (GET /api/modeling/lint-context), or the page's fallback. */
  lintConfig: LintConfig;
  /** Called after every edit with the diagram's XML (a little after the last change). */
  onChanged(xml: string): void;
  /** Called after every lint run. */
  onProblems(problems: LintProblem[]): void;
  /** Called when the XML could not be imported at all. */
  onImportError(error: unknown): void;
  /** Called after each import, with bpmn-js's warnings (unknown elements and the like). */
  onImported(warnings: string[]): void;
  /** Called when an edit changed names (not for setName's own). */
  onNamesChanged(changes: ReturnType<typeof nameChanges>): void;
}

interface EventBus {
  on(event: string, callback: (event: { issues?: Record<string, CanvasIssue[]> }) => void): void;
  fire(event: string): void;
}
interface Linting {
  setLinterConfig(config: { config: LintConfig; resolver: unknown }): void;
  toggle(active?: boolean): boolean;
  update(): void;
}
interface DiagramElement {
  id: string;
  type: string;
  businessObject?: ModdleElement;
}
interface ElementRegistry {
  get(id: string): DiagramElement | undefined;
  getAll(): DiagramElement[];
}
interface Moddle {
  create(type: string, properties?: Record<string, unknown>): ModdleElement;
}
interface CommandStack {
  execute(command: string, context: unknown): void;
}

/** Every element's names by id (labels share their element's), as the diagram holds them now. */
function readNames(registry: ElementRegistry): Map<string, LocalisedName> {
  const names = new Map<string, LocalisedName>();
  for (const element of registry.getAll()) {
    const business = element.businessObject;
    if (element.type === 'label' || !business?.id || names.has(business.id)) continue;
    names.set(business.id, elementNames(business));
  }
  return names;
}

/**
 * The edits that set an element's English name (the `name:en` entry of its zeebe:Properties),
 * creating the extension elements and the properties list when it has none, for the properties
 * panel's multi-command (one step to undo).
 */
function englishNameCommands(element: DiagramElement, moddle: Moddle, value: string) {
  const business = element.businessObject!;
  const commands: Array<{ cmd: string; context: { element: DiagramElement; moddleElement: ModdleElement; properties: Record<string, unknown> } }> = [];
  const update = (moddleElement: ModdleElement, properties: Record<string, unknown>) => commands.push({ cmd: 'element.updateModdleProperties', context: { element, moddleElement, properties } });
  let extensions = business.extensionElements as ModdleElement | undefined;
  if (!extensions) {
    extensions = moddle.create('bpmn:ExtensionElements', { values: [] });
    extensions.$parent = business;
    update(business, { extensionElements: extensions });
  }
  const values = (extensions.values as ModdleElement[] | undefined) ?? [];
  let list = values.find((v) => v.$type === 'zeebe:Properties');
  if (!list) {
    list = moddle.create('zeebe:Properties', { properties: [] });
    list.$parent = extensions;
    update(extensions, { values: [...values, list] });
  }
  const properties = (list.properties as ModdleElement[] | undefined) ?? [];
  const existing = properties.find((p) => p.name === 'name:en');
  if (existing) {
    update(existing, { value });
  } else {
    const property = moddle.create('zeebe:Property', { name: 'name:en', value });
    property.$parent = list;
    update(list, { properties: [...properties, property] });
  }
  return commands;
}
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Canvas {
  zoom(scale?: number | 'fit-viewport', center?: 'auto'): number;
  viewbox(box?: Box): Box & { scale: number; inner: Box; outer: Box };
  scrollToElement(element: unknown, padding?: number): void;
  getContainer(): HTMLElement;
}

/** Readable scale: a long process fitted whole would be too small to work on. */
const MIN_SCALE = 0.75;
/** Room on the left for the palette, in screen pixels. */
const PALETTE_ROOM = 120;

/** The whole diagram when it fits at a readable scale, else its start (as it reads, left to right) at that scale. */
function showStart(canvas: Canvas): void {
  if (canvas.zoom('fit-viewport', 'auto') >= MIN_SCALE) return;
  const { inner, outer } = canvas.viewbox();
  canvas.viewbox({ x: inner.x - PALETTE_ROOM / MIN_SCALE, y: inner.y - 40 / MIN_SCALE, width: outer.width / MIN_SCALE, height: outer.height / MIN_SCALE });
}

/**
 * The Camunda 8 modeler (camunda-bpmn-js: bpmn-js with the Zeebe properties panel) with live
 * lint in the canvas (bpmn-js-bpmnlint). Drawn left to right as the diagram was drawn; the
 * properties panel sits beside it. The rules are bundled at build time (virtual:bpmnlint-bundle);
 * the server's config decides which run and with what facts (roles, workers, processes).
 */
export function ModelerCanvas({ ref, xml, revision, lintConfig, onChanged, onProblems, onImportError, onImported, onNamesChanged }: ModelerCanvasProps) {
  const { t, i18n } = useTranslation();
  const canvasRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const modeler = useRef<CamundaCloudModeler | null>(null);
  const callbacks = useRef({ onChanged, onProblems, onImportError, onImported, onNamesChanged, lintConfig });
  callbacks.current = { onChanged, onProblems, onImportError, onImported, onNamesChanged, lintConfig };
  /** The names as last read, to tell what an edit renamed; and whether the edit is setName's own. */
  const names = useRef(new Map<string, LocalisedName>());
  const settingName = useRef(false);

  useEffect(() => {
    if (!canvasRef.current || !panelRef.current) return;
    const instance = new CamundaCloudModeler({
      container: canvasRef.current,
      propertiesPanel: { parent: panelRef.current },
      additionalModules: [lintModule, bpmnTranslateModule],
      linting: { bpmnlint: { config: callbacks.current.lintConfig, resolver: bundledResolver }, active: true },
    } as ConstructorParameters<typeof CamundaCloudModeler>[0]);
    modeler.current = instance;
    const eventBus = instance.get<EventBus>('eventBus');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const registry = instance.get<ElementRegistry>('elementRegistry');
    eventBus.on('import.done', () => {
      names.current = readNames(registry);
    });
    eventBus.on('commandStack.changed', () => {
      const now = readNames(registry);
      const changes = nameChanges(names.current, now);
      names.current = now;
      if (!settingName.current && changes.length > 0) callbacks.current.onNamesChanged(changes);
      clearTimeout(timer);
      timer = setTimeout(() => {
        instance.saveXML({ format: true }).then(
          ({ xml: changed }) => changed && callbacks.current.onChanged(changed),
          () => undefined,
        );
      }, 250);
    });
    eventBus.on('linting.completed', (event) => callbacks.current.onProblems(problemsFromIssues(event.issues ?? {})));
    return () => {
      clearTimeout(timer);
      modeler.current = null;
      instance.destroy();
    };
  }, []);

  useEffect(() => {
    const instance = modeler.current;
    if (!instance) return;
    const linting = instance.get<Linting>('linting');
    linting.setLinterConfig({ config: lintConfig, resolver: bundledResolver });
    linting.toggle(true);
    linting.update();
  }, [lintConfig]);

  // A language switch redraws the palette (diagram-js listens for `i18n.changed`) and the properties
  // panel in the new language, keeping the diagram and its unsaved edits; the translate service
  // reads the page's language on each call, and the context pad is drawn afresh each time it opens.
  const language = i18n.resolvedLanguage;
  useEffect(() => {
    const eventBus = modeler.current?.get<EventBus>('eventBus');
    eventBus?.fire('i18n.changed');
    eventBus?.fire('propertiesPanel.providersChanged');
  }, [language]);

  useEffect(() => {
    const instance = modeler.current;
    if (!instance) return;
    let current = true;
    instance.importXML(xml).then(
      ({ warnings }) => {
        if (!current) return;
        showStart(instance.get<Canvas>('canvas'));
        callbacks.current.onImported(warnings.map((w) => (w as { message?: string }).message ?? String(w)));
        // The first lint runs on import; the page also wants the XML as the modeler writes it.
        instance.saveXML({ format: true }).then(({ xml: saved }) => current && saved && callbacks.current.onChanged(saved), () => undefined);
      },
      (error: unknown) => current && callbacks.current.onImportError(error),
    );
    return () => {
      current = false;
    };
    // `revision` decides when to import: the parent bumps it with each new `xml` it wants drawn.
  }, [revision]);

  useImperativeHandle(
    ref,
    () => ({
      async saveXml() {
        const instance = modeler.current;
        if (!instance) throw new Error('modeler not ready');
        const { xml: saved } = await instance.saveXML({ format: true });
        if (!saved) throw new Error('modeler returned no XML');
        return saved;
      },
      select(elementId: string) {
        const instance = modeler.current;
        const element = instance?.get<ElementRegistry>('elementRegistry').get(elementId);
        if (!instance || !element) return false;
        instance.get<{ select(element: unknown): void }>('selection').select(element);
        instance.get<Canvas>('canvas').scrollToElement(element, 120);
        canvasRef.current?.focus();
        return true;
      },
      fit() {
        modeler.current?.get<Canvas>('canvas').zoom('fit-viewport', 'auto');
      },
      showStart() {
        const instance = modeler.current;
        if (instance) showStart(instance.get<Canvas>('canvas'));
      },
      setName(elementId: string, language: NameLanguage, value: string) {
        const instance = modeler.current;
        const element = instance?.get<ElementRegistry>('elementRegistry').get(elementId);
        if (!instance || !element?.businessObject) return false;
        settingName.current = true;
        try {
          if (language === 'ar') instance.get<{ updateProperties(element: unknown, properties: Record<string, unknown>): void }>('modeling').updateProperties(element, { name: value });
          else instance.get<CommandStack>('commandStack').execute('properties-panel.multi-command-executor', englishNameCommands(element, instance.get<Moddle>('moddle'), value));
        } finally {
          settingName.current = false;
        }
        return true;
      },
    }),
    [],
  );

  return (
    <div className="modeler-workbench">
      <div ref={canvasRef} className="modeler-canvas" dir="ltr" tabIndex={0} role="application" aria-label={t('modeler.canvasLabel')} data-testid="modeler-canvas" />
      <div ref={panelRef} className="modeler-properties" dir="ltr" aria-label={t('modeler.propertiesLabel')} role="region" data-testid="modeler-properties" />
    </div>
  );
}
