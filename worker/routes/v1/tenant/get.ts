import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { getTenant } from '../../../services/tenants/tenant';
import { commonErrors, json, serialize, TenantSchema } from '../schemas';

const route = defineRoute('tenant:read', {
  method: 'get',
  path: '/tenant',
  tags: ['Tenancy'],
  summary: "The caller's tenant and its settings",
  responses: { 200: json(TenantSchema, 'The tenant'), ...commonErrors },
});

export const getTenantRoute = newRouter().openapi(route, async (c) => c.json(serialize(await getTenant(serviceContext(c))), 200));
