import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { createApiKey } from '../../../services/api-keys/keys';
import { ApiKeySchema, commonErrors, json, jsonBody, ScopeSchema, serialize } from '../schemas';

const route = defineRoute('api_keys:write', {
  method: 'post',
  path: '/api-keys',
  tags: ['API keys'],
  summary: 'Create a scoped API key (shown once)',
  request: {
    body: jsonBody(z.object({ name: z.string().trim().min(1).max(80), scopes: z.array(ScopeSchema).min(1).max(10) }).strict().openapi('CreateApiKey')),
  },
  responses: { 201: json(ApiKeySchema.extend({ key: z.string().openapi({ description: 'Shown once' }) }), 'Created'), ...commonErrors },
});

export const createApiKeyRoute = newRouter().openapi(route, async (c) => c.json(serialize(await createApiKey(serviceContext(c), c.req.valid('json'))), 201));
