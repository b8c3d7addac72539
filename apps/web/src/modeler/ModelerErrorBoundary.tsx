import { Component, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';

interface State {
  error: unknown;
}

/**
 * The modeler's pages run three large libraries; should one of them (or loading its code)
 * fail, the person reads what happened and can try again rather than face a blank page.
 */
export class ModelerErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    return <ModelerFailure error={this.state.error} onRetry={() => this.setState({ error: null })} />;
  }
}

function ModelerFailure({ error, onRetry }: { error: unknown; onRetry(): void }) {
  const { t } = useTranslation();
  return (
    <div className="card status-card" role="alert" data-testid="modeler-crash">
      <p>{t('modeler.crash')}</p>
      <p className="muted">
        <bdi dir="ltr">{error instanceof Error ? error.message : String(error)}</bdi>
      </p>
      <div className="button-row">
        <button type="button" className="button button-secondary" onClick={onRetry}>
          {t('app.retry')}
        </button>
        <Link to="/modeler" onClick={onRetry}>
          {t('modeler.backToList')}
        </Link>
      </div>
    </div>
  );
}
