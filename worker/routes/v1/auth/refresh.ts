import { z } from '@hono/zod-openapi';
import { Unauthorized } from '../../../lib/errors';
import { anonymousContext, defineRoute, newRouter } from '../../../lib/router';
import { refreshSession } from '../../../services/auth/refresh';
import { commonErrors, json, jsonBody } from '../schemas';
import { readRefreshCookie, sessionAnswer } from './cookie';
import { SessionSchema } from './login';

const route = defineRoute('public', {
  method: 'post',
  path: '/auth/refresh',
  tags: ['Auth'],
  summary: 'Exchange a refresh token for a new pair (each refresh token works once)',
  description:
    'Send the refresh token in the body, or (signed in with `session: "cookie"`) send `{}` and the `lp_refresh` cookie carries it; the new one then comes back the same way. Presenting an already-used refresh token revokes every token of that sign-in (reuse detection).',
  request: { body: jsonBody(z.object({ refreshToken: z.string().min(1).max(200).optional() }).openapi('Refresh')) },
  responses: { 200: json(SessionSchema, 'New tokens'), ...commonErrors },
});

export const refreshRoute = newRouter().openapi(route, async (c) => {
  const inBody = c.req.valid('json').refreshToken;
  const token = inBody ?? readRefreshCookie(c);
  if (!token) throw new Unauthorized('No refresh token: send it in the body or sign in with session "cookie"; sign in again');
  const tokens = await refreshSession(anonymousContext(c), token);
  return c.json(sessionAnswer(c, tokens, inBody ? 'body' : 'cookie'), 200);
});
