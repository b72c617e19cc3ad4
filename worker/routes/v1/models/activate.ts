import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { requiresPlanFeature } from '../../../middleware/plan';
import { activateVersion } from '../../../services/models/versions';
import { commonErrors, json, notFound, planRequired, serialize } from '../schemas';
import { KindParam, VersionSchema } from './schemas';

const route = defineRoute('models:write', {
  method: 'post',
  path: '/models/{kind}/versions/{version}/activate',
  tags: ['Models'],
  summary: 'Make a stored version the active one (manual rollback); audited',
  middleware: [requiresPlanFeature('scoring_models')],
  request: {
    params: KindParam.extend({ version: z.coerce.number().int().min(1).max(1_000_000).openapi({ param: { name: 'version', in: 'path' }, example: 1 }) }),
  },
  responses: {
    200: json(
      z.object({
        version: VersionSchema,
        changed: z.boolean().openapi({ description: 'false when it was already active' }),
        replaced: z.number().int().nullable().openapi({ description: 'The version it replaced' }),
      }),
      'Now active',
    ),
    ...commonErrors, ...planRequired,
    ...notFound,
  },
});

export const activateVersionRoute = newRouter().openapi(route, async (c) => {
  const { kind, version } = c.req.valid('param');
  return c.json(serialize(await activateVersion(serviceContext(c), kind, version)), 200);
});
