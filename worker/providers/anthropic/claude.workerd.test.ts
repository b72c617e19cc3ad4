/**
 * The Claude seller assistant inside workerd (the production runtime), against the local
 * Messages API stand-in: the SDK runs here, the request carries the forced tool and the cached
 * system prompt, the tool input becomes an Extraction, and a failing API falls back to the
 * deterministic assistant.
 */
import { describe, expect, inject, it } from 'vitest';
import { DeterministicAssistant } from '../../assistant/deterministic';
import { withFallback } from '../../assistant/fallback';
import { SCRIPTS } from '../../assistant/scripts';
import { EMPTY_QUALIFICATION } from '../../assistant/types';
import { ClaudeAssistant } from './claude-assistant';

declare module 'vitest' {
  export interface ProvidedContext {
    anthropicStandIn: { url: string; apiKey: string };
  }
}

const standIn = () => inject('anthropicStandIn');
const control = (path: string, body?: unknown) =>
  fetch(`${standIn().url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { 'x-api-key': standIn().apiKey, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

const understandInput = { text: 'We are relocating for work, need to sell in about 45 days', expecting: 'motivation' as const, qualification: EMPTY_QUALIFICATION, history: [], now: new Date('2026-03-02T15:00:00Z') };

describe('ClaudeAssistant in workerd', () => {
  it('sends a forced tool call with a cached system prompt and parses the tool input', async () => {
    await control('/_standin/reset', {});
    await control('/_standin/script', {
      type: 'tool_use',
      input: { fields: { motivation: { category: 'relocation', strength: 'strong', evidence: 'relocating for work' }, timelineDays: 45 }, intents: [], corrections: [] },
    });
    const claude = new ClaudeAssistant({ apiKey: standIn().apiKey, baseURL: standIn().url, timeoutMs: 5000 });
    const result = await claude.understand(understandInput);
    expect(result.source).toBe('claude');
    expect(result.value.fields).toMatchObject({ motivation: { category: 'relocation', strength: 'strong' }, timelineDays: 45 });

    const { requests } = (await (await control('/_standin/requests')).json()) as { requests: Array<{ body: any; status: number }> };
    const sent = requests.at(-1)!;
    expect(sent.status).toBe(200);
    expect(sent.body.tool_choice).toMatchObject({ type: 'tool' });
    expect(sent.body.tools.map((t: { name: string }) => t.name)).toContain(sent.body.tool_choice.name);
    expect(JSON.stringify(sent.body.system)).toContain('"cache_control"');
  });

  it("asks Claude to word a scripted lead's message the script's way, and says nothing of scripts otherwise", async () => {
    await control('/_standin/reset', {});
    const claude = new ClaudeAssistant({ apiKey: standIn().apiKey, baseURL: standIn().url, timeoutMs: 5000 });
    const persona = { name: 'Ava', tone: 'friendly' as const, signature: '', brand: 'Acme Realty' };
    const compose = { plan: { kind: 'ask' as const, question: 'timeline' as const, firstMessage: true }, persona, qualification: EMPTY_QUALIFICATION, history: [], facts: {}, leadFirstName: 'Dana' };
    const sms = 'Hi Dana, this is Ava, an AI assistant for Acme Realty. So the agent can plan around you: how soon would you like to sell? Reply STOP to opt out';
    await control('/_standin/script', { type: 'text', text: sms });
    await control('/_standin/script', { type: 'text', text: sms });
    expect((await claude.compose({ ...compose, script: 'consultative' })).value).toBe(sms);
    await claude.compose(compose);

    const { requests } = (await (await control('/_standin/requests')).json()) as { requests: Array<{ body: any }> };
    const [scripted, standard] = requests.slice(-2).map((r) => JSON.stringify(r.body.messages));
    expect(scripted).toContain(`Script: ${SCRIPTS.consultative.guidance}`);
    expect(scripted).toContain(JSON.stringify(SCRIPTS.consultative.questions!.timeline[0]).slice(1, -1));
    expect(scripted).toContain('an AI assistant with Acme Realty'); // the script's opening, disclosure included
    expect(standard).not.toContain('Script:');
  });

  it('falls back to the deterministic assistant when the API is overloaded, and says why', async () => {
    await control('/_standin/reset', {});
    await control('/_standin/faults', { status: 529, count: 2 });
    const assistant = withFallback(new ClaudeAssistant({ apiKey: standIn().apiKey, baseURL: standIn().url, timeoutMs: 5000 }), new DeterministicAssistant(), { timeoutMs: 5000 });
    const result = await assistant.understand(understandInput);
    expect(result.source).toBe('deterministic');
    expect(result.fallbackReason).toMatch(/overloaded/);
    expect(result.value.fields.motivation?.category).toBe('relocation');
  });
});
