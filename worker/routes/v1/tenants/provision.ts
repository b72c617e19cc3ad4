import { z } from '@hono/zod-openapi';
import { anonymousContext, defineRoute, newRouter } from '../../../lib/router';
import { enforceLimit } from '../../../services/ratelimit';
import { provisionTenant } from '../../../services/tenants/provision';
import { commonErrors, conflict, Email, json, jsonBody, Password, RoleSchema, serialize, TenantSchema, TimeZone } from '../schemas';

const Body = z
  .object({
    name: z.string().trim().min(2).max(120),
    slug: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]{1,46}[a-z0-9])$/, 'lower-case letters, digits and dashes, 3–48 characters')
      .optional(),
    timezone: TimeZone.optional(),
    owner: z.object({ email: Email, name: z.string().trim().min(1).max(120), password: Password }),
  })
  .openapi('ProvisionTenant');

const route = defineRoute('platform', {
  method: 'post',
  path: '/tenants',
  tags: ['Tenancy'],
  summary: 'Provision a tenant with its owner and a first API key (platform token)',
  request: { body: jsonBody(Body) },
  responses: {
    201: json(
      z.object({
        tenant: TenantSchema,
        owner: z.object({ id: z.string(), email: z.string(), name: z.string(), role: RoleSchema }),
        apiKey: z.string().openapi({ description: 'Shown once; store it now' }),
      }),
      'Created',
    ),
    ...commonErrors,
    ...conflict,
  },
});

export const provisionTenantRoute = newRouter().openapi(route, async (c) => {
  const ctx = anonymousContext(c);
  await enforceLimit(ctx.redis, ctx.logger, 'provisionPerIp', ctx.ip ?? 'unknown');
  const result = await provisionTenant(ctx, c.req.valid('json'));
  return c.json(serialize(result), 201);
});
