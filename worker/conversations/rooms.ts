import type { ServiceContext } from '../services/context';

/** A lead's ConversationRoom is named by tenant and lead, so a lead id alone never reaches another tenant's room. */
export function roomName(tenantId: string, leadId: string) {
  return `${tenantId}:${leadId}`;
}

/** The stub of a lead's ConversationRoom, or null where the binding is absent. */
export function roomFor(ctx: ServiceContext, leadId: string) {
  if (!ctx.rooms) return null;
  return ctx.rooms.get(ctx.rooms.idFromName(roomName(ctx.tenantId, leadId)));
}
