import { z } from '@hono/zod-openapi';
import { anonymousContext, defineRoute, newRouter } from '../../../lib/router';
import { login } from '../../../services/auth/login';
import { commonErrors, Email, json, jsonBody, Password, RoleSchema } from '../schemas';

export const SessionSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int().openapi({ description: 'Seconds until the access token expires' }),
  })
  .openapi('Session');

const route = defineRoute('public', {
  method: 'post',
  path: '/auth/login',
  tags: ['Auth'],
  summary: 'Sign in with tenant, email and password',
  request: { body: jsonBody(z.object({ tenant: z.string().trim().min(1).max(64), email: Email, password: Password }).openapi('Login')) },
  responses: {
    200: json(
      SessionSchema.extend({ user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: RoleSchema, tenantId: z.string() }) }),
      'Signed in',
    ),
    ...commonErrors,
  },
});

export const loginRoute = newRouter().openapi(route, async (c) => {
  const result = await login(anonymousContext(c), c.req.valid('json'));
  return c.json({ ...result, user: { ...result.user, role: result.user.role as z.infer<typeof RoleSchema> } }, 200);
});
