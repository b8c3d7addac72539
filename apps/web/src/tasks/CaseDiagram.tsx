import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { localName } from '../i18n/localName';
import { apiErrorMessage } from '../session/errorMessage';
import { fetchProcessXml, type CaseStep } from './api';

interface CaseDiagramProps {
  processDefinitionKey: string;
  currentSteps: CaseStep[];
}

// The few diagram-js services used here.
interface Canvas {
  addMarker(element: string, marker: string): void;
  zoom(scale?: number | 'fit-viewport', center?: { x: number; y: number } | 'auto'): number;
  scrollToElement(element: string, padding?: number): void;
  getContainer(): HTMLElement;
}
interface Overlays {
  add(element: string, type: string, overlay: { position: { top?: number; left?: number; right?: number }; html: HTMLElement }): string;
  remove(filter: { type: string }): void;
}
interface ElementRegistry {
  get(id: string): unknown;
}

const MARKER = 'current-step';

/**
 * The process the case follows, drawn by bpmn-js's NavigatedViewer, with the steps the case
 * is at marked by an outline and a labelled flag (not by colour alone), zoomed to fit.
 */
export function CaseDiagram({ processDefinitionKey, currentSteps }: CaseDiagramProps) {
  const { t } = useTranslation();
  const ids = useId();
  const language = currentLanguage();
  const container = useRef<HTMLDivElement>(null);
  const viewer = useRef<NavigatedViewer | null>(null);
  const [state, setState] = useState<{ status: 'loading' } | { status: 'ready'; marked: string[] } | { status: 'error'; error: unknown }>({ status: 'loading' });
  const stepIds = currentSteps.map((s) => s.elementId).join(' ');

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
      const marked = stepIds.split(' ').filter((id) => id && registry.get(id));
      for (const id of marked) canvas.addMarker(id, MARKER);
      canvas.zoom('fit-viewport', 'auto');
      setState({ status: 'ready', marked });
    })().catch((error: unknown) => current && setState({ status: 'error', error }));
    return () => {
      current = false;
      viewer.current = null;
      instance.destroy();
    };
  }, [processDefinitionKey, stepIds]);

  // The flags' words and the canvas's name follow the language.
  useEffect(() => {
    const instance = viewer.current;
    if (!instance || state.status !== 'ready') return;
    const overlays = instance.get<Overlays>('overlays');
    overlays.remove({ type: MARKER });
    for (const id of state.marked) {
      const flag = document.createElement('span');
      flag.className = 'current-step-flag';
      flag.textContent = t('diagram.here');
      overlays.add(id, MARKER, { position: { top: -26, left: 0 }, html: flag });
    }
    const svg = instance.get<Canvas>('canvas').getContainer().querySelector('svg');
    svg?.setAttribute('role', 'img');
    svg?.setAttribute('aria-label', t('diagram.canvasLabel'));
  }, [state, t, language]);

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
        <h2 id={`${ids}-heading`}>{t('diagram.heading')}</h2>
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
      <div ref={container} className="case-diagram-canvas" dir="ltr" data-marked={state.status === 'ready' ? state.marked.join(' ') : ''} />
    </section>
  );
}
