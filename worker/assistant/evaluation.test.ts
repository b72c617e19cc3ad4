import { describe, expect, it } from 'vitest';
import { evaluate, fieldFigures, parseFixtureFile, precisionRecall, priceMatches, timelineMatches } from './evaluation';

const conversation = {
  id: 'dev-900',
  tags: ['relocation'],
  startedAt: '2026-03-02T15:00:00-05:00',
  turns: [
    {
      expecting: 'motivation',
      text: "we're relocating for work in about 2 months",
      at: '2026-03-02T15:01:00-05:00',
      expect: { fields: { motivation: { category: 'relocation', strength: 'strong' }, timelineDays: 60 }, intents: [], corrections: [] },
    },
    { expecting: 'condition', text: 'needs some paint. who is this?', expect: { fields: { condition: 'needs_some_work' }, intents: ['question'], corrections: [] } },
    { expecting: 'price', text: 'STOP', expect: { fields: {}, intents: ['opt_out'], corrections: [] } },
  ],
  final: { motivation: 'relocation', timelineDays: 60, condition: 'needs_some_work', priceCents: null, optedOut: true },
};

describe('parseFixtureFile', () => {
  it('accepts the labelled format', () => {
    const { conversations, problems } = parseFixtureFile('dev/x.json', [conversation]);
    expect(problems).toEqual([]);
    expect(conversations).toHaveLength(1);
  });

  it('names the file, the conversation and the path of each problem', () => {
    const bad = structuredClone(conversation) as Record<string, unknown> & { turns: Array<{ expect: { intents: string[] } }> };
    bad.turns[1]!.expect.intents = ['questions'];
    const { problems } = parseFixtureFile('dev/x.json', [bad, { tags: [] }]);
    expect(problems[0]).toMatch(/^dev\/x\.json › dev-900 › turns\.1\.expect\.intents\.0: /);
    expect(problems.some((p) => p.startsWith('dev/x.json › conversation #2 › id:'))).toBe(true);
    expect(parseFixtureFile('dev/y.json', { not: 'an array' }).problems).toEqual(['dev/y.json: expected a JSON array of conversations']);
  });
});

describe('evaluate', () => {
  it('scores fields, intents and the replayed final state', () => {
    const { conversations } = parseFixtureFile('x', [conversation]);
    const r = evaluate(conversations);
    expect(r.messages).toBe(3);
    expect(r.fields.motivation).toMatchObject({ expected: 1, correct: 1, falsePositives: 0 });
    expect(r.fields.timelineDays).toMatchObject({ expected: 1, correct: 1 });
    expect(r.fields.condition).toMatchObject({ expected: 1, correct: 1 });
    expect(r.fields.priceCents).toMatchObject({ expected: 0, predicted: 0, trueNegatives: 3 });
    expect(r.motivationStrength).toEqual({ scored: 1, correct: 1 });
    expect(r.intents.opt_out).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(r.intents.question).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(r.final).toMatchObject({ conversations: 1, allCorrect: 1 });
  });

  it('counts a wrong label as a miss, not a pass', () => {
    const wrong = structuredClone(conversation);
    wrong.turns[0]!.expect.fields.timelineDays = 120;
    wrong.final.timelineDays = 120;
    const r = evaluate(parseFixtureFile('x', [wrong]).conversations);
    expect(r.fields.timelineDays).toMatchObject({ wrong: 1, correct: 0 });
    expect(r.final.allCorrect).toBe(0);
    expect(fieldFigures(r.fields.timelineDays).recall).toBe(0);
  });

  it('uses the documented tolerances', () => {
    expect(timelineMatches(30, 37)).toBe(true);
    expect(timelineMatches(30, 38)).toBe(false);
    expect(timelineMatches(200, 240)).toBe(true);
    expect(priceMatches(45_000_000, 45_900_000)).toBe(true);
    expect(priceMatches(45_000_000, 46_000_000)).toBe(false);
    expect(precisionRecall({ tp: 0, fp: 0, fn: 0 })).toEqual({ precision: null, recall: null, f1: null });
  });
});
