import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { getUser } from '../../../services/users/users';
import { commonErrors, IdParam, json, notFound, serialize, UserSchema } from '../schemas';

const route = defineRoute('users:read', {
  method: 'get',
  path: '/users/{id}',
  tags: ['Users'],
  summary: 'One team member',
  request: { params: IdParam('usr') },
  responses: { 200: json(UserSchema, 'The user'), ...commonErrors, ...notFound },
});

export const getUserRoute = newRouter().openapi(route, async (c) => c.json(serialize(await getUser(serviceContext(c), c.req.valid('param').id)), 200));
