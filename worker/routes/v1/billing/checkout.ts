import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { createCheckout } from '../../../services/billing/billing';
import { PAID_PLANS } from '../../../services/billing/plans';
import { commonErrors, conflict, json, jsonBody } from '../schemas';

const Body = z
  .object({
    plan: z.enum(PAID_PLANS),
    seats: z.number().int().min(1).max(1000).openapi({ description: 'Users to pay for (the subscription quantity)' }),
  })
  .strict()
  .openapi('CheckoutRequest');

const route = defineRoute('tenant:write', {
  method: 'post',
  path: '/billing/checkout',
  tags: ['Billing'],
  summary: 'Start a Stripe Checkout for a paid plan (owners and admins)',
  request: { body: jsonBody(Body) },
  responses: {
    200: json(z.object({ url: z.string() }), 'Where to send the buyer'),
    ...commonErrors,
    ...conflict,
  },
});

export const checkoutRoute = newRouter().openapi(route, async (c) => c.json(await createCheckout(serviceContext(c), c.req.valid('json')), 200));
