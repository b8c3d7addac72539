import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SORT_ORDERS, TASK_SORTS, TASK_STATES, isCaseSearch, normaliseCaseSearch, type TaskFilters } from './filters';

interface TaskFilterFormProps {
  filters: TaskFilters;
  onChange: (filters: TaskFilters) => void;
  onClear: () => void;
}

/**
 * State, overdue, sort and order apply as soon as they change; the case search when it is
 * sent (Enter or the Search button), so that typing does not reload the list at each key.
 * The controls show the choice at once (the address follows in a transition).
 */
export function TaskFilterForm({ filters, onChange, onClear }: TaskFilterFormProps) {
  const { t } = useTranslation();
  const ids = useId();
  const [shown, setShown] = useState(filters);
  const [caseText, setCaseText] = useState(filters.caseNumber);
  const [caseInvalid, setCaseInvalid] = useState(false);
  const { tab, state, overdue, caseNumber, sort, order } = filters;

  // The address is the truth: back/forward or a cleared filter updates the controls.
  useEffect(() => {
    setShown({ tab, state, overdue, caseNumber, sort, order });
    setCaseText(caseNumber);
    setCaseInvalid(false);
  }, [tab, state, overdue, caseNumber, sort, order]);

  function apply(next: TaskFilters) {
    setShown(next);
    onChange(next);
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const caseNumber = normaliseCaseSearch(caseText);
    if (!isCaseSearch(caseNumber)) {
      setCaseInvalid(true);
      return;
    }
    setCaseInvalid(false);
    apply({ ...shown, caseNumber });
  }

  const caseErrorId = `${ids}-case-error`;

  return (
    <form className="card task-filters" role="search" aria-label={t('tasks.filters.label')} onSubmit={handleSubmit} noValidate>
      <div className="field">
        <label htmlFor={`${ids}-state`}>{t('tasks.filters.state')}</label>
        <select id={`${ids}-state`} value={shown.state} onChange={(e) => apply({ ...shown, state: e.target.value as TaskFilters['state'] })}>
          {TASK_STATES.map((state) => (
            <option key={state} value={state}>
              {t(`tasks.states.${state}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-sort`}>{t('tasks.filters.sort')}</label>
        <select id={`${ids}-sort`} value={shown.sort} onChange={(e) => apply({ ...shown, sort: e.target.value as TaskFilters['sort'] })}>
          {TASK_SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {t(`tasks.sorts.${sort}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-order`}>{t('tasks.filters.order')}</label>
        <select id={`${ids}-order`} value={shown.order} onChange={(e) => apply({ ...shown, order: e.target.value as TaskFilters['order'] })}>
          {SORT_ORDERS.map((order) => (
            <option key={order} value={order}>
              {t(`tasks.orders.${order}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-check">
        <input
          id={`${ids}-overdue`}
          type="checkbox"
          checked={shown.overdue}
          onChange={(e) => apply({ ...shown, overdue: e.target.checked })}
        />
        <label htmlFor={`${ids}-overdue`}>{t('tasks.filters.overdueOnly')}</label>
      </div>
      <div className="field task-filters-case">
        <label htmlFor={`${ids}-case`}>{t('tasks.filters.case')}</label>
        <div className="input-with-button">
          <input
            id={`${ids}-case`}
            type="search"
            dir="ltr"
            inputMode="text"
            autoComplete="off"
            spellCheck={false}
            placeholder="REQ-2026-000123"
            value={caseText}
            maxLength={60}
            aria-invalid={caseInvalid || undefined}
            aria-describedby={caseInvalid ? caseErrorId : undefined}
            onChange={(e) => setCaseText(e.target.value)}
          />
          <button type="submit" className="button button-secondary">
            {t('tasks.filters.search')}
          </button>
        </div>
        {caseInvalid && (
          <p id={caseErrorId} className="field-error" role="alert">
            {t('tasks.filters.caseInvalid')}
          </p>
        )}
      </div>
      <div className="task-filters-actions">
        <button type="button" className="button button-quiet" onClick={onClear}>
          {t('tasks.filters.clear')}
        </button>
      </div>
    </form>
  );
}
