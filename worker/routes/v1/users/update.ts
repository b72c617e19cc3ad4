import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { updateUser } from '../../../services/users/users';
import { commonErrors, conflict, IdParam, json, jsonBody, notFound, serialize, UserSchema } from '../schemas';
import { UserFieldsSchema } from './fields';

const route = defineRoute('users:write', {
  method: 'patch',
  path: '/users/{id}',
  tags: ['Users'],
  summary: 'Change role, territories, skills, capacity, working hours or pause',
  request: { params: IdParam('usr'), body: jsonBody(UserFieldsSchema.partial().strict().openapi('UpdateUser')) },
  responses: { 200: json(UserSchema, 'Updated'), ...commonErrors, ...notFound, ...conflict },
});

export const updateUserRoute = newRouter().openapi(route, async (c) =>
  c.json(serialize(await updateUser(serviceContext(c), c.req.valid('param').id, c.req.valid('json'))), 200),
);
