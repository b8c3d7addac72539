import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { formatNumber } from '../i18n/language';
import { PageHeading } from '../layout/PageHeading';
import { ApiError } from '../session/api';
import { apiErrorMessage } from '../session/errorMessage';
import { submitApplication, type RecordedApplication } from './api';
import { DateInput } from './DateInput';
import { DocumentsFieldset } from './DocumentsFieldset';
import { HouseholdMembersFieldset } from './HouseholdMembersFieldset';
import { ProblemText, RequestField, fieldId } from './RequestField';
import {
  checkDraft,
  emptyDraft,
  fieldOrder,
  newDocument,
  newHouseholdMember,
  serverProblems,
  toApplication,
  type FieldProblems,
  type RequestDraft,
} from './requestForm';
import { CHANNELS, REQUIRED_DOCUMENTS, SUPPORT_TYPES, isSupportType } from './vocabulary';

/** /cases/new: reception records a request (S1) and the intake process starts. */
export function RequestPage() {
  const [recorded, setRecorded] = useState<RecordedApplication | null>(null);
  const [round, setRound] = useState(0);
  if (recorded) {
    return (
      <RequestRecorded
        recorded={recorded}
        onAnother={() => {
          setRecorded(null);
          setRound((n) => n + 1);
        }}
      />
    );
  }
  return <RequestForm key={round} onRecorded={setRecorded} />;
}

interface RequestFormProps {
  onRecorded: (recorded: RecordedApplication) => void;
  /**
   * The applicant portal (C7) fills the request in for oneself: no channel to choose and the
   * mobile number is the one signed in with; it sends to its own endpoint. Same fields, same checks.
   */
  applicant?: { mobile: string; submit: typeof submitApplication; heading: string; intro: string };
}

export function RequestForm({ onRecorded, applicant }: RequestFormProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<RequestDraft>(() => (applicant ? { ...emptyDraft(), channel: 'C7', mobile: applicant.mobile } : emptyDraft()));
  const [problems, setProblems] = useState<FieldProblems>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const focusNext = useRef<string | null>(null);

  // After adding a row, its first control takes the focus.
  useEffect(() => {
    if (!focusNext.current) return;
    document.getElementById(focusNext.current)?.focus();
    focusNext.current = null;
  }, [draft]);

  const set = <K extends keyof RequestDraft>(key: K, value: RequestDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const label = (key: string): string => {
    const member = /^householdMembers\.(\d+)\.(\w+)$/.exec(key);
    if (member) return `${t('request.memberN', { n: formatNumber(currentLanguage(), Number(member[1]) + 1) })}: ${t(member[2] === 'fullName' ? 'request.fields.memberName' : `request.fields.${member[2] as 'relation' | 'birthDate'}`)}`;
    const doc = /^documents\.(\d+)\.(\w+)$/.exec(key);
    if (doc) {
      const part = { type: 'documentType', number: 'documentNumber', expiryDate: 'expiryDate', file: 'file' }[doc[2]!] as 'documentType' | 'documentNumber' | 'expiryDate' | 'file' | undefined;
      return `${t('request.documentN', { n: formatNumber(currentLanguage(), Number(doc[1]) + 1) })}: ${part ? t(`request.fields.${part}`) : doc[2]}`;
    }
    const known = ['channel', 'supportType', 'fullName', 'nationalId', 'birthDate', 'mobile', 'email', 'preferredContact', 'portalConsent', 'city', 'address', 'monthlyIncome', 'notes', 'householdMembers', 'documents'] as const;
    return (known as readonly string[]).includes(key) ? t(`request.fields.${key as (typeof known)[number]}`) : key;
  };

  const ordered = (found: FieldProblems) => {
    const order = fieldOrder(draft);
    return Object.keys(found).sort((a, b) => (order.indexOf(a) + 1 || 999) - (order.indexOf(b) + 1 || 999));
  };

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    setFailure(null);
    const found = checkDraft(draft);
    setProblems(found);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => summary.current?.focus());
      return;
    }
    setSubmitting(true);
    try {
      const { application, files } = toApplication(draft);
      onRecorded(await (applicant?.submit ?? submitApplication)(application, files));
    } catch (error) {
      setSubmitting(false);
      if (error instanceof ApiError && Object.keys(error.fields).length > 0) setProblems(serverProblems(error.fields, error.fieldCodes));
      setFailure(error);
      requestAnimationFrame(() => summary.current?.focus());
    }
  }

  const keys = ordered(problems);
  const required = isSupportType(draft.supportType) ? REQUIRED_DOCUMENTS[draft.supportType] : [];

  return (
    <form className="page-stack request-form" onSubmit={(e) => void handleSubmit(e)} noValidate aria-labelledby="request-heading">
      <PageHeading id="request-heading" title={applicant?.heading ?? t('request.heading')} />
      <p className="muted">{applicant?.intro ?? t('request.intro')}</p>

      {(keys.length > 0 || failure !== null) && (
        <div className="form-error error-summary" role="alert" tabIndex={-1} ref={summary} data-testid="error-summary">
          <p>{keys.length > 0 ? t('request.errors.summary', { n: formatNumber(currentLanguage(), keys.length) }) : apiErrorMessage(t, failure)}</p>
          {keys.length > 0 && (
            <ul>
              {keys.map((key) => (
                <li key={key}>
                  <a
                    href={`#${fieldId(key)}`}
                    onClick={(e) => {
                      const target = document.getElementById(fieldId(key));
                      if (!target) return;
                      e.preventDefault();
                      target.focus();
                    }}
                  >
                    {label(key)}
                  </a>
                  {': '}
                  {problems[key]!.map((problem, i) => (
                    <ProblemText key={i} problem={problem} />
                  ))}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      <fieldset className="card form-section">
        <legend>{t('request.sections.request')}</legend>
        <div className="form-grid">
          {!applicant && (
            <RequestField fieldKey="channel" label={t('request.fields.channel')} problems={problems.channel}>
              {(control) => (
                <select {...control} value={draft.channel} onChange={(e) => set('channel', e.target.value)}>
                  <option value="">{t('request.choose')}</option>
                  {CHANNELS.map((channel) => (
                    <option key={channel} value={channel}>
                      {t(`vocabulary.channels.${channel}`)} ({channel})
                    </option>
                  ))}
                </select>
              )}
            </RequestField>
          )}
          <RequestField
            fieldKey="supportType"
            label={t('request.fields.supportType')}
            problems={problems.supportType}
            hint={
              required.length > 0
                ? t('request.requiredDocuments', { documents: required.map((d) => t(`vocabulary.documentTypes.${d}`)).join('، ') })
                : undefined
            }
          >
            {(control) => (
              <select {...control} value={draft.supportType} onChange={(e) => set('supportType', e.target.value)}>
                <option value="">{t('request.choose')}</option>
                {SUPPORT_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(`vocabulary.supportTypes.${type}`)}
                  </option>
                ))}
              </select>
            )}
          </RequestField>
        </div>
      </fieldset>

      <fieldset className="card form-section">
        <legend>{t('request.sections.applicant')}</legend>
        <div className="form-grid">
          <RequestField fieldKey="fullName" label={t('request.fields.fullName')} problems={problems.fullName}>
            {(control) => <input {...control} type="text" autoComplete="off" maxLength={150} value={draft.fullName} onChange={(e) => set('fullName', e.target.value)} />}
          </RequestField>
          <RequestField fieldKey="nationalId" label={t('request.fields.nationalId')} hint={t('request.nationalIdHint')} problems={problems.nationalId}>
            {(control) => (
              <input
                {...control}
                type="text"
                dir="ltr"
                inputMode="numeric"
                autoComplete="off"
                maxLength={10}
                value={draft.nationalId}
                onChange={(e) => set('nationalId', e.target.value)}
              />
            )}
          </RequestField>
          <DateInput fieldKey="birthDate" label={t('request.fields.birthDate')} value={draft.birthDate} problems={problems.birthDate} onChange={(v) => set('birthDate', v)} />
          <RequestField fieldKey="mobile" label={t('request.fields.mobile')} hint={applicant ? undefined : t('request.mobileHint')} problems={problems.mobile}>
            {(control) => (
              <input {...control} type="tel" dir="ltr" autoComplete="off" maxLength={20} value={draft.mobile} readOnly={Boolean(applicant)} onChange={(e) => set('mobile', e.target.value)} />
            )}
          </RequestField>
          <RequestField fieldKey="email" label={t('request.fields.email')} optional problems={problems.email}>
            {(control) => <input {...control} type="email" dir="ltr" autoComplete="off" maxLength={254} value={draft.email} onChange={(e) => set('email', e.target.value)} />}
          </RequestField>
          <RequestField fieldKey="preferredContact" label={t('request.fields.preferredContact')} hint={t('request.contactHint')} problems={problems.preferredContact}>
            {(control) => (
              <select {...control} value={draft.preferredContact} onChange={(e) => set('preferredContact', e.target.value as RequestDraft['preferredContact'])}>
                <option value="">{t('request.contacts.auto')}</option>
                <option value="sms">{t('request.contacts.sms')}</option>
                <option value="email">{t('request.contacts.email')}</option>
              </select>
            )}
          </RequestField>
          {!applicant && (
            <div className="field span-2 checkbox-field">
              <label className="checkbox-label">
                <input
                  id={fieldId('portalConsent')}
                  type="checkbox"
                  checked={draft.portalConsent}
                  aria-describedby={`${fieldId('portalConsent')}-hint`}
                  onChange={(e) => set('portalConsent', e.target.checked)}
                />{' '}
                {t('request.fields.portalConsent')}
              </label>
              <p className="hint" id={`${fieldId('portalConsent')}-hint`}>
                {t('request.portalConsentHint')}
              </p>
            </div>
          )}
          <RequestField fieldKey="city" label={t('request.fields.city')} problems={problems.city}>
            {(control) => <input {...control} type="text" autoComplete="off" maxLength={100} value={draft.city} onChange={(e) => set('city', e.target.value)} />}
          </RequestField>
          <RequestField fieldKey="address" label={t('request.fields.address')} problems={problems.address} className="span-2">
            {(control) => <input {...control} type="text" autoComplete="off" maxLength={300} value={draft.address} onChange={(e) => set('address', e.target.value)} />}
          </RequestField>
          <RequestField fieldKey="monthlyIncome" label={t('request.fields.monthlyIncome')} hint={t('request.incomeHint')} problems={problems.monthlyIncome}>
            {(control) => (
              <input {...control} type="text" dir="ltr" inputMode="decimal" autoComplete="off" maxLength={12} value={draft.monthlyIncome} onChange={(e) => set('monthlyIncome', e.target.value)} />
            )}
          </RequestField>
        </div>
      </fieldset>

      <HouseholdMembersFieldset
        members={draft.householdMembers}
        problems={problems}
        onChange={(i, member) => set('householdMembers', draft.householdMembers.map((m, j) => (j === i ? member : m)))}
        onAdd={() => {
          focusNext.current = fieldId(`householdMembers.${draft.householdMembers.length}.fullName`);
          set('householdMembers', [...draft.householdMembers, newHouseholdMember()]);
        }}
        onRemove={(i) => {
          set('householdMembers', draft.householdMembers.filter((_, j) => j !== i));
          setProblems({});
        }}
      />

      <DocumentsFieldset
        documents={draft.documents}
        problems={problems}
        onChange={(i, doc) => set('documents', draft.documents.map((d, j) => (j === i ? doc : d)))}
        onAdd={() => {
          focusNext.current = fieldId(`documents.${draft.documents.length}.type`);
          set('documents', [...draft.documents, newDocument()]);
        }}
        onRemove={(i) => {
          set('documents', draft.documents.filter((_, j) => j !== i));
          setProblems({});
        }}
      />
      {problems.documents && (
        <p className="field-error" id={fieldId('documents')}>
          {problems.documents.map((problem, i) => (
            <ProblemText key={i} problem={problem} />
          ))}
        </p>
      )}

      <fieldset className="card form-section">
        <legend>{t('request.sections.notes')}</legend>
        <RequestField fieldKey="notes" label={t('request.fields.notes')} optional problems={problems.notes}>
          {(control) => <textarea {...control} rows={4} maxLength={2000} value={draft.notes} onChange={(e) => set('notes', e.target.value)} />}
        </RequestField>
      </fieldset>

      <div className="button-row form-actions">
        <button type="submit" className="button button-primary" aria-disabled={submitting || undefined} aria-busy={submitting || undefined}>
          {submitting ? t('request.submitting') : t('request.submit')}
        </button>
      </div>
    </form>
  );
}

function RequestRecorded({ recorded, onAnother }: { recorded: RecordedApplication; onAnother: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="card success-panel request-recorded" data-testid="request-recorded">
      <PageHeading title={t('request.recordedTitle')} />
      <p>{t('request.recordedText')}</p>
      <p className="application-number" data-testid="application-number">
        <bdi dir="ltr">{recorded.applicationNumber}</bdi>
      </p>
      <div className="button-row">
        <Link className="button button-primary" to="/tasks">
          {t('request.toTasks')}
        </Link>
        <button type="button" className="button button-secondary" onClick={onAnother}>
          {t('request.another')}
        </button>
      </div>
    </section>
  );
}
