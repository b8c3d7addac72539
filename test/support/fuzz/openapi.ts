/**
 * The operations of the server's own OpenAPI document (GET /api/docs-json), in the shape the
 * fuzz needs: method, path template, parameters and body schemas, and who may call it (read
 * from the document: no `security` is public; a 403 that "Needs one of the roles: …" names them).
 */

/** The subset of JSON Schema that @nestjs/swagger writes. */
export interface Schema {
  $ref?: string;
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  format?: string;
  nullable?: boolean;
  additionalProperties?: boolean | Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface OpenApiOperation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema?: Schema }> };
  security?: unknown[];
  responses?: Record<string, { description?: string }>;
}

export type Access = { kind: 'public' } | { kind: 'signed-in' } | { kind: 'roles'; roles: string[] };

export interface FuzzParam {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Schema;
}

export interface FuzzOperation {
  /** e.g. "POST /api/users/{id}" */
  id: string;
  method: string;
  path: string;
  params: FuzzParam[];
  body?: { contentTypes: string[]; schema: Schema };
  access: Access;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function accessOf(op: OpenApiOperation): Access {
  if (!op.security || op.security.length === 0) return { kind: 'public' };
  const roles = /Needs one of the roles: (.+)$/.exec(op.responses?.['403']?.description ?? '')?.[1];
  return roles ? { kind: 'roles', roles: roles.split(/,\s*/) } : { kind: 'signed-in' };
}

/** Every operation of the document, in document order. */
export function operationsOf(doc: OpenApiDocument): FuzzOperation[] {
  const ops: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const params = (op.parameters ?? [])
        .filter((p) => p.in === 'path' || p.in === 'query')
        .map((p) => ({ name: p.name, in: p.in as 'path' | 'query', required: Boolean(p.required), schema: p.schema ?? { type: 'string' as const } }));
      const content = op.requestBody?.content;
      const contentTypes = content ? Object.keys(content) : [];
      const schema = content ? (content['application/json']?.schema ?? Object.values(content)[0]?.schema ?? { type: 'object' }) : undefined;
      ops.push({
        id: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        params,
        body: schema ? { contentTypes, schema } : undefined,
        access: accessOf(op),
      });
    }
  }
  return ops;
}

/** Follows `$ref`s (and a single allOf) to the schema they name. */
export function resolveSchema(doc: OpenApiDocument, schema: Schema, depth = 0): Schema {
  if (depth > 20) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    return target ? resolveSchema(doc, target, depth + 1) : {};
  }
  if (schema.allOf?.length === 1) {
    // e.g. a query `limit` with a default: {minimum, maximum, default, allOf: [Object]}; the bounds say it is a number.
    const { allOf, ...own } = schema;
    const inner = resolveSchema(doc, allOf[0], depth + 1);
    const isNumber = own.minimum !== undefined || own.maximum !== undefined;
    return isNumber ? { ...own, type: 'number' } : { ...inner, ...own };
  }
  return schema;
}
