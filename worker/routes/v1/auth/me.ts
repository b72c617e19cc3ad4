import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { getTenant } from '../../../services/tenants/tenant';
import { getUser } from '../../../services/users/users';
import { commonErrors, json, serialize, UserSchema } from '../schemas';

const route = defineRoute('tenant:read', {
  method: 'get',
  path: '/me',
  tags: ['Auth'],
  summary: 'Who am I: the signed-in user (or API key), tenant and permissions',
  responses: {
    200: json(
      z.object({
        // A union, not UserSchema.nullable(): that would mark the shared `User` component itself nullable.
        user: z.union([UserSchema, z.null()]),
        apiKey: z.object({ id: z.string(), scopes: z.array(z.string()) }).nullable(),
        tenant: z.object({ id: z.string(), slug: z.string(), name: z.string(), timezone: z.string() }),
        permissions: z.array(z.string()),
      }),
      'The caller',
    ),
    ...commonErrors,
  },
});

export const meRoute = newRouter().openapi(route, async (c) => {
  const ctx = serviceContext(c);
  const p = c.var.principal;
  const tenant = await getTenant(ctx);
  const user = p.kind === 'user' ? serialize(await getUser(ctx, p.userId)) : null;
  return c.json(
    {
      user,
      apiKey: p.kind === 'api_key' ? { id: p.apiKeyId, scopes: p.scopes } : null,
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name, timezone: tenant.timezone },
      permissions: [...p.permissions].sort(),
    },
    200,
  );
});
