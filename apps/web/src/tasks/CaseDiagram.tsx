import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { formatNumber } from '../i18n/language';
import { localName } from '../i18n/localName';
import { apiErrorMessage } from '../session/errorMessage';
import { fetchProcessXml, type CaseStep } from './api';

/** What the case went through, for the auditor's view (GET /api/cases/:id/path). */
export interface DiagramPath {
  version: number;
  /** Element id → times it ran. */
  visited: Record<string, number>;
  /** Sequence flow id → times taken. */
  flowsTaken: Record<string, number>;
  /** Elements with an incident. */
  incidents: string[];
}

interface CaseDiagramProps {
  processDefinitionKey: string;
  currentSteps: CaseStep[];
  /** Marks the elements and flows taken, with how many times each element ran, and the incidents. */
  path?: DiagramPath;
  /** The element picked (outlined); clicking an element calls onSelect with its id. */
  selected?: string | null;
  onSelect?: (elementId: string) => void;
}

// The few diagram-js services used here.
interface Canvas {
  addMarker(element: string, marker: string): void;
  zoom(scale?: number | 'fit-viewport', center?: { x: number; y: number } | 'auto'): number;
  scrollToElement(element: string, padding?: number): void;
  getContainer(): HTMLElement;
}
interface Overlays {
  add(element: string, type: string, overlay: { position: { top?: number; left?: number; right?: number; bottom?: number }; html: HTMLElement }): string;
  remove(filter: { type: string }): void;
}
interface ElementRegistry {
  get(id: string): unknown;
}
interface DiagramElement {
  id: string;
  type?: string;
  labelTarget?: DiagramElement;
  parent?: unknown;
}
interface EventBus {
  on(event: string, callback: (event: { element: DiagramElement }) => void): void;
}

const MARKER = 'current-step';
const VISITED = 'visited';
const FLOW_TAKEN = 'flow-taken';
const INCIDENT = 'incident';
const SELECTED = 'selected-element';
const RUN_COUNT = 'run-count';

type Ready = { status: 'ready'; marked: string[]; visited: string[]; flows: string[]; incidents: string[] };

/**
 * The process the case follows, drawn by bpmn-js's NavigatedViewer, with the steps the case
 * is at marked by an outline and a labelled flag (not by colour alone), zoomed to fit.
 */
export function CaseDiagram({ processDefinitionKey, currentSteps, path, selected, onSelect }: CaseDiagramProps) {
  const { t } = useTranslation();
  const ids = useId();
  const language = currentLanguage();
  const container = useRef<HTMLDivElement>(null);
  const viewer = useRef<NavigatedViewer | null>(null);
  const [state, setState] = useState<{ status: 'loading' } | Ready | { status: 'error'; error: unknown }>({ status: 'loading' });
  const stepIds = currentSteps.map((s) => s.elementId).join(' ');
  // The path as a string, so that a new object with the same contents does not redraw.
  const pathKey = path ? JSON.stringify(path) : '';
  const select = useRef(onSelect);
  select.current = onSelect;
  const selectable = Boolean(onSelect);

  useEffect(() => {
    const instance = new NavigatedViewer({ container: container.current ?? undefined });
    viewer.current = instance;
    let current = true;
    setState({ status: 'loading' });
    (async () => {
      const xml = await fetchProcessXml(processDefinitionKey);
      if (!current) return;
      await instance.importXML(xml);
      if (!current) return;
      const canvas = instance.get<Canvas>('canvas');
      const registry = instance.get<ElementRegistry>('elementRegistry');
      const known = (id: string) => Boolean(id && registry.get(id));
      const marked = stepIds.split(' ').filter(known);
      for (const id of marked) canvas.addMarker(id, MARKER);
      const taken: DiagramPath = pathKey ? (JSON.parse(pathKey) as DiagramPath) : { version: 0, visited: {}, flowsTaken: {}, incidents: [] };
      const visited = Object.keys(taken.visited).filter(known);
      const flows = Object.keys(taken.flowsTaken).filter(known);
      const incidents = [...new Set(taken.incidents)].filter(known);
      for (const id of visited) canvas.addMarker(id, VISITED);
      for (const id of flows) canvas.addMarker(id, FLOW_TAKEN);
      for (const id of incidents) canvas.addMarker(id, INCIDENT);
      if (selectable) {
        canvas.getContainer().classList.add('diagram-selectable');
        instance.get<EventBus>('eventBus').on('element.click', ({ element }) => {
          const target = element.labelTarget ?? element;
          // The process itself (the canvas's root) is no step.
          if (!target.parent) return;
          select.current?.(target.id);
        });
      }
      canvas.zoom('fit-viewport', 'auto');
      setState({ status: 'ready', marked, visited, flows, incidents });
    })().catch((error: unknown) => current && setState({ status: 'error', error }));
    return () => {
      current = false;
      viewer.current = null;
      instance.destroy();
    };
  }, [processDefinitionKey, stepIds, pathKey, selectable]);

  // The element picked, outlined.
  useEffect(() => {
    const instance = viewer.current;
    if (!instance || state.status !== 'ready' || !selected) return;
    const canvas = instance.get<Canvas & { removeMarker(element: string, marker: string): void }>('canvas');
    if (!instance.get<ElementRegistry>('elementRegistry').get(selected)) return;
    canvas.addMarker(selected, SELECTED);
    return () => canvas.removeMarker(selected, SELECTED);
  }, [state, selected]);

  // The flags' words and the canvas's name follow the language.
  useEffect(() => {
    const instance = viewer.current;
    if (!instance || state.status !== 'ready') return;
    const overlays = instance.get<Overlays>('overlays');
    overlays.remove({ type: MARKER });
    overlays.remove({ type: RUN_COUNT });
    overlays.remove({ type: INCIDENT });
    for (const id of state.marked) {
      const flag = document.createElement('span');
      flag.className = 'current-step-flag';
      flag.textContent = t('diagram.here');
      overlays.add(id, MARKER, { position: { top: -26, left: 0 }, html: flag });
    }
    const visited: Record<string, number> = pathKey ? (JSON.parse(pathKey) as DiagramPath).visited : {};
    for (const id of state.visited) {
      const times = visited[id] ?? 0;
      const badge = document.createElement('span');
      badge.className = 'run-count';
      badge.dataset.element = id;
      badge.textContent = formatNumber(language, times);
      badge.title = t('diagram.ranTimes', { n: formatNumber(language, times) });
      overlays.add(id, RUN_COUNT, { position: { bottom: 8, right: 8 }, html: badge });
    }
    for (const id of state.incidents) {
      const flag = document.createElement('span');
      flag.className = 'incident-flag';
      flag.textContent = t('diagram.incident');
      overlays.add(id, INCIDENT, { position: { bottom: -4, left: 0 }, html: flag });
    }
    const svg = instance.get<Canvas>('canvas').getContainer().querySelector('svg');
    svg?.setAttribute('role', 'img');
    svg?.setAttribute('aria-label', t(pathKey ? 'diagram.pathCanvasLabel' : 'diagram.canvasLabel'));
  }, [state, t, language, pathKey]);

  function fit() {
    viewer.current?.get<Canvas>('canvas').zoom('fit-viewport', 'auto');
  }

  function showCurrent() {
    const canvas = viewer.current?.get<Canvas>('canvas');
    const first = state.status === 'ready' ? state.marked[0] : undefined;
    if (!canvas || !first) return;
    canvas.zoom(1);
    canvas.scrollToElement(first, 120);
  }

  const stepNames = currentSteps.map((s) => localName(s.name, language, s.elementId)).join('، ');

  return (
    <section className="card case-diagram" aria-labelledby={`${ids}-heading`} data-testid="case-diagram">
      <div className="case-diagram-head">
        <h2 id={`${ids}-heading`}>
          {t('diagram.heading')}
          {path && (
            <span className="diagram-version" data-testid="diagram-version">
              {' '}
              {t('diagram.version', { n: formatNumber(language, path.version) })}
            </span>
          )}
        </h2>
        <div className="button-row">
          <button type="button" className="button button-secondary button-small" onClick={fit} disabled={state.status !== 'ready'}>
            {t('diagram.fit')}
          </button>
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={showCurrent}
            disabled={state.status !== 'ready' || state.marked.length === 0}
          >
            {t('diagram.showCurrent')}
          </button>
        </div>
      </div>
      <p className="muted" id={`${ids}-caption`}>
        {stepNames ? t('diagram.caption', { steps: stepNames }) : t('diagram.captionNoStep')}
      </p>
      {path && <p className="muted diagram-legend">{t(selectable ? 'diagram.pathLegendSelectable' : 'diagram.pathLegend')}</p>}
      {state.status === 'loading' && (
        <p className="muted" role="status">
          {t('diagram.loading')}
        </p>
      )}
      {state.status === 'error' && (
        <p className="form-error" role="alert">
          {t('diagram.error')} {apiErrorMessage(t, state.error)}
        </p>
      )}
      <div
        ref={container}
        className="case-diagram-canvas"
        dir="ltr"
        data-marked={state.status === 'ready' ? state.marked.join(' ') : ''}
        data-visited={state.status === 'ready' ? state.visited.join(' ') : ''}
        data-flows={state.status === 'ready' ? state.flows.join(' ') : ''}
        data-incidents={state.status === 'ready' ? state.incidents.join(' ') : ''}
      />
    </section>
  );
}
