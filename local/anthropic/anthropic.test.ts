import Anthropic, { APIError, AuthenticationError, BadRequestError, InternalServerError, OverloadedError, RateLimitError } from '@anthropic-ai/sdk';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AssistantFailure, withFallback } from '../../worker/assistant/fallback';
import {
  EMPTY_QUALIFICATION,
  type ComposeInput,
  type Extraction,
  type SellerAssistant,
  type UnderstandInput,
} from '../../worker/assistant/types';
import { ClaudeAssistant } from '../../worker/providers/anthropic/claude-assistant';
import { RECORD_TOOL, RECORD_TOOL_NAME } from '../../worker/providers/anthropic/extraction-tool';
import { STATIC_SYSTEM_PROMPT } from '../../worker/providers/anthropic/prompt';
import { startAnthropicStandIn, type AnthropicStandIn } from './server';

const API_KEY = 'sk-ant-local-test-key';
let standIn: AnthropicStandIn;

beforeAll(async () => {
  standIn = await startAnthropicStandIn({ apiKey: API_KEY });
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(() => {
  standIn.reset();
});

// An explicit timeout also lifts the SDK's client-side refusal of large non-streaming max_tokens,
// so the server's own max_tokens validation can be reached.
const sdk = (apiKey = API_KEY) => new Anthropic({ apiKey, baseURL: standIn.url, maxRetries: 0, timeout: 10_000 });
const hello: Anthropic.MessageCreateParamsNonStreaming = {
  model: 'claude-haiku-4-5',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'hello' }],
};

function rawPost(body: unknown, headers: Record<string, string>) {
  return fetch(`${standIn.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

describe('Anthropic stand-in, driven by @anthropic-ai/sdk', () => {
  it('refuses a wrong or missing key with authentication_error, and accepts x-api-key as well as the SDK bearer', async () => {
    const err = await rejection(sdk('sk-ant-wrong').messages.create(hello));
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).status).toBe(401);
    expect((err as AuthenticationError).type).toBe('authentication_error');

    const missing = await rawPost(hello, { 'anthropic-version': '2023-06-01' });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });

    const viaHeader = await rawPost(hello, { 'anthropic-version': '2023-06-01', 'x-api-key': API_KEY });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.headers.get('request-id')).toMatch(/^req_/);
  });

  it('requires a known anthropic-version header', async () => {
    const none = await rawPost(hello, { 'x-api-key': API_KEY });
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('anthropic-version') } });
    const unknown = await rawPost(hello, { 'x-api-key': API_KEY, 'anthropic-version': '2099-01-01' });
    expect(unknown.status).toBe(400);
  });

  const tool = { name: 'lookup', description: 'Look something up', input_schema: { type: 'object' as const, properties: { q: { type: 'string' } }, required: ['q'] } };
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no messages', { messages: [] }, /at least one message/],
    ['a negative max_tokens', { max_tokens: -1 }, /max_tokens/],
    ['a fractional max_tokens', { max_tokens: 1.5 }, /max_tokens: Input should be a valid integer/],
    ['max_tokens above the model limit', { max_tokens: 1_000_000 }, /maximum allowed number of output tokens/],
    ['no model', { model: undefined }, /model: Field required/],
    ['temperature, gone in API 2026-10-21', { temperature: 0 }, /temperature: Extra inputs are not permitted/],
    ['an empty text block', { messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }, /non-empty/],
    ['a bad role', { messages: [{ role: 'robot', content: 'hi' }] }, /messages\.0\.role/],
    ['tool_choice naming a tool that was not sent', { tools: [tool], tool_choice: { type: 'tool', name: 'other' } }, /not found/],
    ['tool_choice without tools', { tool_choice: { type: 'any' } }, /only be specified while providing tools/],
    ['an unknown tool_choice type', { tools: [tool], tool_choice: { type: 'always' } }, /tool_choice/],
    ['a tool with a bad name', { tools: [{ ...tool, name: 'look up' }] }, /name: String should match pattern/],
    ['a tool without input_schema', { tools: [{ name: 'lookup' }] }, /input_schema: Field required/],
    ['a system block that is not text', { system: [{ type: 'image', text: 'x' }] }, /system\.0\.type/],
    ['a bad cache_control type', { system: [{ type: 'text', text: 'x', cache_control: { type: 'forever' } }] }, /cache_control\.type/],
    [
      'five cache breakpoints',
      { system: Array.from({ length: 5 }, (_, i) => ({ type: 'text', text: `part ${i}`, cache_control: { type: 'ephemeral' } })) },
      /maximum of 4 blocks with cache_control/,
    ],
    [
      'a tool_result with no tool_use before it',
      { messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'ok' }] }] },
      /unexpected `tool_use_id`/,
    ],
    [
      'a tool_use left without its tool_result',
      {
        tools: [tool],
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'a' } }] },
          { role: 'user', content: 'and?' },
        ],
      },
      /without `tool_result` blocks immediately after/,
    ],
    ['thinking with a forced tool', { tools: [tool], tool_choice: { type: 'tool', name: 'lookup' }, thinking: { type: 'adaptive' } }, /Thinking may not be enabled/],
  ])('rejects %s with a 400 invalid_request_error the SDK raises as BadRequestError', async (_label, patch, message) => {
    const err = await rejection(sdk().messages.create({ ...hello, ...patch } as unknown as Anthropic.MessageCreateParamsNonStreaming));
    expect(err).toBeInstanceOf(BadRequestError);
    const e = err as BadRequestError;
    expect(e.type).toBe('invalid_request_error');
    expect(e.apiMessage).toMatch(message);
    expect(e.requestID).toBe(standIn.requests().at(-1)!.requestId);
  });

  it('answers an unknown model with 404 not_found_error', async () => {
    const err = await rejection(sdk().messages.create({ ...hello, model: 'gpt-5' }));
    expect((err as APIError).status).toBe(404);
    expect((err as APIError).type).toBe('not_found_error');
  });

  it('answers a forced tool with a minimal valid input for its schema, parsed by the SDK', async () => {
    const message = await sdk().messages.create({
      ...hello,
      tools: [RECORD_TOOL],
      tool_choice: { type: 'tool', name: RECORD_TOOL_NAME },
    });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.id).toMatch(/^msg_/);
    expect(message.model).toBe('claude-haiku-4-5');
    const block = message.content[0];
    expect(block?.type).toBe('tool_use');
    if (block?.type !== 'tool_use') throw new Error('unreachable');
    expect(block.id).toMatch(/^toolu_/);
    expect(block.name).toBe(RECORD_TOOL_NAME);
    expect(block.input).toEqual({ fields: {}, intents: [], corrections: [] });
  });

  it('returns scripted tool inputs and texts exactly, in order, then falls back to the default', async () => {
    standIn.enqueue({ type: 'tool_use', input: { q: 'exact', extra: [1, 2] } });
    standIn.enqueue({ type: 'text', text: 'Scripted words.' });
    const first = await sdk().messages.create({ ...hello, tools: [tool], tool_choice: { type: 'any' } });
    expect(first.content).toMatchObject([{ type: 'tool_use', name: 'lookup', input: { q: 'exact', extra: [1, 2] } }]);
    const second = await sdk().messages.create(hello);
    expect(second.content).toMatchObject([{ type: 'text', text: 'Scripted words.' }]);
    expect(second.stop_reason).toBe('end_turn');
    const third = await sdk().messages.create(hello);
    expect(third.content[0]).toMatchObject({ type: 'text' });
    expect((third.content[0] as Anthropic.TextBlock).text.length).toBeGreaterThan(0);
  });

  it('raises injected faults as the SDK error classes with the real error types and headers', async () => {
    standIn.injectFault({ status: 429, count: 1 });
    standIn.injectFault({ status: 529, count: 1 });
    standIn.injectFault({ status: 500, count: 1 });
    const limited = await rejection(sdk().messages.create(hello));
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).type).toBe('rate_limit_error');
    expect((limited as RateLimitError).headers.get('retry-after')).toBe('30');
    const overloaded = await rejection(sdk().messages.create(hello));
    expect(overloaded).toBeInstanceOf(OverloadedError);
    expect((overloaded as OverloadedError).type).toBe('overloaded_error');
    const broken = await rejection(sdk().messages.create(hello));
    expect(broken).toBeInstanceOf(InternalServerError);
    expect((broken as InternalServerError).type).toBe('api_error');
    expect((broken as InternalServerError).requestID).toMatch(/^req_/);
    const recovered = await sdk().messages.create(hello);
    expect(recovered.type).toBe('message');
  });

  it('accounts prompt caching: a write on first sight of the prefix, reads afterwards, nothing below the model minimum', async () => {
    const cached = {
      ...hello,
      system: [{ type: 'text' as const, text: STATIC_SYSTEM_PROMPT, cache_control: { type: 'ephemeral' as const } }],
      tools: [RECORD_TOOL],
    };
    const first = await sdk().messages.create({ ...cached, messages: [{ role: 'user', content: 'first turn' }] });
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(4096);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(first.usage.cache_creation?.ephemeral_5m_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    const second = await sdk().messages.create({ ...cached, messages: [{ role: 'user', content: 'another turn, another lead' }] });
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    expect(second.usage.input_tokens).toBeGreaterThan(0);
    expect(second.usage.input_tokens).toBeLessThan(first.usage.cache_creation_input_tokens!);

    // Claude Haiku 4.5 caches nothing shorter than 4,096 tokens, silently.
    const short = { ...hello, system: [{ type: 'text' as const, text: 'You are terse.', cache_control: { type: 'ephemeral' as const } }] };
    await sdk().messages.create(short);
    const again = await sdk().messages.create(short);
    expect(again.usage.cache_read_input_tokens).toBe(0);
    expect(again.usage.cache_creation_input_tokens).toBe(0);
  });

  it('offers the same controls over HTTP to other processes, behind the same key', async () => {
    const call = (path: string, method: string, body?: unknown, key = API_KEY) =>
      fetch(`${standIn.url}${path}`, {
        method,
        headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await call('/_standin/requests', 'GET', undefined, 'wrong')).status).toBe(401);

    expect((await call('/_standin/script', 'POST', { type: 'text', text: 'from another process' })).status).toBe(200);
    expect((await call('/_standin/faults', 'POST', { status: 529, count: 1 })).status).toBe(200);
    expect((await call('/_standin/script', 'POST', { type: 'nonsense' })).status).toBe(400);
    await expect(sdk().messages.create(hello)).rejects.toBeInstanceOf(OverloadedError);
    const message = await sdk().messages.create(hello);
    expect(message.content).toMatchObject([{ type: 'text', text: 'from another process' }]);

    const listed = (await (await call('/_standin/requests', 'GET')).json()) as { requests: Array<{ status: number; body: { model: string }; headers: Record<string, string> }> };
    expect(listed.requests.map((r) => r.status)).toEqual([529, 200]);
    expect(listed.requests[1]!.body.model).toBe('claude-haiku-4-5');
    expect(listed.requests[1]!.headers.authorization).toBe('[redacted]');
    expect((await call('/_standin/requests', 'DELETE')).status).toBe(200);
    expect(standIn.requests()).toHaveLength(0);
  });
});

const NOW = new Date('2026-03-02T15:04:00Z');
const understandInput = (text: string, over: Partial<UnderstandInput> = {}): UnderstandInput => ({
  text,
  expecting: 'timeline',
  qualification: EMPTY_QUALIFICATION,
  history: [{ sender: 'bot', body: 'How soon would you like to sell?', at: '2026-03-02T15:00:00Z' }],
  now: NOW,
  ...over,
});
const persona = { name: 'Ava', tone: 'friendly' as const, signature: 'Ava, Summit Realty', brand: 'Summit Realty' };
const composeInput = (over: Partial<ComposeInput> = {}): ComposeInput => ({
  plan: { kind: 'ask', question: 'condition', firstMessage: false },
  persona,
  qualification: { ...EMPTY_QUALIFICATION, timelineDays: 60, priceCents: 45_000_000 },
  history: [{ sender: 'lead', body: 'about 60 days, hoping for $450k', at: '2026-03-02T15:03:00Z' }],
  facts: {},
  leadFirstName: 'Dana',
  ...over,
});

function claude(opts: { timeoutMs?: number } = {}) {
  return new ClaudeAssistant({ apiKey: API_KEY, baseURL: standIn.url, timeoutMs: opts.timeoutMs });
}

type SentBody = {
  model: string;
  max_tokens: number;
  system: Array<{ type: string; text: string; cache_control?: { type: string } }>;
  tools: Array<{ name: string; input_schema: { properties: Record<string, unknown> } }>;
  tool_choice: { type: string; name?: string };
  messages: Array<{ role: string; content: string }>;
};
const lastBody = () => standIn.requests().at(-1)!.body as SentBody;

async function failureOf(promise: Promise<unknown>): Promise<AssistantFailure> {
  const err = await rejection(promise);
  expect(err).toBeInstanceOf(AssistantFailure);
  return err as AssistantFailure;
}

describe('ClaudeAssistant against the stand-in', () => {
  it('sends a forced record_seller_reply call with the cached static system prompt and the turn in the user message', async () => {
    await claude().understand(understandInput('probably 60 days'));
    const body = lastBody();
    expect(body.model).toBe('claude-haiku-4-5');
    expect(body.tool_choice).toEqual({ type: 'tool', name: RECORD_TOOL_NAME, disable_parallel_tool_use: true });
    expect(body.tools.map((t) => t.name)).toEqual([RECORD_TOOL_NAME]);
    expect(Object.keys(body.tools[0]!.input_schema.properties)).toEqual(['fields', 'intents', 'corrections', 'questionText']);
    expect(body.system).toHaveLength(1);
    expect(body.system[0]!.cache_control).toEqual({ type: 'ephemeral' });
    // The cached block must not vary per turn or tenant, or every call would write a new cache entry.
    expect(body.system[0]!.text).toBe(STATIC_SYSTEM_PROMPT);
    expect(body.messages).toHaveLength(1);
    const turn = body.messages[0]!.content;
    expect(turn).toContain('TASK: understand');
    expect(turn).toContain('Monday, 2026-03-02');
    expect(turn).toContain('Question asked last: timeline');
    expect(turn).toContain('<<<\nprobably 60 days\n>>>');
    expect(turn).toMatch(/spring: 44 days/);
  });

  it('parses a scripted tool input into an Extraction, dropping nulls that are not withdrawals', async () => {
    standIn.enqueue({
      type: 'tool_use',
      input: {
        fields: {
          motivation: { category: 'relocation', strength: 'strong', evidence: 'new job in Denver in April' },
          timelineDays: 60,
          condition: null,
          priceCents: 52_000_000,
        },
        intents: ['question', 'question'],
        corrections: ['timeline', 'condition'],
        questionText: 'Who is this?',
      },
    });
    const result = await claude().understand(understandInput('Actually 60 days, new job in Denver in April. 520k. Who is this?'));
    expect(result.source).toBe('claude');
    expect(result.fallbackReason).toBeUndefined();
    const expected: Extraction = {
      fields: {
        motivation: { category: 'relocation', strength: 'strong', evidence: 'new job in Denver in April' },
        timelineDays: 60,
        condition: null,
        priceCents: 52_000_000,
      },
      intents: ['question'],
      corrections: ['timeline', 'condition'],
      questionText: 'Who is this?',
    };
    expect(result.value).toEqual(expected);
    expect(result.usage?.inputTokens).toBeGreaterThan(0);
    expect(result.usage?.outputTokens).toBeGreaterThan(0);

    standIn.enqueue({ type: 'tool_use', input: { fields: { timelineDays: null, priceCents: null }, intents: [], corrections: [] } });
    const quiet = await claude().understand(understandInput('ok'));
    expect(quiet.value).toEqual({ fields: {}, intents: [], corrections: [] });
  });

  it.each<[string, unknown]>([
    ['an unknown intent', { fields: {}, intents: ['buy_now'], corrections: [] }],
    ['a price in dollars instead of cents', { fields: { priceCents: 450 }, intents: [], corrections: [] }],
    ['a fractional timeline', { fields: { timelineDays: 12.5 }, intents: [], corrections: [] }],
    ['a missing intents array', { fields: {}, corrections: [] }],
  ])('throws invalid_output for a tool input with %s', async (_label, input) => {
    standIn.enqueue({ type: 'tool_use', input });
    const failure = await failureOf(claude().understand(understandInput('whatever')));
    expect(failure.reason).toBe('invalid_output');
    expect(failure.message).not.toContain('whatever');
  });

  it('throws invalid_output when the model answers with text instead of the tool, or is cut off', async () => {
    standIn.enqueue({ type: 'text', text: 'I think they mean 60 days.' });
    expect((await failureOf(claude().understand(understandInput('60')))).reason).toBe('invalid_output');
    standIn.enqueue({ type: 'tool_use', input: { fields: {}, intents: [], corrections: [] }, stopReason: 'max_tokens' });
    expect((await failureOf(claude().understand(understandInput('60')))).reason).toBe('invalid_output');
  });

  it('composes with the persona in the turn, no tool allowed, and reports usage including cache reads', async () => {
    standIn.enqueue({ type: 'text', text: 'Thanks Dana, 60 days works! What shape is the home in?' });
    standIn.enqueue({ type: 'text', text: '"Got it! Is the home move-in ready, or does it need some work?"' });
    const first = await claude().compose(composeInput());
    expect(first.value).toBe('Thanks Dana, 60 days works! What shape is the home in?');
    const body = lastBody();
    expect(body.tool_choice).toEqual({ type: 'none' });
    expect(body.system[0]!.text).toBe(STATIC_SYSTEM_PROMPT);
    const turn = body.messages[0]!.content;
    expect(turn).toContain('TASK: compose');
    expect(turn).toContain('Persona: name "Ava", tone friendly, brand "Summit Realty", signature "Ava, Summit Realty"');
    expect(turn).toContain('Reply plan: ask {"question":"condition","firstMessage":false}');
    expect(turn).toContain("Lead's first name: \"Dana\"");

    const second = await claude().compose(composeInput());
    expect(second.value).toBe('Got it! Is the home move-in ready, or does it need some work?');
    expect(first.usage?.cacheReadTokens).toBe(0);
    expect(second.usage?.cacheReadTokens).toBeGreaterThan(4096);
  });

  it('rejects an SMS that invents a price or a number', async () => {
    standIn.enqueue({ type: 'text', text: 'Homes like yours sell for $500,000 around here! What shape is it in?' });
    const failure = await failureOf(claude().compose(composeInput()));
    expect(failure.reason).toBe('invalid_output');
    expect(failure.message).toMatch(/number/);

    standIn.enqueue({ type: 'text', text: 'We can close in 7 days. What shape is it in?' });
    expect((await failureOf(claude().compose(composeInput()))).reason).toBe('invalid_output');

    // The lead's own figure may be repeated back.
    standIn.enqueue({ type: 'text', text: 'Noted, $450,000 in about 60 days. What shape is the home in?' });
    expect((await claude().compose(composeInput())).value).toContain('$450,000');
  });

  it('rejects a first message without the AI disclosure or the opt-out line, and accepts one with both', async () => {
    const plan = { kind: 'ask' as const, question: 'motivation' as const, firstMessage: true };
    standIn.enqueue({ type: 'text', text: 'Hi Dana, this is Ava with Summit Realty! What has you thinking about selling? Reply STOP to opt out' });
    expect((await failureOf(claude().compose(composeInput({ plan })))).message).toMatch(/AI disclosure/);
    standIn.enqueue({ type: 'text', text: 'Hi Dana, this is Ava, an AI assistant with Summit Realty. What has you thinking about selling?' });
    expect((await failureOf(claude().compose(composeInput({ plan })))).message).toMatch(/Reply STOP/);

    const good = 'Hi Dana, this is Ava, an AI assistant with Summit Realty. What has you thinking about selling? Reply STOP to opt out';
    standIn.enqueue({ type: 'text', text: good });
    expect((await claude().compose(composeInput({ plan }))).value).toBe(good);
    // A first touch is a first message even without the flag.
    standIn.enqueue({ type: 'text', text: 'Hi Dana! What has you thinking about selling?' });
    expect((await failureOf(claude().compose(composeInput({ plan: { kind: 'first_touch', question: 'motivation' } })))).reason).toBe('invalid_output');
  });

  it('rejects an SMS that is too long', async () => {
    standIn.enqueue({ type: 'text', text: `Thanks! ${'Really '.repeat(60)}what shape is it in?` });
    expect((await failureOf(claude().compose(composeInput()))).message).toMatch(/longer than 320/);
  });
});

describe('withFallback', () => {
  const fallbackExtraction: Extraction = { fields: { timelineDays: 60 }, intents: [], corrections: [] };
  const fake: SellerAssistant = {
    name: 'deterministic',
    understand: async () => ({ value: fallbackExtraction, source: 'deterministic' }),
    compose: async () => ({ value: 'Thanks! What shape is the home in?', source: 'deterministic' }),
  };

  it('answers with the fallback and reason "timeout" when Claude is slower than the budget', async () => {
    standIn.injectFault({ status: 500, count: 1, delayMs: 1500 });
    const onFallback = vi.fn();
    // The SDK's own timeout is longer, so the race in withFallback is what fires.
    const assistant = withFallback(claude({ timeoutMs: 10_000 }), fake, { timeoutMs: 150, onFallback });
    const started = Date.now();
    const result = await assistant.understand(understandInput('60 days'));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result).toEqual({ value: fallbackExtraction, source: 'deterministic', fallbackReason: 'timeout' });
    expect(assistant.name).toBe('claude');
    expect(onFallback).toHaveBeenCalledWith('timeout', expect.any(AssistantFailure));
  });

  it('reports the SDK timeout as "timeout" too', async () => {
    standIn.injectFault({ status: 500, count: 1, delayMs: 1500 });
    const assistant = withFallback(claude({ timeoutMs: 150 }), fake, { timeoutMs: 5000 });
    const result = await assistant.compose(composeInput());
    expect(result.fallbackReason).toBe('timeout');
    expect(result.source).toBe('deterministic');
  });

  it('answers with the fallback on 529 overloaded, with the API error type as the reason', async () => {
    standIn.injectFault({ status: 529, count: 1 });
    const onFallback = vi.fn();
    const result = await withFallback(claude(), fake, { timeoutMs: 5000, onFallback }).understand(understandInput('60 days'));
    expect(result.fallbackReason).toBe('api_error:overloaded_error');
    expect(result.value).toEqual(fallbackExtraction);
    expect(onFallback.mock.calls[0]![1]).toBeInstanceOf(AssistantFailure);
    expect((onFallback.mock.calls[0]![1] as AssistantFailure).cause).toBeInstanceOf(OverloadedError);
  });

  it('answers with the fallback on invalid output', async () => {
    standIn.enqueue({ type: 'text', text: 'Homes here go for $500,000. What shape is it in?' });
    const result = await withFallback(claude(), fake, { timeoutMs: 5000 }).compose(composeInput());
    expect(result).toEqual({ value: 'Thanks! What shape is the home in?', source: 'deterministic', fallbackReason: 'invalid_output' });
  });

  it("passes Claude's answer through untouched when it succeeds, and propagates only the fallback's own failure", async () => {
    standIn.enqueue({ type: 'text', text: 'Got it! What shape is the home in?' });
    const ok = await withFallback(claude(), fake, { timeoutMs: 5000 }).compose(composeInput());
    expect(ok.source).toBe('claude');
    expect(ok.fallbackReason).toBeUndefined();

    const broken: SellerAssistant = { ...fake, compose: async () => Promise.reject(new Error('fallback down')) };
    standIn.injectFault({ status: 500, count: 1 });
    await expect(withFallback(claude(), broken, { timeoutMs: 5000, onFallback: () => { throw new Error('logger down'); } }).compose(composeInput())).rejects.toThrow(
      'fallback down',
    );
  });

  const deterministicPath = new URL('../../worker/assistant/deterministic.ts', import.meta.url);
  it.runIf(existsSync(deterministicPath))('falls back to the real deterministic assistant', async () => {
    const mod = (await import(deterministicPath.href)) as Record<string, unknown>;
    const candidate = Object.values(mod).find(
      (v): v is SellerAssistant =>
        typeof v === 'object' && v !== null && (v as SellerAssistant).name === 'deterministic' && typeof (v as SellerAssistant).understand === 'function',
    );
    const factory = Object.values(mod).find((v): v is new () => SellerAssistant => typeof v === 'function' && /Deterministic/.test(v.name));
    const deterministic = candidate ?? (factory ? new factory() : undefined);
    expect(deterministic, 'deterministic.ts exports no SellerAssistant instance or Deterministic* class').toBeDefined();
    standIn.injectFault({ status: 529, count: 1 });
    const result = await withFallback(claude(), deterministic!, { timeoutMs: 5000 }).understand(understandInput('about 60 days'));
    expect(result.source).toBe('deterministic');
    expect(result.fallbackReason).toBe('api_error:overloaded_error');
    expect(result.value.fields.timelineDays).toBe(60);
  });
});
