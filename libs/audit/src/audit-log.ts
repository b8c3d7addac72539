import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SqlConditions } from '@mustafid/database';
import { canonicalJson } from '@mustafid/platform';
import type { DataSource, EntityManager } from 'typeorm';

/** One thing that happened, as the audit log keeps it. Personal data stays out: ids and field names only. */
export interface AuditEntry {
  at: Date;
  /** Username, or `engine` / `system` when no person caused it. */
  actor: string;
  /** e.g. application.submitted, case.read, task.completed, engine.ELEMENT_COMPLETED */
  action: string;
  caseId?: string | null;
  processInstanceKey?: string | null;
  elementId?: string | null;
  details?: Record<string, unknown>;
  /** The engine event it copies (engine events are copied once). */
  enginePosition?: string | null;
}

export interface AuditRow extends AuditEntry {
  seq: string;
  prevHash: string;
  hash: string;
}

export type Verification = { ok: true; checked: number; lastSeq: string } | { ok: false; checked: number; seq: string; reason: string };

const GENESIS = '0'.repeat(64);

/** The hash of a row: SHA-256 over the previous row's hash and the row's canonical content. */
export function rowHash(prevHash: string, seq: string, e: AuditEntry): string {
  const content = canonicalJson({
    seq,
    at: e.at.toISOString(),
    actor: e.actor,
    action: e.action,
    caseId: e.caseId ?? null,
    processInstanceKey: e.processInstanceKey ?? null,
    elementId: e.elementId ?? null,
    details: e.details ?? {},
    enginePosition: e.enginePosition ?? null,
  });
  return createHash('sha256').update(prevHash).update(content).digest('hex');
}

function toRow(r: Record<string, never>): AuditRow {
  return {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    caseId: r.case_id,
    processInstanceKey: r.process_instance_key,
    elementId: r.element_id,
    details: r.details,
    enginePosition: r.engine_position,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/**
 * The tamper-evident audit log. `append` writes in the caller's transaction, so an event is
 * kept exactly when the change it records is; it locks the chain's head row, so the chain has
 * one order across processes. `verify` recomputes every hash from the first row.
 */
@Injectable()
export class AuditLog {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async append(em: EntityManager, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const [head] = await em.query('SELECT seq::text AS seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE');
    let seq = BigInt(head.seq);
    let prev: string = head.hash;
    for (const e of entries) {
      seq += 1n;
      const hash = rowHash(prev, seq.toString(), e);
      await em.query(
        `INSERT INTO audit_event (seq, at, actor, action, case_id, process_instance_key, element_id, details, engine_position, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [seq.toString(), e.at, e.actor.slice(0, 64), e.action, e.caseId ?? null, e.processInstanceKey ?? null, e.elementId ?? null, e.details ?? {},
          e.enginePosition ?? null, prev, hash],
      );
      prev = hash;
    }
    await em.query('UPDATE audit_chain_head SET seq = $1, hash = $2 WHERE id = 1', [seq.toString(), prev]);
  }

  /** Appends in a transaction of its own (for events that change nothing else, such as a read). */
  record(...entries: AuditEntry[]): Promise<void> {
    return this.db.transaction((em) => this.append(em, entries));
  }

  /** Recomputes the chain; the first row whose hash or link does not match is named. */
  async verify(batch = 2000): Promise<Verification> {
    // From the newest checkpoint when rows before it were pruned at the end of their retention.
    const [checkpoint] = await this.db.query('SELECT c.seq::text AS seq, c.hash FROM audit_checkpoint c ORDER BY c.seq DESC LIMIT 1');
    let prev: string = checkpoint?.hash ?? GENESIS;
    let after: string = checkpoint?.seq ?? '0';
    let checked = 0;
    for (;;) {
      const rows: AuditRow[] = (await this.db.query('SELECT * FROM audit_event WHERE seq > $1 ORDER BY seq LIMIT $2', [after, batch])).map(toRow);
      for (const r of rows) {
        const expectedSeq = (BigInt(after) + 1n).toString();
        if (r.seq !== expectedSeq) return { ok: false, checked, seq: expectedSeq, reason: `row ${expectedSeq} is missing` };
        if (r.prevHash !== prev) return { ok: false, checked, seq: r.seq, reason: `row ${r.seq} does not link to the row before it` };
        if (rowHash(prev, r.seq, r) !== r.hash) return { ok: false, checked, seq: r.seq, reason: `row ${r.seq} was changed after it was written` };
        prev = r.hash;
        after = r.seq;
        checked++;
      }
      if (rows.length < batch) break;
    }
    const [head] = await this.db.query('SELECT seq::text AS seq, hash FROM audit_chain_head WHERE id = 1');
    if (head.seq !== after || head.hash !== prev) {
      return { ok: false, checked, seq: head.seq, reason: `the log ends at row ${after}, but ${head.seq} rows were written` };
    }
    return { ok: true, checked, lastSeq: after };
  }

  /**
   * Removes rows written before `before` (their retention has ended): a checkpoint keeps the
   * last removed row's sequence number and hash, and verify starts from it. The trigger lets
   * these rows go, and no others.
   */
  async prune(before: Date, now = new Date()): Promise<{ pruned: number; checkpoint?: string }> {
    return this.db.transaction(async (em) => {
      await em.query('SELECT 1 FROM audit_chain_head WHERE id = 1 FOR UPDATE');
      const [last] = await em.query('SELECT e.seq::text AS seq, e.hash FROM audit_event e WHERE e.at < $1 ORDER BY e.seq DESC LIMIT 1', [before]);
      if (!last) return { pruned: 0 };
      // A row written later but with an earlier time (clocks differ) ends the prefix: prune only the rows before it.
      const [gap] = await em.query('SELECT min(seq)::text AS seq FROM audit_event WHERE seq <= $1 AND at >= $2', [last.seq, before]);
      const upTo = gap?.seq ? (BigInt(gap.seq) - 1n).toString() : last.seq;
      if (upTo === '0') return { pruned: 0 };
      const [row] = await em.query('SELECT seq::text AS seq, hash FROM audit_event WHERE seq = $1', [upTo]);
      if (!row) return { pruned: 0 };
      await em.query('INSERT INTO audit_checkpoint (seq, hash, at, pruned_before) VALUES ($1, $2, $3, $4)', [row.seq, row.hash, now, before]);
      await em.query(`SELECT set_config('mustafid.audit_prune', 'on', true)`);
      const [, pruned] = await em.query('DELETE FROM audit_event WHERE seq <= $1', [row.seq]);
      await em.query(`SELECT set_config('mustafid.audit_prune', 'off', true)`);
      return { pruned: Number(pruned ?? 0), checkpoint: row.seq };
    });
  }

  /** Events, newest first, filtered; `limit` is clamped to 500. */
  async list(filter: { actor?: string; action?: string; caseId?: string; from?: Date; to?: Date; beforeSeq?: string; limit: number }) {
    const c = new SqlConditions();
    if (filter.actor) c.add((p) => `actor = ${p}`, filter.actor);
    if (filter.action) c.add((p) => `action = ${p}`, filter.action);
    if (filter.caseId) c.add((p) => `case_id = ${p}`, filter.caseId);
    if (filter.from) c.add((p) => `at >= ${p}`, filter.from);
    if (filter.to) c.add((p) => `at < ${p}`, filter.to);
    if (filter.beforeSeq) c.add((p) => `seq < ${p}`, filter.beforeSeq);
    const limit = Math.max(1, Math.min(500, filter.limit));
    const rows = (await this.db.query(`SELECT * FROM audit_event ${c.where()} ORDER BY seq DESC LIMIT ${c.param(limit + 1)}`, c.params)).map(toRow);
    return { items: rows.slice(0, limit), nextBeforeSeq: rows.length > limit ? rows[limit - 1].seq : undefined };
  }

  /** A case's events, oldest first. */
  async ofCase(caseId: string): Promise<AuditRow[]> {
    return (await this.db.query('SELECT * FROM audit_event WHERE case_id = $1 ORDER BY seq', [caseId])).map(toRow);
  }
}
