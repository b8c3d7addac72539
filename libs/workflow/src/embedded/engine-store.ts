import type { EntityManager } from 'typeorm';
import type { Variables } from '../port/workflow-engine';
import { type OpenWaits, type RunEvent, type RunResult, closedBy } from './instance-run';

/** An instance row as the runtime needs it. */
export interface InstanceRow {
  key: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  version: number;
  state: 'ACTIVE' | 'COMPLETED' | 'CANCELED';
  variables: Variables;
  engineState: unknown | null;
  /** Raised by every step and incident: a live engine built from another version is stale. */
  stateVersion: string;
  /** A process instance a call activity created: the calling instance and the call activity's element instance. */
  parentKey: string | null;
  parentElementInstanceKey: string | null;
  /** The correlation key of the message that started it (a message start event with a key), if any. */
  messageCorrelationKey: string | null;
}

export interface EventContext {
  /** null for events of a deployment */
  processInstanceKey: string | null;
  processDefinitionKey: string;
  actor?: string;
  at: Date;
}

/**
 * Keys drawn for one transaction ahead of need, in one statement: a batch of steps draws once
 * (issue 15) instead of once per step and once per new wait. Drawn at the transaction's start, in
 * order, as one transaction drew them before: a signal broadcast still has a higher key than every
 * subscription opened before it (deliverSignal relies on it).
 */
class KeyPool {
  private keys: string[] = [];

  constructor(private readonly block: number) {}

  async take(em: EntityManager, count: number): Promise<string[]> {
    if (this.keys.length < count) this.keys.push(...(await drawKeys(em, Math.max(count - this.keys.length, this.block))));
    return this.keys.splice(0, count);
  }
}

const keyPools = new WeakMap<EntityManager, KeyPool>();

/** Keys for this transaction's `nextKeys` come from a pool drawn `block` at a time. */
export function poolKeys(em: EntityManager, block: number): void {
  keyPools.set(em, new KeyPool(block));
}

async function drawKeys(em: EntityManager, count: number): Promise<string[]> {
  const rows: Array<{ key: string }> = await em.query(`SELECT nextval('wf_key')::text AS key FROM generate_series(1, $1)`, [count]);
  return rows.map((r) => r.key);
}

/** Draws keys from the one wf_key sequence (sequences are not transactional: safe across processes). */
export async function nextKeys(em: EntityManager, count: number): Promise<string[]> {
  if (count === 0) return [];
  const pool = keyPools.get(em);
  return pool ? pool.take(em, count) : drawKeys(em, count);
}

/**
 * Raises the instance's state version without a step: what an incident does (it may close the
 * command's job, task or timer while the engine state stays), so no live engine is reused after.
 */
export async function bumpStateVersion(em: EntityManager, key: string): Promise<void> {
  await em.query(`UPDATE wf_process_instance SET state_version = state_version + 1 WHERE key = $1`, [key]);
}

const INSTANCE_COLUMNS = `key::text, process_definition_key::text AS "processDefinitionKey", bpmn_process_id AS "bpmnProcessId",
            version, state, variables, engine_state AS "engineState", state_version::text AS "stateVersion",
            parent_process_instance_key::text AS "parentKey", parent_element_instance_key::text AS "parentElementInstanceKey",
            message_correlation_key AS "messageCorrelationKey"`;

/** Locks the instance row for the rest of the transaction: all changes to one instance are serialized here. */
export async function lockInstance(em: EntityManager, key: string): Promise<InstanceRow | undefined> {
  const locked = prefetched.get(em)?.instances;
  if (locked?.has(key)) {
    const row = locked.get(key);
    locked.delete(key);
    return row;
  }
  const rows = await em.query(`SELECT ${INSTANCE_COLUMNS} FROM wf_process_instance WHERE key = $1 FOR UPDATE`, [key]);
  return rows[0];
}

/**
 * What a batch read ahead for its steps, under their instances' locks: the rows (each taken once,
 * by the step of that instance) and their open waits (one row per wait, by kind).
 */
const prefetched = new WeakMap<
  EntityManager,
  { instances: Map<string, InstanceRow | undefined>; waits: Map<string, OpenRow[]>; jobs: Map<string, { pik: string; state: string }> }
>();

/**
 * A batch's first two statements (CommandLanes): locks all its instances in key order and reads
 * their open waits, instead of two statements per step.
 */
export async function prefetchInstances(em: EntityManager, keys: string[]): Promise<void> {
  const rows: InstanceRow[] = await em.query(`SELECT ${INSTANCE_COLUMNS} FROM wf_process_instance WHERE key = ANY($1::bigint[]) ORDER BY key FOR UPDATE`, [keys]);
  const instances = new Map<string, InstanceRow | undefined>(keys.map((k) => [k, undefined]));
  for (const row of rows) instances.set(row.key, row);
  const waits = new Map<string, OpenRow[]>(keys.map((k) => [k, []]));
  const open: Array<OpenRow & { pik: string; job: string | null; state: string | null }> = await em.query(
    OPEN_WAITS_OF_BATCH_SQL,
    [keys],
  );
  const jobs = new Map<string, { pik: string; state: string }>();
  for (const row of open) {
    waits.get(row.pik)?.push({ kind: row.kind, key: row.key });
    if (row.job && row.state) jobs.set(row.job, { pik: row.pik, state: row.state });
  }
  prefetched.set(em, { instances, waits, jobs });
}

/**
 * The state of an open job of the batch's instance `instanceKey`, read under its lock by
 * `prefetchInstances` (taken once); undefined when not read ahead (then the caller reads it).
 */
export function takePrefetchedJob(em: EntityManager, jobKey: string, instanceKey: string): string | undefined {
  const jobs = prefetched.get(em)?.jobs;
  const job = jobs?.get(jobKey);
  if (!job || job.pik !== instanceKey) return undefined;
  jobs!.delete(jobKey);
  return job.state;
}

type WaitKind = 'job' | 'timer' | 'subscription' | 'userTask' | 'signalSubscription';

interface OpenRow {
  kind: WaitKind;
  key: string;
}

/**
 * A job whose BPMN error nothing caught still waits: its incident, once resolved, offers it to a
 * worker again (as Zeebe), so its element is still active and a termination closes it.
 */
export const JOB_WITH_INCIDENT = `EXISTS (SELECT 1 FROM wf_incident n WHERE n.job_key = wf_job.key AND n.state = 'ACTIVE')`;

const OPEN_WAITS_SQL = `
  SELECT 'job' AS kind, element_instance_key AS key, process_instance_key::text AS pik, key::text AS job, state FROM wf_job
   WHERE process_instance_key = $1 AND (state IN ('ACTIVATABLE', 'ACTIVATED', 'FAILED') OR (state = 'ERROR_THROWN' AND ${JOB_WITH_INCIDENT}))
  UNION ALL
  SELECT 'timer', element_instance_key, process_instance_key::text, NULL, NULL FROM wf_timer WHERE process_instance_key = $1 AND state = 'CREATED'
  UNION ALL
  SELECT 'subscription', element_instance_key, process_instance_key::text, NULL, NULL FROM wf_message_subscription WHERE process_instance_key = $1 AND state = 'OPEN'
  UNION ALL
  SELECT 'userTask', element_instance_key, process_instance_key::text, NULL, NULL FROM wf_user_task WHERE process_instance_key = $1 AND state = 'CREATED'
  UNION ALL
  SELECT 'signalSubscription', element_instance_key, process_instance_key::text, NULL, NULL FROM wf_signal_subscription WHERE process_instance_key = $1 AND state = 'OPEN'`;
/** The same for all of a batch's instances at once (prefetchInstances). */
const OPEN_WAITS_OF_BATCH_SQL = OPEN_WAITS_SQL.replace(/process_instance_key = \$1/g, 'process_instance_key = ANY($1::bigint[])');

/**
 * The instance's open waits. `consumed`: the one wait the step's `before` just closed (a job it
 * completed, a timer it triggered, …): a batch's waits were read before, so that one is taken off;
 * without it, read ahead waits are not used and they are read again.
 */
export async function loadOpenWaits(em: EntityManager, instanceKey: string, consumed?: { kind: WaitKind; key: string } | 'none'): Promise<OpenWaits> {
  const ahead = prefetched.get(em)?.waits;
  const read = ahead?.get(instanceKey);
  ahead?.delete(instanceKey);
  let rows: OpenRow[];
  if (!read || !consumed) rows = await em.query(OPEN_WAITS_SQL, [instanceKey]);
  else if (consumed === 'none') rows = read;
  else {
    const at = read.findIndex((r) => r.kind === consumed.kind && r.key === consumed.key);
    rows = read.filter((_, i) => i !== at);
  }
  const open: OpenWaits = { jobs: new Set(), timers: new Set(), subscriptions: new Set(), userTasks: new Set(), signalSubscriptions: new Set() };
  const target = { job: open.jobs, timer: open.timers, subscription: open.subscriptions, userTask: open.userTasks, signalSubscription: open.signalSubscriptions };
  for (const row of rows) target[row.kind].add(row.key);
  return open;
}

export async function insertEvents(em: EntityManager, ctx: EventContext, events: RunEvent[]): Promise<void> {
  if (events.length === 0) return;
  const writes = new StepWrites();
  writes.events(ctx, events);
  await writes.flush(em);
}

const EVENT_COLUMNS = ['process_instance_key', 'process_definition_key', 'element_id', 'element_type', 'element_instance_key', 'intent', 'payload', 'actor', 'created_at'];
const INSTANCE_UPDATE = `UPDATE wf_process_instance p SET state = v.state, variables = v.variables::jsonb, engine_state = v.engine_state::jsonb, updated_at = v.at,
         ended_at = v.ended_at, state_version = p.state_version + 1
    FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[]) AS v(key, state, variables, engine_state, at, ended_at)
   WHERE p.key = v.key`;
/** Bind parameters per statement, well under PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;

/**
 * The rows steps write every time — their instance's new state, their new waits, their events —
 * gathered over a transaction and written with one multi-row statement per table at its end
 * (`flush`): a batch of a hundred steps writes them in a handful of statements (issue 15). Rows are
 * written in the order they were added, so events keep their order in `wf_event.position`.
 */
export class StepWrites {
  private readonly inserts = new Map<string, { columns: string[]; casts: string[]; rows: unknown[][] }>();
  private readonly instances: unknown[][] = [[], [], [], [], [], []];
  private readonly jobs: unknown[][] = [[], [], []];

  insert(table: string, columns: string[], rows: unknown[][], casts: string[] = []): void {
    if (rows.length === 0) return;
    const into = this.inserts.get(table) ?? { columns, casts, rows: [] };
    into.rows.push(...rows);
    this.inserts.set(table, into);
  }

  updateInstance(key: string, state: string, variables: string, engineState: string | null, at: Date, endedAt: Date | null): void {
    [key, state, variables, engineState, at, endedAt].forEach((v, i) => this.instances[i].push(v));
  }

  /** A job a step consumed (its state checked under the instance's lock): marked in one UPDATE per batch. */
  updateJob(key: string, state: string, at: Date): void {
    [key, state, at].forEach((v, i) => this.jobs[i].push(v));
  }

  events(ctx: EventContext, events: RunEvent[]): void {
    this.insert(
      'wf_event',
      EVENT_COLUMNS,
      events.map((e, i) => {
        const payload = e.ref?.key ? { ...e.payload, key: e.ref.key } : e.payload;
        return [
          ctx.processInstanceKey,
          ctx.processDefinitionKey,
          e.elementId ?? null,
          e.elementType ?? null,
          e.elementInstanceKey ?? null,
          e.intent,
          payload ? JSON.stringify(payload) : null,
          ctx.actor ?? null,
          // Keep the order of one run visible even when its events share a timestamp.
          new Date(ctx.at.getTime() + i / 1000),
        ];
      }),
      ['', '', '', '', '', '', '::jsonb', '', ''],
    );
  }

  /** Writes what was gathered (instances first: the waits and events refer to them) and forgets it. */
  async flush(em: EntityManager): Promise<void> {
    if (this.instances[0].length > 0) {
      await em.query(INSTANCE_UPDATE, this.instances);
      this.instances.forEach((column) => (column.length = 0));
    }
    if (this.jobs[0].length > 0) {
      await em.query(
        `UPDATE wf_job j SET state = v.state, updated_at = v.at FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS v(key, state, at) WHERE j.key = v.key`,
        this.jobs,
      );
      this.jobs.forEach((column) => (column.length = 0));
    }
    for (const [table, { columns, casts, rows }] of this.inserts) {
      const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
      for (let from = 0; from < rows.length; from += perStatement) {
        const values: unknown[] = [];
        const tuples = rows.slice(from, from + perStatement).map((row) => {
          const first = values.length;
          values.push(...row);
          return `(${row.map((_, j) => `$${first + j + 1}${casts[j] ?? ''}`).join(', ')})`;
        });
        await em.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
      }
    }
    this.inserts.clear();
  }
}

/**
 * Gives new waits their keys (from the transaction's pool) and adds their rows to `writes`;
 * sets `key` on each item.
 */
async function insertWaits<T extends { elementInstanceKey: string; key?: string }>(
  em: EntityManager,
  writes: StepWrites,
  table: string,
  columns: string[],
  items: T[],
  row: (item: T) => unknown[],
  casts: string[] = [],
): Promise<void> {
  if (items.length === 0) return;
  const keys = await nextKeys(em, items.length);
  items.forEach((item, k) => (item.key = keys[k]));
  writes.insert(table, ['key', ...columns], items.map((item) => [item.key, ...row(item)]), ['', ...casts]);
}

/** What a stored run changed, for the in-process notifications after commit. */
export interface Persisted {
  jobTypes: Set<string>;
  timersCreated: number;
  /** The instance's state version this step stored. */
  stateVersion: string;
}

/**
 * Writes a run in the caller's transaction: the waits it ended at once; the new waits with fresh
 * keys, the instance's state and variables, and its events into `writes` (the caller flushes
 * them before it commits).
 */
export async function persistRun(
  em: EntityManager,
  instance: InstanceRow,
  open: OpenWaits,
  result: RunResult,
  ctx: EventContext,
  writes: StepWrites,
): Promise<Persisted> {
  const at = ctx.at;
  const ended = result.ended;
  const complete = result.state === 'COMPLETED';
  const closing = (set: Set<string>) => [...set].filter((key) => complete || closedBy(ended, key));
  const i = instance.key;
  const closeJobs = [...open.jobs].filter((key) => complete || closedBy(ended, key) || result.canceledJobs?.has(key));
  const closeTimers = closing(open.timers);
  const closeSubs = closing(open.subscriptions);
  const closeTasks = closing(open.userTasks);
  const closeSignalSubs = closing(open.signalSubscriptions);
  if (closeJobs.length) {
    await em.query(
      `UPDATE wf_job SET state = 'CANCELED', updated_at = $3 WHERE process_instance_key = $1 AND element_instance_key = ANY($2)
          AND (state IN ('ACTIVATABLE', 'ACTIVATED', 'FAILED') OR (state = 'ERROR_THROWN' AND ${JOB_WITH_INCIDENT}))`,
      [i, closeJobs, at],
    );
  }
  // An element that ends takes its incidents with it (Zeebe resolves them on termination); a completed instance, all of them.
  const closedKeys = [...closeJobs, ...closeTimers, ...closeSubs, ...closeTasks, ...closeSignalSubs];
  if (complete || closedKeys.length) {
    const resolved = await em.query(
      `UPDATE wf_incident SET state = 'RESOLVED', resolved_at = $3 WHERE process_instance_key = $1 AND state = 'ACTIVE' AND ($4 OR element_instance_key = ANY($2)) RETURNING key::text`,
      [i, closedKeys, at, complete],
    );
    for (const r of (Array.isArray(resolved[0]) ? resolved[0] : resolved) as Array<{ key: string }>) result.events.push({ intent: 'INCIDENT_RESOLVED', payload: { key: r.key } });
  }
  if (closeTimers.length) {
    const fired = closeTimers.filter((key) => result.timersFired.has(key));
    const canceled = closeTimers.filter((key) => !result.timersFired.has(key));
    if (fired.length) {
      await em.query(`UPDATE wf_timer SET state = 'TRIGGERED', triggered_at = $3 WHERE process_instance_key = $1 AND element_instance_key = ANY($2) AND state = 'CREATED'`, [i, fired, at]);
    }
    if (canceled.length) {
      await em.query(`UPDATE wf_timer SET state = 'CANCELED' WHERE process_instance_key = $1 AND element_instance_key = ANY($2) AND state = 'CREATED'`, [i, canceled]);
      for (const key of canceled) result.events.push({ intent: 'TIMER_CANCELED', elementInstanceKey: key });
    }
  }
  if (closeSubs.length) {
    await em.query(`UPDATE wf_message_subscription SET state = 'CLOSED' WHERE process_instance_key = $1 AND element_instance_key = ANY($2) AND state = 'OPEN'`, [i, closeSubs]);
  }
  if (closeSignalSubs.length) {
    await em.query(`UPDATE wf_signal_subscription SET state = 'CLOSED' WHERE process_instance_key = $1 AND element_instance_key = ANY($2) AND state = 'OPEN'`, [i, closeSignalSubs]);
  }
  if (closeTasks.length) {
    await em.query(`UPDATE wf_user_task SET state = 'CANCELED', completed_at = $3 WHERE process_instance_key = $1 AND element_instance_key = ANY($2) AND state = 'CREATED'`, [i, closeTasks, at]);
    for (const key of closeTasks) result.events.push({ intent: 'USER_TASK_CANCELED', elementInstanceKey: key });
  }
  // New waits that already ended within this very run are not stored open.
  const isLive = (x: { elementInstanceKey: string }) => !complete && !closedBy(ended, x.elementInstanceKey);
  const live = <T extends { elementInstanceKey: string }>(items: T[]) => items.filter(isLive);
  // Those still get a key, for their events (rare: one statement only then).
  const signalSubscriptions = result.signalSubscriptions ?? [];
  const gone = [...result.jobs, ...result.timers, ...result.subscriptions, ...result.userTasks, ...signalSubscriptions].filter((x) => !isLive(x));
  const goneKeys = await nextKeys(em, gone.length);
  gone.forEach((x, k) => (x.key = goneKeys[k]));

  await insertWaits(
    em,
    writes,
    'wf_job',
    ['process_instance_key', 'element_id', 'element_instance_key', 'type', 'state', 'retries', 'custom_headers', 'local_variables', 'kind', 'created_at', 'updated_at'],
    live(result.jobs),
    (j) => [i, j.elementId, j.elementInstanceKey, j.type, 'ACTIVATABLE', j.retries, JSON.stringify(j.headers), JSON.stringify(j.localVariables), j.kind ?? 'BPMN_ELEMENT', at, at],
    ['', '', '', '', '', '', '::jsonb', '::jsonb'],
  );
  await insertWaits(
    em,
    writes,
    'wf_timer',
    ['process_instance_key', 'element_id', 'element_instance_key', 'due_at', 'state', 'created_at'],
    live(result.timers),
    (t) => [i, t.elementId, t.elementInstanceKey, t.dueAt, 'CREATED', at],
  );
  await insertWaits(
    em,
    writes,
    'wf_message_subscription',
    ['process_instance_key', 'element_id', 'element_instance_key', 'message_name', 'correlation_key', 'state', 'created_at'],
    live(result.subscriptions),
    (s) => [i, s.elementId, s.elementInstanceKey, s.messageName, s.correlationKey, 'OPEN', at],
  );
  await insertWaits(
    em,
    writes,
    'wf_signal_subscription',
    ['process_instance_key', 'element_id', 'element_instance_key', 'signal_name', 'state', 'created_at'],
    live(signalSubscriptions),
    (s) => [i, s.elementId, s.elementInstanceKey, s.signalName, 'OPEN', at],
  );
  // A thrown signal is kept until every other subscription and start event it reaches has been handed it (after the step).
  for (const signal of result.signals ?? []) {
    await em.query(
      `INSERT INTO wf_signal (key, name, variables, state, process_instance_key, created_at) VALUES ($1, $2, $3::jsonb, 'BROADCASTING', $4, $5)`,
      [signal.key, signal.signalName, JSON.stringify(signal.variables), i, at],
    );
  }
  await insertWaits(
    em,
    writes,
    'wf_user_task',
    ['process_instance_key', 'element_id', 'element_instance_key', 'name', 'assignee', 'candidate_groups', 'candidate_users', 'form_key', 'due_date', 'follow_up_date', 'priority', 'local_variables', 'state', 'created_at'],
    live(result.userTasks),
    (t) => [
      i, t.elementId, t.elementInstanceKey, t.name ?? null, t.assignee ?? null, t.candidateGroups, t.candidateUsers,
      t.formKey ?? null, t.dueDate ?? null, t.followUpDate ?? null, t.priority, JSON.stringify(t.localVariables), 'CREATED', at,
    ],
    ['', '', '', '', '', '', '', '', '', '', '', '::jsonb'],
  );

  writes.updateInstance(i, result.state, JSON.stringify(result.variables), result.engineState === null ? null : JSON.stringify(result.engineState), at, complete ? at : null);
  if (complete) result.events.push({ intent: 'ELEMENT_COMPLETED', elementId: instance.bpmnProcessId, elementType: 'bpmn:Process' });
  writes.events(ctx, result.events);
  // The instance row is locked for this transaction: the stored version is the read one plus one.
  const version = String(BigInt(instance.stateVersion) + 1n);
  return { jobTypes: new Set(live(result.jobs).map((j) => j.type)), timersCreated: live(result.timers).length, stateVersion: version };
}
