import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { createPortal } from '../../../services/billing/billing';
import { commonErrors, conflict, json } from '../schemas';

const route = defineRoute('tenant:write', {
  method: 'post',
  path: '/billing/portal',
  tags: ['Billing'],
  summary: "Open the Stripe Customer Portal for the tenant's subscription: seats, plan, card, invoices, cancelling (owners and admins)",
  responses: {
    200: json(z.object({ url: z.string() }), 'Where to send the buyer (a one-time Stripe page)'),
    ...commonErrors,
    ...conflict,
  },
});

export const portalRoute = newRouter().openapi(route, async (c) => c.json(await createPortal(serviceContext(c)), 200));
