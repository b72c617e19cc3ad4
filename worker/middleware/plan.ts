import { createMiddleware } from 'hono/factory';
import type { HonoEnv } from '../env';
import { serviceContext } from '../lib/router';
import { requirePlanFeature } from '../services/billing/billing';
import type { PlanFeature } from '../services/billing/plans';

/**
 * A paid feature's write or action: 402 plan_feature_required for a tenant whose plan lacks it,
 * before the body is validated or any work is done. Placed in the route's contract
 * (`middleware`, after authentication), so the gate reads as part of the operation's rules.
 */
export const requiresPlanFeature = (feature: PlanFeature) =>
  createMiddleware<HonoEnv>(async (c, next) => {
    await requirePlanFeature(serviceContext(c), feature);
    await next();
  });
