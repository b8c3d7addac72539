import { describe, expect, it } from 'vitest';
import { readableDates } from './formData';
import type { FormSchema } from './formSchema';

const schema: FormSchema = {
  components: [
    { type: 'text', text: 'Not before **{{earliestAnswerAt}}**' },
    { type: 'datetime', key: 'deliveredOn', subtype: 'date', dateLabel: 'Date' },
    { type: 'textfield', key: 'when', label: 'When' },
  ],
};

describe('readableDates', () => {
  it('writes timestamps the form only shows in both calendars', () => {
    const at = new Date(2026, 10, 30, 10, 0);
    const out = readableDates({ earliestAnswerAt: at.toISOString(), count: 2, note: 'text' }, schema, 'en');
    expect(Object.keys(out)).toEqual(['earliestAnswerAt']);
    expect(out.earliestAnswerAt).toBe('30 November 2026 (20 Jumada II 1448 AH)');
  });

  it("never touches the form's own fields", () => {
    expect(readableDates({ deliveredOn: '2026-12-09T00:00:00Z', when: '2026-12-09T10:00:00Z' }, schema, 'ar')).toEqual({});
  });
});
