import type { leads, messages } from '../../db/schema';
import type { Condition, MotivationCategory, MotivationStrength } from '../../assistant/types';

export type LeadRow = typeof leads.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;

/** The public shape of a lead (GET /v1/leads/:id), also pushed to agents watching it live. */
export function leadView(row: LeadRow) {
  return {
    id: row.id,
    externalId: row.externalId,
    source: row.source,
    kind: row.kind,
    name: row.name,
    phone: row.phone,
    email: row.email,
    address: { street: row.street, city: row.city, state: row.state, postalCode: row.postalCode },
    tags: row.tags,
    stage: row.stage,
    temperature: row.temperature,
    temperatureReasons: row.temperatureReasons,
    qualification: {
      motivation: row.motivationCategory
        ? {
            category: row.motivationCategory as MotivationCategory,
            strength: (row.motivationStrength ?? 'moderate') as MotivationStrength,
            evidence: row.motivationEvidence ?? '',
          }
        : null,
      timelineDays: row.timelineDays,
      condition: (row.condition as Condition | null) ?? null,
      conditionNotes: row.conditionNotes,
      priceCents: row.priceCents,
    },
    estimateCents: row.estimateCents,
    optedOut: row.optedOut,
    dnd: row.dnd,
    botState: row.botState,
    assignedAgentId: row.assignedAgentId,
    takenOverBy: row.takenOverBy,
    speedToLeadMs: row.speedToLeadMs,
    firstInboundAt: row.firstInboundAt,
    firstOutboundAt: row.firstOutboundAt,
    lastInboundAt: row.lastInboundAt,
    lastOutboundAt: row.lastOutboundAt,
    qualifiedAt: row.qualifiedAt,
    opportunityStatus: row.opportunityStatus,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export type LeadView = ReturnType<typeof leadView>;

export function messageView(row: MessageRow) {
  return {
    id: row.id,
    leadId: row.leadId,
    direction: row.direction,
    sender: row.sender,
    senderUserId: row.senderUserId,
    body: row.body,
    kind: row.kind,
    status: row.status,
    generatedBy: row.generatedBy,
    error: row.error,
    scheduledFor: row.scheduledFor,
    at: row.at,
    sentAt: row.sentAt,
    replyLatencyMs: row.replyLatencyMs,
  };
}

export type MessageView = ReturnType<typeof messageView>;
