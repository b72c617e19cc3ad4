import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { deleteUser } from '../../../services/users/users';
import { commonErrors, conflict, IdParam, notFound } from '../schemas';

const route = defineRoute('users:write', {
  method: 'delete',
  path: '/users/{id}',
  tags: ['Users'],
  summary: 'Remove a team member (their history stays; sign-ins end)',
  request: { params: IdParam('usr') },
  responses: { 204: { description: 'Removed' }, ...commonErrors, ...notFound, ...conflict },
});

export const deleteUserRoute = newRouter().openapi(route, async (c) => {
  await deleteUser(serviceContext(c), c.req.valid('param').id);
  return c.body(null, 204);
});
