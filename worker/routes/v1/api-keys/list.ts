import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { listApiKeys } from '../../../services/api-keys/keys';
import { ApiKeySchema, commonErrors, json, serialize } from '../schemas';

const route = defineRoute('api_keys:read', {
  method: 'get',
  path: '/api-keys',
  tags: ['API keys'],
  summary: 'List API keys (never the keys themselves)',
  responses: { 200: json(z.object({ apiKeys: z.array(ApiKeySchema) }), 'Keys'), ...commonErrors },
});

export const listApiKeysRoute = newRouter().openapi(route, async (c) => c.json({ apiKeys: serialize(await listApiKeys(serviceContext(c))) }, 200));
