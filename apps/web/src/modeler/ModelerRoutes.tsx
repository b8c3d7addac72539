import { Suspense, lazy } from 'react';
import { Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { NotFoundPage } from '../layout/NotFoundPage';
import { ModelerErrorBoundary } from './ModelerErrorBoundary';
import { ProcessListPage } from './ProcessListPage';

// The modeler carries camunda-bpmn-js, its properties panel, bpmnlint and form-js's editor.
const ModelerEditPage = lazy(() => import('./ModelerEditPage').then((m) => ({ default: m.ModelerEditPage })));
const VersionPage = lazy(() => import('./VersionPage').then((m) => ({ default: m.VersionPage })));

/**
 * The process owner's pages:
 *   /modeler                                  the deployed processes
 *   /modeler/:bpmnProcessId                   edit from the newest version (?draft=<id> opens a draft)
 *   /modeler/:bpmnProcessId/versions/:version one version read-only; deploy it again as the newest
 */
export function ModelerRoutes() {
  const { t } = useTranslation();
  return (
    <ModelerErrorBoundary>
      <Suspense
        fallback={
          <p className="status" role="status" aria-live="polite">
            {t('app.loading')}
          </p>
        }
      >
        <Routes>
          <Route index element={<ProcessListPage />} />
          <Route path=":bpmnProcessId" element={<ModelerEditPage />} />
          <Route path=":bpmnProcessId/versions/:version" element={<VersionPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </ModelerErrorBoundary>
  );
}
