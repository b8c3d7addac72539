import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app';
import { IntakeDriver } from '../support/intake';

const PROCESS = 'beneficiary-intake';
const RECEPTION_NAME = 'استقبال المستفيد ومطابقة بياناته';

interface Version {
  key: string;
  version: number;
  comment: string | null;
  deployedBy: string | null;
  instances: { active: number; completed: number; canceled: number } | null;
}

describe('process owners: drafts, project lint, deploy with forms and a comment, version history (issue 6)', () => {
  let server: TestServer;
  let d: IntakeDriver;
  let owner: string;
  let intakeXml: string;
  let v1: Version;

  beforeAll(async () => {
    server = await startTestServer({ env: { ENABLE_TEST_CLOCK: 'true', DEPLOYMENT_MAX_BYTES: '2mb' } });
    d = new IntakeDriver(server);
    await d.signIn('process-owner', 'auditor');
    owner = d.tokens['process-owner'];
    [v1] = (await get('/api/modeling/processes/beneficiary-intake/versions').expect(200)).body;
    intakeXml = (await get(`/api/process-definitions/${v1.key}/xml`).expect(200)).text;
  });
  afterAll(() => server?.close());

  const get = (path: string, token = owner) => server.http().get(path).auth(token, { type: 'bearer' });
  const post = (path: string, token = owner) => server.http().post(path).auth(token, { type: 'bearer' });
  const put = (path: string, token = owner) => server.http().put(path).auth(token, { type: 'bearer' });
  const versions = async (): Promise<Version[]> => (await get(`/api/modeling/processes/${PROCESS}/versions`).expect(200)).body;
  const drafts = async () => (await get(`/api/modeling/processes/${PROCESS}/drafts`).expect(200)).body as Array<{ id: string; name: string }>;
  const renamed = (xml: string, name: string) => xml.replace(`name="${RECEPTION_NAME}"`, `name="${name}"`);

  it('gives the browser the lint configuration the server deploys with, and lints as a deployment would', async () => {
    const context = (await get('/api/modeling/lint-context').expect(200)).body;
    expect(context.config.rules['mustafid/known-job-types'][1].jobTypes).toEqual(expect.arrayContaining(['verify-data', 'send-survey']));
    expect(context.config.rules['mustafid/minimum-response-timer']).toEqual(['error', { processIds: [PROCESS] }]);
    expect(context.maxXmlBytes).toBe(2 * 1024 * 1024);
    expect((await post('/api/modeling/lint').send({ xml: intakeXml }).expect(200)).body.errors).toEqual([]);
    const broken = intakeXml.replace('type="verify-data"', 'type="verify-everything"');
    const lint = (await post('/api/modeling/lint').send({ xml: broken }).expect(200)).body;
    expect(lint.errors).toEqual([expect.objectContaining({ elementId: 'Task_VerifyData', rule: 'mustafid/known-job-types' })]);
  });

  it('keeps named drafts with their author; a taken name is 409; bad drafts are refused and nothing is saved', async () => {
    const created = await post(`/api/modeling/processes/${PROCESS}/drafts`).send({ name: 'إحالة أقصر', xml: renamed(intakeXml, 'استقبال'), baseVersion: 1 }).expect(201);
    expect(created.body).toMatchObject({ name: 'إحالة أقصر', author: 'process-owner', baseVersion: 1, bpmnProcessId: PROCESS });
    const second = await post(`/api/modeling/processes/${PROCESS}/drafts`).send({ name: 'Second idea', xml: intakeXml }).expect(201);
    expect((await drafts()).map((x) => x.name).sort()).toEqual(['Second idea', 'إحالة أقصر']);

    const taken = await post(`/api/modeling/processes/${PROCESS}/drafts`).send({ name: 'Second idea', xml: intakeXml }).expect(409);
    expect(taken.body.message).toContain('already named "Second idea"');
    await put(`/api/modeling/drafts/${second.body.id}`).send({ name: 'إحالة أقصر', xml: intakeXml }).expect(409);

    const refused: Array<[string, Record<string, unknown>, number, RegExp]> = [
      ['a 10,000-character name', { name: 'x'.repeat(10_000), xml: intakeXml }, 400, /at most 120 characters/],
      ['broken XML', { name: 'broken', xml: '<bpmn:definitions><unclosed>' }, 400, /not valid BPMN XML/],
      ['XML that is not BPMN', { name: 'not bpmn', xml: '<?xml version="1.0"?><invoice><total>5</total></invoice>' }, 400, /not valid BPMN XML|not a BPMN diagram/],
      ['an XXE payload', { name: 'xxe', xml: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' }, 400, /DOCTYPE or entities/],
      ['billion laughs', { name: 'lol', xml: '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>' }, 400, /DOCTYPE or entities/],
      ['a diagram of another process', { name: 'other', xml: intakeXml.replaceAll(`"${PROCESS}"`, '"another"') }, 400, /draft of process "beneficiary-intake"/],
      ['a form under the wrong id', { name: 'forms', xml: intakeXml, forms: { 'committee-vote': { id: 'chair-decision', components: [] } } }, 400, /form's id must be "committee-vote"/],
    ];
    for (const [what, body, status, message] of refused) {
      const res = await post(`/api/modeling/processes/${PROCESS}/drafts`).send(body);
      expect(res.status, what).toBe(status);
      expect(res.body.message, what).toMatch(message);
    }
    const huge = await post(`/api/modeling/processes/${PROCESS}/drafts`).send({ name: 'huge', xml: 'x'.repeat(3 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.message).toMatch(/larger than the 2/);

    for (const role of ['reception', 'committee', 'auditor']) {
      await post(`/api/modeling/processes/${PROCESS}/drafts`, d.tokens[role]).send({ name: `by ${role}`, xml: intakeXml }).expect(403);
    }
    expect((await drafts()).map((x) => x.name).sort()).toEqual(['Second idea', 'إحالة أقصر']);

    const opened = (await get(`/api/modeling/drafts/${created.body.id}`).expect(200)).body;
    expect(opened.xml).toContain('name="استقبال"');
    await server.http().delete(`/api/modeling/drafts/${second.body.id}`).auth(owner, { type: 'bearer' }).expect(204);
    await get(`/api/modeling/drafts/${second.body.id}`).expect(404);
    await get('/api/modeling/drafts/not-a-draft').expect(404);
    const audit = (await d.as('admin').get('/api/audit/events?action=process.draft-saved').expect(200)).body;
    expect(audit.items).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'process-owner', action: 'process.draft-saved' })]));
  });

  it('deploys a renamed task with a changed form as the next version while a running case stays on its own version and form', async () => {
    const running = await d.submit();
    await d.at(running.id, 'Task_ReceptionCheck');

    const forms = (await get(`/api/modeling/versions/${v1.key}/forms`).expect(200)).body.forms;
    expect(Object.keys(forms).sort()).toHaveLength(7);
    const check = structuredClone(forms['reception-intake-check']);
    check.components[0].text = '### استقبال المستفيد (نسخة ٢)';
    const xml = renamed(intakeXml, 'استقبال المستفيد والتحقق');

    const deployed = await post('/api/modeling/deployments').send({ xml, comment: 'اسم أوضح لخطوة الاستقبال', forms: { 'reception-intake-check': check } }).expect(201);
    expect(deployed.body.processes).toEqual([expect.objectContaining({ bpmnProcessId: PROCESS, version: 2, isNewVersion: true, deployedBy: 'process-owner' })]);
    expect(deployed.body.forms).toEqual([{ id: 'reception-intake-check', version: 2, isNewVersion: true }]);

    const history = await versions();
    expect(history.map((v) => [v.version, v.comment, v.deployedBy])).toEqual([
      [2, 'اسم أوضح لخطوة الاستقبال', 'process-owner'],
      [1, null, null],
    ]);
    expect(history[1].instances).toEqual({ active: 1, completed: 0, canceled: 0 });
    expect(history[0].instances).toEqual({ active: 0, completed: 0, canceled: 0 });

    // The running case keeps version 1: its task, its name and its form.
    const oldTask = (await d.view(running.id)).openTasks.find((t) => t.elementId === 'Task_ReceptionCheck')!;
    const oldDetail = (await get(`/api/tasks/${oldTask.key}`, d.tokens.reception).expect(200)).body;
    expect(oldDetail.task).toMatchObject({ processVersion: 1 });
    expect(oldDetail.form.components[0].text).toContain('(S1–S2)');

    const fresh = await d.submit();
    const newTask = (await d.at(fresh.id, 'Task_ReceptionCheck')).openTasks.find((t) => t.elementId === 'Task_ReceptionCheck')!;
    const newDetail = (await get(`/api/tasks/${newTask.key}`, d.tokens.reception).expect(200)).body;
    expect(newDetail.task).toMatchObject({ processVersion: 2 });
    expect(newDetail.form.components[0].text).toBe('### استقبال المستفيد (نسخة ٢)');
    expect((await get(`/api/process-definitions/${history[0].key}/elements`).expect(200)).body.Task_ReceptionCheck.ar).toBe('استقبال المستفيد والتحقق');

    const events = (await d.as('admin').get('/api/audit/events?action=process.deployed').expect(200)).body;
    expect(events.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ actor: 'process-owner', details: expect.objectContaining({ version: 2, comment: 'اسم أوضح لخطوة الاستقبال' }) })]),
    );
  });

  it('refuses a deployment that lint blocks, lists the problems and deploys nothing', async () => {
    const before = await versions();
    const noType = intakeXml.replace('<zeebe:taskDefinition type="complete-registration" retries="3" />', '');
    const res = await post('/api/modeling/deployments').send({ xml: noType, comment: 'drop the registration worker' }).expect(400);
    expect(res.body.code).toBe('INVALID_BPMN');
    expect(res.body.details.problems).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'mustafid/known-job-types', message: expect.stringContaining('has no job type') })]));

    const cases: Array<[string, Record<string, unknown>, number, RegExp]> = [
      ['no comment', { xml: intakeXml }, 400, /comment is required/],
      ['a comment of spaces', { xml: intakeXml, comment: '   ' }, 400, /comment is required/],
      ['a form the diagram does not link', { xml: intakeXml, comment: 'x', forms: { extra: { id: 'extra', components: [] } } }, 400, /no user task of the diagram links it/],
      ['an unknown field', { xml: intakeXml, comment: 'x', version: 7 }, 400, /version/],
    ];
    for (const [what, body, status, message] of cases) {
      const r = await post('/api/modeling/deployments').send(body);
      expect(r.status, what).toBe(status);
      expect(r.body.message, what).toMatch(message);
    }
    await post('/api/modeling/deployments', d.tokens.reception).send({ xml: intakeXml, comment: 'by staff' }).expect(403);
    const big = await post('/api/modeling/deployments').send({ xml: 'x'.repeat(3 * 1024 * 1024), comment: 'big' });
    expect(big.status).toBe(413);
    expect(await versions()).toEqual(before);
    expect((await get('/api/health').expect(200)).body.status).toBe('ok');
  });

  it('deploys an old version again as the newest, with the forms it used; the history stays readable for auditors', async () => {
    // A newer version with another name and form to go back from (whatever ran before).
    const forms1 = (await get(`/api/modeling/versions/${v1.key}/forms`).expect(200)).body.forms;
    const changed = structuredClone(forms1['reception-intake-check']);
    changed.components[0].text = '### استقبال المستفيد (قبل الرجوع)';
    const newer = await post('/api/modeling/deployments')
      .send({ xml: renamed(intakeXml, 'استقبال (قبل الرجوع)'), comment: 'a version to go back from', forms: { 'reception-intake-check': changed } })
      .expect(201);
    const latest = newer.body.processes[0].version as number;
    const formVersion = (newer.body.forms as Array<{ id: string; version: number }>).find((f) => f.id === 'reception-intake-check')!.version;

    const res = await post(`/api/modeling/processes/${PROCESS}/versions/1/redeploy`).send({ comment: 'back to the first naming' }).expect(201);
    expect(res.body.processes[0]).toMatchObject({ version: latest + 1, isNewVersion: true });
    expect(res.body.forms).toEqual(expect.arrayContaining([{ id: 'reception-intake-check', version: formVersion + 1, isNewVersion: true }]));
    const history = await versions();
    expect(history.map((v) => v.version)).toEqual(Array.from({ length: latest + 1 }, (_, i) => latest + 1 - i));
    expect((await get(`/api/process-definitions/${history[0].key}/xml`).expect(200)).text).toBe(intakeXml);
    const forms = (await get(`/api/modeling/versions/${history[0].key}/forms`).expect(200)).body.forms;
    expect(forms['reception-intake-check'].components[0].text).toContain('(S1–S2)');
    await post(`/api/modeling/processes/${PROCESS}/versions/99/redeploy`).send({ comment: 'x' }).expect(404);
    await get(`/api/modeling/processes/${PROCESS}/versions`, d.tokens.auditor).expect(200);
    await post(`/api/modeling/processes/${PROCESS}/versions/1/redeploy`, d.tokens.auditor).send({ comment: 'x' }).expect(403);
  });

  it('a restart does not deploy the shipped file over the versions process owners deployed', async () => {
    const before = await versions();
    await server.restart();
    owner = await server.login('process-owner');
    expect((await versions()).map((v) => v.version)).toEqual(before.map((v) => v.version));
  });
});
