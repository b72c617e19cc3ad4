/**
 * The hooks product code calls: one line each, and never able to break a conversation or a
 * routing decision. An experiment failing (database hiccup, malformed config written by hand)
 * falls back to the tenant's own behaviour and is logged; the lead still gets its follow-ups,
 * its wording and an agent.
 */
import { isScriptKey, type ScriptKey } from '../../assistant/scripts';
import type { StrategyOverride } from '../../intelligence/routing/route';
import type { RoutingRule } from '../../intelligence/routing/rules';
import type { ServiceContext } from '../context';
import { ALERT_CONVERTED, exposeUnitOnLever, LEAD_QUALIFIED, peekUnitOnLever, recordConversion } from './experiments';

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

type Strategy = RoutingRule['strategy'];
const STRATEGIES: readonly Strategy[] = ['least_loaded', 'round_robin', 'broadcast'];

/**
 * The routing strategy this lead's routing_strategy variant imposes on whichever rule matches,
 * or null (the rule's own strategy). `record` false is a what-if (the routing preview): the
 * lead's variant is shown but no exposure is written. Every real decision for the lead — the
 * alert, the SLA ladder's next agent, a hand-off — reads the same sticky exposure, so one lead
 * is one exposure however often it is routed.
 */
export async function routingStrategyFor(ctx: ServiceContext, leadId: string, opts: { record: boolean }): Promise<StrategyOverride | null> {
  try {
    const exposure = opts.record ? await exposeUnitOnLever(ctx, 'routing_strategy', leadId) : await peekUnitOnLever(ctx, 'routing_strategy', leadId, { orAssigned: true });
    if (!exposure) return null;
    const strategy = exposure.config.strategy;
    if (STRATEGIES.includes(strategy as Strategy)) return { experimentKey: exposure.experimentKey, variant: exposure.variant, strategy: strategy as Strategy };
    ctx.logger.warn("experiment routing strategy not usable; the rule's own used", { experimentId: exposure.experimentId, variant: exposure.variant });
  } catch (err) {
    ctx.logger.warn("routing strategy experiment unavailable; the rule's own used", { leadId, error: (err as Error).message });
  }
  return null;
}

/**
 * The script the bot words this lead's messages in. A lead is enrolled when its first bot
 * message is composed (`firstMessage`) and keeps that variant; a lead whose conversation began
 * before the experiment ran is not enrolled midway (its opening was the standard one) and stays
 * on the standard script.
 */
export async function assistantScriptFor(ctx: ServiceContext, leadId: string, firstMessage: boolean): Promise<ScriptKey> {
  try {
    const exposure = firstMessage ? await exposeUnitOnLever(ctx, 'assistant_script', leadId) : await peekUnitOnLever(ctx, 'assistant_script', leadId, { orAssigned: false });
    if (!exposure) return 'standard';
    const script = exposure.config.scriptVariant;
    if (isScriptKey(script)) return script;
    ctx.logger.warn('experiment script not usable; standard script used', { experimentId: exposure.experimentId, variant: exposure.variant });
  } catch (err) {
    ctx.logger.warn('assistant script experiment unavailable; standard script used', { leadId, error: (err as Error).message });
  }
  return 'standard';
}

/** A conversion in every running experiment that counts `event`; a failure is logged, never thrown. */
async function converted(ctx: ServiceContext, leadId: string, event: string): Promise<void> {
  try {
    await recordConversion(ctx, null, leadId, event);
  } catch (err) {
    ctx.logger.warn('experiment conversion not recorded', { leadId, event, error: (err as Error).message });
  }
}

/** The lead became qualified. */
export const leadQualified = (ctx: ServiceContext, leadId: string) => converted(ctx, leadId, LEAD_QUALIFIED);

/** An alert about the lead was marked converted by the team. */
export const alertConverted = (ctx: ServiceContext, leadId: string) => converted(ctx, leadId, ALERT_CONVERTED);
