/**
 * The hooks the conversation engine calls: one line each, and never able to break a
 * conversation. An experiment failing (database hiccup, malformed config written by hand) falls
 * back to the tenant's own setting and is logged; the lead still gets its follow-ups.
 */
import type { ServiceContext } from '../context';
import { exposeUnitOnLever, LEAD_QUALIFIED, recordConversion } from './experiments';

/**
 * The follow-up cadence for this lead: the variant's `cadenceMinutes` when a follow_up_cadence
 * experiment is running (the lead is exposed on first use), else the tenant's setting.
 */
export async function followUpCadenceFor(ctx: ServiceContext, leadId: string, tenantCadence: number[]): Promise<number[]> {
  try {
    const exposure = await exposeUnitOnLever(ctx, 'follow_up_cadence', leadId);
    const cadence = exposure?.config.cadenceMinutes;
    if (!exposure) return tenantCadence;
    if (Array.isArray(cadence) && cadence.every((m) => typeof m === 'number' && m > 0)) return cadence as number[];
    ctx.logger.warn('experiment cadence not usable; tenant cadence used', { experimentId: exposure.experimentId, variant: exposure.variant });
  } catch (err) {
    ctx.logger.warn('follow-up cadence experiment unavailable; tenant cadence used', { leadId, error: (err as Error).message });
  }
  return tenantCadence;
}

/** The lead became qualified: a conversion in every running experiment that counts it. */
export async function leadQualified(ctx: ServiceContext, leadId: string): Promise<void> {
  try {
    await recordConversion(ctx, null, leadId, LEAD_QUALIFIED);
  } catch (err) {
    ctx.logger.warn('experiment conversion not recorded', { leadId, error: (err as Error).message });
  }
}
