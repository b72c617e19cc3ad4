/**
 * One lead's conversation, turn by turn. The ConversationRoom Durable Object calls these under
 * its lock, so a lead's messages are handled one at a time, in order; everything here reads and
 * writes Postgres (the system of record) and sends through `deliverMessage`.
 */
import { detectComplianceKeyword } from '../assistant/keywords';
import { decideTurn, type ConversationState, type TurnDecision } from '../assistant/policy';
import { helpReply, optInConfirmation, optOutConfirmation } from '../assistant/templates';
import type { Persona, ReplyPlan, SellerAssistant, TranscriptMessage } from '../assistant/types';
import type { ServiceContext } from '../services/context';
import { raiseAlert } from '../services/alerts/alerts';
import { automationAllowed } from '../services/billing/billing';
import { recordLeadReply } from '../services/churn/outcomes';
import { assistantScriptFor, followUpCadenceFor, leadQualified } from '../services/experiments/levers';
import { assignLead, assignLeadTo, notifyLeadEvent } from '../services/leads/assign';
import { leadView, messageView, type LeadRow, type LeadView, type MessageRow, type MessageView } from '../services/leads/view';
import { attemptDelivery, deliverMessage, type OutboundKind, type OutboundRequest, type OutboundResult } from './outbound';
import {
  conversationStateOf,
  countBotMessage,
  currentConsent,
  loadLead,
  loadMessage,
  loadTenantProfile,
  loadTranscript,
  recordConsent,
  saveConversationState,
  updateLead,
  type TenantProfile,
} from './store';

export type LiveEvent =
  | { type: 'lead.updated'; data: LeadView }
  | { type: 'message.created' | 'message.updated'; data: MessageView };

/** What the room does for the engine: its alarms and its watchers. */
export interface RoomPorts {
  /** Replaces the pending follow-up; null clears it. */
  scheduleFollowUp(at: Date | null, attempt: number): Promise<void>;
  /** Wakes the room at `at` to try a deferred message again. */
  scheduleDelivery(messageId: string, at: Date): Promise<void>;
  broadcast(event: LiveEvent): void;
}

export interface InboundInput {
  leadId: string;
  /** Our messages.id of the stored inbound row. */
  messageId: string;
  body: string;
  /** The message's own time (GHL dateAdded). */
  at: string;
  /** When LeadPulse received it (ms since epoch): reply latency counts from here. */
  receivedAt: number;
}

export interface TurnSummary {
  handled: 'compliance' | 'silent' | 'replied' | 'merged' | 'ignored';
  outcome?: TurnDecision['outcome'] | 'opted_out' | 'opted_in' | 'help';
  reply?: OutboundResult['outcome'];
}

interface Turn {
  ctx: ServiceContext;
  ports: RoomPorts;
  assistant: SellerAssistant;
  tenant: TenantProfile;
  persona: Persona;
}

async function openTurn(ctx: ServiceContext, ports: RoomPorts, assistant: SellerAssistant): Promise<Turn> {
  const tenant = await loadTenantProfile(ctx);
  const persona: Persona = { ...tenant.settings.botPersona, brand: tenant.name };
  return { ctx, ports, assistant, tenant, persona };
}

export async function handleInbound(ctx: ServiceContext, ports: RoomPorts, assistant: SellerAssistant, input: InboundInput): Promise<TurnSummary> {
  const turn = await openTurn(ctx, ports, assistant);
  let lead = await loadLead(ctx, input.leadId);
  if (!lead || lead.deletedAt) return { handled: 'ignored' };
  const at = new Date(input.at);
  // A newer message already arrived: this one still informs the answers, but gets no reply of its own.
  const isLatest = !lead.lastInboundAt || at.getTime() >= lead.lastInboundAt.getTime();

  // Consent first: inbound text opens a conversation (recorded once, unless the lead opted out).
  const consent = await currentConsent(ctx, lead.id);
  if (!consent && !lead.optedOut) {
    await recordConsent(ctx, { leadId: lead.id, phone: lead.phone, action: 'granted', method: 'inbound_message', source: 'sms', evidence: { messageId: input.messageId }, occurredAt: at });
  }

  const keyword = detectComplianceKeyword(input.body);
  if (keyword) {
    // A consent change older than the newest one on file (out-of-order delivery) changes nothing.
    if (consent && consent.occurredAt.getTime() > at.getTime()) return { handled: 'ignored' };
    return handleKeyword(turn, lead, input, keyword, 'keyword');
  }
  if (lead.optedOut || lead.dnd) {
    ports.broadcast({ type: 'lead.updated', data: leadView(lead) });
    return { handled: 'silent' };
  }
  // Billing (§3.9): past due / canceled → the inbound is stored above, the bot stays silent.
  if (!(await automationAllowed(ctx))) return botPaused(turn, lead, 'inbound');

  const state = conversationStateOf(lead);
  const history = await loadTranscript(ctx, lead.id);
  const understood = await assistant.understand({ text: input.body, expecting: state.expecting, qualification: state.qualification, history, now: at });
  // Claude may recognise a plain-language opt-out the keyword list does not know.
  if (understood.value.intents.includes('opt_out')) return handleKeyword(turn, lead, input, 'opt_out', 'plain_language');
  // The lead wrote back (not to opt out): an open going-cold episode is saved and its remaining steps cancelled.
  await recordLeadReply(ctx, lead.id, at);

  const decision = decideTurn(state, understood.value, { messageAt: at, estimateCents: lead.estimateCents });
  const next = decision.state;
  const extra: Partial<LeadRow> = {};
  if (decision.outcome === 'qualified' && !lead.qualifiedAt) extra.qualifiedAt = new Date();
  lead = await saveConversationState(ctx, lead.id, next, extra);
  if (extra.qualifiedAt) await leadQualified(ctx, lead.id);

  let reply: OutboundResult | undefined;
  if (decision.plan && isLatest) {
    reply = await say(turn, lead, next, decision.plan, history, {
      kind: 'reply',
      idempotencyKey: `reply:${input.messageId}`,
      inReplyTo: input.messageId,
      replyToReceivedAt: input.receivedAt,
    });
    lead = (reply.outcome === 'sent' ? reply.lead : (await loadLead(ctx, lead.id))) ?? lead;
  }

  await afterDecision(turn, lead, decision);
  // Silence after a question gets a follow-up; any reply from the lead restarts the cadence.
  const cadence = await followUpCadenceFor(ctx, lead.id, turn.tenant.settings.followUps.cadenceMinutes);
  const waiting = lead.botState === 'active' && next.expecting !== null && !lead.optedOut;
  await ports.scheduleFollowUp(waiting && cadence.length ? new Date(Date.now() + cadence[0]! * 60_000) : null, 1);

  ports.broadcast({ type: 'lead.updated', data: leadView(lead) });
  return { handled: reply ? 'replied' : isLatest ? 'silent' : 'merged', outcome: decision.outcome, reply: reply?.outcome };
}

async function handleKeyword(turn: Turn, lead: LeadRow, input: InboundInput, keyword: 'opt_out' | 'opt_in' | 'help', method: string): Promise<TurnSummary> {
  const { ctx, ports, tenant, persona } = turn;
  const at = new Date(input.at);
  if (keyword === 'help') {
    const r = await send(turn, lead, { kind: 'help', body: helpReply(tenant.name, persona), idempotencyKey: `help:${input.messageId}`, sender: 'bot', generatedBy: 'template', inReplyTo: input.messageId, replyToReceivedAt: input.receivedAt });
    return { handled: 'compliance', outcome: 'help', reply: r.outcome };
  }
  if (keyword === 'opt_out') {
    if (lead.optedOut) return { handled: 'compliance', outcome: 'opted_out' }; // at most one confirmation
    await recordConsent(ctx, { leadId: lead.id, phone: lead.phone, action: 'revoked', method, source: 'sms', evidence: { messageId: input.messageId }, occurredAt: at });
    lead = await updateLead(ctx, lead.id, { optedOut: true, optedOutAt: at });
    await ports.scheduleFollowUp(null, 0);
    ports.broadcast({ type: 'lead.updated', data: leadView(lead) });
    const r = await send(turn, lead, { kind: 'opt_out_confirmation', body: optOutConfirmation(tenant.name), idempotencyKey: `optout:${input.messageId}`, sender: 'bot', generatedBy: 'template', inReplyTo: input.messageId, replyToReceivedAt: input.receivedAt });
    return { handled: 'compliance', outcome: 'opted_out', reply: r.outcome };
  }
  // START / UNSTOP
  if (!lead.optedOut) return { handled: 'compliance', outcome: 'opted_in' };
  await recordConsent(ctx, { leadId: lead.id, phone: lead.phone, action: 'granted', method: 'keyword', source: 'sms', evidence: { messageId: input.messageId }, occurredAt: at });
  lead = await updateLead(ctx, lead.id, { optedOut: false, optedOutAt: null });
  ports.broadcast({ type: 'lead.updated', data: leadView(lead) });
  const r = await send(turn, lead, { kind: 'opt_in_confirmation', body: optInConfirmation(tenant.name), idempotencyKey: `optin:${input.messageId}`, sender: 'bot', generatedBy: 'template', inReplyTo: input.messageId, replyToReceivedAt: input.receivedAt });
  return { handled: 'compliance', outcome: 'opted_in', reply: r.outcome };
}

/** Words the plan with the assistant and sends it; counts the message once it is on its way. */
async function say(
  turn: Turn,
  lead: LeadRow,
  state: ConversationState,
  plan: ReplyPlan,
  /** The transcript the turn already loaded; proactive messages load their own. */
  history: TranscriptMessage[] | null,
  meta: { kind: OutboundKind; idempotencyKey: string; inReplyTo?: string; replyToReceivedAt?: number },
): Promise<OutboundResult> {
  const { ctx, tenant, persona } = turn;
  // An assistant_script experiment enrols the lead with its first bot message; the script sticks.
  const script = await assistantScriptFor(ctx, lead.id, state.outboundCount === 0);
  const worded = await turn.assistant.compose({
    plan,
    persona,
    qualification: state.qualification,
    history: history ?? (await loadTranscript(ctx, lead.id)),
    facts: { brand: tenant.name, assistantName: persona.name },
    leadFirstName: lead.name?.split(/\s+/)[0] ?? null,
    script,
  });
  const result = await send(turn, lead, {
    kind: meta.kind,
    body: worded.value,
    idempotencyKey: meta.idempotencyKey,
    sender: 'bot',
    generatedBy: worded.source,
    fallbackReason: worded.fallbackReason ?? null,
    tokens: worded.usage ?? null,
    inReplyTo: meta.inReplyTo ?? null,
    replyToReceivedAt: meta.replyToReceivedAt ?? null,
  });
  if (result.outcome === 'sent' || result.outcome === 'deferred') {
    // The first message carries the AI disclosure; count only messages that are on their way.
    await countBotMessage(ctx, lead.id);
  }
  return result;
}

async function send(turn: Turn, lead: LeadRow, req: OutboundRequest): Promise<OutboundResult> {
  const result = await deliverMessage(turn.ctx, turn.tenant, lead, req);
  turn.ports.broadcast({ type: 'message.created', data: messageView(result.message) });
  if (result.outcome === 'deferred') await turn.ports.scheduleDelivery(result.message.id, result.until);
  return result;
}

async function afterDecision(turn: Turn, lead: LeadRow, decision: TurnDecision) {
  const { ctx } = turn;
  switch (decision.outcome) {
    case 'qualified':
      if (lead.temperature === 'hot') {
        // The alert is routed by the tenant's rules; a single routed agent gets the lead, a broadcast waits for the first claim.
        const { alert } = await raiseAlert(ctx, { leadId: lead.id, kind: 'hot_lead', reasons: lead.temperatureReasons });
        const routedTo = alert.assignedAgentIds.length === 1 ? alert.assignedAgentIds[0]! : null;
        const assigned = routedTo ? await assignLeadTo(ctx, lead, routedTo) : lead;
        await notifyLeadEvent(ctx, assigned, 'hot_lead');
      }
      return;
    case 'human_requested': {
      const assigned = await assignLead(ctx, lead, 'human_requested');
      await notifyLeadEvent(ctx, assigned, 'human_requested');
      return;
    }
    case 'hostile':
      await notifyLeadEvent(ctx, lead, 'hostile_reply');
      return;
    default:
      return;
  }
}

/** A follow-up alarm fired: nudge a silent lead, within consent, caps and quiet hours. */
export async function handleFollowUp(ctx: ServiceContext, ports: RoomPorts, assistant: SellerAssistant, leadId: string, attempt: number) {
  const turn = await openTurn(ctx, ports, assistant);
  const lead = await loadLead(ctx, leadId);
  if (!lead || lead.deletedAt || lead.optedOut || lead.botState !== 'active') return { handled: 'ignored' as const };
  if (!(await automationAllowed(ctx))) return botPaused(turn, lead, 'follow_up');
  const state = conversationStateOf(lead);
  if (state.expecting === null) return { handled: 'ignored' as const };
  const since = lead.lastInboundAt?.toISOString() ?? 'none';
  const result = await say(turn, lead, state, { kind: 'follow_up', question: state.expecting, attempt }, null, { kind: 'follow_up', idempotencyKey: `followup:${lead.id}:${since}:${attempt}` });
  const cadence = await followUpCadenceFor(ctx, lead.id, turn.tenant.settings.followUps.cadenceMinutes);
  if (result.outcome !== 'failed' && attempt < cadence.length) {
    await ports.scheduleFollowUp(new Date(Date.now() + cadence[attempt]! * 60_000), attempt + 1);
  }
  const fresh = await loadLead(ctx, leadId);
  if (fresh) ports.broadcast({ type: 'lead.updated', data: leadView(fresh) });
  return { handled: 'replied' as const, reply: result.outcome };
}

/** A new contact who has not written: the first touch is proactive (consent, quiet hours). */
export async function handleFirstTouch(ctx: ServiceContext, ports: RoomPorts, assistant: SellerAssistant, leadId: string) {
  const turn = await openTurn(ctx, ports, assistant);
  const lead = await loadLead(ctx, leadId);
  if (!lead || lead.deletedAt || lead.firstInboundAt || lead.firstOutboundAt) return { handled: 'ignored' as const };
  if (!(await automationAllowed(ctx))) return botPaused(turn, lead, 'first_touch');
  const state = conversationStateOf(lead);
  const question = state.expecting ?? 'motivation';
  await saveConversationState(ctx, lead.id, { ...state, expecting: question, stage: state.stage === 'new' ? 'q1' : state.stage });
  const result = await say(turn, lead, state, { kind: 'first_touch', question }, null, { kind: 'first_touch', idempotencyKey: `first_touch:${lead.id}` });
  const cadence = await followUpCadenceFor(ctx, lead.id, turn.tenant.settings.followUps.cadenceMinutes);
  if ((result.outcome === 'sent' || result.outcome === 'deferred') && cadence.length) {
    const base = result.outcome === 'deferred' ? result.until.getTime() : Date.now();
    await ports.scheduleFollowUp(new Date(base + cadence[0]! * 60_000), 1);
  }
  return { handled: 'replied' as const, reply: result.outcome };
}

/** A deferred message is due (quiet hours over, or GHL asked us to wait). */
export async function handleDeferredDelivery(ctx: ServiceContext, ports: RoomPorts, assistant: SellerAssistant, messageId: string) {
  const turn = await openTurn(ctx, ports, assistant);
  const message = await loadMessage(ctx, messageId);
  if (!message || message.status !== 'deferred') return { handled: 'ignored' as const };
  const lead = await loadLead(ctx, message.leadId);
  if (!lead) return { handled: 'ignored' as const };
  const result = await attemptDelivery(ctx, turn.tenant, lead, message, null);
  ports.broadcast({ type: 'message.updated', data: messageView(result.message) });
  if (result.outcome === 'deferred') await ports.scheduleDelivery(result.message.id, result.until);
  if (result.outcome === 'sent') ports.broadcast({ type: 'lead.updated', data: leadView(result.lead) });
  return { handled: 'replied' as const, reply: result.outcome };
}

export type { MessageRow };

/** The bot does not answer while the tenant's subscription is unpaid; the log says why it was quiet. */
function botPaused(turn: Turn, lead: LeadRow, trigger: 'inbound' | 'follow_up' | 'first_touch') {
  turn.ctx.logger.info('bot paused: subscription not in good standing', { leadId: lead.id, trigger });
  turn.ports.broadcast({ type: 'lead.updated', data: leadView(lead) });
  return { handled: 'ignored' as const };
}
