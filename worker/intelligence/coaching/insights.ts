/**
 * Rule-based coaching: insights and next-best actions from the computed figures alone, so a
 * tenant without an Anthropic key still gets advice that names the leads to call and the
 * questions being skipped. Also the figure table (what a narrator may quote) and the grounding
 * check that holds any narrator to it.
 */
import { MISSED_WINDOW_HOURS, type AgentMetrics, type Question, type TeamMetrics } from './metrics';

export interface Insight {
  title: string;
  detail: string;
  /** Lead, alert or message ids the insight is about. */
  evidence?: string[];
}
export interface Action {
  action: string;
  why: string;
}
export interface Coaching {
  insights: Insight[];
  actions: Action[];
  narrative: string;
}

export const QUESTION_LABEL: Record<Question, string> = {
  q1Motivation: 'Q1 (motivation)',
  q2Timeline: 'Q2 (timeline)',
  q3Condition: 'Q3 (condition)',
  q4Price: 'Q4 (price)',
};
const ASK: Record<Question, string> = {
  q1Motivation: 'why they are thinking of selling',
  q2Timeline: 'when they would like to sell',
  q3Condition: "the property's condition",
  q4Price: 'the price they have in mind',
};

/** Durations as people say them: minutes under an hour, hours under two days, days beyond. */
export function formatDuration(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 60) return `${Math.round(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${trim(hours)} h`;
  return `${trim(hours / 24)} days`;
}
const trim = (v: number) => String(Math.round(v * 10) / 10);
export const formatShare = (v: number) => `${Math.round(v * 100)} %`;

export interface Figure {
  key: string;
  label: string;
  agent: string;
  team: string;
}

const show = (v: number | null, kind: 'ms' | 'share' | 'count' | 'ratio') =>
  v === null ? 'n/a' : kind === 'ms' ? formatDuration(v) : kind === 'share' ? formatShare(v) : String(v);

/** Every figure a narrator may quote, agent beside team, in the words the report uses. */
export function figureTable(m: AgentMetrics, team: TeamMetrics, periodDays: number): Figure[] {
  const row = (key: string, label: string, agent: number | null, teamValue: number | null, kind: 'ms' | 'share' | 'count' | 'ratio'): Figure => ({
    key,
    label,
    agent: show(agent, kind),
    team: show(teamValue, kind),
  });
  return [
    { key: 'periodDays', label: 'Days in the period', agent: String(periodDays), team: String(periodDays) },
    { key: 'teamAgents', label: 'Agents on the team', agent: String(team.agents), team: String(team.agents) },
    { key: 'missedWindowHours', label: 'Hours a hot lead may wait for a first message', agent: String(MISSED_WINDOW_HOURS), team: String(MISSED_WINDOW_HOURS) },
    row('leads', 'Leads assigned', m.leads, team.leads, 'count'),
    row('speedToLeadMedianMs', 'Median speed-to-lead', m.speedToLeadMedianMs, team.speedToLeadMedianMs, 'ms'),
    row('replyTimeMedianMs', 'Median reply time', m.replyTimeMedianMs, team.replyTimeMedianMs, 'ms'),
    row('coverage.q1Motivation', `${QUESTION_LABEL.q1Motivation} answered`, m.coverage.q1Motivation, team['coverage.q1Motivation'], 'share'),
    row('coverage.q2Timeline', `${QUESTION_LABEL.q2Timeline} answered`, m.coverage.q2Timeline, team['coverage.q2Timeline'], 'share'),
    row('coverage.q3Condition', `${QUESTION_LABEL.q3Condition} answered`, m.coverage.q3Condition, team['coverage.q3Condition'], 'share'),
    row('coverage.q4Price', `${QUESTION_LABEL.q4Price} answered`, m.coverage.q4Price, team['coverage.q4Price'], 'share'),
    row('agentMessages', 'Messages written', m.agentMessages, null, 'count'),
    row('questionsAsked', 'Messages asking a question', m.questionsAsked, team.questionsAsked, 'count'),
    row('talkRatio', 'Talk ratio (agent words per lead word)', m.talkRatio, team.talkRatio, 'ratio'),
    row('followUpCadenceMedianMs', 'Median gap between follow-ups to a silent lead', m.followUpCadenceMedianMs, team.followUpCadenceMedianMs, 'ms'),
    row('slaMisses', 'Alerts escalated past the SLA', m.slaMisses, team.slaMisses, 'count'),
    row('missedOpportunities', `Hot leads without a message within ${MISSED_WINDOW_HOURS} h`, m.missedOpportunities, team.missedOpportunities, 'count'),
    row('alerts.routed', 'Alerts routed', m.alerts.routed, null, 'count'),
    row('alerts.acknowledged', 'Alerts acknowledged', m.alerts.acknowledged, null, 'count'),
    row('alerts.claimed', 'Alerts claimed', m.alerts.claimed, null, 'count'),
    row('alerts.converted', 'Claimed alerts converted', m.alerts.converted, null, 'count'),
    ...m.missed.map((x) => ({ key: `missed.${x.leadId}`, label: `Wait of ${x.name ?? x.leadId}`, agent: x.waitedMs === null ? 'no message yet' : formatDuration(x.waitedMs), team: 'n/a' })),
  ];
}

// Ids (`lead_3xY…`) and question labels (Q1–Q4) carry digits that are not figures.
const NOT_FIGURES = /\b[a-z]+_[1-9A-HJ-NP-Za-km-z]{6,}\b|\bQ[1-4]\b/g;
const NUMBER = /\d+(?:[.,]\d+)*/g;
const normalize = (n: string) => String(Number(n.replace(/,(?=\d{3}\b)/g, '').replace(',', '.')));

export function numbersIn(text: string): string[] {
  return (text.replace(NOT_FIGURES, ' ').match(NUMBER) ?? []).map(normalize);
}

/** The numbers of a text that appear in none of the figures (empty = grounded). */
export function ungroundedNumbers(text: string, figures: Figure[]): string[] {
  const allowed = new Set(figures.flatMap((f) => [...numbersIn(f.agent), ...numbersIn(f.team)]));
  return [...new Set(numbersIn(text).filter((n) => !allowed.has(n)))];
}

const nameOf = (m: AgentMetrics, leadId: string, names: Map<string, string | null>) => names.get(leadId) ?? m.missed.find((x) => x.leadId === leadId)?.name ?? null;
const listLeads = (ids: string[], names: Map<string, string | null>, m: AgentMetrics, max = 5) =>
  ids
    .slice(0, max)
    .map((id) => {
      const name = nameOf(m, id, names);
      return name ? `${name} (${id})` : id;
    })
    .join(', ') + (ids.length > max ? ` and ${ids.length - max} more` : '');

const slower = (mine: number | null, team: number | null) => mine !== null && team !== null && team > 0 && mine > team * 1.5;

/**
 * Insights in the order an agent should act on them: people waiting first, then SLA, then the
 * qualification gaps, then habits. `names` maps lead ids to names for the lists.
 */
export function ruleCoaching(m: AgentMetrics, team: TeamMetrics, names: Map<string, string | null>): Coaching {
  const insights: Insight[] = [];
  const actions: Action[] = [];

  if (m.missed.length > 0) {
    const who = m.missed.map((x) => `${x.name ?? x.leadId} (${x.leadId}): ${x.waitedMs === null ? 'no message from you yet' : `waited ${formatDuration(x.waitedMs)}`}`);
    insights.push({
      title: `${m.missed.length} hot lead${m.missed.length === 1 ? '' : 's'} waited > ${MISSED_WINDOW_HOURS} h for you`,
      detail: who.join('; '),
      evidence: m.missed.map((x) => x.leadId),
    });
    actions.push({
      action: `Call ${listLeads(m.missed.map((x) => x.leadId), names, m)} today`,
      why: `Hot leads went more than ${MISSED_WINDOW_HOURS} h without a message from you; a call now is the best chance to recover them.`,
    });
  }

  if (m.slaMisses > 0) {
    insights.push({
      title: `${m.slaMisses} alert${m.slaMisses === 1 ? '' : 's'} escalated past your SLA`,
      detail: `Team median: ${team.slaMisses ?? 0}. They went on to a colleague or the managers because you had not acknowledged them in time.`,
      evidence: m.slaMissAlertIds,
    });
    actions.push({ action: 'Acknowledge alerts as they arrive: keep the inbox open and notifications on', why: `${m.slaMisses} of your alerts escalated before you acknowledged them.` });
  }

  for (const [q, label] of Object.entries(QUESTION_LABEL) as Array<[Question, string]>) {
    const mine = m.coverage[q];
    const theirs = team[`coverage.${q}`];
    if (mine === null || theirs === null || mine > theirs - 0.15) continue;
    insights.push({
      title: `${label} answered in ${formatShare(mine)} of your conversations vs team ${formatShare(theirs)}`,
      detail: `${m.answered[q]} of your ${m.leads} leads have it. Without it: ${listLeads(m.unanswered[q], names, m)}.`,
      evidence: m.unanswered[q].slice(0, 20),
    });
    actions.push({ action: `Ask ${listLeads(m.unanswered[q], names, m, 3)} about ${ASK[q]}`, why: `${label} is missing on ${m.leads - m.answered[q]} of your ${m.leads} leads.` });
  }

  if (slower(m.speedToLeadMedianMs, team.speedToLeadMedianMs)) {
    insights.push({ title: `Your median speed-to-lead is ${formatDuration(m.speedToLeadMedianMs!)} vs team ${formatDuration(team.speedToLeadMedianMs!)}`, detail: 'The first reply sets the tone; new leads answered sooner qualify more often.' });
    actions.push({ action: 'Answer new leads first, before follow-ups', why: `Your first replies take ${formatDuration(m.speedToLeadMedianMs!)} at the median.` });
  }
  if (slower(m.replyTimeMedianMs, team.replyTimeMedianMs)) {
    insights.push({ title: `Your median reply time is ${formatDuration(m.replyTimeMedianMs!)} vs team ${formatDuration(team.replyTimeMedianMs!)}`, detail: `Measured over ${m.replies} replies to leads' texts.` });
    actions.push({ action: 'Reply to leads who texted you before starting new conversations', why: `Leads wait ${formatDuration(m.replyTimeMedianMs!)} for you at the median.` });
  }
  if (m.talkRatio !== null && m.talkRatio > 1.5) {
    insights.push({ title: `You write ${m.talkRatio} words for every word the lead writes`, detail: `Team median: ${team.talkRatio ?? 'n/a'}. Short messages that end with a question get longer answers.` });
    actions.push({ action: 'Keep texts short and end each with one question', why: `Your talk ratio is ${m.talkRatio}.` });
  }
  if (m.agentMessages >= 5 && m.questionsAsked / m.agentMessages < 0.3) {
    insights.push({ title: `${m.questionsAsked} of your ${m.agentMessages} messages asked a question`, detail: `Team median: ${team.questionsAsked ?? 'n/a'} questions. Questions are how Q1–Q4 get answered.` });
  }
  if (slower(m.followUpCadenceMedianMs, team.followUpCadenceMedianMs)) {
    insights.push({ title: `You follow up on silent leads every ${formatDuration(m.followUpCadenceMedianMs!)} vs team ${formatDuration(team.followUpCadenceMedianMs!)}`, detail: `Measured over ${m.followUps} follow-ups.` });
    actions.push({ action: 'Follow up on leads that went quiet sooner', why: `Your median gap between follow-ups is ${formatDuration(m.followUpCadenceMedianMs!)}.` });
  }
  if (m.alerts.routed > 0 && m.alerts.acknowledged < m.alerts.routed) {
    insights.push({ title: `${m.alerts.acknowledged} of ${m.alerts.routed} alerts routed to you were acknowledged`, detail: `${m.alerts.claimed} claimed, ${m.alerts.converted} converted.` });
  }

  if (insights.length === 0) {
    insights.push({ title: 'On pace with the team', detail: m.leads === 0 ? 'No leads were assigned to you in this period.' : `Across ${m.leads} leads, none of your figures trails the team.` });
  }
  if (actions.length === 0) actions.push({ action: 'Keep your current rhythm', why: 'None of your figures trails the team median.' });

  const narrative = `Across your ${m.leads} lead${m.leads === 1 ? '' : 's'} in this period: ${insights
    .slice(0, 3)
    .map((i) => i.title)
    .join('; ')}.`;
  return { insights, actions, narrative };
}
