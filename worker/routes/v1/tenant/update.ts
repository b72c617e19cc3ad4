import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { updateTenant } from '../../../services/tenants/tenant';
import { commonErrors, json, jsonBody, serialize, TenantSchema, TimeZone } from '../schemas';

const Section = z.record(z.string(), z.unknown());
const Body = z
  .object({
    name: z.string().trim().min(2).max(120).optional(),
    timezone: TimeZone.optional(),
    settings: z
      .object({
        quietHours: Section.optional(),
        consent: Section.optional(),
        businessRules: Section.optional(),
        botPersona: Section.optional(),
        alertThreshold: z.number().optional(),
        alerting: Section.optional(),
        businessHours: Section.optional(),
        signalThresholds: Section.optional(),
        followUps: Section.optional(),
        churn: Section.optional(),
        impact: Section.optional(),
        consentTags: z.array(z.string()).optional(),
      })
      .strict()
      .optional()
      .openapi({ description: 'Deep-merged into the current settings; the result is validated as a whole' }),
  })
  .strict()
  .openapi('UpdateTenant');

const route = defineRoute('tenant:write', {
  method: 'patch',
  path: '/tenant',
  tags: ['Tenancy'],
  summary: 'Update name, time zone and settings (quiet hours, consent, business rules, bot persona, alerting, business hours, signal thresholds, follow-ups)',
  request: { body: jsonBody(Body) },
  responses: { 200: json(TenantSchema, 'Updated'), ...commonErrors },
});

export const updateTenantRoute = newRouter().openapi(route, async (c) => c.json(serialize(await updateTenant(serviceContext(c), c.req.valid('json'))), 200));
