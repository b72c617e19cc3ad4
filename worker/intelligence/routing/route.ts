/**
 * The routing decision: pure and synchronous (the target is < 5 ms), fed with the agents'
 * current load and the round-robin cursors by the caller. Every step that narrows the choice
 * writes a line to the why-log an agent or manager can read.
 */
import { DEFAULT_RULE, type RoutingRule } from './rules';

export interface RoutableAlert {
  /** The lead the alert is about: the unit a routing_strategy experiment assigns. */
  leadId?: string | null;
  kind: string;
  probability?: number | null;
  temperature?: 'hot' | 'warm' | 'cold' | null;
  postalCode?: string | null;
  city?: string | null;
  state?: string | null;
}

export interface AgentState {
  id: string;
  name: string;
  territories: string[];
  skills: string[];
  capacity: number;
  /** Open items (assigned, not closed) right now. */
  open: number;
  paused: boolean;
  /** { mon: [["08:00","18:00"]], … } in the tenant's time zone; absent = always available. */
  workingHours?: Record<string, Array<[string, string]>> | null;
}

/** The lead's routing_strategy experiment variant: its strategy replaces the matched rule's. */
export interface StrategyOverride {
  experimentKey: string;
  variant: string;
  strategy: RoutingRule['strategy'];
}

export interface RoutingDecision {
  ruleId: string;
  strategy: RoutingRule['strategy'];
  agentIds: string[];
  slaMinutes: number;
  why: string[];
  /** The rule's next round-robin position, for the caller to persist. */
  cursor?: { ruleId: string; next: number };
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export function matchesRule(rule: RoutingRule, alert: RoutableAlert): boolean {
  const w = rule.when;
  if (w.kinds?.length && !w.kinds.includes(alert.kind as never)) return false;
  if (w.zipPrefixes?.length && !(alert.postalCode && w.zipPrefixes.some((p) => alert.postalCode!.startsWith(p)))) return false;
  if (w.temperatures?.length && !(alert.temperature && w.temperatures.includes(alert.temperature))) return false;
  if (w.minProbability !== undefined && !((alert.probability ?? 0) >= w.minProbability)) return false;
  return true;
}

/** The first rule that matches decides; none → the default rule. */
export function ruleFor(rules: RoutingRule[], alert: RoutableAlert): RoutingRule {
  return rules.find((r) => matchesRule(r, alert)) ?? DEFAULT_RULE;
}

// Building an Intl formatter costs more than a whole decision; one per time zone, reused.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The tenant's local weekday ("tue") and wall-clock time ("14:05") at `now`. */
export function localClock(now: Date, timeZone: string): { day: string; hhmm: string } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(now);
  const day = parts.find((p) => p.type === 'weekday')!.value.slice(0, 3).toLowerCase();
  return { day, hhmm: `${parts.find((p) => p.type === 'hour')!.value}:${parts.find((p) => p.type === 'minute')!.value}` };
}

export function isWorking(agent: AgentState, clock: { day: string; hhmm: string }): boolean {
  if (!agent.workingHours || !Object.keys(agent.workingHours).length) return true;
  return (agent.workingHours[clock.day as (typeof DAYS)[number]] ?? []).some(([from, to]) => from <= clock.hhmm && clock.hhmm < to);
}

function coversTerritory(agent: AgentState, alert: RoutableAlert): boolean {
  const zip = alert.postalCode ?? '';
  return agent.territories.some((t) => {
    const v = t.toLowerCase();
    return (zip && /^\d+$/.test(v) && zip.startsWith(v)) || v === alert.city?.toLowerCase() || v === alert.state?.toLowerCase();
  });
}

export function routeAlert(input: {
  alert: RoutableAlert;
  rules: RoutingRule[];
  agents: AgentState[];
  cursors?: Record<string, number>;
  now: Date;
  timeZone: string;
  /** The lead's routing_strategy variant, when an experiment runs. */
  experiment?: StrategyOverride | null;
}): RoutingDecision {
  const { alert, agents, now, timeZone, experiment } = input;
  const rule = ruleFor(input.rules, alert);
  const why: string[] = [rule === DEFAULT_RULE ? 'no rule matched → default: everyone, least loaded' : `rule "${rule.name}" matched (${describeWhen(rule)})`];
  const strategy = experiment?.strategy ?? rule.strategy;
  if (experiment) why.push(`experiment ${experiment.experimentKey}: variant ${experiment.variant} → ${strategy}${strategy === rule.strategy ? '' : ` (instead of ${rule.strategy})`}`);
  const decide = (agentIds: string[], cursor?: RoutingDecision['cursor']): RoutingDecision => ({ ruleId: rule.id, strategy, agentIds, slaMinutes: rule.slaMinutes, why, cursor });

  let pool = rule.pool.agentIds?.length ? agents.filter((a) => rule.pool.agentIds!.includes(a.id)) : agents;
  why.push(rule.pool.agentIds?.length ? `pool: ${pool.length} named agents` : `pool: all ${pool.length} agents`);
  if (rule.pool.skills?.length) {
    pool = pool.filter((a) => rule.pool.skills!.every((s) => a.skills.includes(s)));
    why.push(`skills ${rule.pool.skills.join(' + ')} → ${pool.length}`);
  }
  const active = pool.filter((a) => !a.paused);
  if (active.length < pool.length) why.push(`${pool.length - active.length} paused → ${active.length}`);
  pool = active;
  const clock = localClock(now, timeZone);
  const working = pool.filter((a) => isWorking(a, clock));
  if (working.length) {
    if (working.length < pool.length) why.push(`${pool.length - working.length} outside working hours → ${working.length}`);
    pool = working;
  } else if (pool.length) why.push('nobody within working hours → keeping everyone active');
  const withRoom = pool.filter((a) => a.open < a.capacity);
  if (withRoom.length) {
    if (withRoom.length < pool.length) why.push(`${pool.length - withRoom.length} at capacity → ${withRoom.length}`);
    pool = withRoom;
  } else if (pool.length) why.push('everyone at capacity → least loaded anyway');
  if (rule.pool.preferTerritory && (alert.postalCode || alert.city || alert.state)) {
    const local = pool.filter((a) => coversTerritory(a, alert));
    if (local.length) {
      why.push(`territory ${alert.postalCode ?? alert.city ?? alert.state} → ${local.map((a) => a.name).join(', ')}`);
      pool = local;
    } else why.push(`nobody covers ${alert.postalCode ?? alert.city ?? alert.state} → any area`);
  }
  if (!pool.length) {
    why.push('no agent available → managers');
    return decide([]);
  }

  const byId = [...pool].sort((a, b) => a.id.localeCompare(b.id));
  switch (strategy) {
    case 'broadcast':
      why.push(`broadcast to ${byId.length}: first to claim wins`);
      return decide(byId.map((a) => a.id));
    case 'round_robin': {
      const position = (input.cursors?.[rule.id] ?? 0) % byId.length;
      const chosen = byId[position]!;
      why.push(`round robin (turn ${position + 1} of ${byId.length}) → ${chosen.name}`);
      return decide([chosen.id], { ruleId: rule.id, next: position + 1 });
    }
    default: {
      const chosen = [...pool].sort((a, b) => a.open / Math.max(a.capacity, 1) - b.open / Math.max(b.capacity, 1) || a.open - b.open || a.id.localeCompare(b.id))[0]!;
      why.push(`fewest open (${chosen.open}/${chosen.capacity}) → ${chosen.name}`);
      return decide([chosen.id]);
    }
  }
}

function describeWhen(rule: RoutingRule): string {
  const w = rule.when;
  const parts = [
    w.kinds?.length ? `kind ${w.kinds.join('/')}` : '',
    w.zipPrefixes?.length ? `ZIP ${w.zipPrefixes.map((z) => `${z}xx`).join(', ')}` : '',
    w.temperatures?.length ? w.temperatures.join('/') : '',
    w.minProbability !== undefined ? `p ≥ ${w.minProbability}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'any alert';
}
