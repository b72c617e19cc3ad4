/**
 * The generator behind the web app's API types, on the shapes @hono/zod-openapi emits. (The
 * browser suite checks the committed file against the live document; this pins the mapping.)
 */
import { describe, expect, it } from 'vitest';
import { generateApiModule, operationKeys, typeOf } from '../../../web/scripts/openapi-to-ts';

describe('OpenAPI → TypeScript', () => {
  it('maps scalars, enums, nullables, arrays, tuples and records', () => {
    expect(typeOf({ type: 'integer' })).toBe('number');
    expect(typeOf({ type: ['string', 'null'] })).toBe('string | null');
    expect(typeOf({ type: 'string', enum: ['hot', 'warm'] })).toBe('"hot" | "warm"');
    expect(typeOf({ type: ['string', 'null'], enum: ['hot', 'warm', null] })).toBe('("hot" | "warm") | null');
    expect(typeOf({ type: 'array', items: { type: 'string' } })).toBe('Array<string>');
    expect(typeOf({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'string' }] })).toBe('[string, string]');
    expect(typeOf({ type: 'object', additionalProperties: { type: 'number' } })).toBe('{\n  [key: string]: number;\n}');
    expect(typeOf({ type: 'object' })).toBe('{\n  [key: string]: unknown;\n}');
  });

  it('marks optional properties and keeps descriptions as doc comments', () => {
    const t = typeOf({ type: 'object', properties: { id: { type: 'string' }, note: { type: 'string', description: 'Shown once' } }, required: ['id'] });
    expect(t).toBe('{\n  id: string;\n  /** Shown once */\n  note?: string;\n}');
  });

  it('reads zod-openapi’s nullable reference (allOf with a bare null type) as "or null"', () => {
    expect(typeOf({ allOf: [{ $ref: '#/components/schemas/Ghl' }, { type: ['object', 'null'] }] })).toBe('(Schemas["Ghl"]) | null');
    expect(typeOf({ allOf: [{ $ref: '#/components/schemas/ApiKey' }, { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] }] })).toBe(
      'Schemas["ApiKey"] & {\n  key: string;\n}',
    );
    expect(typeOf({ anyOf: [{ type: 'string' }, { type: 'string' }] })).toBe('string');
    // OpenAPI 3.1's nullable reference (/me's user for an API key): `T | null`, not `T | unknown | null`.
    expect(typeOf({ anyOf: [{ $ref: '#/components/schemas/User' }, { type: 'null' }] })).toBe('Schemas["User"] | null');
  });

  it('writes every operation with its permission, parameters, body and success answer', () => {
    const doc = {
      paths: {
        '/leads/{id}': {
          get: {
            'x-permission': 'leads:read',
            parameters: [
              { name: 'id', in: 'path' as const, required: true, schema: { type: 'string' } },
              { name: 'limit', in: 'query' as const, schema: { type: 'integer' } },
            ],
            responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Lead' } } } }, '404': { description: 'nope' } },
          },
          delete: { 'x-permission': 'leads:write', responses: { '204': { description: 'gone' } } },
        },
        '/auth/login': { post: { requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] } } } }, responses: { '200': { content: { 'application/json': { schema: { type: 'object' } } } } } } },
      },
      components: { schemas: { Lead: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } } },
    };
    const out = generateApiModule(doc);
    expect(out).toContain('path: { id: string };');
    expect(out).toContain('query: { limit?: number };');
    expect(out).toContain('response: Schemas["Lead"];');
    expect(out).toMatch(/delete: \{\n\s+permission: "leads:write";\n\s+status: 204;\n\s+response: void;/);
    expect(out).toMatch(/"\/auth\/login": \{\n\s+post: \{\n\s+permission: "public";\n\s+body: \{\n\s+email: string;/);
    expect(out).toContain('"GET /leads/{id}": "leads:read",');
    expect(operationKeys(doc)).toEqual(['DELETE /leads/{id}', 'GET /leads/{id}', 'POST /auth/login']);
    // Deterministic: the same document gives the same text (the contract test compares text).
    expect(generateApiModule(doc)).toBe(out);
  });
});
