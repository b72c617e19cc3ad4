/**
 * The smallest value a JSON Schema accepts: required keys only, empty arrays (or minItems
 * items), null wherever null is allowed, the first enum/const value, minimum numbers and
 * minLength strings. It is what the stand-in answers a forced tool call with when no test has
 * scripted one, so the caller's own validation sees a shape-correct, content-free input.
 */
type Schema = boolean | Record<string, unknown>;

export function minimalInstance(schema: Schema, root: Schema = schema, depth = 0): unknown {
  if (depth > 32 || typeof schema === 'boolean') return null;
  if (typeof schema.$ref === 'string') return minimalInstance(resolveRef(schema.$ref, root), root, depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum.includes(null) ? null : schema.enum[0];

  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) {
      const nullable = options.find((o) => typeof o === 'object' && o !== null && (o as Record<string, unknown>).type === 'null');
      return minimalInstance((nullable ?? options[0]) as Schema, root, depth + 1);
    }
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    // Merging is out of scope for a stand-in; the first part is enough for the schemas we send.
    return minimalInstance(schema.allOf[0] as Schema, root, depth + 1);
  }

  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.includes('null')) return null;
  const type = types[0] ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      for (const key of (schema.required ?? []) as string[]) {
        out[key] = minimalInstance(properties[key] ?? {}, root, depth + 1);
      }
      return out;
    }
    case 'array': {
      const count = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const item = (schema.items ?? {}) as Schema;
      return Array.from({ length: count }, () => minimalInstance(item, root, depth + 1));
    }
    case 'string': {
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
      return 'x'.repeat(min);
    }
    case 'integer':
    case 'number': {
      if (typeof schema.minimum === 'number') return type === 'integer' ? Math.ceil(schema.minimum) : schema.minimum;
      if (typeof schema.exclusiveMinimum === 'number') return type === 'integer' ? Math.floor(schema.exclusiveMinimum) + 1 : schema.exclusiveMinimum + 1;
      if (typeof schema.maximum === 'number' && schema.maximum < 0) return schema.maximum;
      return 0;
    }
    case 'boolean':
      return false;
    default:
      return null;
  }
}

function resolveRef(ref: string, root: Schema): Schema {
  if (!ref.startsWith('#') || typeof root === 'boolean') return {};
  let node: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
  }
  return (node as Schema | undefined) ?? {};
}
