import { z } from '@hono/zod-openapi';
import { anonymousContext, defineRoute, newRouter } from '../../../lib/router';
import { refreshSession } from '../../../services/auth/refresh';
import { commonErrors, json, jsonBody } from '../schemas';
import { SessionSchema } from './login';

const route = defineRoute('public', {
  method: 'post',
  path: '/auth/refresh',
  tags: ['Auth'],
  summary: 'Exchange a refresh token for a new pair (each refresh token works once)',
  description: 'Presenting an already-used refresh token revokes every token of that sign-in (reuse detection).',
  request: { body: jsonBody(z.object({ refreshToken: z.string().min(1).max(200) }).openapi('Refresh')) },
  responses: { 200: json(SessionSchema, 'New tokens'), ...commonErrors },
});

export const refreshRoute = newRouter().openapi(route, async (c) => {
  return c.json(await refreshSession(anonymousContext(c), c.req.valid('json').refreshToken), 200);
});
