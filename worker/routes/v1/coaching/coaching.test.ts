/**
 * Agent coaching against a hand-computed fixture: two agents' leads, messages and alerts are
 * inserted with known timestamps in March 2026, and every figure below was worked out by hand
 * from the rows (the comments show the arithmetic). Then: the rules cite the right leads, Claude
 * (the Messages API stand-in) is kept when grounded and replaced by the rules when it invents a
 * number, and reach: own coaching only for agents, no analysis for viewers, no other tenant.
 */
// First: zod 4 gives a schema `.openapi()` only if @hono/zod-openapi was loaded before the schema
// was built, and the service imports below reach schema modules the routes extend.
import '@hono/zod-openapi';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { alerts, leads, messages } from '../../../db/schema';
import { newId } from '../../../lib/ids';
import { ClaudeCoachNarrator } from '../../../providers/anthropic/coaching-narrator';
import { openSystemContext } from '../../../services/clients';
import { analyzeAgent } from '../../../services/coaching/coaching';
import { env, json, withDb } from '../../../testing/client';
import { api, memberWithRole, provisionTestTenant, type TestTenant } from '../../../testing/factory';
import { deliverJob } from '../../../testing/qstash';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-03-10T12:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const PERIOD = 'from=2026-03-01T00:00:00Z&to=2026-03-31T00:00:00Z';
const BODY_PERIOD = { from: '2026-03-01T00:00:00Z', to: '2026-03-31T00:00:00Z' };

let t: TestTenant;
let agentA: Awaited<ReturnType<typeof memberWithRole>>;
let agentB: Awaited<ReturnType<typeof memberWithRole>>;
let viewer: Awaited<ReturnType<typeof memberWithRole>>;
let manager: Awaited<ReturnType<typeof memberWithRole>>;
const L: Record<string, string> = {};
const A: Record<string, string> = {};
const M: Record<string, string> = {};

type LeadSeed = { name: string; agent: 'A' | 'B'; created: Date; temperature: 'hot' | 'warm' | 'cold'; speed: number | null; q1?: string; q2?: number; q3?: string; q4?: number };

beforeAll(async () => {
  t = await provisionTestTenant();
  [agentA, agentB, viewer, manager] = await Promise.all([memberWithRole(t, 'agent'), memberWithRole(t, 'agent'), memberWithRole(t, 'viewer'), memberWithRole(t, 'manager')]);
  const who = { A: agentA.id, B: agentB.id };
  const seeds: Record<string, LeadSeed> = {
    ann: { name: 'Ann', agent: 'A', created: at(0), temperature: 'hot', speed: 1 * MIN, q1: 'relocation', q2: 45, q3: 'good', q4: 30_000_000 },
    ben: { name: 'Ben', agent: 'A', created: at(DAY), temperature: 'hot', speed: 5 * MIN, q1: 'downsizing', q2: 90 },
    cal: { name: 'Cal', agent: 'A', created: at(2 * DAY), temperature: 'warm', speed: 15 * MIN, q2: 30, q4: 20_000_000 },
    dee: { name: 'Dee', agent: 'A', created: at(3 * DAY), temperature: 'hot', speed: null },
    eve: { name: 'Eve', agent: 'B', created: at(0), temperature: 'warm', speed: 2 * MIN, q1: 'inherited', q2: 60, q3: 'fair', q4: 25_000_000 },
    fay: { name: 'Fay', agent: 'B', created: at(DAY), temperature: 'cold', speed: 4 * MIN, q1: 'divorce', q2: 120, q3: 'poor' },
    // Came in before the period but talked in it: counts for A's conversation figures only.
    hal: { name: 'Hal', agent: 'A', created: new Date('2026-02-20T12:00:00Z'), temperature: 'hot', speed: 99 * MIN },
    // Before the period and silent in it: counts for nobody.
    old: { name: 'Old', agent: 'B', created: new Date('2026-02-10T12:00:00Z'), temperature: 'hot', speed: 99 * MIN },
  };
  for (const key of Object.keys(seeds)) L[key] = newId('lead');
  const msg = (key: string, lead: string, sender: 'lead' | 'bot' | 'agent', body: string, ms: number, by?: string) => {
    M[key] = newId('message');
    return { id: M[key], tenantId: t.id, leadId: L[lead]!, direction: sender === 'lead' ? ('inbound' as const) : ('outbound' as const), sender, senderUserId: by ?? null, body, status: sender === 'lead' ? ('received' as const) : ('sent' as const), at: at(ms) };
  };
  const alert = (key: string, lead: string, kind: string, ids: string[], level: number, extra: Partial<typeof alerts.$inferInsert> = {}, created = at(DAY)) => {
    A[key] = newId('alert');
    return { id: A[key], tenantId: t.id, leadId: L[lead]!, kind, dedupeKey: A[key], assignedAgentIds: ids, escalationLevel: level, createdAt: created, ...extra };
  };
  await withDb(async (db) => {
    await db.insert(leads).values(
      Object.entries(seeds).map(([key, s]) => ({
        id: L[key]!,
        tenantId: t.id,
        source: 'api' as const,
        name: s.name,
        assignedAgentId: who[s.agent],
        assignedAt: s.created,
        createdAt: s.created,
        temperature: s.temperature,
        speedToLeadMs: s.speed,
        motivationCategory: s.q1 ?? null,
        timelineDays: s.q2 ?? null,
        condition: s.q3 ?? null,
        priceCents: s.q4 ?? null,
      })),
    );
    await db.insert(messages).values([
      msg('m1', 'ann', 'lead', 'Hi I want to sell my house', 0), // 7 words
      msg('m2', 'ann', 'bot', 'Thanks! Why are you selling?', 1 * MIN), // the bot: not the agent's
      msg('m3', 'ann', 'lead', 'Relocating for work', 5 * MIN), // 3
      msg('m4', 'ann', 'agent', 'When would you like to move?', 35 * MIN, agentA.id), // 6, ?, reply 35 min after m1
      msg('m5', 'ann', 'lead', 'In about six weeks', 60 * MIN), // 4
      msg('m6', 'ann', 'agent', 'What condition is the house in?', 70 * MIN, agentA.id), // 6, ?, reply 10 min
      msg('m7', 'ann', 'agent', 'Just checking in', 70 * MIN + DAY, agentA.id), // 3, follow-up after 24 h
      msg('m8', 'ann', 'agent', 'Are you still thinking of selling?', 70 * MIN + 3 * DAY, agentA.id), // 6, ?, follow-up after 48 h
      msg('m9', 'ben', 'lead', 'Looking to downsize soon', DAY), // 4
      msg('m10', 'ben', 'agent', 'What price do you have in mind?', DAY + 3 * HOUR, agentA.id), // 7, ?, reply 3 h (hot lead missed)
      msg('m11', 'cal', 'lead', 'Maybe next month', 2 * DAY), // Cal: A never wrote, so not an agent-handled lead
      msg('m12', 'cal', 'agent', 'Hi there?', 2 * DAY + 10 * MIN, agentB.id), // B on A's lead: neither's
      msg('m13', 'eve', 'lead', 'Hello', 0), // 1
      msg('m14', 'eve', 'agent', 'Hi Eve, what is the condition?', 20 * MIN, agentB.id), // 6, ?, reply 20 min
      msg('m15', 'fay', 'lead', 'Hi', DAY), // 1
      msg('m16', 'fay', 'agent', 'Hey Fay?', DAY + 40 * MIN, agentB.id), // 2, ?, reply 40 min
      msg('m17', 'hal', 'lead', 'Still interested', 4 * DAY), // 2
      msg('m18', 'hal', 'agent', 'Great, can we talk tomorrow at noon?', 4 * DAY + 20 * MIN, agentA.id), // 7, ?, reply 20 min
    ]);
    await db.insert(alerts).values([
      alert('a1', 'ann', 'hot_lead', [agentA.id], 0, { acknowledgedAt: at(10 * MIN), claimedBy: agentA.id, claimedAt: at(11 * MIN), converted: true, status: 'converted' }),
      // A held it at the managers' rung.
      alert('a2', 'ben', 'sell', [agentA.id, manager.id], 2, { slaMissedBy: [agentA.id] }),
      // B let it lapse and the ladder moved it to A: B's miss, not A's.
      alert('a3', 'dee', 'hot_lead', [agentA.id], 1, { slaMissedBy: [agentB.id], acknowledgedAt: at(3 * DAY + HOUR), claimedBy: agentB.id, claimedAt: at(3 * DAY + HOUR) }),
      // Created before the period: not counted.
      alert('a4', 'old', 'sell', [agentA.id], 1, {}, new Date('2026-02-11T00:00:00Z')),
    ]);
  });
});

const coaching = (agentId: string, token: string, query = PERIOD) => api(`/v1/coaching/agents/${agentId}?${query}`, { token, ip: t.ip });

describe('coaching metrics', () => {
  it("match the hand-computed fixture for agent A and the team's medians", async () => {
    const res = await coaching(agentA.id, t.owner.token);
    expect(res.status).toBe(200);
    const report = await json(res);
    expect(report).toMatchObject({ id: null, stored: false, agentId: agentA.id, generatedBy: 'rules', period: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-31T00:00:00.000Z' } });
    const m = report.metrics;
    expect(m.leads).toBe(4); // Ann, Ben, Cal, Dee (Hal came in before the period)
    expect(m.speedToLeadMedianMs).toBe(5 * MIN); // median(1, 5, 15 min); Dee unmeasured, Hal's 99 min not in the cohort
    expect(m.replies).toBe(4);
    expect(m.replyTimeMedianMs).toBe(27.5 * MIN); // median(35 min, 10 min, 3 h, 20 min on Hal)
    expect(m.coverage).toEqual({ q1Motivation: 0.5, q2Timeline: 0.75, q3Condition: 0.25, q4Price: 0.5 });
    expect(m.answered).toEqual({ q1Motivation: 2, q2Timeline: 3, q3Condition: 1, q4Price: 2 });
    expect(m.unanswered.q3Condition).toEqual([L.dee, L.cal, L.ben]); // newest first
    expect(m.agentMessages).toBe(6); // m4 m6 m7 m8 m10 m18
    expect(m.questionsAsked).toBe(5); // all but m7
    expect(m.talkRatio).toBe(1.75); // (6+6+3+6+7+7) / (7+3+4+4+2) = 35 / 20
    expect(m.followUps).toBe(2);
    expect(m.followUpCadenceMedianMs).toBe(36 * HOUR); // median(24 h, 48 h)
    expect(m.slaMisses).toBe(1); // a2 reached the managers while A held it; a3 was moved *to* A (B missed it)
    expect(m.slaMissAlertIds).toEqual([A.a2]);
    expect(m.missedOpportunities).toBe(2);
    expect(m.missed).toHaveLength(2);
    expect(m.missed).toEqual(expect.arrayContaining([{ leadId: L.ben, name: 'Ben', waitedMs: 3 * HOUR }, { leadId: L.dee, name: 'Dee', waitedMs: null }]));
    expect(m.alerts).toEqual({ routed: 3, acknowledged: 2, claimed: 1, converted: 1 });

    // Team = agents A and B (B: 2 leads, speed median(2, 4 min) = 3 min, reply median(20, 40 min) = 30 min,
    // coverage 1/1/1/0.5, 2 questions, talk ratio (6+2)/(1+1) = 4, no follow-ups, one miss: a3).
    expect(report.team).toEqual({
      agents: 2,
      leads: 3,
      speedToLeadMedianMs: 4 * MIN, // median(5 min, 3 min)
      replyTimeMedianMs: 28.75 * MIN, // median(27.5 min, 30 min)
      'coverage.q1Motivation': 0.75,
      'coverage.q2Timeline': 0.88, // median(0.75, 1) = 0.875
      'coverage.q3Condition': 0.63, // median(0.25, 1) = 0.625
      'coverage.q4Price': 0.5,
      questionsAsked: 3.5, // median(5, 2)
      talkRatio: 2.88, // median(1.75, 4) = 2.875
      followUpCadenceMedianMs: 36 * HOUR, // A only
      slaMisses: 1, // median(1, 1)
      missedOpportunities: 1,
    });
  });

  it('rule insights name the leads to call and the question being skipped', async () => {
    const report = await json(await coaching(agentA.id, t.owner.token));
    const titles = report.insights.map((i: { title: string }) => i.title);
    const missed = report.insights.find((i: { title: string }) => i.title === '2 hot leads waited > 2 h for you');
    expect(new Set(missed.evidence)).toEqual(new Set([L.ben, L.dee]));
    expect(missed.detail).toContain('waited 3 h');
    expect(missed.detail).toContain('Dee');
    const q3 = report.insights.find((i: { title: string }) => i.title === 'Q3 (condition) answered in 25 % of your conversations vs team 63 %');
    expect(new Set(q3.evidence)).toEqual(new Set([L.ben, L.cal, L.dee]));
    expect(q3.detail).toMatch(/^1 of your 4 leads have it\. Without it: Dee \(lead_\w+\), Cal \(lead_\w+\), Ben \(lead_\w+\)\.$/);
    expect(titles).toContain('Q1 (motivation) answered in 50 % of your conversations vs team 75 %');
    // 75 % vs 88 % and 50 % vs 50 %: within the margin, no tip.
    expect(titles.some((x: string) => x.startsWith('Q2') || x.startsWith('Q4'))).toBe(false);
    expect(titles).toContain('1 alert escalated past your SLA');
    expect(titles).toContain('You write 1.75 words for every word the lead writes');
    expect(report.actions[0].action).toMatch(/^Call .*Dee.*Ben|^Call .*Ben.*Dee/);
  });

  it("B's figures come out of the same rows", async () => {
    const m = (await json(await coaching(agentB.id, t.owner.token))).metrics;
    expect(m).toMatchObject({ leads: 2, speedToLeadMedianMs: 3 * MIN, replyTimeMedianMs: 30 * MIN, questionsAsked: 2, talkRatio: 4, followUpCadenceMedianMs: null, slaMisses: 1, missedOpportunities: 0 });
    expect(m.slaMissAlertIds).toEqual([A.a3]);
    expect(m.alerts).toEqual({ routed: 0, acknowledged: 0, claimed: 1, converted: 0 });
  });
});

describe('coaching reach', () => {
  it('an agent reads their own coaching, not another agent’s (404); a viewer reads but cannot analyze', async () => {
    expect((await coaching(agentA.id, agentA.token)).status).toBe(200);
    expect((await coaching(agentB.id, agentA.token)).status).toBe(404);
    expect((await api(`/v1/coaching/agents/${agentB.id}/analyze`, { token: agentA.token, ip: t.ip, body: BODY_PERIOD })).status).toBe(404);
    expect((await coaching(agentA.id, viewer.token)).status).toBe(200);
    const denied = await api(`/v1/coaching/agents/${agentA.id}/analyze`, { token: viewer.token, ip: t.ip, body: BODY_PERIOD });
    expect(denied.status).toBe(403);
  });

  it('another tenant sees nothing: 404 for the agent, and its team view lists only its own people', async () => {
    const other = await provisionTestTenant();
    expect((await api(`/v1/coaching/agents/${agentA.id}?${PERIOD}`, { token: other.owner.token, ip: other.ip })).status).toBe(404);
    expect((await api(`/v1/coaching/agents/${agentA.id}/analyze`, { token: other.owner.token, ip: other.ip, body: {} })).status).toBe(404);
    const team = await json(await api(`/v1/coaching/team?${PERIOD}`, { token: other.owner.token, ip: other.ip }));
    expect(team.agents).toEqual([]);
  });

  it('the team view is for managers and up: every agent beside the team medians', async () => {
    expect((await api(`/v1/coaching/team?${PERIOD}`, { token: agentA.token, ip: t.ip })).status).toBe(403);
    const res = await api(`/v1/coaching/team?${PERIOD}`, { token: manager.token, ip: t.ip });
    expect(res.status).toBe(200);
    const view = await json(res);
    expect(view.agents.map((a: { agentId: string }) => a.agentId).sort()).toEqual([agentA.id, agentB.id].sort());
    expect(view.agents.find((a: { agentId: string }) => a.agentId === agentA.id).metrics.missedOpportunities).toBe(2);
    expect(view.team.leads).toBe(3);
  });

  it('refuses an inverted or malformed period with 422', async () => {
    expect((await coaching(agentA.id, t.owner.token, 'from=2026-03-31T00:00:00Z&to=2026-03-01T00:00:00Z')).status).toBe(422);
    expect((await coaching(agentA.id, t.owner.token, 'from=yesterday')).status).toBe(422);
    expect((await api(`/v1/coaching/agents/${agentA.id}/analyze`, { token: t.owner.token, ip: t.ip, body: { from: '2026-03-01T00:00:00Z', extra: 1 } })).status).toBe(422);
  });
});

describe('stored analyses', () => {
  it('an agent analyzes themself (rules without a key); the stored report is what GET returns next', async () => {
    const res = await api(`/v1/coaching/agents/${agentA.id}/analyze`, { token: agentA.token, ip: t.ip, body: BODY_PERIOD });
    expect(res.status).toBe(200);
    const report = await json(res);
    expect(report).toMatchObject({ id: expect.stringMatching(/^cch_/), stored: true, generatedBy: 'rules', trigger: 'on_demand', createdBy: agentA.id, costMicroUsd: 0, tokens: null, fallbackReason: null });
    expect(report.metrics.talkRatio).toBe(1.75);
    const latest = await json(await api(`/v1/coaching/agents/${agentA.id}`, { token: agentA.token, ip: t.ip }));
    expect(latest.id).toBe(report.id);
    expect(latest.insights).toEqual(report.insights);
    // A second analysis within the minute (each may be a paid Claude call) is refused with Retry-After.
    const again = await api(`/v1/coaching/agents/${agentA.id}/analyze`, { token: manager.token, ip: t.ip, body: {} });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await json(again)).error.code).toBe('rate_limited');
  });

  const standIn = () => inject('anthropicStandIn');
  const control = (path: string, body: unknown) =>
    fetch(`${standIn().url}${path}`, { method: 'POST', headers: { 'x-api-key': standIn().apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const claudeAnalysis = async () => {
    const { ctx, close } = openSystemContext(env, t.id);
    try {
      const narrator = new ClaudeCoachNarrator({ apiKey: standIn().apiKey, baseURL: standIn().url, timeoutMs: 10_000 });
      return await analyzeAgent(ctx, agentA.id, { from: new Date(BODY_PERIOD.from), to: new Date(BODY_PERIOD.to) }, { narrator });
    } finally {
      await close();
    }
  };

  it("stores Claude's grounded coaching with its tokens and cost", async () => {
    await control('/_standin/script', {
      type: 'tool_use',
      outputTokens: 321,
      input: {
        narrative: 'Dee and Ben waited more than 2 h for you. You answered Q3 (condition) in 25 % of your leads vs team 63 %, and your median reply time is 28 min.',
        insights: [{ title: 'Hot leads are waiting', detail: 'Ben waited 3 h; Dee has no message yet.', evidence: [L.ben, L.dee, M.m10] }],
        actions: [{ action: 'Call Dee and Ben today', why: 'Both are hot and waited more than 2 h.' }],
      },
    });
    const report = await claudeAnalysis();
    expect(report).toMatchObject({ generatedBy: 'claude', fallbackReason: null, model: 'claude-haiku-4-5', trigger: 'on_demand' });
    expect(report.narrative).toContain('25 % of your leads vs team 63 %');
    expect(report.insights[0]!.evidence).toEqual([L.ben, L.dee, M.m10]);
    expect(report.tokens!.outputTokens).toBe(321);
    expect(report.tokens!.inputTokens).toBeGreaterThan(100);
    // claude-haiku-4-5: $1 / MTok in, $5 / MTok out → 1 µUSD per input token, 5 per output token (no cache at this size).
    expect(report.costMicroUsd).toBe(report.tokens!.inputTokens + 5 * 321);
    const stored = await json(await api(`/v1/coaching/agents/${agentA.id}`, { token: manager.token, ip: t.ip }));
    expect(stored).toMatchObject({ id: report.id, generatedBy: 'claude', costMicroUsd: report.costMicroUsd, narrative: report.narrative });
    // What Claude was given: the forced tool, the figure table (agent vs team) and the messages with their ids.
    const { requests } = (await (await fetch(`${standIn().url}/_standin/requests`, { headers: { 'x-api-key': standIn().apiKey } })).json()) as { requests: Array<{ body: any }> };
    const sent = requests.filter((r) => r.body?.tool_choice?.name === 'record_coaching' && JSON.stringify(r.body.messages).includes(M.m10!)).at(-1)!;
    expect(sent.body.tool_choice).toMatchObject({ type: 'tool', name: 'record_coaching' });
    const prompt: string = sent.body.messages[0].content;
    expect(prompt).toContain('| coverage.q3Condition | Q3 (condition) answered | 25 % | 63 % |');
    expect(prompt).toContain(`[${M.m4}] lead ${L.ann}, agent`);
    expect(prompt).not.toContain(M.m12); // another agent's message on A's lead is not A's conversation
  });

  it('falls back to the rules when Claude writes a number that is not in the figures, and records why', async () => {
    await control('/_standin/script', {
      type: 'tool_use',
      outputTokens: 200,
      input: {
        narrative: 'Your reply time of 47 min trails the team; you asked 4 questions.',
        insights: [{ title: 'Slow replies', detail: 'Leads wait 47 min.', evidence: [M.m4] }],
        actions: [{ action: 'Reply faster', why: 'Leads wait.' }],
      },
    });
    const report = await claudeAnalysis();
    expect(report).toMatchObject({ generatedBy: 'rules', fallbackReason: 'ungrounded_number:47' });
    expect(report.insights.map((i) => i.title)).toContain('2 hot leads waited > 2 h for you');
    expect(report.narrative).not.toContain('47');
    // The call was made and billed all the same.
    expect(report.tokens!.outputTokens).toBe(200);
    expect(report.costMicroUsd).toBe(report.tokens!.inputTokens + 5 * 200);
    const stored = await json(await api(`/v1/coaching/agents/${agentA.id}`, { token: agentA.token, ip: t.ip }));
    expect(stored).toMatchObject({ id: report.id, fallbackReason: 'ungrounded_number:47', generatedBy: 'rules' });
  });

  it('falls back when the API is overloaded, and says why', async () => {
    // Two faults: the narrator's one retry meets the second.
    await control('/_standin/faults', { status: 529, count: 2 });
    const report = await claudeAnalysis();
    expect(report).toMatchObject({ generatedBy: 'rules', fallbackReason: 'api_error:overloaded_error', tokens: null, costMicroUsd: 0 });
    expect(report.actions[0]!.action).toMatch(/^Call /);
  });

  it('falls back when Claude cites a message it was not given', async () => {
    await control('/_standin/script', {
      type: 'tool_use',
      input: { narrative: 'Call Dee today.', insights: [{ title: 'Dee', detail: 'Hot.', evidence: ['msg_4xYzNotAnIdWeGave'] }], actions: [{ action: 'Call Dee', why: 'Hot.' }] },
    });
    const report = await claudeAnalysis();
    expect(report).toMatchObject({ generatedBy: 'rules', fallbackReason: 'unknown_evidence:msg_4xYzNotAnIdWeGave' });
  });
});

describe('POST /jobs/coaching', () => {
  it('queues the night per tenant; each tenant run coaches its active agents once, idempotent per QStash message', async () => {
    const night = await provisionTestTenant();
    const agent = await memberWithRole(night, 'agent');
    const idle = await memberWithRole(night, 'agent');
    const midnight = Math.floor(Date.now() / DAY) * DAY;
    const periodEnd = new Date(midnight).toISOString();
    const leadId = newId('lead');
    await withDb(async (db) => {
      await db.insert(leads).values({ id: leadId, tenantId: night.id, source: 'api', name: 'Gus', assignedAgentId: agent.id, assignedAt: new Date(midnight - 2 * DAY), createdAt: new Date(midnight - 2 * DAY), temperature: 'hot', speedToLeadMs: 3 * MIN });
      await db.insert(messages).values({ id: newId('message'), tenantId: night.id, leadId, direction: 'outbound', sender: 'agent', senderUserId: agent.id, body: 'Hi Gus, when would you like to sell?', status: 'sent', at: new Date(midnight - 2 * DAY + 3 * MIN) });
    });

    const planned = await deliverJob('/jobs/coaching');
    expect(planned.status).toBe(200);
    const plan = await json(planned);
    expect(plan).toMatchObject({ job: 'coaching', duplicate: false, periodEnd });
    expect(plan.tenants).toBeGreaterThanOrEqual(2); // this tenant and the fixture's, at least

    const messageId = `msg_${crypto.randomUUID()}`;
    const first = await deliverJob('/jobs/coaching-tenant', { tenantId: night.id, periodEnd }, { messageId });
    expect(first.status).toBe(200);
    expect(await json(first)).toEqual({ job: 'coaching-tenant', duplicate: false, tenantId: night.id, periodEnd, analyzed: 1, skipped: 1, claude: 0, costMicroUsd: 0 });
    expect(await json(await deliverJob('/jobs/coaching-tenant', { tenantId: night.id, periodEnd }, { messageId }))).toEqual({ job: 'coaching-tenant', duplicate: true });

    const report = await json(await api(`/v1/coaching/agents/${agent.id}`, { token: night.owner.token, ip: night.ip }));
    expect(report).toMatchObject({ stored: true, trigger: 'nightly', generatedBy: 'rules', createdBy: null, period: { to: periodEnd } });
    expect(report.metrics).toMatchObject({ leads: 1, speedToLeadMedianMs: 3 * MIN, questionsAsked: 1, missedOpportunities: 0 });
    // Nothing to coach on: no stored report for the idle agent.
    expect((await json(await api(`/v1/coaching/agents/${idle.id}`, { token: night.owner.token, ip: night.ip }))).stored).toBe(false);

    // Another message for the same night (a re-plan outside QStash's dedupe window) stores nothing new.
    expect(await json(await deliverJob('/jobs/coaching-tenant', { tenantId: night.id, periodEnd }))).toMatchObject({ analyzed: 0, skipped: 2 });
    expect((await json(await api(`/v1/coaching/agents/${agent.id}`, { token: night.owner.token, ip: night.ip }))).id).toBe(report.id);
  });

  it('refuses a malformed tenant message with 4xx, never 500', async () => {
    const bad = await deliverJob('/jobs/coaching-tenant', { tenantId: 'nope', periodEnd: '2026-03-01T12:00:00Z' });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
  });
});
