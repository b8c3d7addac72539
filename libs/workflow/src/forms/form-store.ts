import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ModdleElement } from 'bpmn-moddle';
import type { DataSource, EntityManager } from 'typeorm';
import { nextKeys } from '../embedded/engine-store';
import { executableProcesses, flowElements } from '../model/process-model';

/** A Camunda Form (form-js JSON): what is stored; its fields are the task list's business. */
export interface StoredForm {
  id: string;
  components: unknown[];
  [key: string]: unknown;
}

export interface FormVersion {
  id: string;
  version: number;
  isNewVersion: boolean;
}

/** A stored form version with its key, as Camunda's form routes answer it. */
export interface KeyedForm {
  key: string;
  id: string;
  version: number;
  schema: StoredForm;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function keyedForm(row: any): KeyedForm {
  return { key: row.key, id: row.form_id, version: Number(row.version), schema: (typeof row.schema === 'string' ? JSON.parse(row.schema) : row.schema) as StoredForm };
}

/** A form version as a deployment answers it: with its key (Zeebe's formKey). */
export interface DeployedForm extends FormVersion {
  key: string;
}

export function formChecksum(form: StoredForm): string {
  return createHash('sha256').update(JSON.stringify(form)).digest('hex');
}

/** The form ids a diagram's user tasks link with zeebe:formDefinition formId. */
export function linkedFormIds(definitions: ModdleElement): string[] {
  const ids = new Set<string>();
  const visit = (elements: Iterable<ModdleElement>) => {
    for (const el of elements) {
      for (const ext of ((el.extensionElements as { values?: ModdleElement[] } | undefined)?.values ?? [])) {
        if (ext.$type === 'zeebe:FormDefinition' && typeof ext.formId === 'string' && ext.formId) ids.add(ext.formId);
      }
    }
  };
  for (const process of executableProcesses(definitions)) visit(flowElements(process));
  return [...ids].sort();
}

/**
 * Task forms as versioned resources, the way Camunda 8 deploys them beside a diagram: a form
 * whose content is new gets the next version; each process version is bound to the form
 * versions it was deployed with, so a running case keeps the forms of its own version.
 * A process version without a binding for a form uses that form's latest version.
 */
@Injectable()
export class FormStore {
  /** Form versions never change: cached by id and version. */
  private readonly cache = new Map<string, StoredForm>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The form a task of this process version shows and is checked against. */
  async forDefinition(formId: string, processDefinitionKey: string): Promise<StoredForm | undefined> {
    const [row] = await this.db.query(
      `SELECT f.version FROM wf_form f
        WHERE f.form_id = $1
          AND f.version = COALESCE(
                (SELECT form_version FROM wf_definition_form WHERE process_definition_key = $2 AND form_id = $1),
                (SELECT max(version) FROM wf_form WHERE form_id = $1 AND deleted_at IS NULL))
          AND f.deleted_at IS NULL`,
      [formId, processDefinitionKey],
    );
    return row ? this.version(formId, row.version) : undefined;
  }

  /** The forms a process version uses, by form id. */
  async ofDefinition(processDefinitionKey: string, formIds: string[]): Promise<Record<string, StoredForm>> {
    const forms: Record<string, StoredForm> = {};
    for (const id of formIds) {
      const form = await this.forDefinition(id, processDefinitionKey);
      if (form) forms[id] = form;
    }
    return forms;
  }

  /** Latest versions of the given forms (those that exist). */
  async latest(formIds: string[], em: EntityManager = this.db.manager): Promise<Map<string, number>> {
    if (formIds.length === 0) return new Map();
    const rows: Array<{ form_id: string; version: number }> = await em.query(
      `SELECT form_id, max(version) AS version FROM wf_form WHERE form_id = ANY($1) AND deleted_at IS NULL GROUP BY form_id`,
      [formIds],
    );
    return new Map(rows.map((r) => [r.form_id, Number(r.version)]));
  }

  /**
   * Stores each form whose content is new as its next version. `reuseAnyVersion`: content
   * equal to any earlier version is that version (a file shipped again after a person changed
   * the form in the browser does not undo their change); otherwise only equality with the
   * latest counts, so deploying an old form again makes it the newest.
   */
  async save(em: EntityManager, forms: StoredForm[], by: string | undefined, at: Date, reuseAnyVersion = false): Promise<FormVersion[]> {
    const saved: FormVersion[] = [];
    for (const form of forms) {
      const checksum = formChecksum(form);
      const versions: Array<{ version: number; checksum: string; deleted: boolean }> = await em.query(
        `SELECT version, checksum, deleted_at IS NOT NULL AS deleted FROM wf_form WHERE form_id = $1 ORDER BY version DESC FOR UPDATE`,
        [form.id],
      );
      // A deleted version is never used again (its number neither): equal content becomes a new version.
      const live = versions.filter((v) => !v.deleted);
      const same = reuseAnyVersion ? live.find((v) => v.checksum === checksum) : versions[0] && !versions[0].deleted && versions[0].checksum === checksum ? versions[0] : undefined;
      if (same) {
        saved.push({ id: form.id, version: same.version, isNewVersion: false });
        continue;
      }
      const version = (versions[0]?.version ?? 0) + 1;
      await em.query(`INSERT INTO wf_form (form_id, version, schema, checksum, deployed_at, deployed_by) VALUES ($1, $2, $3, $4, $5, $6)`, [
        form.id,
        version,
        JSON.stringify(form),
        checksum,
        at,
        by ?? null,
      ]);
      saved.push({ id: form.id, version, isNewVersion: true });
    }
    return saved;
  }

  /**
   * Forms deployed as Zeebe deploys them beside diagrams (the gateway's DeployResource), in one
   * transaction: each form whose content is new becomes its next version, and each process
   * version deployed with them (`bindTo`) is bound to the versions of the forms it links. Answers
   * each form's version and key, and a key drawn for the deployment (for a deployment of forms only).
   */
  async deploy(
    forms: StoredForm[],
    bindTo: Array<{ processDefinitionKey: string; formIds: string[] }>,
    by: string | undefined,
    at: Date,
  ): Promise<{ deploymentKey: string; forms: DeployedForm[] }> {
    return this.db.transaction(async (em) => {
      const [deploymentKey] = await nextKeys(em, 1);
      const saved = await this.save(em, forms, by, at);
      const versions = new Map(saved.map((f) => [f.id, f.version]));
      for (const target of bindTo) {
        const bound = target.formIds.filter((id) => versions.has(id)).map((id) => ({ id, version: versions.get(id)! }));
        await this.bind(em, target.processDefinitionKey, bound);
      }
      const keys = await this.keysOf(saved, em);
      return { deploymentKey, forms: saved.map((f) => ({ ...f, key: keys.get(`${f.id}@${f.version}`)! })) };
    });
  }

  /** The key of each form version (Zeebe's formKey, from the engine's key sequence), by `id@version`. */
  async keysOf(versions: Array<{ id: string; version: number }>, em: EntityManager = this.db.manager): Promise<Map<string, string>> {
    if (versions.length === 0) return new Map();
    const rows: Array<{ form_id: string; version: number; key: string }> = await em.query(
      `SELECT form_id, version, key::text FROM wf_form WHERE (form_id, version) IN (SELECT * FROM unnest($1::varchar[], $2::int[]))`,
      [versions.map((v) => v.id), versions.map((v) => v.version)],
    );
    return new Map(rows.map((r) => [`${r.form_id}@${Number(r.version)}`, r.key]));
  }

  /**
   * The deployed form a user task or start event links with `zeebe:formDefinition formId`, by
   * its binding (docs.camunda.io/docs/components/modeler/bpmn/user-tasks/#user-task-forms):
   * `latest` (the default) the latest version, `deployment` the version deployed with the
   * process version, `versionTag` the latest version whose schema carries that `versionTag`.
   * Deleted versions are never found.
   */
  async linked(formId: string, binding: { bindingType?: string; versionTag?: string; processDefinitionKey: string }): Promise<KeyedForm | undefined> {
    const columns = `key::text, form_id, version, schema`;
    const [row] =
      binding.bindingType === 'deployment'
        ? await this.db.query(
            `SELECT ${columns} FROM wf_form f WHERE f.form_id = $1 AND f.deleted_at IS NULL
                AND f.version = (SELECT form_version FROM wf_definition_form WHERE process_definition_key = $2 AND form_id = $1)`,
            [formId, binding.processDefinitionKey],
          )
        : binding.bindingType === 'versionTag'
          ? await this.db.query(`SELECT ${columns} FROM wf_form WHERE form_id = $1 AND deleted_at IS NULL AND schema->>'versionTag' = $2 ORDER BY version DESC LIMIT 1`, [
              formId,
              binding.versionTag ?? '',
            ])
          : await this.db.query(`SELECT ${columns} FROM wf_form WHERE form_id = $1 AND deleted_at IS NULL ORDER BY version DESC LIMIT 1`, [formId]);
    return row ? keyedForm(row) : undefined;
  }

  /** Binds a process version to form versions (replacing earlier bindings of those forms). */
  async bind(em: EntityManager, processDefinitionKey: string, forms: Array<{ id: string; version: number }>): Promise<void> {
    for (const form of forms) {
      await em.query(
        `INSERT INTO wf_definition_form (process_definition_key, form_id, form_version) VALUES ($1, $2, $3)
         ON CONFLICT (process_definition_key, form_id) DO UPDATE SET form_version = EXCLUDED.form_version`,
        [processDefinitionKey, form.id, form.version],
      );
    }
  }

  private async version(formId: string, version: number): Promise<StoredForm | undefined> {
    const id = `${formId}@${version}`;
    const cached = this.cache.get(id);
    if (cached) return cached;
    const [row] = await this.db.query(`SELECT schema FROM wf_form WHERE form_id = $1 AND version = $2`, [formId, version]);
    if (!row) return undefined;
    const form = (typeof row.schema === 'string' ? JSON.parse(row.schema) : row.schema) as StoredForm;
    this.cache.set(id, form);
    return form;
  }
}
