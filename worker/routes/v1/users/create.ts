import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { createUser } from '../../../services/users/users';
import { commonErrors, conflict, Email, json, jsonBody, Password, serialize, UserSchema } from '../schemas';
import { UserFieldsSchema } from './fields';

const Body = UserFieldsSchema.partial()
  .extend({ email: Email, name: UserFieldsSchema.shape.name, role: UserFieldsSchema.shape.role, password: Password })
  .strict()
  .openapi('CreateUser');

const route = defineRoute('users:write', {
  method: 'post',
  path: '/users',
  tags: ['Users'],
  summary: 'Add a team member',
  request: { body: jsonBody(Body) },
  responses: { 201: json(UserSchema, 'Created'), ...commonErrors, ...conflict },
});

export const createUserRoute = newRouter().openapi(route, async (c) => c.json(serialize(await createUser(serviceContext(c), c.req.valid('json'))), 201));

export type CreateUserBody = z.infer<typeof Body>;
