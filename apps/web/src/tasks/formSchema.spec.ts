import { describe, expect, it } from 'vitest';
import { fieldLabels, localiseFormSchema, parseLocalisedValues, type FormSchema } from './formSchema';

const vote: FormSchema = {
  id: 'committee-vote',
  type: 'default',
  components: [
    { type: 'text', id: 't', text: '### رأي العضو', properties: { 'text:en': '### The member’s vote' } },
    {
      type: 'radio',
      key: 'vote',
      label: 'الرأي',
      values: [
        { label: 'قبول', value: 'accept' },
        { label: 'اعتذار', value: 'reject' },
        { label: 'امتناع', value: 'abstain' },
      ],
      properties: { 'label:en': 'Vote', 'values:en': 'accept=Accept|reject=Reject' },
    },
    { type: 'textarea', key: 'voteNotes', label: 'ملاحظات' },
    { type: 'datetime', key: 'deliveredOn', subtype: 'date', dateLabel: 'تاريخ التقديم', properties: { 'label:en': 'Date provided' } },
    {
      type: 'group',
      label: 'مجموعة',
      properties: { 'label:en': 'Group' },
      components: [{ type: 'checkbox', key: 'ok', label: 'موافق', properties: { 'label:en': 'Agreed', 'description:en': 'Tick if agreed' } }],
    },
  ],
};

describe('localiseFormSchema', () => {
  it('leaves the Arabic schema as it is', () => {
    expect(localiseFormSchema(vote, 'ar')).toBe(vote);
  });

  it('swaps in the English labels, texts and option labels, nested groups too', () => {
    const en = localiseFormSchema(vote, 'en');
    const [text, radio, notes, date, group] = en.components;
    expect(text!.text).toBe('### The member’s vote');
    expect(radio!.label).toBe('Vote');
    expect(radio!.values).toEqual([
      { label: 'Accept', value: 'accept' },
      { label: 'Reject', value: 'reject' },
      // No English given: the Arabic stays rather than an empty label.
      { label: 'امتناع', value: 'abstain' },
    ]);
    expect(notes!.label).toBe('ملاحظات');
    expect(date!.dateLabel).toBe('Date provided');
    expect(date!.label).toBeUndefined();
    expect(group!.label).toBe('Group');
    expect(group!.components![0]).toMatchObject({ label: 'Agreed', description: 'Tick if agreed', key: 'ok' });
  });

  it('does not change the schema it was given', () => {
    const before = JSON.stringify(vote);
    localiseFormSchema(vote, 'en');
    expect(JSON.stringify(vote)).toBe(before);
  });

  it('works on the real forms of the intake diagram', async () => {
    const { readFile, readdir } = await import('node:fs/promises');
    const dir = new URL('../../../../bpmn/forms/', import.meta.url);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.form'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const schema = JSON.parse(await readFile(new URL(file, dir), 'utf8')) as FormSchema;
      const en = localiseFormSchema(schema, 'en');
      for (const [key, label] of Object.entries(fieldLabels(en))) {
        expect(label, `${file} ${key}`).not.toMatch(/[\u0600-\u06FF]/);
      }
      for (const c of en.components) {
        if (c.type === 'text') expect(c.text, `${file} ${c.id}`).not.toMatch(/[\u0600-\u06FF]/);
        for (const option of c.values ?? []) expect(option.label, `${file} ${c.key}`).not.toMatch(/[\u0600-\u06FF]/);
      }
    }
  });
});

describe('parseLocalisedValues', () => {
  it('reads value=label pairs, a label may hold "="', () => {
    expect(parseLocalisedValues('a=One|b=Two = 2| |=x|c=')).toEqual({ a: 'One', b: 'Two = 2' });
  });
});

describe('fieldLabels', () => {
  it("names each field by its label, a date field by its dateLabel", () => {
    expect(fieldLabels(localiseFormSchema(vote, 'en'))).toEqual({ vote: 'Vote', voteNotes: 'ملاحظات', deliveredOn: 'Date provided', ok: 'Agreed' });
  });
});
