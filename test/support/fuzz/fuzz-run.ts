import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { SESSION_COOKIE } from '@mustafid/auth';
import type { TestServer } from '../app';
import { createTestDatabase } from '../database';
import { IntakeDriver, applicationFor } from '../intake';
import { PortalApplicant } from '../portal';
import { SERVER_MAIN, runBuilt } from '../processes';
import { type FuzzFixtures, type FuzzRequest, requestArb } from './arbitraries';
import { type FuzzOperation, type OpenApiDocument, operationsOf } from './openapi';

/**
 * The fuzz against a running server: every operation of its OpenAPI document, round after
 * round, as each demo account, a portal applicant and nobody. After every request it checks:
 * no 5xx; a 4xx carries the API's error body (statusCode, code, a message in words); a
 * refusal wrote nothing (row counts of the main tables, by SQL, unchanged); and after every
 * round that the server still answers GET /api/health with 200.
 */

/** The demo accounts (SEED_DEMO=true, password DEMO_PASSWORD). */
export const DEMO_ACCOUNTS = [
  'admin',
  'reception',
  'researcher',
  'committee',
  'committee-chair',
  'registrar',
  'service',
  'process-owner',
  'auditor',
  'manager',
  'applicant',
] as const;

/** The portal applicant's number: kept out of the values the fuzz sends, so its code limits stay its own. */
const PORTAL_MOBILE = '+966500000017';

/**
 * Tables a request writes in its own transaction (nothing in the background inserts into
 * them), counted before and after each request: a refusal must leave every count as it was.
 * Audit rows that record the refusal itself (a failed sign-in) are the refusal, not a write.
 */
const WRITE_COUNTS = `SELECT
  (SELECT count(*) FROM app_user)::int AS app_user,
  (SELECT count(*) FROM app_session)::int AS app_session,
  (SELECT count(*) FROM app_machine_client)::int AS app_machine_client,
  (SELECT count(*) FROM portal_account)::int AS portal_account,
  (SELECT count(*) FROM portal_sign_in_code)::int AS portal_sign_in_code,
  (SELECT count(*) FROM intake_application)::int AS intake_application,
  (SELECT count(*) FROM intake_document)::int AS intake_document,
  (SELECT count(*) FROM intake_attestation)::int AS intake_attestation,
  (SELECT count(*) FROM intake_survey_answer)::int AS intake_survey_answer,
  (SELECT count(*) FROM inquiry)::int AS inquiry,
  (SELECT count(*) FROM inquiry_rating)::int AS inquiry_rating,
  (SELECT count(*) FROM library_article_version)::int AS library_article_version,
  (SELECT count(*) FROM process_draft)::int AS process_draft,
  (SELECT count(*) FROM wf_process_definition)::int AS wf_process_definition,
  (SELECT count(*) FROM wf_deployment_note)::int AS wf_deployment_note,
  (SELECT count(*) FROM wf_form)::int AS wf_form,
  (SELECT count(*) FROM wf_definition_form)::int AS wf_definition_form,
  (SELECT count(*) FROM wf_process_instance)::int AS wf_process_instance,
  (SELECT count(*) FROM wf_message)::int AS wf_message,
  (SELECT count(*) FROM audit_event WHERE engine_position IS NULL
      AND action NOT IN ('auth.login-failed', 'auth.client-token-refused', 'portal.sign-in-failed'))::int AS audit_event`;

type Counts = Record<string, number>;

export interface Violation {
  kind: '5xx' | 'no answer' | 'error body' | 'partial write' | 'health';
  op: string;
  as: string;
  shape: string;
  status?: number;
  request: string;
  response: string;
}

export interface FuzzReport {
  seed: number;
  rounds: number;
  requests: number;
  durationMs: number;
  byStatus: Record<number, number>;
  /** Per operation: how many requests got past sign-in and roles (not 401/403), i.e. reached validation or the handler. */
  reached: Record<string, number>;
  violations: Violation[];
}

interface Session {
  token?: string;
  /** A second session, spent by the logout operation (so the first stays valid). */
  spare?: string;
  roles: string[];
}

const preview = (s: string | Uint8Array | undefined, n = 160) => {
  if (s === undefined) return '';
  const text = typeof s === 'string' ? s : Buffer.from(s).toString('latin1');
  return text.length > n ? `${JSON.stringify(text.slice(0, n))}… (${text.length} chars)` : JSON.stringify(text);
};

/** A message a person can read: words, not a stack trace, a class name or "[object Object]". */
export function isMessageInWords(message: unknown): boolean {
  return (
    typeof message === 'string' &&
    message.length >= 8 &&
    /\p{L}{2,}.*\s.*\p{L}{2,}/su.test(message) &&
    !/\[object Object\]|\bat \S+ \(|\b(QueryFailedError|TypeError|RangeError|SyntaxError|ReferenceError|EntityNotFound)\b|Cannot read propert|is not a function|Internal server error/i.test(message)
  );
}

/** The token endpoint's error codes (RFC 6749 §5.2, and temporarily_unavailable for a paused client). */
const OAUTH_ERRORS = ['invalid_request', 'invalid_client', 'unsupported_grant_type', 'temporarily_unavailable'];

/**
 * What is wrong with a 4xx answer's body, or undefined when it is the API's error body: under
 * /v2 (Camunda's API) a problem detail (type, title, status, detail in words, instance: the path);
 * at /oauth/token RFC 6749 §5.2's { error, error_description }.
 */
export function errorBodyProblem(status: number, text: string, path = '/api'): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (!body || typeof body !== 'object') return 'not an object';
  const b = body as Record<string, unknown>;
  if (new URL(path, 'http://server').pathname === '/oauth/token') {
    if (typeof b.error !== 'string' || !OAUTH_ERRORS.includes(b.error)) return `error ${JSON.stringify(b.error)} is not one of RFC 6749's`;
    if (!isMessageInWords(b.error_description)) return `error_description ${JSON.stringify(b.error_description)} is not in words`;
    return undefined;
  }
  if (path.startsWith('/v2/')) {
    if (b.type !== 'about:blank') return `type ${JSON.stringify(b.type)} is not about:blank`;
    if (b.status !== status) return `status ${String(b.status)} ≠ ${status}`;
    if (typeof b.title !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(b.title)) return `title ${JSON.stringify(b.title)} is not a rejection type`;
    if (!isMessageInWords(b.detail)) return `detail ${JSON.stringify(b.detail)} is not in words`;
    // The path as sent, after the client's own normalisation (fetch resolves `..`).
    if (b.instance !== new URL(path, 'http://server').pathname) return `instance ${JSON.stringify(b.instance)} is not the path`;
    return undefined;
  }
  if (b.statusCode !== status) return `statusCode ${String(b.statusCode)} ≠ ${status}`;
  if (typeof b.code !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(b.code)) return `code ${JSON.stringify(b.code)} is not a code`;
  if (!isMessageInWords(b.message)) return `message ${JSON.stringify(b.message)} is not in words`;
  return undefined;
}

export class ApiFuzz {
  readonly ops: FuzzOperation[];
  private readonly sessions: Record<string, Session> = {};
  private baseline: Counts = {};
  private readonly db: DataSource;
  private report!: FuzzReport;

  private constructor(
    readonly server: TestServer,
    readonly doc: OpenApiDocument,
    private readonly fixtures: FuzzFixtures,
    sessions: Record<string, Session>,
  ) {
    this.ops = operationsOf(doc);
    this.sessions = sessions;
    this.db = server.app.get(DataSource);
  }

  /**
   * Reads the server's OpenAPI document, signs in every identity (twice), and makes the
   * things path ids can name: cases at two steps with their tasks and documents, a portal
   * request, a user the fuzz may change, a draft.
   */
  static async prepare(server: TestServer): Promise<ApiFuzz> {
    const doc = await builtApiDocument();

    const sessions: Record<string, Session> = {};
    for (const name of DEMO_ACCOUNTS) {
      const token = await server.login(name);
      const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      sessions[name] = { token, spare: await server.login(name), roles: ((await me.json()) as { roles: string[] }).roles };
    }
    const portal = await new PortalApplicant(server, PORTAL_MOBILE).signIn();
    // One code a minute per number (CODE_COOLDOWN): the first code is made a minute older for the spare session's.
    await server.app.get(DataSource).query(`UPDATE portal_sign_in_code SET created_at = created_at - interval '61 seconds'`);
    const portalSpare = await new PortalApplicant(server, PORTAL_MOBILE).signIn();
    sessions.portal = { token: portal.token, spare: portalSpare.token, roles: ['applicant'] };

    const driver = new IntakeDriver(server);
    await driver.signIn();
    const atCheck = await driver.submit();
    const checkView = await driver.at(atCheck.id, 'Task_ReceptionCheck');
    const atVote = await driver.toCommittee();
    const voteView = await driver.at(atVote.id, 'Task_CommitteeVote');
    const portalRequest = await portal.post('/api/portal/requests').send(applicationFor({ channel: 'C7', mobile: PORTAL_MOBILE }));
    if (portalRequest.status !== 201) throw new Error(`portal request: ${portalRequest.status} ${JSON.stringify(portalRequest.body)}`);
    const admin = driver.as('admin');
    const victim = await admin.post('/api/users').send({ username: 'fuzz-victim', displayName: 'Fuzz victim', password: 'victim-password-1', roles: ['reception'] });
    if (victim.status !== 201) throw new Error(`victim user: ${victim.status} ${JSON.stringify(victim.body)}`);
    const owner = await server.login('process-owner');
    const definitions = (await admin.get('/api/process-definitions')).body as Array<{ bpmnProcessId: string; versions: Array<{ key: string }> }>;
    const definitionKey = definitions.find((d) => d.bpmnProcessId === 'beneficiary-intake')!.versions[0].key;
    const xml = (await server.http().get(`/api/process-definitions/${definitionKey}/xml`).auth(owner, { type: 'bearer' }).buffer(true)).text;
    const draft = await server.http().post('/api/modeling/processes/beneficiary-intake/drafts').auth(owner, { type: 'bearer' }).send({ name: 'Fuzz draft', xml });
    if (draft.status !== 201) throw new Error(`draft: ${draft.status} ${JSON.stringify(draft.body)}`);
    const instanceOf = async (id: string) => String(((await driver.view(id)) as { processInstanceKey?: string }).processInstanceKey ?? '1');
    const documents = (checkView.documents as Array<{ id: string }> | undefined)?.map((d) => d.id) ?? [];

    const keys = {
      cases: [atCheck.id, atCheck.applicationNumber, atVote.id],
      documents: documents.length ? documents : ['1'],
      tasks: [...checkView.openTasks.map((t) => t.key), ...voteView.openTasks.map((t) => t.key)],
      instances: [await instanceOf(atVote.id), await instanceOf(atCheck.id)],
      definition: definitionKey,
      draft: String(draft.body.id),
      victim: String(victim.body.id),
      portalRequest: String(portalRequest.body.id),
    };
    const fixtures: FuzzFixtures = {
      // A job activation that found nothing would wait (long polling) up to its requestTimeout,
      // 10 s when it gives none: valid activations ask to answer at once.
      validBody: (op, body) => (op.id === 'POST /v2/jobs/activation' && body && typeof body === 'object' ? { ...body, requestTimeout: -1 } : body),
      identities: Object.fromEntries(Object.entries(sessions).map(([name, s]) => [name, s.roles])),
      pathValues(op, param) {
        const p = op.path;
        if (param === 'bpmnProcessId') return ['beneficiary-intake', 'fuzz-minimal'];
        if (param === 'version') return ['1', '2'];
        if (param === 'documentId') return keys.documents;
        if (param === 'token') return ['A'.repeat(43)];
        if (p.startsWith('/api/users/')) return [keys.victim];
        if (p.startsWith('/api/process-definitions/') || p.startsWith('/api/modeling/versions/')) return [keys.definition];
        if (p.startsWith('/api/process-instances/') || p.startsWith('/v2/process-instances/')) return keys.instances;
        if (p.startsWith('/api/tasks/') || p.startsWith('/api/user-tasks/') || p.startsWith('/v2/user-tasks/')) return keys.tasks.length ? keys.tasks : ['1'];
        if (p.startsWith('/api/modeling/drafts/')) return [keys.draft];
        if (p.startsWith('/api/cases/')) return keys.cases;
        if (p.startsWith('/api/portal/requests/')) return [keys.portalRequest];
        return [...keys.instances, '1'];
      },
    };
    return new ApiFuzz(server, doc, fixtures, sessions);
  }

  private async counts(): Promise<Counts> {
    const [row] = (await this.db.query(WRITE_COUNTS)) as Counts[];
    return row;
  }

  private authHeaders(r: FuzzRequest): Record<string, string> {
    const session = this.sessions[r.as];
    // Logging out spends the spare session (once); the identity's own session stays valid.
    const token = r.op === 'POST /api/auth/logout' ? session?.spare : session?.token;
    switch (r.credentials) {
      case 'own':
        return token ? { authorization: `Bearer ${token}` } : {};
      case 'garbage-bearer':
        return { authorization: 'Bearer garbage.garbage.garbage' };
      case 'tampered-bearer':
        return { authorization: `Bearer ${session?.token ? session.token.slice(0, -3) + (session.token.endsWith('AAA') ? 'BBB' : 'AAA') : 'x'}` };
      case 'basic':
        return { authorization: `Basic ${Buffer.from('admin:mustafid-demo').toString('base64')}` };
      case 'empty-bearer':
        return { authorization: 'Bearer ' };
      case 'garbage-cookie':
        return { cookie: `${SESSION_COOKIE}=${encodeURIComponent('garbage\u0000')}` };
    }
  }

  private violation(v: Omit<Violation, 'request'>, r: FuzzRequest): void {
    this.report.violations.push({
      ...v,
      request: `${r.method} ${r.path.length > 160 ? `${r.path.slice(0, 160)}…` : r.path}${r.contentType ? ` [${r.contentType}]` : ''} ${preview(r.body)}`,
    });
  }

  /** Sends one request and checks what it did. */
  private async exchange(r: FuzzRequest, timeoutMs: number, trace?: string): Promise<void> {
    const headers: Record<string, string> = { ...this.authHeaders(r) };
    if (r.contentType) headers['content-type'] = r.contentType;
    let status: number;
    let text: string;
    const started = Date.now();
    try {
      const res = await fetch(`${this.server.url}${r.path}`, { method: r.method, headers, body: r.body as BodyInit | undefined, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      status = res.status;
      text = await res.text();
    } catch (e) {
      this.report.requests++;
      this.violation({ kind: 'no answer', op: r.op, as: r.as, shape: r.shape, response: String(e) }, r);
      this.baseline = await this.counts();
      return;
    }
    this.report.requests++;
    if (trace) appendFileSync(trace, `${JSON.stringify({ status, ms: Date.now() - started, op: r.op, as: r.as, path: r.path.slice(0, 200), shape: r.shape, response: text.slice(0, 200) })}\n`);
    this.report.byStatus[status] = (this.report.byStatus[status] ?? 0) + 1;
    if (status !== 401 && status !== 403) this.report.reached[r.op] = (this.report.reached[r.op] ?? 0) + 1;
    const after = await this.counts();
    if (status >= 500) {
      this.violation({ kind: '5xx', op: r.op, as: r.as, shape: r.shape, status, response: preview(text) }, r);
    } else if (status >= 400) {
      const problem = errorBodyProblem(status, text, r.path);
      if (problem) this.violation({ kind: 'error body', op: r.op, as: r.as, shape: r.shape, status, response: `${problem}: ${preview(text)}` }, r);
      const changed = Object.keys(after).filter((k) => after[k] !== this.baseline[k]);
      if (changed.length > 0) {
        const diff = changed.map((k) => `${k} ${this.baseline[k]} → ${after[k]}`).join(', ');
        this.violation({ kind: 'partial write', op: r.op, as: r.as, shape: r.shape, status, response: `${diff}; ${preview(text)}` }, r);
      }
    }
    this.baseline = after;
    if (r.op === 'POST /api/auth/logout' && r.credentials === 'own' && status < 300 && this.sessions[r.as]) this.sessions[r.as].spare = undefined;
  }

  private async health(round: number): Promise<void> {
    const started = Date.now();
    let status = 0;
    let text = '';
    try {
      const res = await fetch(`${this.server.url}/api/health`, { signal: AbortSignal.timeout(30_000) });
      status = res.status;
      text = await res.text();
    } catch (e) {
      text = String(e);
    }
    if (status !== 200) {
      this.report.violations.push({ kind: 'health', op: 'GET /api/health', as: 'anonymous', shape: `after round ${round}`, status, request: 'GET /api/health', response: `${preview(text)} after ${Date.now() - started} ms` });
    }
  }

  /**
   * Runs `requests` requests or more: rounds of one request per operation (in a shuffled
   * order), drawn by fast-check from `seed`, so the same seed sends the same requests.
   */
  async run(options: { seed: number; requests: number; timeoutMs?: number; onRound?: (report: FuzzReport) => void; trace?: string }): Promise<FuzzReport> {
    const rounds = Math.ceil(options.requests / this.ops.length);
    this.report = { seed: options.seed, rounds: 0, requests: 0, durationMs: 0, byStatus: {}, reached: {}, violations: [] };
    const started = Date.now();
    this.baseline = await this.counts();
    const indices = this.ops.map((_, i) => i);
    const round = fc.tuple(fc.tuple(...this.ops.map((op) => requestArb(this.doc, op, this.fixtures))), fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length }));
    await fc.assert(
      fc.asyncProperty(round, async ([requests, order]) => {
        for (const i of order) await this.exchange(requests[i], options.timeoutMs ?? 20_000, options.trace);
        this.report.rounds++;
        await this.health(this.report.rounds);
        this.baseline = await this.counts();
        options.onRound?.(this.report);
        // Violations are collected (all of them, grouped in the report), not thrown: one run shows every kind.
        return true;
      }),
      { seed: options.seed, numRuns: rounds, endOnFailure: true },
    );
    this.report.durationMs = Date.now() - started;
    return this.report;
  }
}

/**
 * The OpenAPI document as the built server serves it (GET /api/docs-json). The Swagger CLI
 * plugin derives the DTO schemas at build time, so the server started in-process from the
 * sources (which the fuzz needs, to count rows on its database) serves them empty; its routes
 * are the same. Needs `npm run build:server`.
 */
export async function builtApiDocument(): Promise<OpenApiDocument> {
  const db = await createTestDatabase();
  const built = runBuilt(SERVER_MAIN, [], { ...db.env, PORT: '0', SEED_DEMO: 'false' });
  try {
    await built.waitFor(/listening on (http:\/\/\S+)/, 120_000);
    const url = /listening on (http:\/\/\S+)/.exec(built.output())![1];
    const res = await fetch(`${url}/api/docs-json`);
    if (res.status !== 200) throw new Error(`GET /api/docs-json answered ${res.status}`);
    const doc = (await res.json()) as OpenApiDocument;
    if (!doc.components?.schemas?.SignInDto?.properties) throw new Error('The OpenAPI document has no DTO schemas: build the server with its Swagger plugin (npm run build:server)');
    return doc;
  } finally {
    await built.stop();
    await db.drop();
  }
}

/**
 * The violations grouped by kind, operation and what was sent (values in a shape kept apart
 * only by their label), each with its count and one example: what a failing run prints.
 */
export function groupViolations(violations: Violation[]): Array<{ kind: string; op: string; shape: string; status?: number; count: number; example: Violation }> {
  const groups = new Map<string, { kind: string; op: string; shape: string; status?: number; count: number; example: Violation }>();
  for (const v of violations) {
    const key = `${v.kind}|${v.op}|${v.status}|${v.shape}`;
    const g = groups.get(key) ?? { kind: v.kind, op: v.op, shape: v.shape, status: v.status, count: 0, example: v };
    g.count++;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
