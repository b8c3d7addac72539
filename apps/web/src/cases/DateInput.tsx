import { useTranslation } from 'react-i18next';
import { TwoCalendarDate } from '../layout/TwoCalendarDate';
import type { FieldProblem } from './requestForm';
import { RequestField } from './RequestField';

interface DateInputProps {
  fieldKey: string;
  label: string;
  value: string;
  problems?: FieldProblem[];
  optional?: boolean;
  onChange: (value: string) => void;
}

/** A date field that also shows the chosen day in both calendars (papers often carry the Hijri date). */
export function DateInput({ fieldKey, label, value, problems, optional, onChange }: DateInputProps) {
  const { t } = useTranslation();
  return (
    <RequestField
      fieldKey={fieldKey}
      label={label}
      problems={problems}
      optional={optional}
      hint={value ? <TwoCalendarDate value={value} length="long" /> : t('request.dateHint')}
    >
      {(control) => <input {...control} type="date" value={value} onChange={(e) => onChange(e.target.value)} />}
    </RequestField>
  );
}
