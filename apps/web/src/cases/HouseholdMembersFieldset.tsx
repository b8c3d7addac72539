import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../i18n';
import { formatNumber } from '../i18n/language';
import { DateInput } from './DateInput';
import { RequestField } from './RequestField';
import type { FieldProblems, HouseholdMemberDraft } from './requestForm';
import { RELATIONS } from './vocabulary';

interface HouseholdMembersFieldsetProps {
  members: HouseholdMemberDraft[];
  problems: FieldProblems;
  onChange: (index: number, member: HouseholdMemberDraft) => void;
  onAdd: () => void;
  onRemove: (index: number) => void;
}

/** The people living with the applicant: none or more rows. */
export function HouseholdMembersFieldset({ members, problems, onChange, onAdd, onRemove }: HouseholdMembersFieldsetProps) {
  const { t } = useTranslation();
  return (
    <fieldset className="card form-section" data-testid="household">
      <legend>{t('request.sections.household')}</legend>
      {members.length === 0 && <p className="muted">{t('request.noMembers')}</p>}
      {members.map((member, i) => (
        <div key={member.rowId} className="repeat-row" data-row={i}>
          <p className="repeat-row-title">{t('request.memberN', { n: formatNumber(currentLanguage(), i + 1) })}</p>
          <div className="form-grid">
            <RequestField fieldKey={`householdMembers.${i}.fullName`} label={t('request.fields.memberName')} problems={problems[`householdMembers.${i}.fullName`]}>
              {(control) => (
                <input {...control} type="text" autoComplete="off" value={member.fullName} maxLength={150} onChange={(e) => onChange(i, { ...member, fullName: e.target.value })} />
              )}
            </RequestField>
            <RequestField fieldKey={`householdMembers.${i}.relation`} label={t('request.fields.relation')} problems={problems[`householdMembers.${i}.relation`]}>
              {(control) => (
                <select {...control} value={member.relation} onChange={(e) => onChange(i, { ...member, relation: e.target.value })}>
                  <option value="">{t('request.choose')}</option>
                  {RELATIONS.map((relation) => (
                    <option key={relation} value={relation}>
                      {t(`vocabulary.relations.${relation}`)}
                    </option>
                  ))}
                </select>
              )}
            </RequestField>
            <DateInput
              fieldKey={`householdMembers.${i}.birthDate`}
              label={t('request.fields.birthDate')}
              optional
              value={member.birthDate}
              problems={problems[`householdMembers.${i}.birthDate`]}
              onChange={(birthDate) => onChange(i, { ...member, birthDate })}
            />
          </div>
          <button type="button" className="button button-quiet button-small" onClick={() => onRemove(i)}>
            {t('request.removeMember', { n: formatNumber(currentLanguage(), i + 1) })}
          </button>
        </div>
      ))}
      <button type="button" className="button button-secondary" onClick={onAdd}>
        {t('request.addMember')}
      </button>
    </fieldset>
  );
}
