import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { logout } from '../../../services/auth/refresh';
import { commonErrors, jsonBody } from '../schemas';

const route = defineRoute('tenant:read', {
  method: 'post',
  path: '/auth/logout',
  tags: ['Auth'],
  summary: 'End this sign-in: its refresh token family is revoked',
  request: { body: jsonBody(z.object({ refreshToken: z.string().min(1).max(200) }).openapi('Logout')) },
  responses: { 204: { description: 'Signed out' }, ...commonErrors },
});

export const logoutRoute = newRouter().openapi(route, async (c) => {
  await logout(serviceContext(c), c.req.valid('json').refreshToken);
  return c.body(null, 204);
});
