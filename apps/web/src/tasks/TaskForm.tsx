import '@bpmn-io/form-js/dist/assets/form-js.css';
import { Form } from '@bpmn-io/form-js';
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../i18n/language';
import { setDatePickerLanguage } from './datePicker';
import { readableDates } from './formData';
import { localiseFormError } from './formErrors';
import { localiseFormSchema, type FormSchema } from './formSchema';

export interface FormSubmission {
  data: Record<string, unknown>;
  errors: Record<string, string[]>;
}

export interface TaskFormHandle {
  /** Runs the form's own validation; returns the fields' values and the problems found. */
  submit(): FormSubmission;
}

/** A check of one field beyond the form's own: its message in the page's language, or undefined when the value is fine. */
export type FieldRule = (value: unknown) => string | undefined;

interface TaskFormProps {
  schema: FormSchema;
  /** Checks of fields by key (e.g. the service date against the decision), shown at the field as form-js's own are. */
  fieldRules?: Record<string, FieldRule>;
  /** The process variables the form shows (and its fields start from). */
  variables: Record<string, unknown>;
  language: Language;
  /** Read-only until the person holds the task. */
  readOnly: boolean;
  ref?: Ref<TaskFormHandle>;
}

interface Validator {
  validateField(field: unknown, value: unknown): string[];
  validateFieldInstance(instance: unknown, value: unknown): string[];
}

/** A form-js module that passes the validator's English messages through a translator. */
function localisedValidation(translate: (message: string) => string) {
  function LocalisedValidation(validator: Validator) {
    const field = validator.validateField.bind(validator);
    const instance = validator.validateFieldInstance.bind(validator);
    validator.validateField = (f, v) => field(f, v).map(translate);
    validator.validateFieldInstance = (i, v) => instance(i, v).map(translate);
  }
  LocalisedValidation.$inject = ['validator'];
  return { __init__: ['localisedValidation'], localisedValidation: ['type', LocalisedValidation] };
}

interface FormFieldRegistry {
  get(id: string): { key?: string } | undefined;
}

/** A form-js module that adds the page's own field checks to the validator's. */
function pageFieldRules(rules: () => Record<string, FieldRule>) {
  function PageFieldRules(validator: Validator, registry: FormFieldRegistry) {
    const field = validator.validateField.bind(validator);
    const instance = validator.validateFieldInstance.bind(validator);
    const extra = (key: string | undefined, value: unknown) => {
      const message = key ? rules()[key]?.(value) : undefined;
      return message ? [message] : [];
    };
    validator.validateField = (f, v) => [...field(f, v), ...extra((f as { key?: string }).key, v)];
    validator.validateFieldInstance = (i, v) => [...instance(i, v), ...extra(registry.get((i as { id: string }).id)?.key, v)];
  }
  PageFieldRules.$inject = ['validator', 'formFieldRegistry'];
  return { __init__: ['pageFieldRules'], pageFieldRules: ['type', PageFieldRules] };
}

/**
 * The task's Camunda Form, drawn by form-js: in Arabic the schema as written, in English with
 * the forms' English swapped in. Switching language draws it again and keeps what was typed.
 */
export function TaskForm({ schema, fieldRules, variables, language, readOnly, ref }: TaskFormProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const form = useRef<Form | null>(null);
  const data = useRef<Record<string, unknown>>(variables);
  const readOnlyNow = useRef(readOnly);
  readOnlyNow.current = readOnly;
  const translate = useRef<(message: string) => string>((m) => m);
  translate.current = (message) => localiseFormError(message, t, language);
  const rules = useRef<Record<string, FieldRule>>({});
  rules.current = fieldRules ?? {};

  // Drawn anew for each language: form-js's date pickers take their month and day names when they are made.
  useEffect(() => {
    setDatePickerLanguage(language);
    const options = {
      container: container.current,
      additionalModules: [localisedValidation((message) => translate.current(message)), pageFieldRules(() => rules.current)],
      // form-js holds typed text back 300 ms (flushed on blur); a click on Complete can come first
      // and validate the text as it was. Every keystroke goes into the form's data at once instead.
      debounce: false,
    };
    const instance = new Form(options);
    instance.on('changed', (event: { data?: Record<string, unknown> }) => {
      if (event.data) data.current = event.data;
    });
    form.current = instance;
    return () => {
      form.current = null;
      instance.destroy();
    };
  }, [language]);

  useEffect(() => {
    data.current = variables;
  }, [variables]);

  useEffect(() => {
    const instance = form.current;
    if (!instance) return;
    let current = true;
    instance.setProperty('readOnly', readOnlyNow.current);
    // What was typed stays; dates the form only shows are written for this language.
    const shown = { ...data.current, ...readableDates(variables, schema, language) };
    instance.importSchema(localiseFormSchema(schema, language), shown).then(
      () => {
        if (current) instance.setProperty('readOnly', readOnlyNow.current);
      },
      (error: unknown) => console.warn('form-js could not draw the form', error),
    );
    return () => {
      current = false;
    };
    // Only a new schema or language draws the form again; readOnly changes apply in place below.
  }, [schema, variables, language]);

  useEffect(() => {
    form.current?.setProperty('readOnly', readOnly);
  }, [readOnly]);

  useImperativeHandle(
    ref,
    () => ({
      submit() {
        const instance = form.current;
        if (!instance) return { data: {}, errors: {} };
        const result = instance.submit() as FormSubmission;
        if (Object.keys(result.errors).length > 0) {
          // Take the person to the first field at fault.
          requestAnimationFrame(() => {
            const first = container.current?.querySelector<HTMLElement>('.fjs-has-errors input, .fjs-has-errors textarea, .fjs-has-errors select, [aria-invalid="true"]');
            first?.focus();
            // A date field opens its calendar on focus, over the message saying what is wrong: closed again.
            if (first?.closest('.fjs-datepicker')) first.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', code: 'Escape', bubbles: true }));
          });
        }
        return result;
      },
    }),
    [],
  );

  return <div ref={container} className="task-form" data-testid="task-form" />;
}
