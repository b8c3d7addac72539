import { describe, expect, it } from 'vitest';
import { withCheckDigit } from '../../../../libs/intake/src/applications/national-id';
import { checkDraft, emptyDraft, fieldOrder, newDocument, newHouseholdMember, serverProblems, toApplication, toLatinDigits, type RequestDraft } from './requestForm';

const nationalId = withCheckDigit('100000000');

function complete(): RequestDraft {
  const draft = emptyDraft();
  return {
    ...draft,
    channel: 'C1',
    fullName: '  فاطمة   عبدالله الحربي ',
    nationalId,
    birthDate: '1990-05-14',
    mobile: '055 123 4567',
    email: '',
    city: 'الرياض',
    address: 'حي الملز، شارع الستين',
    householdMembers: [{ ...newHouseholdMember(), fullName: 'سارة الحربي', relation: 'daughter', birthDate: '' }],
    monthlyIncome: '٣٥٠٠',
    supportType: 'training',
    documents: [
      { ...draft.documents[0]!, number: nationalId, expiryDate: '2030-01-01', file: new File(['%PDF-1.4'], 'id.pdf', { type: 'application/pdf' }) },
      { ...newDocument('qualification'), number: 'Q-2020-11' },
    ],
  };
}

describe('checkDraft', () => {
  it('finds nothing wrong with a complete request', () => {
    expect(checkDraft(complete())).toEqual({});
  });

  it('names each missing or malformed field by the key the server uses', () => {
    const draft = emptyDraft();
    draft.householdMembers = [newHouseholdMember()];
    const problems = checkDraft(draft);
    for (const key of ['channel', 'fullName', 'nationalId', 'birthDate', 'mobile', 'city', 'address', 'monthlyIncome', 'supportType', 'householdMembers.0.fullName', 'householdMembers.0.relation', 'documents.0.number']) {
      expect(problems[key], key).toEqual([{ code: 'required' }]);
    }
    expect(problems.email).toBeUndefined();
    expect(problems['documents.0.type']).toBeUndefined(); // the first row starts as the national ID
  });

  it('tells apart the ways an ID number is wrong', () => {
    const wrong = (id: string) => checkDraft({ ...complete(), nationalId: id }).nationalId;
    expect(wrong('12345')).toEqual([{ code: 'nationalIdDigits' }]);
    expect(wrong('3000000000')).toEqual([{ code: 'nationalIdStart' }]);
    const badCheck = nationalId.slice(0, 9) + String((Number(nationalId[9]) + 1) % 10);
    expect(wrong(badCheck)).toEqual([{ code: 'nationalIdCheck' }]);
    // Typed in Arabic-Indic digits: the same number.
    expect(wrong(nationalId.replace(/\d/g, (d) => String.fromCharCode(0x660 + Number(d))))).toBeUndefined();
  });

  it('checks mobile, e-mail, amounts, dates, lengths and file types', () => {
    const problems = checkDraft({
      ...complete(),
      mobile: '0451234567',
      email: 'not-an-email',
      monthlyIncome: '12.345',
      birthDate: '1990-02-30',
      address: 'حي',
      notes: 'x'.repeat(2001),
      documents: [{ ...newDocument('other'), number: 'A B', file: new File(['x'], 'scan.docx', { type: 'application/msword' }) }],
    });
    expect(problems.mobile).toEqual([{ code: 'mobile' }]);
    expect(problems.email).toEqual([{ code: 'email' }]);
    expect(problems.monthlyIncome).toEqual([{ code: 'income' }]);
    expect(problems.birthDate).toEqual([{ code: 'date' }]);
    expect(problems.address).toEqual([{ code: 'tooShort', min: 5 }]);
    expect(problems.notes).toEqual([{ code: 'tooLong', max: 2000 }]);
    expect(problems['documents.0.number']).toEqual([{ code: 'documentNumber' }]);
    expect(problems['documents.0.file']).toEqual([{ code: 'fileType' }]);
  });
});

describe('toApplication', () => {
  it('sends tidy values, numbers as numbers, and each file in the part its document names', () => {
    const draft = complete();
    const { application, files } = toApplication(draft);
    expect(application).toEqual({
      channel: 'C1',
      fullName: 'فاطمة عبدالله الحربي',
      nationalId,
      birthDate: '1990-05-14',
      mobile: '055 123 4567',
      city: 'الرياض',
      address: 'حي الملز، شارع الستين',
      householdMembers: [{ fullName: 'سارة الحربي', relation: 'daughter' }],
      monthlyIncome: 3500,
      supportType: 'training',
      documents: [
        { type: 'national-id', number: nationalId, expiryDate: '2030-01-01', file: 'document-0' },
        { type: 'qualification', number: 'Q-2020-11' },
      ],
    });
    expect(files.map((f) => [f.part, f.file.name])).toEqual([['document-0', 'id.pdf']]);
  });

  it('names parts after the document’s row, also when an earlier row has no file', () => {
    const draft = complete();
    draft.documents = [draft.documents[1]!, draft.documents[0]!];
    const { application, files } = toApplication(draft);
    expect((application.documents as Array<{ file?: string }>).map((d) => d.file)).toEqual([undefined, 'document-1']);
    expect(files.map((f) => f.part)).toEqual(['document-1']);
  });

  it('adds e-mail and notes only when given', () => {
    const { application } = toApplication({ ...complete(), email: ' a@b.sa ', notes: ' asked about training ' });
    expect(application.email).toBe('a@b.sa');
    expect(application.notes).toBe('asked about training');
  });
});

describe('helpers', () => {
  it('reads Arabic-Indic and Persian digits', () => {
    expect(toLatinDigits('٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹ ٣٥٠٠٫٥٠')).toBe('0123456789 0123456789 3500.50');
  });

  it("keeps the server's words for the fields it names", () => {
    expect(serverProblems({ 'documents.0.expiryDate': ['expired'] })).toEqual({ 'documents.0.expiryDate': [{ server: 'expired' }] });
  });

  it('orders fields as the form shows them', () => {
    const order = fieldOrder(complete());
    expect(order.indexOf('nationalId')).toBeLessThan(order.indexOf('householdMembers.0.fullName'));
    expect(order.indexOf('householdMembers.0.fullName')).toBeLessThan(order.indexOf('documents.1.number'));
  });
});
