import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { logout } from '../../../services/auth/refresh';
import { commonErrors, jsonBody } from '../schemas';
import { clearRefreshCookie, readRefreshCookie } from './cookie';

const route = defineRoute('tenant:read', {
  method: 'post',
  path: '/auth/logout',
  tags: ['Auth'],
  summary: 'End this sign-in: its refresh token family is revoked',
  description: 'The refresh token comes in the body, or from the `lp_refresh` cookie (cookie mode), which is cleared.',
  request: { body: jsonBody(z.object({ refreshToken: z.string().min(1).max(200).optional() }).openapi('Logout')) },
  responses: { 204: { description: 'Signed out' }, ...commonErrors },
});

export const logoutRoute = newRouter().openapi(route, async (c) => {
  const cookie = readRefreshCookie(c);
  const token = c.req.valid('json').refreshToken ?? cookie;
  if (token) await logout(serviceContext(c), token);
  if (cookie) clearRefreshCookie(c);
  return c.body(null, 204);
});
