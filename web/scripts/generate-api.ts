/**
 * Writes web/lib/api/openapi.gen.ts from the Worker's OpenAPI document.
 *   npx tsx web/scripts/generate-api.ts http://localhost:8787/v1/openapi.json
 *   npx tsx web/scripts/generate-api.ts ./openapi.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateApiModule, type OpenApiDocument } from './openapi-to-ts';

const source = process.argv[2] ?? 'http://localhost:8787/v1/openapi.json';
const doc = (/^https?:/.test(source) ? await (await fetch(source)).json() : JSON.parse(readFileSync(source, 'utf8'))) as OpenApiDocument;
if (!doc?.paths) throw new Error(`${source} is not an OpenAPI document`);
const target = fileURLToPath(new URL('../lib/api/openapi.gen.ts', import.meta.url));
writeFileSync(target, generateApiModule(doc));
console.log(`wrote ${target} (${Object.keys(doc.paths).length} paths)`);
