import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeterministicAssistant } from './deterministic';
import { SCRIPT_KEYS, SCRIPTS } from './scripts';
import { composeTemplate, helpReply, optInConfirmation, optOutConfirmation, SMS_MAX_LENGTH } from './templates';
import { EMPTY_QUALIFICATION, QUESTIONS, type ComposeInput, type Persona, type Qualification, type ReplyPlan, type TranscriptMessage } from './types';

const persona: Persona = { name: 'Ava', tone: 'friendly', signature: 'Ava, Acme Realty', brand: 'Acme Realty' };
const qualified: Qualification = {
  motivation: { category: 'inheritance', strength: 'moderate', evidence: 'my mom passed' },
  timelineDays: 60,
  condition: 'needs_some_work',
  conditionNotes: 'needs paint',
  priceCents: 45_000_000,
};

function compose(plan: ReplyPlan, over: Partial<ComposeInput> = {}): string {
  return composeTemplate({ plan, persona, qualification: EMPTY_QUALIFICATION, history: [], facts: {}, leadFirstName: null, ...over });
}

function history(n: number): TranscriptMessage[] {
  return Array.from({ length: n }, (_, i) => ({ sender: i % 2 ? 'bot' : 'lead', body: 'x', at: '2026-03-02T15:00:00Z' }));
}

const ALL_PLANS: ReplyPlan[] = [
  ...QUESTIONS.flatMap((q): ReplyPlan[] => [
    { kind: 'ask', question: q, firstMessage: true },
    { kind: 'ask', question: q, firstMessage: false, acknowledge: 'x', acknowledged: ['motivation', 'timeline'], answerQuestion: 'how did you get my number?' },
    { kind: 'first_touch', question: q },
    { kind: 'follow_up', question: q, attempt: 1 },
    { kind: 'follow_up', question: q, attempt: 3 },
  ]),
  { kind: 'follow_up', question: null, attempt: 2 },
  { kind: 'handoff', temperature: 'hot', firstMessage: false },
  { kind: 'handoff', temperature: 'warm', firstMessage: true },
  { kind: 'handoff', temperature: 'cold', firstMessage: false },
  { kind: 'human_requested', firstMessage: true },
  { kind: 'human_requested', firstMessage: false },
  { kind: 'not_interested' },
  { kind: 'already_listed' },
  { kind: 'wrong_number' },
  { kind: 'hostile' },
];

const isFirst = (plan: ReplyPlan): boolean => plan.kind === 'first_touch' || ('firstMessage' in plan && plan.firstMessage);

describe('composeTemplate', () => {
  it.each(ALL_PLANS.map((p) => [p.kind, p] as const))('words %s within SMS length', (_kind, plan) => {
    const text = compose(plan, { qualification: qualified });
    expect(text.length).toBeGreaterThan(10);
    expect(text.length).toBeLessThanOrEqual(SMS_MAX_LENGTH);
  });

  it('discloses brand and AI, with the opt-out line, on the first message', () => {
    const text = compose({ kind: 'ask', question: 'motivation', firstMessage: true }, { leadFirstName: 'maria' });
    expect(text).toMatch(/^Hi Maria! /);
    expect(text).toContain('Acme Realty');
    expect(text).toContain('AI assistant');
    expect(text).toContain('Reply STOP to opt out.');
    expect(text.length).toBeLessThanOrEqual(240);
  });

  it('does not repeat the disclosure later in the conversation', () => {
    const text = compose({ kind: 'ask', question: 'timeline', firstMessage: false });
    expect(text).not.toContain('AI assistant');
    expect(text).not.toContain('STOP');
  });

  it('acknowledges with empathy drawn from what the lead said', () => {
    const text = compose({ kind: 'ask', question: 'timeline', firstMessage: false, acknowledge: 'selling because of an inherited property', acknowledged: ['motivation'] }, { qualification: qualified });
    expect(text).toMatch(/sorry for your loss/i);
  });

  it('restates only the lead’s own price', () => {
    const text = compose({ kind: 'ask', question: 'price', firstMessage: false, acknowledge: 'x', acknowledged: ['price'] }, { qualification: qualified });
    expect(text).toContain('$450k');
  });

  it('answers questions from facts only, and defers what it does not know', () => {
    const ask: ReplyPlan = { kind: 'ask', question: 'timeline', firstMessage: false, answerQuestion: 'How did you get my number?' };
    expect(compose(ask, { facts: { contactSource: 'your Zillow inquiry' } })).toContain('through your Zillow inquiry');
    expect(compose(ask)).toContain("I don't have the details");
    const worth: ReplyPlan = { ...ask, answerQuestion: "What's my house worth?" };
    expect(compose(worth)).not.toMatch(/\$\d/);
    expect(compose(worth, { facts: { estimate: '$410,000–$440,000' } })).toContain('$410,000–$440,000');
    expect(compose({ ...ask, answerQuestion: 'What is your commission?' })).toContain('walk you through any costs');
    expect(compose({ ...ask, answerQuestion: 'are you a bot?' })).toContain('AI assistant');
  });

  it('varies wording with the conversation, deterministically', () => {
    const plan: ReplyPlan = { kind: 'ask', question: 'condition', firstMessage: false };
    const texts = new Set(Array.from({ length: 8 }, (_, n) => compose(plan, { history: history(n) })));
    expect(texts.size).toBeGreaterThan(1);
    expect(compose(plan, { history: history(3) })).toBe(compose(plan, { history: history(3) }));
  });

  it('speaks in the persona’s tone', () => {
    const plan: ReplyPlan = { kind: 'ask', question: 'motivation', firstMessage: true };
    const pro = compose(plan, { persona: { ...persona, tone: 'professional' }, leadFirstName: 'Sam' });
    const casual = compose(plan, { persona: { ...persona, tone: 'casual' }, leadFirstName: 'Sam' });
    expect(pro).toMatch(/^Hello Sam,/);
    expect(casual).toMatch(/^Hey Sam,/);
  });

  it('names the agent only when the agent is a given fact', () => {
    const plan: ReplyPlan = { kind: 'human_requested', firstMessage: false };
    expect(compose(plan, { facts: { agentName: 'Jordan' } })).toContain('Jordan from Acme Realty');
    expect(compose(plan)).toContain('an agent from Acme Realty');
  });

  it('stays within 320 characters and always discloses on a first message, whatever the names', () => {
    const plan = fc.constantFrom(...ALL_PLANS);
    const name = fc.string({ maxLength: 120 });
    fc.assert(
      fc.property(plan, name, name, fc.option(name, { nil: null }), fc.constantFrom<Persona['tone']>('friendly', 'professional', 'casual'), fc.nat(50), fc.string({ maxLength: 300 }), fc.constantFrom(...SCRIPT_KEYS), (p, brand, personaName, lead, tone, n, fact, script) => {
        const text = composeTemplate({
          script,
          plan: p,
          persona: { name: personaName, tone, signature: '', brand },
          qualification: qualified,
          history: history(n),
          facts: { agentName: fact, contactSource: fact, estimate: fact, commission: fact, inquiry: fact },
          leadFirstName: lead,
        });
        expect(text.length).toBeLessThanOrEqual(SMS_MAX_LENGTH);
        if (isFirst(p)) {
          expect(text).toContain('AI assistant');
          expect(text).toContain('Reply STOP to opt out.');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never states a dollar figure it was not given', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL_PLANS), fc.nat(20), (p, n) => {
        const text = compose(p, { qualification: { ...qualified, priceCents: null }, history: history(n) });
        expect(text).not.toMatch(/\$\s?\d/);
      }),
    );
  });
});

describe('scripts (the assistant_script lever)', () => {
  const first: ReplyPlan = { kind: 'ask', question: 'motivation', firstMessage: true };

  it('leaves the standard script exactly as the tenant templates word it', () => {
    for (const plan of ALL_PLANS) for (const n of [0, 3]) expect(compose(plan, { script: 'standard', history: history(n), qualification: qualified })).toBe(compose(plan, { history: history(n), qualification: qualified }));
  });

  it("opens and asks in the script's own words, keeping the disclosure and the STOP line", () => {
    const direct = compose(first, { script: 'direct', leadFirstName: 'Dana' });
    expect(direct).toMatch(/^Hi Dana! (?:Ava here, an AI assistant with Acme Realty\. Just a few quick questions\.|This is Ava, an AI assistant for Acme Realty, with a few quick questions\.) /);
    expect(SCRIPTS.direct.questions!.motivation).toContain(direct.replace(/^.*questions\. /, '').replace(' Reply STOP to opt out.', ''));
    expect(direct).toMatch(/Reply STOP to opt out\.$/);
    const consultative = compose({ kind: 'ask', question: 'timeline', firstMessage: false }, { script: 'consultative' });
    expect(SCRIPTS.consultative.questions!.timeline).toContain(consultative);
    expect(consultative).not.toBe(compose({ kind: 'ask', question: 'timeline', firstMessage: false }));
  });

  it.each(SCRIPT_KEYS.flatMap((script) => (['friendly', 'professional', 'casual'] as const).map((tone) => [script, tone] as const)))(
    '%s in a %s tone: every plan fits an SMS, and every first message names the brand, says AI and how to stop',
    (script, tone) => {
      for (const plan of ALL_PLANS) {
        const text = compose(plan, { script, persona: { ...persona, tone }, qualification: qualified, leadFirstName: 'Maximiliana', facts: { agentName: 'Jordan' } });
        expect(text.length).toBeLessThanOrEqual(SMS_MAX_LENGTH);
        if (isFirst(plan)) {
          expect(text).toContain('Acme Realty');
          expect(text).toContain('AI assistant');
          expect(text).toContain('Reply STOP to opt out.');
        }
        // No figure but the lead's own price ($450k).
        expect(text).not.toMatch(/\$(?!450k)\s?\d/);
      }
    },
  );

  it('asks every condition question so that a plain "yes" means move-in ready', () => {
    for (const key of SCRIPT_KEYS) for (const q of SCRIPTS[key].questions?.condition ?? []) expect(q).toMatch(/\bmove-in ready\b[^?]*\?/);
  });
});

describe('compliance replies', () => {
  it('confirms an opt-out once, with the brand and no marketing', () => {
    const text = optOutConfirmation('Acme Realty');
    expect(text).toBe("Acme Realty: You're unsubscribed and won't get more texts from us. Reply START to resubscribe.");
    expect(text.length).toBeLessThanOrEqual(160);
  });

  it('confirms an opt-in and answers HELP with the brand, the AI disclosure and how to stop', () => {
    expect(optInConfirmation('Acme Realty')).toContain('Reply STOP to opt out');
    const help = helpReply('Acme Realty', persona);
    expect(help).toContain('Acme Realty');
    expect(help).toContain('AI assistant');
    expect(help).toContain('Reply STOP to opt out');
  });
});

describe('DeterministicAssistant', () => {
  it('understands and composes with source "deterministic"', async () => {
    const a = new DeterministicAssistant();
    expect(a.name).toBe('deterministic');
    const u = await a.understand({ text: 'in 2 months', expecting: 'timeline', qualification: EMPTY_QUALIFICATION, history: [], now: new Date('2026-03-02T15:00:00Z') });
    expect(u).toEqual({ value: { fields: { timelineDays: 60 }, intents: [], corrections: [] }, source: 'deterministic' });
    const c = await a.compose({ plan: { kind: 'wrong_number' }, persona, qualification: EMPTY_QUALIFICATION, history: [], facts: {}, leadFirstName: null });
    expect(c.source).toBe('deterministic');
    expect(c.value.length).toBeGreaterThan(0);
  });
});
