import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { ingestEvents, MAX_EVENTS_PER_CALL } from '../../../services/events/ingest';
import { rescoreAfterEvents } from '../../../services/scoring/rescore';
import { automationAllowed } from '../../../services/billing/billing';
import { inProcessingLane } from '../../../lib/background-lane';
import { openSystemContext } from '../../../services/clients';
import type { ServiceContext } from '../../../services/context';
import { commonErrors, json, jsonBody } from '../schemas';

const EventSchema = z
  .object({
    id: z.string().min(1).max(128).optional().openapi({ description: 'Your id for the event; sending it again is a no-op (idempotency)' }),
    leadId: z.string().min(1).max(64).optional(),
    externalId: z.string().min(1).max(128).optional().openapi({ description: 'Your id for the homeowner/prospect; unknown ones are created' }),
    type: z.string().min(1).max(64).regex(/^[a-z][a-z0-9_.:-]*$/, 'lower-case letters, digits, _ . : -').openapi({ example: 'home_valuation_viewed' }),
    properties: z.record(z.string(), z.unknown()).optional(),
    occurredAt: z.iso.datetime({ offset: true }),
  })
  .refine((e) => e.leadId || e.externalId, { message: 'give leadId or externalId', path: ['leadId'] })
  .refine((e) => JSON.stringify(e.properties ?? {}).length <= 8192, { message: 'properties are limited to 8 KiB', path: ['properties'] });

const route = defineRoute('events:write', {
  method: 'post',
  path: '/events',
  tags: ['Events'],
  summary: `Ingest up to ${MAX_EVENTS_PER_CALL} behavioural events (idempotent by event id)`,
  request: { body: jsonBody(z.object({ events: z.array(EventSchema).min(1).max(MAX_EVENTS_PER_CALL) })) },
  responses: {
    202: json(z.object({ accepted: z.number().int(), duplicates: z.number().int() }), 'Stored; counted once per event id'),
    ...commonErrors,
  },
});

export const ingestEventsRoute = newRouter().openapi(route, async (c) => {
  const { events } = c.req.valid('json');
  const ctx = serviceContext(c);
  const { accepted, duplicates, scoreNow } = await ingestEvents(ctx, events.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt) })));
  // After the 202: the events are stored, and if this isolate goes away first the job rescores them.
  // Billing (§3.9): a past-due tenant's events are stored, but not scored until it pays (the job catches up).
  if (scoreNow.length) {
    const env = c.env;
    const logger = c.var.logger;
    const rescore = async (on: ServiceContext) => (await automationAllowed(on)) && rescoreAfterEvents(on, scoreNow);
    c.var.services.afterResponse(() =>
      inProcessingLane({
        // An alert may be waiting for its agent.
        priority: 'urgent',
        // With a free slot at once, on this request's warm connections (an agent hears sooner).
        here: () => rescore(ctx),
        // Queued behind a burst, another request may run it: with connections of its own.
        portable: async () => {
          const system = openSystemContext(env, ctx.tenantId, logger);
          try {
            await rescore(system.ctx);
          } finally {
            await system.close();
          }
        },
      }),
    );
  }
  return c.json({ accepted, duplicates }, 202);
});
