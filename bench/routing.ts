/**
 * Routing decision benchmark (PRODUCT.md §4: p95 < 5 ms): the pure decision for a 200-agent
 * team (territories, skills, working hours, load) against 10 ordered rules, timed per decision
 * in this process. The I/O around it (loading agents and cursors) is the scorer's and the
 * alert path's, measured with them.
 */
import { routeAlert, type AgentState } from '../worker/intelligence/routing/route';
import { RoutingRulesSchema, type RoutingRule } from '../worker/intelligence/routing/rules';
import { summarize } from './harness';

export async function benchRouting() {
  const skills = ['seller', 'buyer', 'luxury', 'investor', 'spanish'];
  const agents: AgentState[] = Array.from({ length: 200 }, (_, i) => ({
    id: `usr_${String(i).padStart(4, '0')}`,
    name: `Agent ${i}`,
    territories: [`787${String(i % 100).padStart(2, '0')}`, i % 3 ? 'Austin' : 'Round Rock'],
    skills: [skills[i % 5]!, skills[(i + 2) % 5]!],
    capacity: 8 + (i % 10),
    open: i % 13,
    paused: i % 17 === 0,
    workingHours: i % 4 ? { mon: [['08:00', '18:00']], tue: [['08:00', '18:00']], wed: [['08:00', '18:00']], thu: [['08:00', '18:00']], fri: [['08:00', '17:00']], sat: [['10:00', '14:00']] } : null,
  }));
  const rules = RoutingRulesSchema.parse(
    Array.from({ length: 10 }, (_, i) => ({
      id: `r${i}`,
      name: `Rule ${i}`,
      when: { kinds: [['sell', 'buy', 'refinance', 'invest', 'hot_lead'][i % 5]], zipPrefixes: i < 8 ? [`787${i}`] : undefined },
      pool: { skills: [skills[i % 5]] },
      strategy: (['least_loaded', 'round_robin', 'broadcast'] as const)[i % 3],
    })),
  ) as RoutingRule[];
  const kinds = ['sell', 'buy', 'refinance', 'invest', 'hot_lead'];
  const samples: number[] = [];
  const cursors: Record<string, number> = {};
  const now = new Date();
  for (let i = 0; i < 20_000; i++) {
    const t0 = performance.now();
    const d = routeAlert({ alert: { kind: kinds[i % 5]!, postalCode: `787${String(i % 100).padStart(2, '0')}`, city: 'Austin' }, rules, agents, cursors, now, timeZone: 'America/Chicago' });
    samples.push(performance.now() - t0);
    if (d.cursor) cursors[d.cursor.ruleId] = d.cursor.next;
  }
  const warm = samples.slice(1000);
  return { agents: agents.length, rules: rules.length, decisions: warm.length, decisionMicroseconds: summarize(warm.map((ms) => ms * 1000)) };
}
