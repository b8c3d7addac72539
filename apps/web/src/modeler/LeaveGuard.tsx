import { useEffect, useRef } from 'react';
import { useBlocker } from 'react-router';
import { useTranslation } from 'react-i18next';

/**
 * Unsaved edits are not lost by a click elsewhere in the site: while `unsaved`, leaving the page
 * through the site's own links (or the browser's back button) asks first, in the page's language;
 * closing or reloading the tab asks through the browser (beforeunload).
 */
export function LeaveGuard({ unsaved }: { unsaved: boolean }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => unsaved && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search));

  useEffect(() => {
    if (!unsaved) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unsaved]);

  useEffect(() => {
    const open = dialog.current?.open ?? false;
    if (blocker.state === 'blocked' && !open) dialog.current?.showModal();
    if (blocker.state !== 'blocked' && open) dialog.current?.close();
  }, [blocker.state]);

  // Saved in the meantime (nothing left to lose): let the navigation go on.
  useEffect(() => {
    if (blocker.state === 'blocked' && !unsaved) blocker.proceed();
  }, [blocker, unsaved]);

  return (
    <dialog
      ref={dialog}
      className="card leave-guard"
      aria-labelledby="leave-guard-heading"
      data-testid="leave-guard"
      // Escape closes the dialog: that is staying.
      onCancel={() => blocker.state === 'blocked' && blocker.reset()}
    >
      <h2 id="leave-guard-heading">{t('modeler.leave.heading')}</h2>
      <p>{t('modeler.leave.text')}</p>
      <div className="button-row">
        <button type="button" className="button button-primary" onClick={() => blocker.state === 'blocked' && blocker.reset()} autoFocus>
          {t('modeler.leave.stay')}
        </button>
        <button type="button" className="button button-secondary" onClick={() => blocker.state === 'blocked' && blocker.proceed()}>
          {t('modeler.leave.leave')}
        </button>
      </div>
    </dialog>
  );
}
