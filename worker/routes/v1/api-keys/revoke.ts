import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { revokeApiKey } from '../../../services/api-keys/keys';
import { ApiKeySchema, commonErrors, IdParam, json, notFound, serialize } from '../schemas';

const route = defineRoute('api_keys:write', {
  method: 'delete',
  path: '/api-keys/{id}',
  tags: ['API keys'],
  summary: 'Revoke an API key (at once; idempotent)',
  request: { params: IdParam('key') },
  responses: { 200: json(ApiKeySchema, 'Revoked'), ...commonErrors, ...notFound },
});

export const revokeApiKeyRoute = newRouter().openapi(route, async (c) => c.json(serialize(await revokeApiKey(serviceContext(c), c.req.valid('param').id)), 200));
