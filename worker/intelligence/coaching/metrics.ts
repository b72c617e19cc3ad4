/**
 * Coaching metrics (PRODUCT.md §3.6), computed from an agent's real conversation rows. Pure: the
 * service loads the rows, this module turns them into figures, so every figure can be checked by
 * hand against a fixture. Every figure carries the definition below, in plain words, so a report
 * explains itself and the narrator can be held to it.
 */

export interface CoachingLead {
  id: string;
  name: string | null;
  assignedAgentId: string | null;
  assignedAt: Date | null;
  createdAt: Date;
  temperature: string | null;
  speedToLeadMs: number | null;
  motivationCategory: string | null;
  timelineDays: number | null;
  condition: string | null;
  priceCents: number | null;
}

export interface CoachingMessage {
  id: string;
  leadId: string;
  sender: 'lead' | 'bot' | 'agent' | 'system';
  senderUserId: string | null;
  body: string;
  at: Date;
}

export interface CoachingAlert {
  id: string;
  leadId: string;
  kind: string;
  assignedAgentIds: string[];
  /** Who held it, unacknowledged, when the SLA ladder moved it on (services/alerts/escalation.ts). */
  slaMissedBy: string[];
  acknowledgedAt: Date | null;
  claimedBy: string | null;
  converted: boolean | null;
}

export interface CoachingRows {
  /**
   * Assigned leads created in the period or with messages in it (any agent); the agent's are
   * those assigned to them. Lead-level figures (speed-to-lead, coverage, missed) count only the
   * ones created in the period; conversation figures count every conversation active in it.
   */
  leads: CoachingLead[];
  /** Messages in the period on those leads, any order. */
  messages: CoachingMessage[];
  /** Alerts created in the period. */
  alerts: CoachingAlert[];
  /** `threads(messages)`, when the caller built it once for many agents. */
  byLead?: Map<string, CoachingMessage[]>;
}

/**
 * Each lead's messages, oldest first. Built once per team and passed in `rows.byLead`, so
 * coaching N agents reads the messages once rather than N times.
 */
export function threads(messages: CoachingMessage[]): Map<string, CoachingMessage[]> {
  const byLead = new Map<string, CoachingMessage[]>();
  for (const m of messages) {
    const list = byLead.get(m.leadId);
    if (list) list.push(m);
    else byLead.set(m.leadId, [m]);
  }
  for (const list of byLead.values()) list.sort((a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id));
  return byLead;
}

export interface MissedOpportunity {
  leadId: string;
  name: string | null;
  /** Assignment (or creation) → the agent's first message; null when they never wrote. */
  waitedMs: number | null;
}

export const QUESTIONS = ['q1Motivation', 'q2Timeline', 'q3Condition', 'q4Price'] as const;
export type Question = (typeof QUESTIONS)[number];
const ANSWER: Record<Question, (l: CoachingLead) => unknown> = {
  q1Motivation: (l) => l.motivationCategory,
  q2Timeline: (l) => l.timelineDays,
  q3Condition: (l) => l.condition,
  q4Price: (l) => l.priceCents,
};

export interface AgentMetrics {
  leads: number;
  speedToLeadMedianMs: number | null;
  replyTimeMedianMs: number | null;
  replies: number;
  coverage: Record<Question, number | null>;
  /** Per question, how many of the agent's leads have the answer. */
  answered: Record<Question, number>;
  /** Per question, the agent's newest leads without the answer (at most UNANSWERED_LISTED): what a coverage tip points at. */
  unanswered: Record<Question, string[]>;
  agentMessages: number;
  questionsAsked: number;
  talkRatio: number | null;
  followUpCadenceMedianMs: number | null;
  followUps: number;
  slaMisses: number;
  slaMissAlertIds: string[];
  missedOpportunities: number;
  missed: MissedOpportunity[];
  alerts: { routed: number; acknowledged: number; claimed: number; converted: number };
}

/** The headline figures compared with the team (each the median across agents that have a value). */
export const TEAM_FIGURES = [
  'leads',
  'speedToLeadMedianMs',
  'replyTimeMedianMs',
  'coverage.q1Motivation',
  'coverage.q2Timeline',
  'coverage.q3Condition',
  'coverage.q4Price',
  'questionsAsked',
  'talkRatio',
  'followUpCadenceMedianMs',
  'slaMisses',
  'missedOpportunities',
] as const;
export type TeamFigure = (typeof TEAM_FIGURES)[number];
export type TeamMetrics = { agents: number } & Record<TeamFigure, number | null>;

export const METRIC_DEFINITIONS: Record<string, string> = {
  leads: 'Leads assigned to the agent and created in the period (speed-to-lead, coverage and missed opportunities count these)',
  conversations: "Conversation figures (reply time, questions, talk ratio, follow-ups) count every message in the period on the agent's leads, whenever the lead came in",
  speedToLeadMedianMs: "Median of the leads' first inbound → first outbound time",
  replyTimeMedianMs: "Median time from a lead's text (the first one the agent had not answered yet) to the agent's next message on that lead",
  coverage: 'Share of the leads with the answer recorded: Q1 motivation, Q2 timeline, Q3 condition, Q4 price',
  questionsAsked: "The agent's messages containing a question mark",
  talkRatio: "Words the agent wrote ÷ words the lead wrote, on leads the agent wrote to",
  followUpCadenceMedianMs: "Median gap between two of the agent's messages to a lead that did not answer in between",
  slaMisses: 'Alerts (created in the period) the agent still held, unacknowledged, when the SLA ladder moved them on (to the next agent or to the managers)',
  missedOpportunities: 'Hot leads assigned to the agent with no message from them within the window after assignment',
  alerts: 'Alerts routed to the agent: acknowledged, claimed by them, claimed and converted',
};

export const MISSED_WINDOW_HOURS = 2;
/** Stored with every report: enough leads to act on, without copying a busy agent's whole book. */
export const UNANSWERED_LISTED = 50;
const HOUR_MS = 3_600_000;

/** Median; the mean of the two middle values for an even count, rounded to an integer for durations. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const roundMs = (v: number | null) => (v === null ? null : Math.round(v));
const share = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 100) / 100 : null);
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

/**
 * One agent's metrics. `now` bounds the missed-opportunity window: a hot lead assigned less than
 * the window ago has not been missed yet.
 */
export function computeAgentMetrics(agentId: string, rows: CoachingRows, opts: { from: Date; now: Date; missedWindowHours?: number }): AgentMetrics {
  const windowMs = (opts.missedWindowHours ?? MISSED_WINDOW_HOURS) * HOUR_MS;
  const assigned = rows.leads.filter((l) => l.assignedAgentId === agentId);
  const mine = assigned.filter((l) => l.createdAt.getTime() >= opts.from.getTime());
  const index = rows.byLead ?? threads(rows.messages);
  const byLead = new Map(assigned.flatMap((l) => (index.has(l.id) ? [[l.id, index.get(l.id)!] as const] : [])));
  const isMine = (m: CoachingMessage) => m.sender === 'agent' && m.senderUserId === agentId;

  const replyTimes: number[] = [];
  const followUpGaps: number[] = [];
  let agentMessages = 0;
  let questionsAsked = 0;
  let agentWords = 0;
  let leadWords = 0;
  for (const list of byLead.values()) {
    let waitingSince: Date | null = null;
    let lastMine: Date | null = null;
    const handled = list.some(isMine);
    for (const m of list) {
      if (m.sender === 'lead') {
        waitingSince ??= m.at;
        lastMine = null; // the lead answered: the next message of the agent is a reply, not a follow-up
        if (handled) leadWords += words(m.body);
      } else if (isMine(m)) {
        agentMessages++;
        agentWords += words(m.body);
        if (m.body.includes('?')) questionsAsked++;
        if (waitingSince) replyTimes.push(m.at.getTime() - waitingSince.getTime());
        else if (lastMine) followUpGaps.push(m.at.getTime() - lastMine.getTime());
        waitingSince = null;
        lastMine = m.at;
      }
    }
  }

  const missed: MissedOpportunity[] = [];
  for (const lead of mine) {
    if (lead.temperature !== 'hot') continue;
    const start = (lead.assignedAt ?? lead.createdAt).getTime();
    if (start + windowMs > opts.now.getTime()) continue;
    const first = (byLead.get(lead.id) ?? []).find((m) => isMine(m) && m.at.getTime() >= start);
    const waited = first ? first.at.getTime() - start : null;
    if (waited === null || waited > windowMs) missed.push({ leadId: lead.id, name: lead.name, waitedMs: waited });
  }

  const routed = rows.alerts.filter((a) => a.assignedAgentIds.includes(agentId));
  const claimed = rows.alerts.filter((a) => a.claimedBy === agentId);
  // Any rung counts: the first agent whose alert went to the next one missed the SLA as much as the
  // next agent whose alert then went to the managers. Being handed a lapsed alert is not a miss.
  const misses = rows.alerts.filter((a) => a.slaMissedBy.includes(agentId));
  const newestFirst = [...mine].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id));
  const missing = Object.fromEntries(QUESTIONS.map((q) => [q, newestFirst.filter((l) => ANSWER[q](l) === null).map((l) => l.id)])) as Record<Question, string[]>;

  return {
    leads: mine.length,
    speedToLeadMedianMs: roundMs(median(mine.flatMap((l) => (l.speedToLeadMs === null ? [] : [l.speedToLeadMs])))),
    replyTimeMedianMs: roundMs(median(replyTimes)),
    replies: replyTimes.length,
    coverage: Object.fromEntries(QUESTIONS.map((q) => [q, share(mine.length - missing[q].length, mine.length)])) as Record<Question, number | null>,
    answered: Object.fromEntries(QUESTIONS.map((q) => [q, mine.length - missing[q].length])) as Record<Question, number>,
    unanswered: Object.fromEntries(QUESTIONS.map((q) => [q, missing[q].slice(0, UNANSWERED_LISTED)])) as Record<Question, string[]>,
    agentMessages,
    questionsAsked,
    talkRatio: leadWords > 0 ? Math.round((agentWords / leadWords) * 100) / 100 : null,
    followUpCadenceMedianMs: roundMs(median(followUpGaps)),
    followUps: followUpGaps.length,
    slaMisses: misses.length,
    slaMissAlertIds: misses.map((a) => a.id),
    missedOpportunities: missed.length,
    missed,
    alerts: {
      routed: routed.length,
      acknowledged: routed.filter((a) => a.acknowledgedAt !== null).length,
      claimed: claimed.length,
      converted: claimed.filter((a) => a.converted === true).length,
    },
  };
}

export function figure(m: AgentMetrics, key: TeamFigure): number | null {
  if (key.startsWith('coverage.')) return m.coverage[key.slice('coverage.'.length) as Question];
  return m[key as Exclude<TeamFigure, `coverage.${string}`>] as number | null;
}

/** The team's figures: per figure, the median across the agents that have a value for it. */
export function teamMetrics(all: AgentMetrics[]): TeamMetrics {
  const out = { agents: all.length } as TeamMetrics;
  for (const key of TEAM_FIGURES) {
    const values = all.flatMap((m) => {
      const v = figure(m, key);
      return v === null ? [] : [v];
    });
    const mid = median(values);
    out[key] = mid === null ? null : key.endsWith('Ms') ? Math.round(mid) : Math.round(mid * 100) / 100;
  }
  return out;
}
