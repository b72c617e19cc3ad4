import { z } from '@hono/zod-openapi';
import { SUBSCRIPTION_STATUSES } from '../../../db/schema';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { getBilling } from '../../../services/billing/billing';
import { PLANS } from '../../../services/billing/plans';
import { commonErrors, json, serialize } from '../schemas';

const BillingSchema = z
  .object({
    plan: z.enum(PLANS),
    status: z.enum(SUBSCRIPTION_STATUSES).openapi({ description: 'Stripe subscription status; none = never subscribed (free plan)' }),
    seats: z.number().int().openapi({ description: 'Users the plan allows' }),
    seatsUsed: z.number().int(),
    currentPeriodEnd: z.string().nullable(),
    cancelAtPeriodEnd: z.boolean(),
    automation: z.boolean().openapi({ description: 'false while past due / canceled / unpaid: no bot replies, alerts or scoring; data stays readable' }),
    features: z.array(z.string()),
  })
  .openapi('Billing');

const route = defineRoute('tenant:read', {
  method: 'get',
  path: '/billing',
  tags: ['Billing'],
  summary: "The tenant's plan, subscription status and seats",
  responses: { 200: json(BillingSchema, 'Billing'), ...commonErrors },
});

export const getBillingRoute = newRouter().openapi(route, async (c) => c.json(serialize(await getBilling(serviceContext(c))), 200));
