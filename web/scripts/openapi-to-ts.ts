/**
 * Turns the Worker's OpenAPI 3.1 document into the web app's API types (web/lib/api/openapi.gen.ts).
 * Pure: the CLI (generate-api.ts) feeds it the live document, and the browser test suite runs it
 * again against the running stack and type-checks the whole web app against the result, so a
 * change to any operation the app uses fails a test.
 *
 * It covers what @hono/zod-openapi emits for this API: objects, arrays, tuples (prefixItems),
 * enums, records (additionalProperties), `type: [T, 'null']`, $ref, anyOf/oneOf and allOf
 * (including zod-openapi's `allOf: [{$ref}, {type: [object, null]}]` for a nullable reference).
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  prefixItems?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  description?: string;
};

type Parameter = { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema?: Schema; description?: string };
type Operation = {
  summary?: string;
  'x-permission'?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
};
export type OpenApiDocument = {
  paths: Record<string, Partial<Record<string, Operation>>>;
  components?: { schemas?: Record<string, Schema> };
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const key = (name: string) => (IDENT.test(name) ? name : JSON.stringify(name));
const indent = (text: string, by = '  ') => text.split('\n').join(`\n${by}`);

function isBareNull(s: Schema): boolean {
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  return types.includes('null') && !s.properties && !s.items && !s.additionalProperties && !s.$ref && !s.enum;
}

/** `{ type: 'null' }` and nothing else. */
function isOnlyNull(s: Schema): boolean {
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  return types.length > 0 && types.every((t) => t === 'null') && isBareNull(s);
}

function literal(v: unknown): string {
  return JSON.stringify(v);
}

/** One schema as a TypeScript type expression. */
export function typeOf(s: Schema | undefined): string {
  if (!s) return 'unknown';
  if (s.$ref) return `Schemas[${literal(s.$ref.replace('#/components/schemas/', ''))}]`;
  if (s.const !== undefined) return literal(s.const);
  if (s.allOf) {
    const nullable = s.allOf.some(isBareNull);
    const parts = s.allOf.filter((p) => !isBareNull(p)).map(typeOf);
    const joined = parts.length ? parts.map((p) => (p.includes('|') ? `(${p})` : p)).join(' & ') : 'unknown';
    return nullable ? `(${joined}) | null` : joined;
  }
  const union = s.anyOf ?? s.oneOf;
  if (union) {
    // `anyOf: [{$ref}, {type: 'null'}]` (a nullable reference in OpenAPI 3.1) is `T | null`.
    const members = [...new Set(union.map((m) => (isOnlyNull(m) ? 'null' : typeOf(m))))];
    return members.join(' | ');
  }
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  const nullable = types.includes('null');
  const nonNull = types.filter((t) => t !== 'null');
  let base: string;
  if (s.enum) base = s.enum.filter((v) => v !== null).map(literal).join(' | ');
  else if (nonNull.length === 0 && (s.properties || s.additionalProperties)) base = objectType(s);
  else if (nonNull.length === 0) base = 'unknown';
  else base = nonNull.map((t) => scalar(t, s)).join(' | ');
  if (s.enum?.includes(null) && !nullable) base = `${base} | null`;
  return nullable ? `${base.includes('|') || base.includes('&') ? `(${base})` : base} | null` : base;
}

function scalar(type: string, s: Schema): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      if (s.prefixItems) return `[${s.prefixItems.map(typeOf).join(', ')}]`;
      return `Array<${typeOf(s.items)}>`;
    case 'object':
      return objectType(s);
    default:
      return 'unknown';
  }
}

function objectType(s: Schema): string {
  const props = Object.entries(s.properties ?? {});
  const required = new Set(s.required ?? []);
  const lines = props.map(([name, p]) => {
    const doc = p.description ? `/** ${p.description.replace(/\*\//g, '*\\/')} */\n` : '';
    return `${doc}${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(p)};`;
  });
  const extra = s.additionalProperties;
  if (extra && typeof extra === 'object') lines.push(`[key: string]: ${typeOf(extra)}${props.length ? ' | undefined' : ''};`);
  else if (extra === true || (!props.length && extra === undefined)) lines.push('[key: string]: unknown;');
  return lines.length ? `{\n  ${indent(lines.join('\n'))}\n}` : 'Record<string, never>';
}

function paramsType(params: Parameter[], where: 'path' | 'query'): string | null {
  const own = params.filter((p) => p.in === where);
  if (!own.length) return null;
  return `{ ${own.map((p) => `${key(p.name)}${p.required || where === 'path' ? '' : '?'}: ${typeOf(p.schema)}`).join('; ')} }`;
}

function successResponse(op: Operation): { status: string; type: string } {
  const entry = Object.entries(op.responses ?? {}).find(([status]) => /^2\d\d$/.test(status));
  if (!entry) return { status: '200', type: 'void' };
  const [status, res] = entry;
  const json = res.content?.['application/json']?.schema;
  if (json) return { status, type: typeOf(json) };
  if (res.content && Object.keys(res.content).some((t) => t.startsWith('text/'))) return { status, type: 'string' };
  return { status, type: 'void' };
}

/** The whole generated module, deterministic for one document. */
export function generateApiModule(doc: OpenApiDocument): string {
  const out: string[] = [
    '/* Generated from the Worker\'s OpenAPI document by web/scripts/generate-api.ts — do not edit. */',
    '/* Regenerate against a running stack: npx tsx web/scripts/generate-api.ts http://localhost:8787/v1/openapi.json */',
    '',
    'export interface Schemas {',
  ];
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`  ${key(name)}: ${indent(typeOf(schema))};`);
  }
  out.push('}', '');
  out.push('/** Every operation: its permission, parameters, body and success answer. Paths are relative to /v1. */');
  out.push('export interface Paths {');
  const operations: string[] = [];
  for (const path of Object.keys(doc.paths).sort()) {
    const ops = doc.paths[path]!;
    const methods = METHODS.filter((m) => ops[m]);
    if (!methods.length) continue;
    out.push(`  ${literal(path)}: {`);
    for (const m of methods) {
      const op = ops[m]!;
      const params = op.parameters ?? [];
      const parts: string[] = [`permission: ${literal(op['x-permission'] ?? 'public')}`];
      const pathParams = paramsType(params, 'path');
      if (pathParams) parts.push(`path: ${pathParams}`);
      const query = paramsType(params, 'query');
      if (query) parts.push(`query: ${query}`);
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (body) parts.push(`body: ${indent(typeOf(body), '      ')}`);
      const ok = successResponse(op);
      parts.push(`status: ${ok.status}`, `response: ${indent(ok.type, '      ')}`);
      const doc = op.summary ? `    /** ${op.summary.replace(/\*\//g, '*\\/')} */\n` : '';
      out.push(`${doc}    ${m}: {\n      ${parts.join(';\n      ')};\n    };`);
      operations.push(`  ${literal(`${m.toUpperCase()} ${path}`)}: ${literal(op['x-permission'] ?? 'public')},`);
    }
    out.push('  };');
  }
  out.push('}', '');
  out.push('/** The permission each operation needs (x-permission): what role-aware navigation checks. */');
  out.push('export const OPERATIONS = {', ...operations, '} as const;', '');
  out.push('export type OperationKey = keyof typeof OPERATIONS;', '');
  return out.join('\n');
}

/** `METHOD /path` for every operation in a document, sorted: what the contract test compares. */
export function operationKeys(doc: OpenApiDocument): string[] {
  const keys: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) for (const m of METHODS) if (ops[m]) keys.push(`${m.toUpperCase()} ${path}`);
  return keys.sort();
}
