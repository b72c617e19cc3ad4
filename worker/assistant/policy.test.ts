import { describe, expect, it } from 'vitest';
import { extractDeterministic } from './extract';
import { decideTurn, initialConversationState, type ConversationState, type TurnDecision } from './policy';
import type { Extraction } from './types';

const T0 = new Date('2026-03-02T15:00:00Z');
const minutes = (n: number): Date => new Date(T0.getTime() + n * 60_000);

function ext(partial: Partial<Extraction>): Extraction {
  return { fields: {}, intents: [], corrections: [], ...partial };
}

/** One lead message through the real extractor and the policy, as the room runs it. */
function say(state: ConversationState, text: string, at: Date, estimateCents?: number): TurnDecision {
  const extraction = extractDeterministic({ text, expecting: state.expecting, qualification: state.qualification, history: [], now: at });
  const decision = decideTurn(state, extraction, { messageAt: at, estimateCents: estimateCents ?? null });
  return { ...decision, state: { ...decision.state, outboundCount: state.outboundCount + (decision.plan ? 1 : 0) } };
}

describe('decideTurn', () => {
  it('starts with the first question, disclosing on the first message', () => {
    const d = say(initialConversationState(), 'hi', T0);
    expect(d.plan).toEqual({ kind: 'ask', question: 'motivation', firstMessage: true });
    expect(d.state.stage).toBe('q1');
    expect(d.state.expecting).toBe('motivation');
    expect(d.outcome).toBe('continue');
  });

  it('asks the questions in order, acknowledging each answer', () => {
    let s = say(initialConversationState(), 'hi', T0).state;
    const d1 = say(s, "we're relocating for work", minutes(1));
    expect(d1.changed).toEqual(['motivation']);
    expect(d1.plan).toMatchObject({ kind: 'ask', question: 'timeline', firstMessage: false, acknowledged: ['motivation'] });
    expect(d1.state.stage).toBe('q2');
    s = d1.state;
    const d2 = say(s, 'in about 2 months', minutes(2));
    expect(d2.plan).toMatchObject({ kind: 'ask', question: 'condition' });
    expect(d2.state.qualification.timelineDays).toBe(60);
    expect(d2.state.stage).toBe('q3');
    const d3 = say(d2.state, 'needs some paint', minutes(3));
    expect(d3.plan).toMatchObject({ kind: 'ask', question: 'price' });
    expect(d3.state.stage).toBe('q4');
  });

  it('skips what a multi-answer message already answered', () => {
    const d = say(initialConversationState(), 'Relocating for work in 30 days, house is move-in ready', T0);
    expect(d.changed.sort()).toEqual(['condition', 'motivation', 'timeline']);
    expect(d.plan).toMatchObject({ kind: 'ask', question: 'price', firstMessage: true });
  });

  it('hands off once all four are answered, classifying against the estimate', () => {
    let s = initialConversationState();
    s = say(s, 'Got a job in Denver, need to sell in 30 days. Roof is 20 years old', T0).state;
    const d = say(s, '450k', minutes(5), 43_000_000);
    expect(d.outcome).toBe('qualified');
    expect(d.plan).toEqual({ kind: 'handoff', temperature: 'hot', firstMessage: false });
    expect(d.state).toMatchObject({ stage: 'qualified', botState: 'done', expecting: null, temperature: 'hot' });
    expect(d.state.temperatureReasons).toContain('Timeline 30 days (≤ 45)');
  });

  it('never lets an older, out-of-order message overwrite a newer answer', () => {
    let s = initialConversationState();
    s = decideTurn(s, ext({ fields: { timelineDays: 60 } }), { messageAt: minutes(10) }).state;
    const late = decideTurn(s, ext({ fields: { timelineDays: 14 } }), { messageAt: minutes(5) });
    expect(late.state.qualification.timelineDays).toBe(60);
    expect(late.changed).toEqual([]);
    expect(late.state.answeredAt.timeline).toBe(minutes(10).toISOString());
  });

  it('lets a newer correction overwrite, and records when', () => {
    let s = initialConversationState();
    s = decideTurn(s, ext({ fields: { timelineDays: 30 } }), { messageAt: minutes(1) }).state;
    const d = decideTurn(s, ext({ fields: { timelineDays: 60 }, corrections: ['timeline'] }), { messageAt: minutes(2) });
    expect(d.state.qualification.timelineDays).toBe(60);
    expect(d.changed).toEqual(['timeline']);
    expect(d.state.answeredAt.timeline).toBe(minutes(2).toISOString());
  });

  it('does not let a passing mention demote a stated motivation', () => {
    let s = initialConversationState();
    s = decideTurn(s, ext({ fields: { motivation: { category: 'relocation', strength: 'strong', evidence: 'job in Denver' } } }), { messageAt: minutes(1) }).state;
    s = { ...s, expecting: 'condition' };
    const d = decideTurn(s, ext({ fields: { motivation: { category: 'relocation', strength: 'moderate', evidence: 'moving' } } }), { messageAt: minutes(2) });
    expect(d.state.qualification.motivation?.strength).toBe('strong');
  });

  it('hands a request for a person to an agent and then stays silent', () => {
    const s = say(initialConversationState(), 'hi', T0).state;
    const d = say(s, 'can someone call me?', minutes(1));
    expect(d.outcome).toBe('human_requested');
    expect(d.plan).toEqual({ kind: 'human_requested', firstMessage: false });
    expect(d.state.botState).toBe('human');
    const later = say(d.state, 'we want 450k', minutes(2));
    expect(later.plan).toBeNull();
    expect(later.state.qualification.priceCents).toBe(45_000_000); // still recorded for the agent
  });

  it('closes on wrong number, not interested and already listed', () => {
    const s = say(initialConversationState(), 'hi', T0).state;
    const wrong = say(s, 'wrong number', minutes(1));
    expect(wrong).toMatchObject({ outcome: 'wrong_number', plan: { kind: 'wrong_number' }, state: { botState: 'done', stage: 'lost' } });
    const notInterested = say(s, 'not interested', minutes(1));
    expect(notInterested).toMatchObject({ outcome: 'not_interested', plan: { kind: 'not_interested' }, state: { botState: 'done', temperature: 'cold' } });
    const listed = say(s, "we're already listed with Compass", minutes(1));
    expect(listed).toMatchObject({ outcome: 'already_listed', plan: { kind: 'already_listed' }, state: { botState: 'done', stage: 'lost', temperature: 'cold' } });
  });

  it('de-escalates once on a hostile reply and pauses', () => {
    const s = say(initialConversationState(), 'hi', T0).state;
    const d = say(s, 'you people are vultures', minutes(1));
    expect(d).toMatchObject({ outcome: 'hostile', plan: { kind: 'hostile' }, state: { botState: 'paused' } });
    expect(say(d.state, 'seriously', minutes(2)).plan).toBeNull();
  });

  it('answers a question back before asking again, and re-asks the pending question', () => {
    const s = say(initialConversationState(), 'hi', T0).state;
    const d = say(s, 'Who is this?', minutes(1));
    expect(d.plan).toEqual({ kind: 'ask', question: 'motivation', firstMessage: false, answerQuestion: 'Who is this?' });
  });

  it('moves on when the lead answers without a value, and does not ask again', () => {
    let s = say(initialConversationState(), 'we are downsizing', T0).state;
    expect(s.expecting).toBe('timeline');
    const d = say(s, 'no rush really', minutes(1));
    expect(d.plan).toMatchObject({ kind: 'ask', question: 'condition' });
    expect(d.state.qualification.timelineDays).toBeNull();
    s = say(d.state, 'good shape', minutes(2)).state;
    expect(s.expecting).toBe('price');
  });

  it('stays silent on compliance keywords (the room answers those) but still records answers', () => {
    const s = say(initialConversationState(), 'hi', T0).state;
    const stop = decideTurn(s, ext({ intents: ['opt_out'] }), { messageAt: minutes(1) });
    expect(stop.plan).toBeNull();
    expect(stop.state.botState).toBe('active');
  });

  it('re-classifies after a late correction to a qualified lead', () => {
    let s = initialConversationState();
    s = say(s, 'Got a job in Denver, need to sell in 30 days, move-in ready, want 450k', T0).state;
    expect(s.temperature).toBe('hot');
    const d = say(s, 'actually more like 200 days', minutes(3));
    expect(d.plan).toBeNull();
    expect(d.state.qualification.timelineDays).toBe(200);
    expect(d.state.temperature).toBe('cold');
  });

  it('never moves a stage an agent set back to a question stage', () => {
    const s: ConversationState = { ...initialConversationState(), stage: 'appointment' };
    expect(decideTurn(s, ext({ fields: { timelineDays: 30 } }), { messageAt: T0 }).state.stage).toBe('appointment');
  });
});
