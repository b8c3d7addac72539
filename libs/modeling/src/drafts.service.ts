import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditLog } from '@mustafid/audit';
import { type AuthUser } from '@mustafid/auth';
import { ConflictError, NotFoundError } from '@mustafid/platform';
import { QueryFailedError, type DataSource } from 'typeorm';
import { executableProcesses, formBundle, InvalidBpmnError, parseDiagram } from '@mustafid/workflow';
import type { CreateDraftDto, UpdateDraftDto } from './modeling.dto';

export interface DraftSummary {
  id: string;
  bpmnProcessId: string;
  name: string;
  author: string;
  baseVersion: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Draft extends DraftSummary {
  xml: string;
  forms: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMNS = `id, bpmn_process_id, name, author, base_version, created_at, updated_at`;

function summary(r: Record<string, unknown>): DraftSummary {
  return {
    id: r.id as string,
    bpmnProcessId: r.bpmn_process_id as string,
    name: r.name as string,
    author: r.author as string,
    baseVersion: (r.base_version as number | null) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

/**
 * Named drafts of a process, kept on the server so a process owner can stop and come back, or
 * hand a change to a colleague. A draft may still have lint problems; it must be a BPMN
 * diagram holding the process it is a draft of (safe XML: no DOCTYPE or entities).
 */
@Injectable()
export class ProcessDrafts {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async list(bpmnProcessId: string): Promise<DraftSummary[]> {
    const rows = await this.db.query(`SELECT ${COLUMNS} FROM process_draft WHERE bpmn_process_id = $1 ORDER BY updated_at DESC`, [bpmnProcessId]);
    return rows.map(summary);
  }

  async get(id: string): Promise<Draft> {
    if (!UUID.test(id)) throw new NotFoundError('Draft', id);
    const [row] = await this.db.query(`SELECT ${COLUMNS}, xml, forms FROM process_draft WHERE id = $1`, [id]);
    if (!row) throw new NotFoundError('Draft', id);
    return { ...summary(row), xml: row.xml, forms: row.forms };
  }

  async create(bpmnProcessId: string, dto: CreateDraftDto, user: AuthUser): Promise<Draft> {
    await this.checkContent(bpmnProcessId, dto.xml, dto.forms);
    const now = new Date();
    const id = await this.named(dto.name, bpmnProcessId, () =>
      this.db.transaction(async (em) => {
        const [row] = await em.query(
          `INSERT INTO process_draft (bpmn_process_id, name, xml, forms, base_version, author, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
          [bpmnProcessId, dto.name, dto.xml, JSON.stringify(dto.forms ?? {}), dto.baseVersion ?? null, user.username, now],
        );
        await this.audit.append(em, [this.entry('process.draft-saved', now, user, { draftId: row.id, bpmnProcessId, name: dto.name, baseVersion: dto.baseVersion ?? null })]);
        return row.id as string;
      }),
    );
    return this.get(id);
  }

  async update(id: string, dto: UpdateDraftDto, user: AuthUser): Promise<Draft> {
    const current = await this.get(id);
    await this.checkContent(current.bpmnProcessId, dto.xml, dto.forms);
    const name = dto.name ?? current.name;
    const now = new Date();
    await this.named(name, current.bpmnProcessId, () =>
      this.db.transaction(async (em) => {
        const [, changed] = await em.query(
          `UPDATE process_draft SET name = $2, xml = $3, forms = $4, base_version = COALESCE($5, base_version), updated_at = $6 WHERE id = $1`,
          [id, name, dto.xml, JSON.stringify(dto.forms ?? current.forms), dto.baseVersion ?? null, now],
        );
        if (!changed) throw new NotFoundError('Draft', id);
        await this.audit.append(em, [this.entry('process.draft-saved', now, user, { draftId: id, bpmnProcessId: current.bpmnProcessId, name })]);
      }),
    );
    return this.get(id);
  }

  async delete(id: string, user: AuthUser): Promise<void> {
    const current = await this.get(id);
    const now = new Date();
    await this.db.transaction(async (em) => {
      await em.query(`DELETE FROM process_draft WHERE id = $1`, [id]);
      await this.audit.append(em, [this.entry('process.draft-deleted', now, user, { draftId: id, bpmnProcessId: current.bpmnProcessId, name: current.name })]);
    });
  }

  private async checkContent(bpmnProcessId: string, xml: string, forms: Record<string, unknown> | undefined): Promise<void> {
    const definitions = (await parseDiagram(xml)).rootElement;
    const ids = executableProcesses(definitions).map((p) => p.id as string);
    if (!ids.includes(bpmnProcessId)) {
      throw new InvalidBpmnError(
        `This is a draft of process "${bpmnProcessId}", but the diagram holds ${ids.length ? `process ${ids.map((i) => `"${i}"`).join(', ')}` : 'no executable process'}`,
      );
    }
    formBundle(forms);
  }

  /** Runs a write whose draft name must be free for the process: a taken name is a 409 naming it. */
  private async named<T>(name: string, bpmnProcessId: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      if (e instanceof QueryFailedError && (e.driverError as { constraint?: string }).constraint === 'process_draft_name_key') {
        throw new ConflictError('DRAFT_NAME_TAKEN', `A draft of ${bpmnProcessId} is already named "${name}"; choose another name or open that draft`);
      }
      throw e;
    }
  }

  private entry(action: string, at: Date, user: AuthUser, details: Record<string, unknown>) {
    return { at, actor: user.username, action, details };
  }
}
