import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { eventually } from '../support/budget.mjs';
import type { TestServer } from '../support/app';

/**
 * The conformance suite's driver: deploys a real diagram through the REST API and drives it as
 * an external worker would (jobs activated and completed over HTTP, user tasks, messages, the
 * test clock), then reads the path from the instance's events.
 */

type Vars = Record<string, unknown>;

/** One diagram's provenance, as test/conformance/sources.json records it. */
export interface Source {
  file: string;
  repository: string;
  path: string;
  commit: string;
  licence: string;
  sha256: string;
}

export const SOURCES: Source[] = JSON.parse(readFileSync(resolve(__dirname, 'sources.json'), 'utf8'));

/**
 * Where the diagram files are: test/conformance/diagrams, copied unchanged from their public
 * repositories under their licences (diagrams/LICENSES.md), or wherever CONFORMANCE_DIAGRAMS
 * points. Each file must match the sha256 recorded in sources.json.
 */
export const DIAGRAMS_DIR = process.env.CONFORMANCE_DIAGRAMS ?? resolve(__dirname, 'diagrams');

export function readDiagram(file: string): string {
  const source = SOURCES.find((s) => s.file === file);
  if (!source) throw new Error(`${file} is not listed in test/conformance/sources.json`);
  const path = resolve(DIAGRAMS_DIR, file);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: copy ${source.repository}@${source.commit}:${source.path} there (see test/conformance/SOURCES.md), or set CONFORMANCE_DIAGRAMS`);
  }
  const xml = readFileSync(path);
  const sha = createHash('sha256').update(xml).digest('hex');
  if (sha !== source.sha256) throw new Error(`${path} is not the recorded file (sha256 ${sha}, recorded ${source.sha256})`);
  return xml.toString('utf8');
}

/** Fails at once, naming the folder and what is missing, unless every recorded diagram is there as recorded. */
export function checkDiagrams(): void {
  const problems: string[] = [];
  for (const source of SOURCES) {
    try {
      readDiagram(source.file);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  if (problems.length) throw new Error(`${problems.length} of ${SOURCES.length} conformance diagrams are not usable in ${DIAGRAMS_DIR}:\n${problems.join('\n')}`);
}

export interface Job {
  key: string;
  type: string;
  elementId: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  retries: number;
  customHeaders: Record<string, string>;
  variables: Vars;
}

export interface EngineEvent {
  intent: string;
  elementId?: string;
  elementType?: string;
  payload?: Vars;
}

export interface InstanceView {
  state: 'ACTIVE' | 'COMPLETED' | 'CANCELED';
  variables: Vars;
  activeElements: Array<{ elementId: string }>;
  incidents: Array<{ key: string; elementId: string; errorType: string; state: string }>;
}

/** A signed-in REST client of one test server: an owner (deploys, starts) and an admin (works jobs). */
export class Api {
  constructor(
    private readonly server: TestServer,
    private readonly owner: string,
    private readonly admin: string,
  ) {}

  static async connect(server: TestServer): Promise<Api> {
    return new Api(server, await server.login('process-owner'), await server.login('admin'));
  }

  post(path: string, body: object = {}, as: 'owner' | 'admin' = 'owner') {
    return this.server
      .http()
      .post(`/api${path}`)
      .auth(as === 'owner' ? this.owner : this.admin, { type: 'bearer' })
      .send(body);
  }

  get(path: string, as: 'owner' | 'admin' = 'owner') {
    return this.server
      .http()
      .get(`/api${path}`)
      .auth(as === 'owner' ? this.owner : this.admin, { type: 'bearer' });
  }

  del(path: string) {
    return this.server.http().delete(`/api${path}`).auth(this.admin, { type: 'bearer' });
  }

  /** Deploys a file as a modeler would upload it; the answer as the API gives it. */
  deploy(file: string, xml: string) {
    return this.server.http().post('/api/deployments').auth(this.owner, { type: 'bearer' }).attach('file', Buffer.from(xml), file);
  }

  async ok<T>(res: Promise<{ status: number; body: unknown }> | { status: number; body: unknown }, what: string): Promise<T> {
    const r = await res;
    if (r.status >= 300) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as T;
  }

  /**
   * Activates the next job of `type` that belongs to `accept` (an instance, or a process id for
   * instances started by a message); jobs of other instances of the same type go back at once
   * (failed with their retries unchanged and no backoff), as a worker that is not theirs would.
   */
  async activate(type: string, accept: (job: Job) => boolean, what: string): Promise<Job> {
    return eventually(
      async () => {
        const { jobs } = await this.ok<{ jobs: Job[] }>(this.post('/jobs/activation', { type, maxJobsToActivate: 50, timeout: 60_000, worker: 'conformance' }, 'admin'), `activate ${type}`);
        let mine: Job | undefined;
        for (const job of jobs) {
          if (!mine && accept(job)) mine = job;
          else await this.ok(this.post(`/jobs/${job.key}/failure`, { retries: job.retries, errorMessage: 'not this worker', retryBackOff: 0 }, 'admin'), 'hand back');
        }
        return mine;
      },
      `a job for ${what}`,
    );
  }

  /** Moves the engine clock and waits until due timers fired. */
  async advance(duration: string): Promise<void> {
    await this.ok(this.post('/test/clock', { advance: duration }, 'admin'), `advance ${duration}`);
  }

  async publish(name: string, correlationKey: string, variables: Vars = {}, timeToLive?: string): Promise<{ buffered: boolean; correlatedProcessInstanceKey?: string }> {
    return this.ok(this.post('/messages', { name, correlationKey, variables, ...(timeToLive ? { timeToLive } : {}) }), `publish ${name}`);
  }

  async broadcast(signalName: string, variables: Vars = {}): Promise<{ signalKey: string }> {
    return this.ok(this.post('/signals', { signalName, variables }), `broadcast ${signalName}`);
  }
}

/** One process instance under drive. */
export class Instance {
  constructor(
    readonly api: Api,
    readonly key: string,
  ) {}

  /** Activates the job of `elementId` (its type from the diagram), checks it, completes it with `variables`. */
  async job(elementId: string, type: string, variables: Vars = {}): Promise<Job> {
    const job = await this.activate(elementId, type);
    await this.api.ok(this.api.post(`/jobs/${job.key}/completion`, { variables }, 'admin'), `complete ${elementId}`);
    return job;
  }

  /** Activates the job of `elementId` without answering it (the caller fails it or throws an error). */
  activate(elementId: string, type: string): Promise<Job> {
    return this.api.activate(type, (j) => j.processInstanceKey === this.key && j.elementId === elementId, `${elementId} (${type}) of ${this.key}`);
  }

  async fail(job: Job, retries: number, retryBackOff = 0): Promise<void> {
    await this.api.ok(this.api.post(`/jobs/${job.key}/failure`, { retries, errorMessage: 'worker failed', retryBackOff }, 'admin'), `fail ${job.elementId}`);
  }

  async throwError(job: Job, errorCode: string, variables: Vars = {}): Promise<void> {
    await this.api.ok(this.api.post(`/jobs/${job.key}/error`, { errorCode, errorMessage: `${errorCode} from the worker`, variables }, 'admin'), `throw ${errorCode}`);
  }

  /** Completes the open Camunda user task at `elementId`. */
  async userTask(elementId: string, variables: Vars = {}): Promise<void> {
    const task = await eventually(
      async () => {
        const tasks = await this.api.ok<Array<{ key: string; elementId: string }>>(this.api.get(`/user-tasks?processInstanceKey=${this.key}&state=CREATED`, 'admin'), 'user tasks');
        return tasks.find((t) => t.elementId === elementId);
      },
      `user task ${elementId} of ${this.key}`,
    );
    await this.api.ok(this.api.post(`/user-tasks/${task.key}/completion`, { variables }, 'admin'), `complete user task ${elementId}`);
  }

  view(): Promise<InstanceView> {
    return this.api.ok<InstanceView>(this.api.get(`/process-instances/${this.key}`), 'instance');
  }

  events(): Promise<EngineEvent[]> {
    return this.api.ok<EngineEvent[]>(this.api.get(`/process-instances/${this.key}/events`), 'events');
  }

  /** The active incident at `elementId`, once there is one. */
  incident(elementId: string): Promise<InstanceView['incidents'][number]> {
    return eventually(async () => (await this.view()).incidents.find((i) => i.elementId === elementId && i.state === 'ACTIVE'), `an incident at ${elementId}`);
  }

  async resolve(incidentKey: string): Promise<void> {
    await this.api.ok(this.api.post(`/incidents/${incidentKey}/resolve`), 'resolve incident');
  }

  async setVariables(variables: Vars): Promise<void> {
    await this.api.ok(this.api.post(`/process-instances/${this.key}/variables`, { variables }), 'set variables');
  }

  async cancel(): Promise<void> {
    await this.api.ok(this.api.del(`/process-instances/${this.key}`), 'cancel');
  }
}

/** How a case's instance begins. */
export type Start =
  | { process: string; variables?: Vars }
  /** Published message that starts an instance of `process` (found through its first job). */
  | { message: string; correlationKey?: string; variables?: Vars; process: string; firstJob: { type: string; elementId: string } }
  /** Published message that starts an instance of `process`, found by the key the publish answers with. */
  | { message: string; correlationKey?: string; variables?: Vars; process: string; started: true }
  /** Broadcast signal that starts an instance of `process` (found through its first job). */
  | { signal: string; variables?: Vars; process: string; firstJob: { type: string; elementId: string } };

/** What Zeebe would leave behind, per the Camunda 8 docs. */
export interface Expected {
  state: InstanceView['state'];
  /** Element ids completed (ELEMENT_COMPLETED), as a multiset: the process itself excluded. */
  completed?: string[];
  /** Element ids terminated (ELEMENT_TERMINATED). */
  terminated?: string[];
  /** Process variables that must hold these values. */
  variables?: Vars;
  /** Process variables that must not exist. */
  absent?: string[];
}

export interface RunCase {
  /** The file in sources.json. */
  file: string;
  /** The Camunda 8 docs page whose rule decides the expectation. */
  docs: string;
  start: Start;
  drive?: (i: Instance) => Promise<void>;
  expected: Expected;
  /** Set where the embedded engine differs from Zeebe: what differs, and which issue point covers it. */
  gap?: string;
}

export interface RefusedCase {
  file: string;
  docs: string;
  /** Element ids the refusal must name. */
  refuses: string[];
  /** Why: refused by design (README), or refused as Zeebe itself refuses the file. */
  because: 'by design' | 'as Zeebe does';
  /** A pattern the refusal's text must match (for files that do not parse, where no element can be named). */
  message?: RegExp;
  gap?: string;
}

export async function startInstance(api: Api, start: Start): Promise<Instance> {
  if ('message' in start && 'started' in start) {
    const published = await api.publish(start.message, start.correlationKey ?? '', start.variables ?? {});
    if (!published.correlatedProcessInstanceKey) throw new Error(`message ${start.message} started no instance of ${start.process}`);
    return new Instance(api, published.correlatedProcessInstanceKey);
  }
  if ('message' in start || 'signal' in start) {
    if ('signal' in start) await api.broadcast(start.signal, start.variables ?? {});
    else await api.publish(start.message, start.correlationKey ?? '', start.variables ?? {});
    const job = await api.activate(start.firstJob.type, (j) => j.bpmnProcessId === start.process && j.elementId === start.firstJob.elementId, `${start.firstJob.elementId} of a new ${start.process}`);
    // The job was activated to find the instance: give it back for the case to drive.
    await api.ok(api.post(`/jobs/${job.key}/failure`, { retries: job.retries, errorMessage: 'found the instance', retryBackOff: 0 }, 'admin'), 'hand back');
    return new Instance(api, job.processInstanceKey);
  }
  const created = await api.ok<{ processInstanceKey: string }>(api.post('/process-instances', { bpmnProcessId: start.process, variables: start.variables ?? {} }), `start ${start.process}`);
  return new Instance(api, created.processInstanceKey);
}

export async function deployOk(api: Api, file: string): Promise<void> {
  const res = await api.deploy(file, readDiagram(file));
  if (res.status !== 201) throw new Error(`deploy ${file}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
}

const multiset = (ids: string[]) => [...ids].sort();

/** Runs one case to its end and asserts what Zeebe would have left behind. */
export async function runCase(api: Api, c: RunCase): Promise<void> {
  await deployOk(api, c.file);
  const instance = await startInstance(api, c.start);
  await c.drive?.(instance);
  await api.ok(api.post('/test/clock/settle', {}, 'admin'), 'settle');
  const view = await instance.view();
  const events = await instance.events();
  const processId = c.start.process;
  const ids = (intent: string) => events.filter((e) => e.intent === intent && e.elementId && e.elementId !== processId).map((e) => e.elementId as string);
  expect({ state: view.state, incidents: view.incidents.filter((i) => i.state === 'ACTIVE').map((i) => i.elementId) }).toEqual({ state: c.expected.state, incidents: [] });
  if (c.expected.completed) expect(multiset(ids('ELEMENT_COMPLETED'))).toEqual(multiset(c.expected.completed));
  if (c.expected.terminated) expect(multiset(ids('ELEMENT_TERMINATED'))).toEqual(multiset(c.expected.terminated));
  if (c.expected.variables) expect(view.variables).toMatchObject(c.expected.variables);
  for (const name of c.expected.absent ?? []) expect(view.variables, `variable ${name} must not reach the process scope`).not.toHaveProperty(name);
}

/** Deploys a file that must be refused, and checks the refusal names each element. */
export async function refusedCase(api: Api, c: RefusedCase): Promise<void> {
  const res = await api.deploy(c.file, readDiagram(c.file));
  expect(res.status).toBe(400);
  const problems = (res.body.details?.problems ?? []) as Array<{ elementId?: string; message: string }>;
  for (const id of c.refuses) expect(problems.map((p) => p.elementId)).toContain(id);
  if (c.message) expect(`${res.body.message} ${problems.map((p) => p.message).join(' ')}`).toMatch(c.message);
}
