import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { minimalInstance } from './schema-instance';
import { PromptCache, estimateTokens, minCacheableTokens, type Usage } from './usage';
import { API_VERSIONS, RequestInvalid, validateMessagesRequest, type ApiVersion, type MessagesRequest } from './validate';

export { API_VERSIONS } from './validate';

export interface AnthropicStandInOptions {
  /** 0 or undefined = ephemeral port. */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** The key clients must present (`x-api-key`, or `Authorization: Bearer` as the SDK 1.x sends it). */
  apiKey: string;
  /** Override the per-model minimum cacheable prefix (tokens); mostly for tests of caching itself. */
  minCacheableTokens?: number;
}

/** What a test makes the next `POST /v1/messages` answer, instead of the default reply. */
export type ScriptedResponse =
  | {
      type: 'tool_use';
      /** The tool input, returned exactly as given (valid or not: that is the point). */
      input: unknown;
      /** Defaults to the tool that tool_choice forces, else the first tool of the request. */
      name?: string;
      /** Text the model writes before the call, as models do under tool_choice auto. */
      text?: string;
      stopReason?: 'tool_use' | 'max_tokens';
      outputTokens?: number;
      delayMs?: number;
    }
  | {
      type: 'text';
      text: string;
      stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'refusal';
      outputTokens?: number;
      delayMs?: number;
    }
  | {
      type: 'error';
      status: number;
      errorType: string;
      message?: string;
      headers?: Record<string, string>;
      delayMs?: number;
    };

export interface Fault {
  status: 429 | 500 | 529 | 400;
  /** How many of the next requests fail this way. */
  count: number;
  /** Wait this long before answering (a slow failure; also how tests make a call hang). */
  delayMs?: number;
}

export interface Recorded {
  requestId: string;
  at: string;
  method: string;
  path: string;
  /** Lower-case names; the API key is redacted. */
  headers: Record<string, string>;
  /** The parsed JSON body (or the raw text when it was not JSON). */
  body: unknown;
  status: number;
  response: unknown;
}

export interface AnthropicStandIn {
  url: string;
  apiKey: string;
  close(): Promise<void>;
  /** Every `/v1/*` request so far, oldest first. */
  requests(): Recorded[];
  /** Forget requests, scripted responses, faults and the prompt cache. */
  reset(): void;
  enqueue(response: ScriptedResponse): void;
  injectFault(fault: Fault): void;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};
const FAULT_MESSAGES: Record<Fault['status'], string> = {
  400: 'Injected invalid request',
  429: 'Number of request tokens has exceeded your per-minute rate limit (https://docs.claude.com/en/api/rate-limits); see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.',
  500: 'Internal server error',
  529: 'Overloaded',
};
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const DEFAULT_TEXT = "Thanks for getting back to me! I'll pass this along to the team.";
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomId(prefix: string, length = 24): string {
  let out = prefix;
  for (const byte of randomBytes(length)) out += BASE62[byte % 62];
  return out;
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * A local stand-in for the Anthropic Messages API (`POST /v1/messages`), faithful to the
 * request validation, error shapes, headers and `usage` accounting the SDK and LeadPulse rely
 * on, with scripted replies and injected faults for tests. See README.md in this folder.
 */
export async function startAnthropicStandIn(opts: AnthropicStandInOptions): Promise<AnthropicStandIn> {
  if (!opts.apiKey) throw new Error('Anthropic stand-in: apiKey is required');
  const organizationId = randomUUID();
  const recorded: Recorded[] = [];
  const script: ScriptedResponse[] = [];
  const faults: Array<Required<Fault>> = [];
  const minTokens = opts.minCacheableTokens;
  const cache = new PromptCache(minTokens === undefined ? minCacheableTokens : () => minTokens);
  const timers = new Set<NodeJS.Timeout>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const state = {
    enqueue(response: ScriptedResponse) {
      script.push(response);
    },
    injectFault(fault: Fault) {
      if (![400, 429, 500, 529].includes(fault.status)) throw new Error(`Anthropic stand-in: unsupported fault status ${fault.status}`);
      if (!Number.isInteger(fault.count) || fault.count < 1) throw new Error('Anthropic stand-in: fault count must be a positive integer');
      faults.push({ status: fault.status, count: fault.count, delayMs: fault.delayMs ?? 0 });
    },
    reset() {
      recorded.length = 0;
      script.length = 0;
      faults.length = 0;
      cache.clear();
    },
  };

  function authorized(req: IncomingMessage): 'ok' | 'missing' | 'invalid' {
    const key = req.headers['x-api-key'];
    const auth = req.headers.authorization;
    if (key === undefined && auth === undefined) return 'missing';
    if (key === opts.apiKey || auth === `Bearer ${opts.apiKey}`) return 'ok';
    return 'invalid';
  }

  function redactedHeaders(req: IncomingMessage): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      out[name] = name === 'x-api-key' || name === 'authorization' ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
    }
    return out;
  }

  async function messages(body: unknown, version: ApiVersion): Promise<{ status: number; json: unknown; headers?: Record<string, string> }> {
    const fault = faults[0];
    if (fault) {
      if (--fault.count === 0) faults.shift();
      if (fault.delayMs > 0) await sleep(fault.delayMs);
      const headers: Record<string, string> = {};
      if (fault.status === 429) {
        headers['retry-after'] = '30';
        headers['anthropic-ratelimit-requests-limit'] = '50';
        headers['anthropic-ratelimit-requests-remaining'] = '0';
        headers['anthropic-ratelimit-requests-reset'] = new Date(Date.now() + 30_000).toISOString();
      }
      throw new HttpFailure(fault.status, ERROR_TYPES[fault.status]!, FAULT_MESSAGES[fault.status], headers);
    }

    const request = validateMessagesRequest(body, version);
    if (request.stream === true) {
      throw new HttpFailure(400, 'invalid_request_error', 'stream: the local Anthropic stand-in does not implement streaming; send stream: false');
    }
    const scripted = script.shift();
    if (scripted?.delayMs) await sleep(scripted.delayMs);
    if (scripted?.type === 'error') {
      throw new HttpFailure(scripted.status, scripted.errorType, scripted.message ?? scripted.errorType, scripted.headers);
    }
    const usage = cache.account(request);
    return { status: 200, json: reply(request, scripted, usage) };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorBody('api_error', err instanceof Error ? err.message : String(err), randomId('req_')));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomId('req_');
    const path = (req.url ?? '/').split('?')[0]!;
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req).catch(() => null);

    const auth = authorized(req);
    if (path.startsWith('/_standin/')) {
      if (auth !== 'ok') return sendJson(res, 401, errorBody('authentication_error', 'invalid x-api-key', requestId), requestId);
      return inspection(method, path, raw, res, requestId);
    }

    let parsed: unknown = raw;
    let status = 200;
    let json: unknown;
    let headers: Record<string, string> = {};
    try {
      if (raw === null) throw new HttpFailure(413, 'request_too_large', `Request exceeds the maximum allowed number of bytes (${MAX_BODY_BYTES}).`);
      if (auth === 'missing') throw new HttpFailure(401, 'authentication_error', 'x-api-key header is required');
      if (auth === 'invalid') throw new HttpFailure(401, 'authentication_error', 'invalid x-api-key');
      if (!(path === '/v1/messages' && method === 'POST')) throw new HttpFailure(404, 'not_found_error', 'Not Found');
      const version = req.headers['anthropic-version'];
      if (typeof version !== 'string' || version === '') throw new HttpFailure(400, 'invalid_request_error', 'anthropic-version: header is required');
      if (!(API_VERSIONS as readonly string[]).includes(version)) {
        throw new HttpFailure(400, 'invalid_request_error', `anthropic-version: invalid version '${version}'`);
      }
      const contentType = req.headers['content-type'] ?? '';
      if (!contentType.toLowerCase().startsWith('application/json')) {
        throw new HttpFailure(400, 'invalid_request_error', 'content-type: must be application/json');
      }
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw new HttpFailure(400, 'invalid_request_error', 'There was an error parsing the body of your request as JSON');
      }
      const result = await messages(parsed, version as ApiVersion);
      status = result.status;
      json = result.json;
      headers = result.headers ?? {};
    } catch (err) {
      if (err instanceof RequestInvalid) {
        status = err.status;
        json = errorBody(err.errorType, err.message, requestId);
      } else if (err instanceof HttpFailure) {
        status = err.status;
        json = errorBody(err.errorType, err.message, requestId);
        headers = err.headers;
      } else {
        throw err;
      }
    }
    recorded.push({ requestId, at: new Date().toISOString(), method, path, headers: redactedHeaders(req), body: parsed, status, response: json });
    sendJson(res, status, json, requestId, headers);
  }

  function sendJson(res: ServerResponse, status: number, json: unknown, requestId?: string, headers: Record<string, string> = {}) {
    const body = JSON.stringify(json);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...(requestId ? { 'request-id': requestId } : {}),
      'anthropic-organization-id': organizationId,
      ...headers,
    });
    res.end(body);
  }

  function inspection(method: string, path: string, raw: string | null, res: ServerResponse, requestId: string): void {
    const body = (() => {
      try {
        return raw ? (JSON.parse(raw) as unknown) : undefined;
      } catch {
        return undefined;
      }
    })();
    if (path === '/_standin/requests' && method === 'GET') return sendJson(res, 200, { requests: recorded }, requestId);
    if (path === '/_standin/requests' && method === 'DELETE') {
      recorded.length = 0;
      return sendJson(res, 200, { cleared: true }, requestId);
    }
    if (path === '/_standin/reset' && method === 'POST') {
      state.reset();
      return sendJson(res, 200, { reset: true }, requestId);
    }
    try {
      if (path === '/_standin/script' && method === 'POST') {
        const items = Array.isArray(body) ? body : [body];
        for (const item of items) state.enqueue(checkScripted(item));
        return sendJson(res, 200, { queued: script.length }, requestId);
      }
      if (path === '/_standin/faults' && method === 'POST') {
        state.injectFault(body as Fault);
        return sendJson(res, 200, { faults: faults.length }, requestId);
      }
    } catch (err) {
      return sendJson(res, 400, errorBody('invalid_request_error', err instanceof Error ? err.message : String(err), requestId), requestId);
    }
    sendJson(res, 404, errorBody('not_found_error', 'Not Found', requestId), requestId);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    apiKey: opts.apiKey,
    requests: () => recorded.map((r) => structuredClone(r)),
    reset: state.reset,
    enqueue: state.enqueue,
    injectFault: state.injectFault,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function errorBody(type: string, message: string, requestId: string) {
  return { type: 'error', error: { type, message }, request_id: requestId };
}

function checkScripted(item: unknown): ScriptedResponse {
  const s = item as ScriptedResponse | null;
  if (!s || typeof s !== 'object') throw new Error('a scripted response must be an object');
  if (s.type === 'tool_use' && 'input' in s) return s;
  if (s.type === 'text' && typeof s.text === 'string') return s;
  if (s.type === 'error' && typeof s.status === 'number' && typeof s.errorType === 'string') return s;
  throw new Error("a scripted response is { type: 'tool_use', input } | { type: 'text', text } | { type: 'error', status, errorType }");
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function forcedToolName(req: MessagesRequest): string | undefined {
  const choice = req.tool_choice;
  if (choice?.type === 'tool') return choice.name;
  if (choice?.type === 'any') return req.tools?.[0]?.name;
  return undefined;
}

/** The response body for a valid request: scripted when a test queued one, a default otherwise. */
function reply(req: MessagesRequest, scripted: Exclude<ScriptedResponse, { type: 'error' }> | undefined, usage: Usage) {
  type Block = { type: 'text'; text: string; citations: null } | { type: 'tool_use'; id: string; name: string; input: unknown; caller: { type: 'direct' } };
  const content: Block[] = [];
  let stopReason: string;

  if (req.max_tokens === 0) {
    // Cache pre-warming: the prompt is processed (and cached) and nothing is generated.
    stopReason = 'max_tokens';
  } else if (scripted?.type === 'tool_use') {
    const name = scripted.name ?? forcedToolName(req) ?? req.tools?.[0]?.name;
    if (!name || !req.tools?.some((t) => t.name === name)) {
      throw new HttpFailure(500, 'api_error', `stand-in script: a tool_use reply needs the request to offer the tool ${name ?? '(none offered)'}`);
    }
    if (scripted.text) content.push({ type: 'text', text: scripted.text, citations: null });
    content.push({ type: 'tool_use', id: randomId('toolu_'), name, input: scripted.input, caller: { type: 'direct' } });
    stopReason = scripted.stopReason ?? 'tool_use';
  } else if (scripted?.type === 'text') {
    content.push({ type: 'text', text: scripted.text, citations: null });
    stopReason = scripted.stopReason ?? 'end_turn';
  } else {
    const forced = forcedToolName(req);
    const tool = forced ? req.tools?.find((t) => t.name === forced) : undefined;
    if (tool) {
      const input = minimalInstance((tool.input_schema ?? { type: 'object' }) as Record<string, unknown>);
      content.push({ type: 'tool_use', id: randomId('toolu_'), name: tool.name, input, caller: { type: 'direct' } });
      stopReason = 'tool_use';
    } else {
      content.push({ type: 'text', text: DEFAULT_TEXT, citations: null });
      stopReason = 'end_turn';
    }
  }

  const generated = content.reduce((n, b) => n + (b.type === 'text' ? b.text.length : JSON.stringify(b.input).length + b.name.length), 0);
  const outputTokens = scripted?.outputTokens ?? (req.max_tokens === 0 ? 0 : Math.max(1, estimateTokens(generated) + (content.some((b) => b.type === 'tool_use') ? 10 : 0)));
  return {
    id: randomId('msg_'),
    type: 'message',
    role: 'assistant',
    model: req.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      input_tokens: usage.input_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      cache_creation: usage.cache_creation,
      output_tokens: Math.min(outputTokens, req.max_tokens),
      output_tokens_details: { thinking_tokens: 0 },
      server_tool_use: null,
      service_tier: 'standard',
      speed: 'standard',
      inference_geo: 'global',
    },
  };
}
