/**
 * Validation of a `POST /v1/messages` body, following what the Messages API rejects with
 * `400 invalid_request_error` (message texts follow the API's `path: reason` style). Covers the
 * fields LeadPulse and the SDK send, plus the rules that catch real integration bugs: unknown
 * top-level fields, empty text blocks, tool_use/tool_result pairing, more than four cache
 * breakpoints, tool_choice naming a tool that was not sent, thinking with a forced tool.
 */

export class RequestInvalid extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
    readonly errorType: 'invalid_request_error' | 'not_found_error' = 'invalid_request_error',
  ) {
    super(message);
  }
}

/** API versions the stand-in accepts; the SDK 1.x sends 2026-10-21. */
export const API_VERSIONS = ['2023-01-01', '2023-06-01', '2026-10-21'] as const;
export type ApiVersion = (typeof API_VERSIONS)[number];
const SAMPLING_REMOVED_IN: ApiVersion = '2026-10-21';

const TOP_LEVEL = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'thinking',
  'metadata',
  'stop_sequences',
  'stream',
  'cache_control',
  'container',
  'diagnostics',
  'inference_geo',
  'output_config',
  'service_tier',
  'speed',
]);
// Sampling parameters exist only before API version 2026-10-21 (the SDK 1.x params have none).
const LEGACY_TOP_LEVEL = new Set(['temperature', 'top_p', 'top_k']);

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;
const SERVER_TOOL_TYPE = /^[a-z_]+_\d{8}$/;
const MODEL_ID = /^claude-[a-z0-9][a-z0-9.-]*$/;
const JSON_TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);
const KNOWN_BLOCKS = new Set([
  'text',
  'image',
  'document',
  'search_result',
  'tool_use',
  'tool_result',
  'thinking',
  'redacted_thinking',
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'container_upload',
]);

/** Largest output per model family; unknown ids get the largest any current model allows. */
export function maxOutputTokens(model: string): number {
  if (model.startsWith('claude-haiku-4-5')) return 64_000;
  if (model.startsWith('claude-sonnet-4') || model.startsWith('claude-opus-4-5')) return 64_000;
  if (model.startsWith('claude-opus-4-1') || model.startsWith('claude-opus-4-0') || model === 'claude-opus-4') return 32_000;
  return 128_000;
}

export interface CacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export interface TextBlockParam {
  type: 'text';
  text: string;
  cache_control?: CacheControl | null;
}

export interface ToolParam {
  name: string;
  type?: string | null;
  description?: string;
  input_schema?: Record<string, unknown>;
  cache_control?: CacheControl | null;
}

export type ContentBlockParam = { type: string; cache_control?: CacheControl | null; [k: string]: unknown };

export interface MessageParam {
  role: 'user' | 'assistant' | 'system';
  content: string | ContentBlockParam[];
}

export type ToolChoice =
  | { type: 'auto' | 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

export interface MessagesRequest {
  model: string;
  max_tokens: number;
  messages: MessageParam[];
  system?: string | TextBlockParam[];
  tools?: ToolParam[];
  tool_choice?: ToolChoice;
  thinking?: { type: string; budget_tokens?: number };
  stream?: boolean;
  cache_control?: CacheControl | null;
  [k: string]: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fail = (message: string): never => {
  throw new RequestInvalid(message);
};

function checkCacheControl(value: unknown, path: string, ttls: string[]): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) fail(`${path}: Input should be a valid dictionary`);
  const cc = value as Record<string, unknown>;
  if (cc.type !== 'ephemeral') fail(`${path}.type: Input should be 'ephemeral'`);
  if (cc.ttl !== undefined && cc.ttl !== '5m' && cc.ttl !== '1h') fail(`${path}.ttl: Input should be '5m' or '1h'`);
  for (const key of Object.keys(cc)) if (key !== 'type' && key !== 'ttl') fail(`${path}.${key}: Extra inputs are not permitted`);
  ttls.push((cc.ttl as string | undefined) ?? '5m');
}

function checkJsonSchema(schema: unknown, path: string, depth = 0): void {
  if (depth > 32) fail(`${path}: JSON schema is nested too deeply`);
  if (typeof schema === 'boolean') return;
  if (!isObject(schema)) fail(`${path}: JSON schema is invalid - a schema must be an object or a boolean`);
  const s = schema as Record<string, unknown>;
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (types.length === 0 || !types.every((t) => typeof t === 'string' && JSON_TYPES.has(t))) {
      fail(`${path}.type: JSON schema is invalid - unknown type ${JSON.stringify(s.type)}`);
    }
  }
  if (s.enum !== undefined && (!Array.isArray(s.enum) || s.enum.length === 0)) fail(`${path}.enum: JSON schema is invalid - enum must be a non-empty array`);
  if (s.required !== undefined && (!Array.isArray(s.required) || !s.required.every((r) => typeof r === 'string'))) {
    fail(`${path}.required: JSON schema is invalid - required must be an array of strings`);
  }
  if (s.properties !== undefined) {
    if (!isObject(s.properties)) fail(`${path}.properties: JSON schema is invalid - properties must be an object`);
    for (const [k, v] of Object.entries(s.properties as Record<string, unknown>)) checkJsonSchema(v, `${path}.properties.${k}`, depth + 1);
  }
  if (s.items !== undefined) checkJsonSchema(s.items, `${path}.items`, depth + 1);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (s[key] === undefined) continue;
    if (!Array.isArray(s[key]) || (s[key] as unknown[]).length === 0) fail(`${path}.${key}: JSON schema is invalid - ${key} must be a non-empty array`);
    (s[key] as unknown[]).forEach((sub, i) => checkJsonSchema(sub, `${path}.${key}.${i}`, depth + 1));
  }
  for (const key of ['$defs', 'definitions'] as const) {
    if (s[key] === undefined) continue;
    if (!isObject(s[key])) fail(`${path}.${key}: JSON schema is invalid`);
    for (const [k, v] of Object.entries(s[key] as Record<string, unknown>)) checkJsonSchema(v, `${path}.${key}.${k}`, depth + 1);
  }
}

function checkBlock(block: unknown, path: string, role: string, ttls: string[]): ContentBlockParam {
  if (!isObject(block)) return fail(`${path}: Input should be a valid dictionary`);
  const type = block.type;
  if (typeof type !== 'string') return fail(`${path}.type: Field required`);
  if (!KNOWN_BLOCKS.has(type)) return fail(`${path}.type: Input tag '${type}' found using 'type' does not match any of the expected tags`);
  checkCacheControl(block.cache_control, `${path}.cache_control`, ttls);
  switch (type) {
    case 'text':
      if (typeof block.text !== 'string') fail(`${path}.text: Field required`);
      if ((block.text as string).length === 0) fail('messages: text content blocks must be non-empty');
      break;
    case 'tool_use':
      if (role !== 'assistant') fail(`${path}: tool_use blocks are only allowed in assistant messages`);
      if (typeof block.id !== 'string' || !block.id) fail(`${path}.id: Field required`);
      if (typeof block.name !== 'string' || !block.name) fail(`${path}.name: Field required`);
      if (!isObject(block.input)) fail(`${path}.input: Input should be a valid dictionary`);
      break;
    case 'tool_result':
      if (role !== 'user') fail(`${path}: tool_result blocks are only allowed in user messages`);
      if (typeof block.tool_use_id !== 'string' || !block.tool_use_id) fail(`${path}.tool_use_id: Field required`);
      if (block.content !== undefined && typeof block.content !== 'string' && !Array.isArray(block.content)) {
        fail(`${path}.content: Input should be a valid string or list`);
      }
      break;
    case 'image':
    case 'document':
      if (!isObject(block.source)) fail(`${path}.source: Field required`);
      break;
  }
  return block as ContentBlockParam;
}

function blocksOf(content: MessageParam['content']): ContentBlockParam[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

/**
 * Validates and returns the request, or throws `RequestInvalid` with the API's status, type
 * and a message in its style.
 */
export function validateMessagesRequest(body: unknown, version: ApiVersion): MessagesRequest {
  if (!isObject(body)) return fail('Request body must be a JSON object');
  const legacy = version < SAMPLING_REMOVED_IN;
  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL.has(key) && !(legacy && LEGACY_TOP_LEVEL.has(key))) fail(`${key}: Extra inputs are not permitted`);
  }
  const ttls: string[] = [];

  // model
  if (body.model === undefined) fail('model: Field required');
  if (typeof body.model !== 'string' || body.model.length === 0) fail('model: Input should be a valid string');
  const model = body.model as string;
  if (!MODEL_ID.test(model)) throw new RequestInvalid(`model: ${model}`, 404, 'not_found_error');

  // max_tokens: 0 pre-warms the prompt cache without generating (API 2026-10-21)
  if (body.max_tokens === undefined) fail('max_tokens: Field required');
  const minTokens = legacy ? 1 : 0;
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens)) fail('max_tokens: Input should be a valid integer');
  if ((body.max_tokens as number) < minTokens) fail(`max_tokens: Input should be greater than or equal to ${minTokens}`);
  const limit = maxOutputTokens(model);
  if ((body.max_tokens as number) > limit) {
    fail(`max_tokens: ${body.max_tokens} > ${limit}, which is the maximum allowed number of output tokens for ${model}`);
  }

  // sampling (legacy versions only)
  if (body.temperature !== undefined && (typeof body.temperature !== 'number' || body.temperature < 0 || body.temperature > 1)) {
    fail('temperature: Input should be less than or equal to 1');
  }

  // system
  if (body.system !== undefined) {
    if (typeof body.system !== 'string') {
      if (!Array.isArray(body.system)) fail('system: Input should be a valid string or list');
      (body.system as unknown[]).forEach((b, i) => {
        if (!isObject(b)) fail(`system.${i}: Input should be a valid dictionary`);
        const block = b as Record<string, unknown>;
        if (block.type !== 'text') fail(`system.${i}.type: Input should be 'text'`);
        if (typeof block.text !== 'string') fail(`system.${i}.text: Field required`);
        if ((block.text as string).length === 0) fail('system: text content blocks must be non-empty');
        for (const key of Object.keys(block)) {
          if (!['type', 'text', 'cache_control', 'citations'].includes(key)) fail(`system.${i}.${key}: Extra inputs are not permitted`);
        }
        checkCacheControl(block.cache_control, `system.${i}.cache_control`, ttls);
      });
    }
  }

  // tools
  const toolNames = new Set<string>();
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) fail('tools: Input should be a valid list');
    (body.tools as unknown[]).forEach((t, i) => {
      if (!isObject(t)) fail(`tools.${i}: Input should be a valid dictionary`);
      const tool = t as Record<string, unknown>;
      const custom = tool.type === undefined || tool.type === null || tool.type === 'custom';
      if (!custom && (typeof tool.type !== 'string' || !SERVER_TOOL_TYPE.test(tool.type))) {
        fail(`tools.${i}: Input tag '${String(tool.type)}' found using 'type' does not match any of the expected tags`);
      }
      const path = custom ? `tools.${i}.custom` : `tools.${i}`;
      if (typeof tool.name !== 'string') fail(`${path}.name: Field required`);
      if (!TOOL_NAME.test(tool.name as string)) fail(`${path}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`);
      if (toolNames.has(tool.name as string)) fail('tools: Tool names must be unique.');
      toolNames.add(tool.name as string);
      if (custom) {
        if (tool.description !== undefined && typeof tool.description !== 'string') fail(`${path}.description: Input should be a valid string`);
        if (tool.input_schema === undefined) fail(`${path}.input_schema: Field required`);
        if (!isObject(tool.input_schema)) fail(`${path}.input_schema: Input should be a valid dictionary`);
        if ((tool.input_schema as Record<string, unknown>).type !== 'object') fail(`${path}.input_schema.type: Input should be 'object'`);
        checkJsonSchema(tool.input_schema, `${path}.input_schema`);
      }
      checkCacheControl(tool.cache_control, `${path}.cache_control`, ttls);
    });
  }

  // tool_choice
  const choice = body.tool_choice;
  if (choice !== undefined) {
    if (!isObject(choice)) fail('tool_choice: Input should be a valid dictionary');
    const c = choice as Record<string, unknown>;
    if (!['auto', 'any', 'tool', 'none'].includes(c.type as string)) {
      fail(`tool_choice: Input tag '${String(c.type)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'`);
    }
    if (c.disable_parallel_tool_use !== undefined && typeof c.disable_parallel_tool_use !== 'boolean') {
      fail('tool_choice.disable_parallel_tool_use: Input should be a valid boolean');
    }
    if ((c.type === 'any' || c.type === 'tool') && toolNames.size === 0) fail('tool_choice may only be specified while providing tools.');
    if (c.type === 'tool') {
      if (typeof c.name !== 'string') fail('tool_choice.tool.name: Field required');
      if (!toolNames.has(c.name as string)) fail(`tool_choice.tool.name: Tool '${String(c.name)}' not found in provided tools`);
    }
  }

  // thinking
  if (body.thinking !== undefined) {
    if (!isObject(body.thinking)) fail('thinking: Input should be a valid dictionary');
    const th = body.thinking as Record<string, unknown>;
    if (!['enabled', 'disabled', 'adaptive', 'between_tools'].includes(th.type as string)) {
      fail(`thinking: Input tag '${String(th.type)}' found using 'type' does not match any of the expected tags`);
    }
    if (th.type === 'enabled') {
      if (typeof th.budget_tokens !== 'number' || !Number.isInteger(th.budget_tokens)) fail('thinking.enabled.budget_tokens: Field required');
      if ((th.budget_tokens as number) < 1024) fail('thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
      if ((th.budget_tokens as number) >= (body.max_tokens as number)) fail('`max_tokens` must be greater than `thinking.budget_tokens`');
    }
    const forced = isObject(choice) && (choice.type === 'any' || choice.type === 'tool');
    if (forced && th.type !== 'disabled') fail('Thinking may not be enabled when tool_choice forces tool use.');
  }

  // messages
  if (body.messages === undefined) fail('messages: Field required');
  if (!Array.isArray(body.messages)) fail('messages: Input should be a valid list');
  const messages = body.messages as unknown[];
  if (messages.length === 0) fail('messages: at least one message is required');
  if (messages.length > 100_000) fail('messages: a request may contain at most 100000 messages');
  const roles = legacy ? ['user', 'assistant'] : ['user', 'assistant', 'system'];
  messages.forEach((m, i) => {
    if (!isObject(m)) fail(`messages.${i}: Input should be a valid dictionary`);
    const msg = m as Record<string, unknown>;
    if (msg.role === undefined) fail(`messages.${i}.role: Field required`);
    if (!roles.includes(msg.role as string)) fail(`messages.${i}.role: Input should be ${roles.map((r) => `'${r}'`).join(', ').replace(/, ([^,]*)$/, ' or $1')}`);
    for (const key of Object.keys(msg)) if (key !== 'role' && key !== 'content') fail(`messages.${i}.${key}: Extra inputs are not permitted`);
    if (msg.content === undefined) fail(`messages.${i}.content: Field required`);
    const isFinalAssistant = i === messages.length - 1 && msg.role === 'assistant';
    if (typeof msg.content === 'string') {
      if (msg.content.length === 0 && !isFinalAssistant) fail(`messages.${i}: all messages must have non-empty content except for the optional final assistant message`);
    } else if (Array.isArray(msg.content)) {
      if (msg.content.length === 0 && !isFinalAssistant) fail(`messages.${i}: all messages must have non-empty content except for the optional final assistant message`);
      (msg.content as unknown[]).forEach((b, j) => {
        const block = checkBlock(b, `messages.${i}.content.${j}`, msg.role as string, ttls);
        if (msg.role === 'system' && block.type !== 'text') fail(`messages.${i}.content.${j}.type: Input should be 'text'`);
      });
    } else {
      fail(`messages.${i}.content: Input should be a valid string or list`);
    }
    if (isFinalAssistant) {
      const last = blocksOf(msg.content as MessageParam['content']).at(-1);
      if (last?.type === 'text' && typeof last.text === 'string' && last.text.length > 0 && /\s$/.test(last.text)) {
        fail('messages: final assistant content cannot end with trailing whitespace');
      }
    }
  });

  // tool_use ↔ tool_result pairing, as the API enforces it
  const typed = messages as MessageParam[];
  typed.forEach((msg, i) => {
    const blocks = blocksOf(msg.content);
    if (msg.role === 'assistant' && i < typed.length - 1) {
      const ids = blocks.filter((b) => b.type === 'tool_use').map((b) => b.id as string);
      if (ids.length > 0) {
        const next = typed[i + 1]!;
        const answered = new Set(next.role === 'user' ? blocksOf(next.content).filter((b) => b.type === 'tool_result').map((b) => b.tool_use_id as string) : []);
        const missing = ids.filter((id) => !answered.has(id));
        if (missing.length > 0) {
          fail(
            `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
          );
        }
      }
    }
    if (msg.role === 'user') {
      const prev = typed[i - 1];
      const offered = new Set(prev?.role === 'assistant' ? blocksOf(prev.content).filter((b) => b.type === 'tool_use').map((b) => b.id as string) : []);
      blocks.forEach((b, j) => {
        if (b.type === 'tool_result' && !offered.has(b.tool_use_id as string)) {
          fail(
            `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(b.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
          );
        }
      });
    }
  });

  // top-level automatic caching
  checkCacheControl(body.cache_control, 'cache_control', ttls);
  if (ttls.length > 4) fail(`A maximum of 4 blocks with cache_control may be provided. Found ${ttls.length}.`);
  const firstShort = ttls.indexOf('5m');
  if (firstShort !== -1 && ttls.slice(firstShort).includes('1h')) {
    fail("a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block");
  }

  if (body.stop_sequences !== undefined) {
    if (!Array.isArray(body.stop_sequences) || !body.stop_sequences.every((s) => typeof s === 'string')) fail('stop_sequences: Input should be a valid list');
    if ((body.stop_sequences as string[]).some((s) => s.trim().length === 0)) fail('stop_sequences: each stop sequence must contain non-whitespace');
  }
  if (body.metadata !== undefined) {
    if (!isObject(body.metadata)) fail('metadata: Input should be a valid dictionary');
    for (const key of Object.keys(body.metadata as object)) if (key !== 'user_id') fail(`metadata.${key}: Extra inputs are not permitted`);
  }
  if (body.service_tier !== undefined && body.service_tier !== 'auto' && body.service_tier !== 'standard_only') {
    fail("service_tier: Input should be 'auto' or 'standard_only'");
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') fail('stream: Input should be a valid boolean');

  return body as MessagesRequest;
}
