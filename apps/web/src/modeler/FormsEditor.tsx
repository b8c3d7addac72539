import '@bpmn-io/form-js/dist/assets/form-js.css';
import '@bpmn-io/form-js-editor/dist/assets/form-js-editor.css';
import '@bpmn-io/form-js-editor/dist/assets/properties-panel.css';
import { FormEditor } from '@bpmn-io/form-js-editor';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiErrorMessage } from '../session/errorMessage';
import type { FormSchema, Forms } from './api';

interface FormsEditorProps {
  /** The task forms by form id, as loaded (a version's or a draft's); edits go to onChange. */
  forms: Forms;
  /** Bumped when `forms` is replaced wholesale (another version or draft opened). */
  revision: number;
  /** Form ids the diagram refers to (zeebe:formDefinition formId), to flag missing ones. */
  usedFormIds: string[];
  /** Forms changed since they were loaded: deployed with the diagram. */
  edited: ReadonlySet<string>;
  onChange(formId: string, schema: FormSchema): void;
}

/**
 * The task forms beside the diagram, one at a time in the form-js editor. Its own interface
 * is English-only and left to right; the form's labels are whatever the schema says.
 */
export function FormsEditor({ forms, revision, usedFormIds, edited, onChange }: FormsEditorProps) {
  const { t } = useTranslation();
  const ids = useId();
  const formIds = Object.keys(forms).sort();
  const [formId, setFormId] = useState(formIds[0] ?? '');
  const [error, setError] = useState<unknown>(null);
  const container = useRef<HTMLDivElement>(null);
  const editor = useRef<FormEditor | null>(null);
  const latest = useRef({ forms, onChange });
  latest.current = { forms, onChange };
  const missing = usedFormIds.filter((id) => !forms[id]);

  // Another source opened: start from its first form.
  useEffect(() => {
    setFormId((previous) => (latest.current.forms[previous] ? previous : (Object.keys(latest.current.forms).sort()[0] ?? '')));
  }, [revision]);

  useEffect(() => {
    if (!container.current || !formId) return;
    const schema = latest.current.forms[formId];
    if (!schema) return;
    const instance = new FormEditor({ container: container.current });
    editor.current = instance;
    let current = true;
    setError(null);
    instance.importSchema(schema).then(
      () => {
        if (!current) return;
        instance.on('changed', () => {
          if (current) latest.current.onChange(formId, instance.saveSchema() as FormSchema);
        });
      },
      (cause: unknown) => current && setError(cause),
    );
    return () => {
      current = false;
      editor.current = null;
      instance.destroy();
    };
  }, [formId, revision]);

  return (
    <section className="card modeler-forms" aria-labelledby={`${ids}-heading`} data-testid="modeler-forms">
      <h2 id={`${ids}-heading`}>{t('modeler.forms.heading')}</h2>
      {formIds.length === 0 ? (
        <p className="muted">{t('modeler.forms.none')}</p>
      ) : (
        <div className="field">
          <label htmlFor={`${ids}-form`}>{t('modeler.forms.choose')}</label>
          <select id={`${ids}-form`} value={formId} onChange={(e) => setFormId(e.target.value)} data-testid="form-choice">
            {formIds.map((id) => (
              <option key={id} value={id}>
                {edited.has(id) ? `${id} — ${t('modeler.forms.edited')}` : id}
              </option>
            ))}
          </select>
        </div>
      )}
      {missing.length > 0 && (
        <p className="form-error" data-testid="missing-forms">
          {t('modeler.forms.missing', { ids: missing.join('، ') })}
        </p>
      )}
      <p className="hint">{t('modeler.forms.hint')}</p>
      {error !== null && (
        <p className="form-error" role="alert">
          {t('modeler.forms.error')} {error instanceof Error ? error.message : apiErrorMessage(t, error)}
        </p>
      )}
      <div ref={container} className="modeler-form-editor" dir="ltr" data-testid="form-editor" data-form={formId} />
    </section>
  );
}
