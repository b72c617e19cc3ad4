import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractDeterministic } from './extract';
import {
  CONDITIONS,
  EMPTY_QUALIFICATION,
  INTENTS,
  MOTIVATION_CATEGORIES,
  MOTIVATION_STRENGTHS,
  QUESTIONS,
  type Extraction,
  type Qualification,
  type Question,
} from './types';

// A Monday in March; relative timelines count from here.
const NOW = new Date('2026-03-02T17:00:00Z');

function extract(text: string, expecting: Question | null = null, qualification: Qualification = EMPTY_QUALIFICATION, now = NOW): Extraction {
  return extractDeterministic({ text, expecting, qualification, history: [], now });
}

describe('timeline', () => {
  it.each<[string, Question | null, number]>([
    ['ASAP', 'timeline', 14],
    ['asap', null, 14],
    ['as soon as possible honestly', 'timeline', 14],
    ['right away', 'timeline', 14],
    ['next month', 'timeline', 30],
    ['nxt month', 'timeline', 30],
    ['in 2 months', 'timeline', 60],
    ['in a couple months', 'timeline', 60],
    ['a few weeks', 'timeline', 21],
    ['2-3 weeks', 'timeline', 18],
    ['60-90 days', 'timeline', 75],
    ['3 or 4 months', 'timeline', 105],
    ['60', 'timeline', 60],
    ["let's say 90", 'timeline', 90],
    ['6 months', 'timeline', 180],
    ['6', 'timeline', 180],
    ['a year or so', 'timeline', 365],
    ['a year from now', 'timeline', 365],
    ['end of the month', 'timeline', 29],
    ['this month', 'timeline', 29],
    ['spring', 'timeline', 44], // 15 April
    ['by the fall', 'timeline', 227], // 15 October
    ['next summer', 'timeline', 135], // 15 July
    ['end of summer', 'timeline', 182], // 31 August
    ['by June', 'timeline', 105], // 15 June
    ['end of June', 'timeline', 120],
    ['by Labor Day', 'timeline', 189], // 7 September 2026
    ['end of the year', 'timeline', 304],
    ['before Christmas', 'timeline', 298],
    ['in like 2 mnths', 'timeline', 60],
    ['60 dyas', 'timeline', 60],
    ['3ish months', 'timeline', 90],
    ['En dos meses', 'timeline', 60],
    ['No más de dos meses', 'timeline', 60],
    ['lo antes posible', 'timeline', 14],
  ])('%j (expecting %s) → %i days', (text, expecting, days) => {
    expect(extract(text, expecting).fields.timelineDays).toBe(days);
  });

  it.each<[string, Question | null]>([
    ["I've lived here 10 years", 'timeline'],
    ['the roof is 20 years old', 'condition'],
    ['we bought it 5 years ago', null],
    ['my mom passed in January', 'motivation'],
    ['tenant hasnt paid in 4 months', 'motivation'],
    ['we have a 30 year mortgage', 'price'],
    ['my job starts in March', 'motivation'],
    ['need to sell fast', 'motivation'],
    ['can you stop by Tuesday?', 'timeline'],
    ['3 bedrooms 2 baths', null],
  ])('%j has no sale timeline', (text, expecting) => {
    expect(extract(text, expecting).fields.timelineDays).toBeUndefined();
  });

  it('counts from the message date, not from today', () => {
    const july = new Date('2026-07-20T15:00:00Z');
    // "next spring" said in July is next April.
    expect(extract('next spring', 'timeline', EMPTY_QUALIFICATION, july).fields.timelineDays).toBe(269);
  });

  it('reads "no rush" as answering the question without a value', () => {
    for (const text of ['no rush', 'whenever', 'no real timeline', 'just curious', 'whenever we find a new place']) {
      const e = extract(text, 'timeline');
      expect(e.fields.timelineDays, text).toBeUndefined();
      expect(e.addressedWithoutValue, text).toEqual(['timeline']);
    }
  });
});

describe('price', () => {
  it.each<[string, Question | null, number]>([
    ['$450k', null, 450_000],
    ['450K', 'price', 450_000],
    ['450,000', 'price', 450_000],
    ['$450,000', null, 450_000],
    ['around 4.5', 'price', 450_000],
    ['4.5', 'price', 450_000],
    ['450', 'price', 450_000],
    ['hoping for 4 and a quarter', 'price', 425_000],
    ['hoping for 4 and a quarter', null, 425_000],
    ['1.2m', null, 1_200_000],
    ['1.05 million', 'price', 1_050_000],
    ['one point one million', 'price', 1_100_000],
    ['half a mil', 'price', 500_000],
    ['700 grand', 'price', 700_000],
    ['5 hunnid', 'price', 500_000],
    ['four fifty', 'price', 450_000],
    ['2 seventy five', 'price', 275_000],
    ['300 mil', 'price', 300_000], // Spanish "mil" = thousand
    ['somewhere between 400 and 450', 'price', 425_000],
    ['400-450k', null, 425_000],
    ['4.25 to 4.5', 'price', 437_500],
    ['mid 400s', 'price', 450_000],
    ['mid 230s', 'price', 235_000],
    ['at least 500', 'price', 500_000],
    ['240,000 minimum', 'price', 240_000],
    ['need 150 to cover what we owe', 'price', 150_000],
    ['we owe about 200k but want 450k', 'price', 450_000],
    ['Zillow says 395 but honestly maybe 340', 'price', 340_000],
    ['oops I meant 475, not 450', 'price', 475_000],
    ['Lol fine, if somebody offered 500 I would listen', null, 500_000],
  ])('%j (expecting %s) → $%i', (text, expecting, dollars) => {
    expect(extract(text, expecting).fields.priceCents).toBe(dollars * 100);
  });

  it.each<[string, Question | null]>([
    ['3 bedrooms', 'price'],
    ['3 bed 2 bath 1800 sqft', 'price'],
    ['built in 1985', 'condition'],
    ['we owe 280', 'price'],
    ['paid 240 in 2019', 'price'],
    ['rent is $1500 a month', null],
    ['it needs 20k in repairs', 'condition'],
    ['call me at 5', 'price'],
    ['whatever is fair', 'price'],
    ["what's it worth?", 'price'],
    ['I have 2 kids and 3 dogs', null],
  ])('%j gives no price', (text, expecting) => {
    expect(extract(text, expecting).fields.priceCents).toBeUndefined();
  });

  it('keeps cents integral', () => {
    expect(Number.isInteger(extract('around 3.33', 'price').fields.priceCents)).toBe(true);
  });
});

describe('condition', () => {
  it.each<[string, Question | null, string]>([
    ['move-in ready', 'condition', 'move_in_ready'],
    ['yes', 'condition', 'move_in_ready'],
    ["it's in great shape, we redid the kitchen last year", 'condition', 'move_in_ready'],
    ['turnkey', null, 'move_in_ready'],
    ['no', 'condition', 'needs_some_work'],
    ['needs some TLC', 'condition', 'needs_some_work'],
    ['good shape, just needs paint', 'condition', 'needs_some_work'],
    ['roof leaks and the kitchen is from 1985', 'condition', 'needs_some_work'],
    ['the water heater is 15 years old', 'condition', 'needs_some_work'],
    ['it neds some wrk, carpets r bad', 'condition', 'needs_some_work'],
    ['Kinda rough, needs new flooring and paint', 'condition', 'needs_some_work'],
    ['fixer upper', 'condition', 'needs_major_repairs'],
    ['foundation is cracked and there is mold in the basement', 'condition', 'needs_major_repairs'],
    ['roof and furnace both need replacing', 'condition', 'needs_major_repairs'],
    ['tenants trashed it', null, 'needs_major_repairs'],
    ['needs alot of work its old', 'condition', 'needs_major_repairs'],
    ['Necesita mucho trabajo, el techo y la plomería', 'condition', 'needs_major_repairs'],
    ['no foundation problems, roof is 3 years old', 'condition', 'move_in_ready'],
  ])('%j (expecting %s) → %s', (text, expecting, condition) => {
    expect(extract(text, expecting).fields.condition).toBe(condition);
  });

  it('keeps the lead’s own words as notes', () => {
    const e = extract('roof leaks and the kitchen is from 1985', 'condition');
    expect(e.fields.conditionNotes).toBe('roof leaks and the kitchen is from 1985');
  });

  it.each(['3 bedrooms 2 baths', "I'll keep you updated", 'thanks, great talking to you'])('%j says nothing about condition', (text) => {
    expect(extract(text, null).fields.condition).toBeUndefined();
  });
});

describe('motivation', () => {
  it.each<[string, Question | null, string, string]>([
    ['need to sell fast, got a job in Denver', null, 'relocation', 'strong'],
    ["we're relocaitng for work in about 2 months", 'motivation', 'relocation', 'strong'],
    ['tryna sell asap movin 2 houston 4 work', null, 'relocation', 'strong'],
    ["We're moving back to Minnesota to be near family", 'motivation', 'relocation', 'moderate'],
    ['my mom passed and we inherited the house', 'motivation', 'inheritance', 'moderate'],
    ['tenants trashed it, done being a landlord', null, 'tired_landlord', 'moderate'],
    ['kids moved out, too much house for us', 'motivation', 'downsizing', 'moderate'],
    ['baby on the way, we need more space', 'motivation', 'upsizing', 'moderate'],
    ['behind on payments and the bank is talking foreclosure', 'motivation', 'financial', 'strong'],
    ['Property taxes and insurance went way up and it is getting hard to keep up', 'motivation', 'financial', 'moderate'],
    ['getting divorced and we need to sell it', 'motivation', 'divorce', 'strong'],
    ['retiring to Arizona', 'motivation', 'retirement', 'moderate'],
    ['just curious what its worth', 'motivation', 'other', 'weak'],
    ['maybe if the price is right', 'motivation', 'other', 'weak'],
    ['moving in with my girlfriend', 'motivation', 'other', 'moderate'],
    ['Heredé la casa de mi papá', 'motivation', 'inheritance', 'moderate'],
  ])('%j → %s/%s', (text, expecting, category, strength) => {
    const m = extract(text, expecting).fields.motivation;
    expect(m?.category).toBe(category);
    expect(m?.strength).toBe(strength);
    expect(m?.evidence.length).toBeGreaterThan(0);
  });

  it('quotes the lead’s own words as evidence', () => {
    expect(extract('my mom passed and we inherited the house', 'motivation').fields.motivation?.evidence).toBe('my mom passed and we inherited the house');
  });

  it('ignores a reason mentioned in passing while answering another question', () => {
    expect(extract('60 days, the lease ends then anyway', 'timeline').fields.motivation).toBeUndefined();
    expect(extract('whenever probate is done, prob 3 or 4 months', 'timeline').fields.motivation).toBeUndefined();
    // …but not one the lead presents as the reason.
    const qualification = { ...EMPTY_QUALIFICATION, motivation: { category: 'other' as const, strength: 'moderate' as const, evidence: 'personal' } };
    expect(extract('Ok real talk, we are splitting up and we need to sell it', 'condition', qualification).fields.motivation?.category).toBe('divorce');
  });
});

describe('intents', () => {
  it.each<[string, string[]]>([
    ['hi', ['greeting']],
    ['Hello!', ['greeting']],
    ['Who is this?', ['question']],
    ['yo who dis', ['question']],
    ['is this a bot?', ['question']],
    ['can someone call me', ['human']],
    ['I want to speak to an actual agent', ['human']],
    ['can you stop by Tuesday?', ['human']],
    ['not interested', ['not_interested']],
    ['we decided to stay put', ['not_interested']],
    ["We're already listed with Compass, thanks", ['already_listed']],
    ['we are under contract', ['already_listed']],
    ['wrong number', ['wrong_number']],
    ['I rent this place, talk to the owner', ['wrong_number']],
    ['go to hell you vultures', ['hostile']],
    ['STOP', ['opt_out']],
    ['START', ['opt_in']],
    ['HELP', ['help']],
    ['Maybe 310k?', []],
    ['We were listed with Redfin but cancelled last week', []],
    ['Not really planning to sell, just curious what its worth', []],
  ])('%j → %j', (text, intents) => {
    expect(extract(text).intents.sort()).toEqual([...intents].sort());
  });

  it('keeps the question verbatim', () => {
    const e = extract('Actually 60 days. How did you get my number?', 'timeline');
    expect(e.intents).toContain('question');
    expect(e.questionText).toBe('How did you get my number?');
  });
});

describe('several answers and corrections', () => {
  it('reads several answers in one message', () => {
    const e = extract("Relocating for work, need to be out in 60 days. House needs paint and carpet. Hoping for 380k", null);
    expect(e.fields.motivation?.category).toBe('relocation');
    expect(e.fields.timelineDays).toBe(60);
    expect(e.fields.condition).toBe('needs_some_work');
    expect(e.fields.priceCents).toBe(38_000_000);
  });

  it('marks a correction of an earlier answer', () => {
    const earlier = { ...EMPTY_QUALIFICATION, timelineDays: 30 };
    const e = extract('actually more like 60 days', 'condition', earlier);
    expect(e.fields.timelineDays).toBe(60);
    expect(e.corrections).toEqual(['timeline']);
  });

  it('gives a bare corrected number to the answer it is closest to', () => {
    const earlier = { ...EMPTY_QUALIFICATION, timelineDays: 75, priceCents: 24_500_000 };
    const e = extract('typo, meant 254', null, earlier);
    expect(e.fields).toEqual({ priceCents: 25_400_000 });
    expect(e.corrections).toEqual(['price']);
  });

  it('reads "30 days, no wait, 45" as one answer, not a correction', () => {
    const e = extract('30 days, no wait, 45', 'timeline');
    expect(e.fields.timelineDays).toBe(45);
    expect(e.corrections).toEqual([]);
  });

  it('does not call a repeated answer a correction', () => {
    const earlier = { ...EMPTY_QUALIFICATION, timelineDays: 60 };
    expect(extract('actually yes, 60 days', 'condition', earlier).corrections).toEqual([]);
  });
});

describe('extractDeterministic properties', () => {
  const anyText = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.array(fc.constantFrom('stop', 'sell', '60', 'days', '$450k', 'roof', 'leaks', 'asap', 'actually', 'by', 'june', '?', 'not', '1985', 'k', 'mil', '.', ','), { maxLength: 30 }).map((w) => w.join(' ')),
  );
  const expecting = fc.constantFrom<Question | null>(null, ...QUESTIONS);

  it('never throws and returns only valid values', () => {
    fc.assert(
      fc.property(anyText, expecting, fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }), (text, exp, now) => {
        const e = extractDeterministic({ text, expecting: exp, qualification: EMPTY_QUALIFICATION, history: [], now });
        const f = e.fields;
        if (f.timelineDays !== undefined && f.timelineDays !== null) expect(Number.isInteger(f.timelineDays) && f.timelineDays > 0).toBe(true);
        if (f.priceCents !== undefined && f.priceCents !== null) expect(Number.isInteger(f.priceCents) && f.priceCents > 0).toBe(true);
        if (f.condition) expect(CONDITIONS).toContain(f.condition);
        if (f.motivation) {
          expect(MOTIVATION_CATEGORIES).toContain(f.motivation.category);
          expect(MOTIVATION_STRENGTHS).toContain(f.motivation.strength);
        }
        for (const i of e.intents) expect(INTENTS).toContain(i);
        expect(new Set(e.intents).size).toBe(e.intents.length);
        for (const q of e.corrections) expect(QUESTIONS).toContain(q);
      }),
      { numRuns: 400 },
    );
  });

  it('a "stop by" visit request never opts out, whatever surrounds it', () => {
    fc.assert(
      fc.property(fc.constantFrom('', 'Sure. ', 'ok ', 'Great! '), fc.constantFrom('can you stop by', 'stop by anytime', 'you can stop by'), fc.constantFrom('', ' Tuesday', ' after 5', ' this weekend?'), (a, b, c) => {
        expect(extract(`${a}${b}${c}`).intents).not.toContain('opt_out');
      }),
    );
  });
});
