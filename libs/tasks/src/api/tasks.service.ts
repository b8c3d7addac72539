import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AuthUser, type Role } from '@mustafid/auth';
import { AuditLog } from '@mustafid/audit';
import { SqlConditions } from '@mustafid/database';
import { CasesService, SERVICE_DELIVERY_FORM, ServiceDelivery } from '@mustafid/intake';
import { ConflictError, ForbiddenError, NotFoundError, isKeyText, validationFailure } from '@mustafid/platform';
import { CLOCK, type Clock, ProcessElementNames, WORKFLOW_ENGINE, type WorkflowEngine } from '@mustafid/workflow';
import type { DataSource, EntityManager } from 'typeorm';
import { validateAgainstForm } from '../forms/form-schema';
import { FormRegistry } from '../forms/form-registry';
import { TaskMirror } from '../store/task-mirror';
import type { TaskQueryDto } from './tasks.dto';

/** Roles that see every task (the chair distributes the committee's work; auditors read). */
export const SEES_ALL: Role[] = ['admin', 'auditor', 'committee-chair'];
/** Roles that may assign a task to a named member of its groups. */
export const ASSIGNS: Role[] = ['admin', 'committee-chair'];

/** The committee member's vote (a multi-instance task, one iteration per member). */
const COMMITTEE_VOTE_FORM = 'committee-vote';
/** Set by the server on a vote's completion: the member who cast it, never taken from the form. */
const VOTER_VARIABLE = 'voter';

/** Tasks completed through their own endpoint, which records more than the form. */
const OWN_ENDPOINT: Record<string, string> = {
  'applicant-attestation': 'POST /api/cases/:id/attestation (the signature binds the data as signed)',
  'inquiry-answer': 'POST /api/inquiries/:id/answer (the answer, how it reaches the person and the article version it cites are kept)',
};

interface TaskRow {
  key: string;
  process_instance_key: string;
  process_definition_key: string;
  bpmn_process_id: string;
  process_version: number;
  element_id: string;
  name: string | null;
  case_id: string | null;
  case_number: string | null;
  assignee: string | null;
  candidate_groups: string[];
  candidate_users: string[];
  form_key: string | null;
  due_date: Date | null;
  follow_up_date: Date | null;
  priority: number;
  state: string;
  created_at: Date;
  completed_at: Date | null;
  completed_by: string | null;
  version: number;
}

const SORT_SQL = {
  due: `COALESCE(due_date, 'infinity'::timestamptz)`,
  followUp: `COALESCE(follow_up_date, 'infinity'::timestamptz)`,
  created: 'created_at',
  priority: 'priority',
} as const;

const cursorOf = (value: unknown, key: string) => Buffer.from(JSON.stringify([value, key])).toString('base64url');

/**
 * The [sort value, key] a cursor carries, if it is one cursorOf could have written for this sort:
 * a whole number for priority, an ISO instant (as toISOString writes it) or 'infinity' for the
 * dates, and a key. Anything else would reach SQL as an invalid timestamp or an out-of-range key.
 */
function cursorPosition(cursor: string, sort: keyof typeof SORT_SQL): [number | string, string] | undefined {
  let after: unknown;
  try {
    after = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(after) || after.length !== 2 || !isKeyText(after[1])) return undefined;
  const [value] = after as [unknown, string];
  const fits =
    sort === 'priority'
      ? Number.isInteger(value) && Math.abs(value as number) <= 2_147_483_647
      : value === 'infinity' || (typeof value === 'string' && /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && !Number.isNaN(Date.parse(value)));
  return fits ? (after as [number | string, string]) : undefined;
}

/** The staff task list: read from the task store, changed through the engine. */
@Injectable()
export class TasksService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WORKFLOW_ENGINE) private readonly engine: WorkflowEngine,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly mirror: TaskMirror,
    private readonly forms: FormRegistry,
    private readonly names: ProcessElementNames,
    private readonly cases: CasesService,
    private readonly serviceDelivery: ServiceDelivery,
    private readonly audit: AuditLog,
  ) {}

  private seesAll(user: AuthUser): boolean {
    return user.roles.some((r) => SEES_ALL.includes(r));
  }

  /** Limits the rows to the tasks the user may see. */
  private visibleTo(user: AuthUser, c: SqlConditions): SqlConditions {
    if (this.seesAll(user)) return c;
    const me = c.param(user.username);
    return c.raw(`(assignee = ${me} OR candidate_groups && ${c.param(user.roles)}::text[] OR ${me} = ANY(candidate_users))`);
  }

  private mayWork(user: AuthUser, t: TaskRow): boolean {
    return (
      user.roles.includes('admin') ||
      t.assignee === user.username ||
      t.candidate_groups.some((g) => user.roles.includes(g as Role)) ||
      t.candidate_users.includes(user.username)
    );
  }

  async list(q: TaskQueryDto, user: AuthUser) {
    await this.mirror.catchUp();
    const c = new SqlConditions();
    if (q.state === 'open') c.raw(`state IN ('open', 'completing')`);
    else c.add((p) => `state = ${p}`, q.state);
    this.visibleTo(user, c);
    if (q.mine) c.add((p) => `assignee = ${p}`, user.username);
    if (q.myGroups) c.add((p) => `candidate_groups && ${p}::text[]`, user.roles);
    if (q.unassigned) c.raw('assignee IS NULL');
    if (q.case) c.add((p) => `(case_number = ${p} OR case_id::text = ${p})`, q.case);
    if (q.process) c.add((p) => `bpmn_process_id = ${p}`, q.process);
    if (q.dueBefore) c.add((p) => `due_date < ${p}::timestamptz`, q.dueBefore);
    if (q.dueAfter) c.add((p) => `due_date > ${p}::timestamptz`, q.dueAfter);
    if (q.overdue) c.add((p) => `due_date < ${p}`, this.clock.now());
    const sort = SORT_SQL[q.sort];
    const dir = q.order === 'desc' ? 'DESC' : 'ASC';
    if (q.cursor) {
      const after = cursorPosition(q.cursor, q.sort);
      if (!after) throw validationFailure({ cursor: ['cursor must be the nextCursor of a previous page (with the same sort)'] });
      const cast = q.sort === 'priority' ? 'integer' : 'timestamptz';
      c.raw(`(${sort}, key) ${dir === 'ASC' ? '>' : '<'} (${c.param(after[0])}::${cast}, ${c.param(after[1])}::bigint)`);
    }
    const rows: Array<TaskRow & { sort_value: unknown }> = await this.db.query(
      `SELECT *, ${sort} AS sort_value
         FROM task ${c.where()} ORDER BY ${sort} ${dir}, key ${dir} LIMIT ${c.param(q.limit + 1)}`,
      c.params,
    );
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const sortValue = (v: unknown) => (v instanceof Date ? (Number.isFinite(v.getTime()) ? v.toISOString() : 'infinity') : v);
    return {
      items: await Promise.all(page.map((r) => this.view(r))),
      nextCursor: rows.length > q.limit && last ? cursorOf(sortValue(last.sort_value), last.key) : undefined,
    };
  }

  /** Open tasks in each tab: mine, my groups, and all (for those who see all). */
  async counts(user: AuthUser) {
    await this.mirror.catchUp();
    const [row] = await this.db.query(
      `SELECT count(*) FILTER (WHERE assignee = $1)::int AS mine,
              count(*) FILTER (WHERE candidate_groups && $2::text[])::int AS "myGroups",
              count(*) FILTER (WHERE due_date < $3)::int AS overdue,
              count(*)::int AS all
         FROM task WHERE state IN ('open', 'completing') AND ${this.seesAll(user) ? 'TRUE' : '(assignee = $1 OR candidate_groups && $2::text[] OR $1 = ANY(candidate_users))'}`,
      [user.username, user.roles, this.clock.now()],
    );
    return this.seesAll(user) ? row : { mine: row.mine, myGroups: row.myGroups, overdue: row.overdue };
  }

  private async row(key: string, user: AuthUser): Promise<TaskRow> {
    if (!isKeyText(key)) throw new NotFoundError('Task', key.slice(0, 40));
    const c = this.visibleTo(user, new SqlConditions().add((p) => `key = ${p}`, key));
    // bigint columns arrive as strings from the pg driver.
    const [row] = await this.db.query(`SELECT * FROM task ${c.where()}`, c.params);
    // A task the caller may not see is answered like one that does not exist.
    if (!row) throw new NotFoundError('Task', key);
    return row;
  }

  private async view(t: TaskRow) {
    const now = this.clock.now();
    return {
      key: t.key,
      elementId: t.element_id,
      name: await this.names.nameOf(t.process_definition_key, t.element_id),
      processInstanceKey: t.process_instance_key,
      processDefinitionKey: t.process_definition_key,
      bpmnProcessId: t.bpmn_process_id,
      processVersion: t.process_version,
      caseId: t.case_id ?? undefined,
      caseNumber: t.case_number ?? undefined,
      assignee: t.assignee ?? undefined,
      candidateGroups: t.candidate_groups,
      formKey: t.form_key ?? undefined,
      dueDate: t.due_date ?? undefined,
      followUpDate: t.follow_up_date ?? undefined,
      overdue: t.state !== 'completed' && t.state !== 'cancelled' && !!t.due_date && t.due_date < now,
      priority: t.priority,
      state: t.state === 'completing' ? 'open' : t.state,
      createdAt: t.created_at,
      completedAt: t.completed_at ?? undefined,
      completedBy: t.completed_by ?? undefined,
      version: t.version,
    };
  }

  /** The task, its form, the variables the form needs, and the case it belongs to. */
  async get(key: string, user: AuthUser) {
    await this.mirror.catchUp();
    const t = await this.row(key, user);
    const form = await this.forms.forTask(t.form_key, t.process_definition_key);
    const instance = await this.engine.getInstance(t.process_instance_key);
    const wanted = form ? this.forms.variablesOf(form) : [];
    const variables = Object.fromEntries(wanted.filter((k) => k in instance.variables).map((k) => [k, instance.variables[k]]));
    const c = t.case_id ? await this.cases.detail(t.case_id, user, `task ${t.key}`) : undefined;
    return {
      task: await this.view(t),
      form: form ?? null,
      completeWith: form ? OWN_ENDPOINT[form.id] : undefined,
      variables,
      case: c && {
        id: c.id,
        applicationNumber: c.applicationNumber,
        channel: c.channel,
        status: c.status,
        currentSteps: c.currentSteps,
        applicant: c.applicant,
        supportType: c.supportType,
        submittedAt: c.submittedAt,
        verification: c.verification,
        documents: c.documents,
        attestation: c.attestation,
        earliestAnswerAt: c.earliestAnswerAt,
        /** Once communicated: the service form's date may not precede it (S7 after S5). */
        decision: c.decision,
        processInstanceKey: c.processInstanceKey,
        processDefinitionKey: t.process_definition_key,
      },
    };
  }

  async claim(key: string, user: AuthUser) {
    const t = await this.openRow(key, user);
    if (t.assignee === user.username) return this.view(t);
    if (t.assignee) throw this.heldBy(t);
    if (!this.mayWork(user, t)) throw new ForbiddenError(`Task ${key} is for ${t.candidate_groups.join(', ')}; you may not claim it`);
    return this.setAssignee(t, user.username, user);
  }

  async unclaim(key: string, user: AuthUser) {
    const t = await this.openRow(key, user);
    if (!t.assignee) return this.view(t);
    if (t.assignee !== user.username && !user.roles.some((r) => ASSIGNS.includes(r))) throw this.heldBy(t);
    return this.setAssignee(t, null, user);
  }

  async assign(key: string, assignee: string, user: AuthUser) {
    if (!user.roles.some((r) => ASSIGNS.includes(r))) throw new ForbiddenError('Only the committee chair and administrators assign tasks to others');
    const t = await this.openRow(key, user);
    const [target] = await this.db.query(`SELECT username, roles FROM app_user WHERE username = $1 AND active`, [assignee]);
    if (!target) throw validationFailure({ assignee: [`There is no active user ${assignee.slice(0, 64)}`] });
    if (!(target.roles as string[]).some((r) => t.candidate_groups.includes(r)) && !t.candidate_users.includes(assignee)) {
      throw validationFailure({ assignee: [`${assignee} is not in the task's groups (${t.candidate_groups.join(', ')})`] });
    }
    return this.setAssignee(t, assignee, user);
  }

  /** The chair and administrators set or clear a task's due and follow-up dates. */
  async schedule(key: string, changes: { dueDate?: string | null; followUpDate?: string | null }, user: AuthUser) {
    if (!user.roles.some((r) => ASSIGNS.includes(r))) throw new ForbiddenError('Only the committee chair and administrators change due dates');
    // Absent is undefined; null clears the date.
    if (changes.dueDate === undefined && changes.followUpDate === undefined) throw validationFailure({ dueDate: ['Send dueDate, followUpDate or both (null clears one)'] });
    const t = await this.openRow(key, user);
    const date = (v: string | null | undefined) => (v === null || v === undefined ? null : new Date(v));
    await this.engine.updateUserTask(
      key,
      {
        ...(changes.dueDate !== undefined ? { dueDate: date(changes.dueDate) } : {}),
        ...(changes.followUpDate !== undefined ? { followUpDate: date(changes.followUpDate) } : {}),
      },
      { id: user.id, username: user.username },
    );
    await this.audit.record({ ...this.auditOf(t, user, 'task.scheduled'), details: { task: key, ...changes } });
    await this.mirror.refresh(t.process_instance_key);
    return this.view(await this.row(key, user));
  }

  /**
   * Completes the task with the form's fields. Refused with 409 when someone else holds it,
   * when it is already done, or when the caller saw an older version; the form is checked
   * here, whatever the browser checked. Two simultaneous completions: exactly one wins the
   * row's move to 'completing'.
   */
  async complete(key: string, variables: Record<string, unknown>, version: number | undefined, user: AuthUser) {
    const t = await this.openRow(key, user);
    if (t.assignee && t.assignee !== user.username) throw this.heldBy(t);
    if (!this.mayWork(user, t)) throw new ForbiddenError(`Task ${key} is for ${t.candidate_groups.join(', ')}; you may not complete it`);
    if (version !== undefined && version !== t.version) {
      throw new ConflictError('STALE_TASK', `Task ${key} changed since you opened it (version ${t.version}, you had ${version}); reload it`, { version: t.version, assignee: t.assignee });
    }
    const form = await this.forms.forTask(t.form_key, t.process_definition_key);
    if (form && OWN_ENDPOINT[form.id]) throw new ConflictError('USE_OWN_ENDPOINT', `Task ${key} is completed through ${OWN_ENDPOINT[form.id]}`);
    const problems = form ? validateAgainstForm(form, variables) : {};
    if (!form && Object.keys(variables).length > 0) problems.variables = ['This task has no form: complete it without variables'];
    if (Object.keys(problems).length > 0) throw validationFailure(problems);
    if (form?.id === SERVICE_DELIVERY_FORM && t.case_id) await this.serviceDelivery.checkCompletion(t.case_id, variables);
    // The vote carries who cast it: the diagram makes `voter` local to the member's iteration
    // and collects it with the vote (outputElement), so the chair reads every vote named.
    if (form?.id === COMMITTEE_VOTE_FORM) variables = { ...variables, [VOTER_VARIABLE]: { username: user.username, name: user.displayName } };

    const current = (await this.engine.getInstance(t.process_instance_key)).variables;
    const before = Object.fromEntries(Object.keys(variables).filter((k) => k in current).map((k) => [k, current[k]]));
    const won = await this.db.transaction(async (em) => {
      if (form?.id === COMMITTEE_VOTE_FORM) await this.ensureNotVotedTwice(em, t, user);
      const [[row]] = await em.query(
        `UPDATE task SET state = 'completing', assignee = COALESCE(assignee, $3), version = version + 1
          WHERE key = $1 AND state = 'open' AND version = $2 RETURNING key`,
        [key, t.version, user.username],
      );
      return row as unknown;
    });
    if (!won) throw await this.conflictNow(key, user);
    try {
      await this.engine.completeUserTask(key, variables, { id: user.id, username: user.username });
    } catch (e) {
      await this.db.query(`UPDATE task SET state = 'open', assignee = $2, version = version + 1 WHERE key = $1 AND state = 'completing'`, [key, t.assignee]);
      throw e;
    }
    await this.db.transaction(async (em) => {
      await em.query(`UPDATE task SET state = 'completed', completed_at = $2, completed_by = $3, version = version + 1 WHERE key = $1`, [
        key,
        this.clock.now(),
        user.username,
      ]);
      await this.audit.append(em, [
        { ...this.auditOf(t, user, 'task.completed'), details: { task: key, form: form?.id, variablesBefore: before, variablesAfter: variables } },
      ]);
    });
    return this.view(await this.row(key, user));
  }

  /**
   * A committee member votes once per case, however many vote tasks the committee has. The
   * database enforces it: the case's vote tasks are locked (FOR UPDATE) for the rest of the
   * claiming transaction, so a second completion by the same member, sent at the same moment,
   * waits and then sees the first one's claim ('completing' with that member as assignee).
   */
  private async ensureNotVotedTwice(em: EntityManager, t: TaskRow, user: AuthUser): Promise<void> {
    await em.query(`SELECT key FROM task WHERE process_instance_key = $1 AND element_id = $2 ORDER BY key FOR UPDATE`, [t.process_instance_key, t.element_id]);
    const [voted] = await em.query(
      `SELECT 1 FROM task
        WHERE process_instance_key = $1 AND element_id = $2 AND key <> $4
          AND state IN ('completing', 'completed') AND COALESCE(completed_by, assignee) = $3`,
      [t.process_instance_key, t.element_id, user.username, t.key],
    );
    if (voted) throw new ConflictError('ALREADY_VOTED', `You have already voted on case ${t.case_number ?? t.process_instance_key}; another member must cast this vote`);
  }

  private async openRow(key: string, user: AuthUser): Promise<TaskRow> {
    await this.mirror.catchUp();
    const t = await this.row(key, user);
    if (t.state !== 'open') throw await this.conflictNow(key, user);
    return t;
  }

  private auditOf(t: TaskRow, user: AuthUser, action: string) {
    return { at: this.clock.now(), actor: user.username, action, caseId: t.case_id, processInstanceKey: t.process_instance_key, elementId: t.element_id };
  }

  private heldBy(t: TaskRow): ConflictError {
    return new ConflictError('TASK_HELD', `Task ${t.key} is claimed by ${t.assignee}`, { assignee: t.assignee, version: t.version });
  }

  private async conflictNow(key: string, user: AuthUser): Promise<ConflictError> {
    const t = await this.row(key, user);
    if (t.state === 'completed' || t.state === 'completing') {
      return new ConflictError('TASK_COMPLETED', `Task ${key} was already completed${t.completed_by ? ` by ${t.completed_by}` : ''}`, {
        completedBy: t.completed_by ?? t.assignee,
        completedAt: t.completed_at,
      });
    }
    if (t.state === 'cancelled') return new ConflictError('TASK_CANCELLED', `Task ${key} was cancelled: the case moved on without it`);
    return new ConflictError('STALE_TASK', `Task ${key} changed while you completed it; reload it`, { version: t.version, assignee: t.assignee });
  }

  private async setAssignee(t: TaskRow, assignee: string | null, user: AuthUser) {
    const [[row]] = await this.db.query(
      `UPDATE task SET assignee = $3, version = version + 1 WHERE key = $1 AND state = 'open' AND version = $2 RETURNING key`,
      [t.key, t.version, assignee],
    );
    if (!row) throw await this.conflictNow(t.key, user);
    try {
      await this.engine.assignUserTask(t.key, assignee, { id: user.id, username: user.username });
    } catch (e) {
      await this.db.query('UPDATE task SET assignee = $2, version = version + 1 WHERE key = $1', [t.key, t.assignee]);
      throw e;
    }
    const action = assignee === null ? 'task.unclaimed' : assignee === user.username ? 'task.claimed' : 'task.assigned';
    await this.audit.record({ ...this.auditOf(t, user, action), details: { task: t.key, from: t.assignee, to: assignee } });
    return this.view(await this.row(t.key, user));
  }
}

