import { describe, expect, it } from 'vitest';
import { routeAlert, type AgentState } from './route';
import { RoutingRulesSchema, type RoutingRule } from './rules';

const agent = (id: string, over: Partial<AgentState> = {}): AgentState => ({ id, name: id.toUpperCase(), territories: [], skills: ['seller'], capacity: 10, open: 0, paused: false, ...over });
const now = new Date('2026-06-16T16:00:00Z'); // Tuesday 11:00 in Chicago
const rules = RoutingRulesSchema.parse([
  { id: 'central', name: 'Central sellers', when: { kinds: ['sell', 'hot_lead'], zipPrefixes: ['787'] }, pool: { skills: ['seller'] }, strategy: 'least_loaded', slaMinutes: 5 },
  { id: 'investors', name: 'Investors', when: { kinds: ['invest'] }, pool: { skills: ['investor'] }, strategy: 'round_robin' },
  { id: 'blast', name: 'Refi blast', when: { kinds: ['refinance'] }, strategy: 'broadcast' },
]) as RoutingRule[];
const route = (alert: Parameters<typeof routeAlert>[0]['alert'], agents: AgentState[], cursors?: Record<string, number>) => routeAlert({ alert, rules, agents, cursors, now, timeZone: 'America/Chicago' });

describe('routeAlert', () => {
  it('takes the first matching rule, prefers the territory, then the least loaded, and says why', () => {
    const d = route({ kind: 'sell', postalCode: '78701' }, [agent('a', { territories: ['78704'], open: 0 }), agent('m', { territories: ['78701'], open: 2 }), agent('p', { territories: ['78701'], open: 1, capacity: 2 })]);
    expect(d.ruleId).toBe('central');
    expect(d.slaMinutes).toBe(5);
    // p has 1/2 (50 % full), m has 2/10 (20 %): m is less loaded relative to capacity.
    expect(d.agentIds).toEqual(['m']);
    expect(d.why).toEqual(['rule "Central sellers" matched (kind sell/hot_lead; ZIP 787xx)', 'pool: all 3 agents', 'skills seller → 3', 'territory 78701 → M, P', 'fewest open (2/10) → M']);
  });

  it('skips paused, off-hours and full agents, but never leaves an alert with nobody when someone is active', () => {
    const team = [agent('a', { paused: true }), agent('b', { workingHours: { tue: [['13:00', '17:00']] } }), agent('c', { open: 10 }), agent('d', { open: 4 })];
    const d = route({ kind: 'sell', postalCode: '78745' }, team);
    expect(d.agentIds).toEqual(['d']);
    expect(d.why).toEqual(expect.arrayContaining(['1 paused → 3', '1 outside working hours → 2', '1 at capacity → 1']));
    const allFull = route({ kind: 'sell', postalCode: '78745' }, [agent('x', { open: 12 }), agent('y', { open: 11 })]);
    expect(allFull.agentIds).toEqual(['y']);
    expect(route({ kind: 'sell' }, [agent('z', { paused: true })]).agentIds).toEqual([]);
  });

  it('round-robins fairly with a persistent cursor and broadcasts when asked', () => {
    const team = [agent('i1', { skills: ['investor'] }), agent('i2', { skills: ['investor'] }), agent('s1')];
    const turns: string[] = [];
    let cursor = 0;
    for (let i = 0; i < 4; i++) {
      const d = route({ kind: 'invest' }, team, { investors: cursor });
      turns.push(d.agentIds[0]!);
      cursor = d.cursor!.next;
    }
    expect(turns).toEqual(['i1', 'i2', 'i1', 'i2']);
    expect(route({ kind: 'refinance' }, team).agentIds).toEqual(['i1', 'i2', 's1']);
  });

  it("lets a routing experiment's variant replace the matched rule's strategy, and says so", () => {
    const team = [agent('i1', { skills: ['investor'], open: 3 }), agent('i2', { skills: ['investor'], open: 1 })];
    const experiment = { experimentKey: 'rr-vs-load', variant: 'b', strategy: 'least_loaded' } as const;
    const d = routeAlert({ alert: { kind: 'invest' }, rules, agents: team, cursors: { investors: 1 }, now, timeZone: 'America/Chicago', experiment });
    // Round robin's turn 2 and least loaded both pick i2 here; the flipped load below tells them apart.
    expect(d).toMatchObject({ ruleId: 'investors', strategy: 'least_loaded', agentIds: ['i2'], cursor: undefined });
    expect(d.why[1]).toBe('experiment rr-vs-load: variant b → least_loaded (instead of round_robin)');
    const busier = [agent('i1', { skills: ['investor'], open: 1 }), agent('i2', { skills: ['investor'], open: 3 })];
    expect(routeAlert({ alert: { kind: 'invest' }, rules, agents: busier, cursors: { investors: 1 }, now, timeZone: 'America/Chicago', experiment }).agentIds).toEqual(['i1']);
    expect(route({ kind: 'invest' }, busier, { investors: 1 }).agentIds).toEqual(['i2']);
    // A variant that keeps the rule's strategy is still named in the why-log.
    const same = routeAlert({ alert: { kind: 'invest' }, rules, agents: busier, now, timeZone: 'America/Chicago', experiment: { ...experiment, variant: 'a', strategy: 'round_robin' } });
    expect(same.why[1]).toBe('experiment rr-vs-load: variant a → round_robin');
    expect(same.cursor).toEqual({ ruleId: 'investors', next: 1 });
  });

  it('falls back to the default rule when nothing matches', () => {
    const d = route({ kind: 'buy', postalCode: '10001' }, [agent('a', { open: 3 }), agent('b', { open: 1 })]);
    expect(d.ruleId).toBe('default');
    expect(d.agentIds).toEqual(['b']);
  });
});
