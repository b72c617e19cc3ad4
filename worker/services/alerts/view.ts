import type { alerts } from '../../db/schema';

type AlertRow = typeof alerts.$inferSelect;

/** An alert as the API, the realtime feeds and the tenant webhook show it. */
export function alertView(a: AlertRow) {
  return {
    id: a.id,
    leadId: a.leadId,
    kind: a.kind,
    status: a.status,
    probability: a.probability,
    reasons: a.reasons,
    assignedAgentIds: a.assignedAgentIds,
    slaMinutes: a.slaMinutes,
    claimedBy: a.claimedBy,
    converted: a.converted,
    createdAt: a.createdAt,
    deliveredAt: a.deliveredAt,
    acknowledgedAt: a.acknowledgedAt,
    claimedAt: a.claimedAt,
    convertedAt: a.convertedAt,
    dismissedAt: a.dismissedAt,
    expiredAt: a.expiredAt,
    expiresAt: a.expiresAt,
    escalationLevel: a.escalationLevel,
    escalatedAt: a.escalatedAt,
    modelVersion: a.modelVersion,
  };
}
