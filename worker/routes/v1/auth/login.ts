import { z } from '@hono/zod-openapi';
import { anonymousContext, defineRoute, newRouter } from '../../../lib/router';
import { login } from '../../../services/auth/login';
import { commonErrors, Email, json, jsonBody, Password, RoleSchema } from '../schemas';
import { sessionAnswer, SessionMode } from './cookie';

export const SessionSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string().optional().openapi({ description: 'Absent in cookie mode: the refresh token is then the HttpOnly `lp_refresh` cookie' }),
    expiresIn: z.number().int().openapi({ description: 'Seconds until the access token expires' }),
  })
  .openapi('Session');

const route = defineRoute('public', {
  method: 'post',
  path: '/auth/login',
  tags: ['Auth'],
  summary: 'Sign in with tenant, email and password',
  request: { body: jsonBody(z.object({ tenant: z.string().trim().min(1).max(64), email: Email, password: Password, session: SessionMode }).openapi('Login')) },
  responses: {
    200: json(
      SessionSchema.extend({ user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: RoleSchema, tenantId: z.string() }) }),
      'Signed in',
    ),
    ...commonErrors,
  },
});

export const loginRoute = newRouter().openapi(route, async (c) => {
  const { session, ...credentials } = c.req.valid('json');
  const { user, ...tokens } = await login(anonymousContext(c), credentials);
  return c.json({ ...sessionAnswer(c, tokens, session), user: { ...user, role: user.role as z.infer<typeof RoleSchema> } }, 200);
});
