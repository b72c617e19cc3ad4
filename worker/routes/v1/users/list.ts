import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { listUsers } from '../../../services/users/users';
import { commonErrors, json, serialize, UserSchema } from '../schemas';

const route = defineRoute('users:read', {
  method: 'get',
  path: '/users',
  tags: ['Users'],
  summary: 'List the team',
  responses: { 200: json(z.object({ users: z.array(UserSchema) }), 'Users'), ...commonErrors },
});

export const listUsersRoute = newRouter().openapi(route, async (c) => c.json({ users: serialize(await listUsers(serviceContext(c))) }, 200));
