import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckDigit } from '@mustafid/intake';
import { DataSource } from 'typeorm';
import { startTestServer, type TestServer } from '../support/app';
import { IntakeDriver, PDF, applicationFor, dayInYears } from '../support/intake';

/** Every field's worst value: a 4xx naming the field, no case started, nothing stored. */
describe('POST /api/applications refuses bad input and stores nothing', () => {
  let server: TestServer;
  let d: IntakeDriver;

  beforeAll(async () => {
    server = await startTestServer({ env: { DOCUMENT_MAX_BYTES: '64kb' } });
    d = new IntakeDriver(server);
    await d.signIn('reception', 'admin', 'researcher', 'applicant');
  });
  afterAll(() => server?.close());

  const stored = async () => {
    const db = server.app.get(DataSource);
    const [{ cases }] = await db.query('SELECT count(*)::int AS cases FROM intake_application');
    const [{ instances }] = await db.query(`SELECT count(*)::int AS instances FROM wf_process_instance WHERE bpmn_process_id = 'beneficiary-intake'`);
    const dir = server.config.intake.documentsDir;
    const files = existsSync(dir) ? readdirSync(dir).length : 0;
    return { cases, instances, files };
  };

  const good = applicationFor();
  const wrongDigit = good.nationalId.slice(0, 9) + String((Number(good.nationalId[9]) + 1) % 10);
  const cases: Array<[string, string, Record<string, unknown>, RegExp]> = [
    ['a wrong check digit', 'nationalId', { nationalId: wrongDigit }, /wrong check digit/],
    ['an ID that starts with 3', 'nationalId', { nationalId: withCheckDigit('312345678') }, /start with 1 .* or 2/],
    ['an ID of letters', 'nationalId', { nationalId: 'ABCDEFGHIJ' }, /exactly 10 digits/],
    ['a birth date in the future', 'birthDate', { birthDate: '2099-01-01' }, /in the past/],
    ['a child applicant', 'birthDate', { birthDate: dayInYears(-10) }, /18 or older/],
    ['a date that does not exist', 'birthDate', { birthDate: '1990-02-30' }, /YYYY-MM-DD/],
    ['an unknown channel', 'channel', { channel: 'C9' }, /C1, C2, .* C8/],
    ['no channel', 'channel', { channel: undefined }, /channel must be one of/],
    ['script tags in the name', 'fullName', { fullName: '<script>alert(1)</script>' }, /only letters/],
    ['script tags in the address', 'address', { address: 'Riyadh <img src=x onerror=alert(1)>' }, /plain text/],
    ['a name of 200 characters', 'fullName', { fullName: 'أ'.repeat(200) }, /3 to 150/],
    ['a landline number', 'mobile', { mobile: '0114567890' }, /Saudi mobile number/],
    ['a bad email', 'email', { email: 'not-an-email' }, /email address/],
    ['a negative income', 'monthlyIncome', { monthlyIncome: -1 }, /negative/],
    // Digits typed as text ("3500", "٣٥٠٠") are read as the amount (portal.e2e); words are not an amount.
    ['income in words', 'monthlyIncome', { monthlyIncome: 'ثلاثة آلاف' }, /amount in riyals/],
    ['an unknown kind of support', 'supportType', { supportType: 'everything' }, /supportType must be one of/],
    ['an unknown document type', 'documents.0.type', { documents: [{ type: 'passport', number: 'X1' }] }, /type must be one of/],
    ['a document expiry that is not a date', 'documents.0.expiryDate', { documents: [{ type: 'national-id', number: '1', expiryDate: 'soon' }] }, /YYYY-MM-DD/],
    ['a household member without a relation', 'householdMembers.0.relation', { householdMembers: [{ fullName: 'سارة' }] }, /relation must be one of/],
    ['an unknown field', 'favouriteColour', { favouriteColour: 'blue' }, /should not exist/],
  ];

  it.each(cases)('%s → 400 naming %s', async (_what, field, change, message) => {
    const before = await stored();
    const res = await d.as('reception').post('/api/applications').send({ ...applicationFor(), ...change });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields[field], JSON.stringify(res.body.details.fields)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    expect(await stored()).toEqual(before);
  });

  it('reports every bad field at once, each with its own message', async () => {
    const res = await d.as('reception').post('/api/applications').send({ ...applicationFor(), channel: 'X', nationalId: wrongDigit, mobile: '1', birthDate: 'yesterday' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details.fields).sort()).toEqual(['birthDate', 'channel', 'mobile', 'nationalId']);
  });

  it('a 10 MB name is refused before it is read (413 naming the limit), as JSON or as a multipart part', async () => {
    const before = await stored();
    const huge = 'ا'.repeat(10 * 1024 * 1024);
    const json = await d.as('reception').post('/api/applications').send({ ...applicationFor(), fullName: huge });
    expect(json.status).toBe(413);
    expect(json.body.message).toMatch(/larger than the \d+ bytes this server accepts/);
    const multipart = await d.as('reception').post('/api/applications').field('application', JSON.stringify({ ...applicationFor(), fullName: huge }));
    expect(multipart.status).toBe(413);
    expect(multipart.body.message).toBe('The part "application" is longer than the 1mb this server accepts (BODY_LIMIT)');
    expect(await stored()).toEqual(before);
  });

  it('files: a wrong type (by content, whatever its name) is 400, an oversized one 413, an unnamed part 400; nothing is kept', async () => {
    const before = await stored();
    const withFile = (file: Buffer, name: string, part = 'document-0') => {
      const app = applicationFor();
      (app.documents as Array<Record<string, unknown>>)[1].file = 'document-0';
      return d.as('reception').post('/api/applications').field('application', JSON.stringify(app)).attach(part, file, name);
    };
    const exe = await withFile(Buffer.from('MZ\x90\x00 pretend executable'), 'diploma.pdf');
    expect(exe.status).toBe(400);
    expect(exe.body.details.fields['document-0'][0]).toMatch(/is not a PDF, JPEG or PNG file/);
    const html = await withFile(Buffer.from('<html><script>alert(1)</script></html>'), 'x.png');
    expect(html.status).toBe(400);
    const big = await withFile(Buffer.concat([PDF, Buffer.alloc(70 * 1024)]), 'big.pdf');
    expect(big.status).toBe(413);
    expect(big.body.message).toBe('A document file is larger than the 65536 bytes allowed (DOCUMENT_MAX_BYTES)');
    const stray = await withFile(PDF, 'x.pdf', 'document-7');
    expect(stray.status).toBe(400);
    expect(stray.body.details.fields).toMatchObject({ 'documents.1.file': [expect.stringContaining('no such file was uploaded')], 'document-7': [expect.stringContaining('not named by any document')] });
    const badJson = await d.as('reception').post('/api/applications').field('application', '{"channel":').attach('document-0', PDF, 'x.pdf');
    expect(badJson.status).toBe(400);
    expect(badJson.body.message).toBe('The "application" part must be JSON');
    expect(await stored()).toEqual(before);
  });

  it('only reception and administrators may record a request', async () => {
    for (const user of ['researcher', 'applicant']) {
      const res = await d.as(user).post('/api/applications').send(applicationFor());
      expect(res.status).toBe(403);
    }
    await server.http().post('/api/applications').send(applicationFor()).expect(401);
  });

  it('a good request with its scans is stored whole, its files served back as they were', async () => {
    const before = await stored();
    const app = applicationFor();
    (app.documents as Array<Record<string, unknown>>)[0].file = 'document-0';
    const res = await d.as('reception').post('/api/applications').field('application', JSON.stringify(app)).attach('document-0', PDF, '../../etc/passwd.pdf');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await stored()).toEqual({ cases: before.cases + 1, instances: before.instances + 1, files: before.files + 1 });
    const view = await d.view(res.body.id);
    const doc = (view.documents as Array<{ id: string; type: string; fileName: string; sizeBytes: number }>)[0];
    expect(doc).toMatchObject({ type: 'national-id', sizeBytes: PDF.length });
    expect(doc.fileName).toMatch(/^[\p{L}\p{N} _-]+\.pdf$/u);
    const file = await d.as('admin').get(`/api/cases/${res.body.id}/documents/${doc.id}/file`).expect(200);
    expect(Buffer.compare(Buffer.from(file.body), PDF)).toBe(0);
    await d.as('admin').get(`/api/cases/${res.body.id}/documents/not-a-uuid/file`).expect(404);
  });

  it('attestation: the typed name must be the applicant\'s, a paper signature needs its scan, and only an awaiting case takes one [S4]', async () => {
    const c = await d.submit();
    const early = await d.as('reception').post(`/api/cases/${c.id}/attestation`).field('attestation', JSON.stringify({ typedName: 'فاطمة عبدالله الحربي', consent: true, method: 'paper' })).attach('scan', PDF, 's.pdf');
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('NOT_AWAITING_SIGNATURE');
    const wrongName = await d.as('reception').post(`/api/cases/${c.id}/attestation`).field('attestation', JSON.stringify({ typedName: 'Someone Else', consent: true, method: 'paper' })).attach('scan', PDF, 's.pdf');
    expect(wrongName.status).toBe(400);
    expect(wrongName.body.details.fields.typedName[0]).toContain('full name as recorded');
    const noScan = await d.as('reception').post(`/api/cases/${c.id}/attestation`).send({ typedName: 'فاطمة عبدالله الحربي', consent: true, method: 'paper' });
    expect(noScan.status).toBe(400);
    expect(noScan.body.details.fields.scan[0]).toContain('scanned signed form');
    const noConsent = await d.as('reception').post(`/api/cases/${c.id}/attestation`).send({ typedName: 'فاطمة عبدالله الحربي', consent: false, method: 'paper' });
    expect(noConsent.body.details.fields.consent[0]).toContain('consent must be true');
  });
});
