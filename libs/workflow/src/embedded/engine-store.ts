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

/** Draws keys from the one wf_key sequence (sequences are not transactional: safe across processes). */
export async function nextKeys(em: EntityManager, count: number): Promise<string[]> {
  if (count === 0) return [];
  const rows: Array<{ key: string }> = await em.query(`SELECT nextval('wf_key')::text AS key FROM generate_series(1, $1)`, [count]);
  return rows.map((r) => r.key);
}

/**
 * Raises the instance's state version without a step: what an incident does (it may close the
 * command's job, task or timer while the engine state stays), so no live engine is reused after.
 */
export async function bumpStateVersion(em: EntityManager, key: string): Promise<void> {
  await em.query(`UPDATE wf_process_instance SET state_version = state_version + 1 WHERE key = $1`, [key]);
}

/** Locks the instance row for the rest of the transaction: all changes to one instance are serialized here. */
export async function lockInstance(em: EntityManager, key: string): Promise<InstanceRow | undefined> {
  const rows = await em.query(
    `SELECT key::text, process_definition_key::text AS "processDefinitionKey", bpmn_process_id AS "bpmnProcessId",
            version, state, variables, engine_state AS "engineState", state_version::text AS "stateVersion",
            parent_process_instance_key::text AS "parentKey", parent_element_instance_key::text AS "parentElementInstanceKey",
            message_correlation_key AS "messageCorrelationKey"
       FROM wf_process_instance WHERE key = $1 FOR UPDATE`,
    [key],
  );
  return rows[0];
}

interface OpenRow {
  kind: 'job' | 'timer' | 'subscription' | 'userTask' | 'signalSubscription';
  key: string;
}

/**
 * A job whose BPMN error nothing caught still waits: its incident, once resolved, offers it to a
 * worker again (as Zeebe), so its element is still active and a termination closes it.
 */
export const JOB_WITH_INCIDENT = `EXISTS (SELECT 1 FROM wf_incident n WHERE n.job_key = wf_job.key AND n.state = 'ACTIVE')`;

const OPEN_WAITS_SQL = `
  SELECT 'job' AS kind, element_instance_key AS key FROM wf_job
   WHERE process_instance_key = $1 AND (state IN ('ACTIVATABLE', 'ACTIVATED', 'FAILED') OR (state = 'ERROR_THROWN' AND ${JOB_WITH_INCIDENT}))
  UNION ALL
  SELECT 'timer', element_instance_key FROM wf_timer WHERE process_instance_key = $1 AND state = 'CREATED'
  UNION ALL
  SELECT 'subscription', element_instance_key FROM wf_message_subscription WHERE process_instance_key = $1 AND state = 'OPEN'
  UNION ALL
  SELECT 'userTask', element_instance_key FROM wf_user_task WHERE process_instance_key = $1 AND state = 'CREATED'
  UNION ALL
  SELECT 'signalSubscription', element_instance_key FROM wf_signal_subscription WHERE process_instance_key = $1 AND state = 'OPEN'`;

export async function loadOpenWaits(em: EntityManager, instanceKey: string): Promise<OpenWaits> {
  const rows: OpenRow[] = await em.query(OPEN_WAITS_SQL, [instanceKey]);
  const open: OpenWaits = { jobs: new Set(), timers: new Set(), subscriptions: new Set(), userTasks: new Set(), signalSubscriptions: new Set() };
  const target = { job: open.jobs, timer: open.timers, subscription: open.subscriptions, userTask: open.userTasks, signalSubscription: open.signalSubscriptions };
  for (const row of rows) target[row.kind].add(row.key);
  return open;
}

export async function insertEvents(em: EntityManager, ctx: EventContext, events: RunEvent[]): Promise<void> {
  if (events.length === 0) return;
  const values: unknown[] = [];
  const rows = events.map((e, i) => {
    const payload = e.ref?.key ? { ...e.payload, key: e.ref.key } : e.payload;
    values.push(
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
    );
    const b = i * 9;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}::jsonb, $${b + 8}, $${b + 9})`;
  });
  await em.query(
    `INSERT INTO wf_event (process_instance_key, process_definition_key, element_id, element_type, element_instance_key, intent, payload, actor, created_at)
     VALUES ${rows.join(', ')}`,
    values,
  );
}

/**
 * Inserts new waits, each with a fresh key from the wf_key sequence, in one statement, and sets
 * `key` on each item (by its element instance key, unique per instance in every wait table).
 */
async function insertWaits<T extends { elementInstanceKey: string; key?: string }>(
  em: EntityManager,
  table: string,
  columns: string[],
  items: T[],
  row: (item: T) => unknown[],
): Promise<void> {
  if (items.length === 0) return;
  const values: unknown[] = [];
  const tuples = items.map((item) => {
    const fields = row(item);
    const first = values.length;
    values.push(...fields);
    return `(nextval('wf_key'), ${fields.map((_, j) => `$${first + j + 1}`).join(', ')})`;
  });
  const inserted = await em.query(
    `INSERT INTO ${table} (key, ${columns.join(', ')}) VALUES ${tuples.join(', ')} RETURNING key::text AS key, element_instance_key AS eik`,
    values,
  );
  const keys = new Map<string, string>(((Array.isArray(inserted[0]) ? inserted[0] : inserted) as Array<{ key: string; eik: string }>).map((r) => [r.eik, r.key]));
  for (const item of items) item.key = keys.get(item.elementInstanceKey);
}

/** What a stored run changed, for the in-process notifications after commit. */
export interface Persisted {
  jobTypes: Set<string>;
  timersCreated: number;
  /** The instance's state version this step stored. */
  stateVersion: string;
}

/**
 * Writes a run in the caller's transaction: the new waits with fresh keys, the waits it
 * ended, the instance's state and variables, and its events.
 */
export async function persistRun(
  em: EntityManager,
  instance: InstanceRow,
  open: OpenWaits,
  result: RunResult,
  ctx: EventContext,
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
    'wf_job',
    ['process_instance_key', 'element_id', 'element_instance_key', 'type', 'state', 'retries', 'custom_headers', 'local_variables', 'kind', 'created_at', 'updated_at'],
    live(result.jobs),
    (j) => [i, j.elementId, j.elementInstanceKey, j.type, 'ACTIVATABLE', j.retries, JSON.stringify(j.headers), JSON.stringify(j.localVariables), j.kind ?? 'BPMN_ELEMENT', at, at],
  );
  await insertWaits(
    em,
    'wf_timer',
    ['process_instance_key', 'element_id', 'element_instance_key', 'due_at', 'state', 'created_at'],
    live(result.timers),
    (t) => [i, t.elementId, t.elementInstanceKey, t.dueAt, 'CREATED', at],
  );
  await insertWaits(
    em,
    'wf_message_subscription',
    ['process_instance_key', 'element_id', 'element_instance_key', 'message_name', 'correlation_key', 'state', 'created_at'],
    live(result.subscriptions),
    (s) => [i, s.elementId, s.elementInstanceKey, s.messageName, s.correlationKey, 'OPEN', at],
  );
  await insertWaits(
    em,
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
    'wf_user_task',
    ['process_instance_key', 'element_id', 'element_instance_key', 'name', 'assignee', 'candidate_groups', 'candidate_users', 'form_key', 'due_date', 'follow_up_date', 'priority', 'local_variables', 'state', 'created_at'],
    live(result.userTasks),
    (t) => [
      i, t.elementId, t.elementInstanceKey, t.name ?? null, t.assignee ?? null, t.candidateGroups, t.candidateUsers,
      t.formKey ?? null, t.dueDate ?? null, t.followUpDate ?? null, t.priority, JSON.stringify(t.localVariables), 'CREATED', at,
    ],
  );

  const updated = await em.query(
    `UPDATE wf_process_instance SET state = $2, variables = $3::jsonb, engine_state = $4::jsonb, updated_at = $5, ended_at = $6,
            state_version = state_version + 1
      WHERE key = $1 RETURNING state_version::text AS version`,
    [i, result.state, JSON.stringify(result.variables), result.engineState === null ? null : JSON.stringify(result.engineState), at, complete ? at : null],
  );
  const [{ version }] = (Array.isArray(updated[0]) ? updated[0] : updated) as Array<{ version: string }>;
  if (complete) result.events.push({ intent: 'ELEMENT_COMPLETED', elementId: instance.bpmnProcessId, elementType: 'bpmn:Process' });
  await insertEvents(em, ctx, result.events);
  return { jobTypes: new Set(live(result.jobs).map((j) => j.type)), timersCreated: live(result.timers).length, stateVersion: version };
}
