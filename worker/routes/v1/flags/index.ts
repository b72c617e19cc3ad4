import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { evaluateFlag, flagView, listFlags, putFlag } from '../../../services/flags/flags';
import { commonErrors, json, jsonBody, notFound } from '../schemas';

const FlagKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'use 1–64 lowercase letters, digits, _ . -')
  .openapi({ param: { name: 'key', in: 'path' }, example: 'new_inbox' });

const FlagSchema = z
  .object({
    key: z.string(),
    description: z.string().nullable(),
    enabled: z.boolean().openapi({ description: 'Kill switch: false turns the feature off for everyone, whatever the rollout' }),
    rolloutPct: z.number().openapi({ description: 'Share of units (by SHA-256 bucket of flag:unit) that get the feature, 0–100' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('FeatureFlag');

const twoDecimals = (v: number) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6;

const list = defineRoute('tenant:read', {
  method: 'get',
  path: '/flags',
  tags: ['Flags'],
  summary: "The tenant's feature flags",
  responses: { 200: json(z.object({ flags: z.array(FlagSchema) }), 'Flags by key'), ...commonErrors },
});

const put = defineRoute('tenant:write', {
  method: 'put',
  path: '/flags/{key}',
  tags: ['Flags'],
  summary: 'Create or change a flag (applies to every unit at once; audited)',
  request: {
    params: z.object({ key: FlagKey }),
    body: jsonBody(
      z.object({
        enabled: z.boolean(),
        rolloutPct: z.number().min(0).max(100).refine(twoDecimals, 'at most two decimals').openapi({ example: 25 }),
        description: z.string().trim().max(500).nullable().optional(),
      }),
    ),
  },
  responses: {
    200: json(z.object({ flag: FlagSchema }), 'The flag after the change'),
    201: json(z.object({ flag: FlagSchema }), 'The flag, created'),
    ...commonErrors,
  },
});

const evaluate = defineRoute('tenant:read', {
  method: 'get',
  path: '/flags/{key}/evaluate',
  tags: ['Flags'],
  summary: 'Who gets what: the answer for one unit now, why, and what it got when first evaluated',
  request: {
    params: z.object({ key: FlagKey }),
    query: z.object({ unit: z.string().trim().min(1).max(128).openapi({ example: 'lead_1ChHDFAV9aDuq284GjB79b' }) }),
  },
  responses: {
    200: json(
      z.object({
        flag: z.string(),
        unit: z.string(),
        bucket: z.number().int().openapi({ description: '0–9999; on when enabled and bucket < rolloutPct × 100' }),
        on: z.boolean(),
        reason: z.enum(['kill_switch', 'in_rollout', 'outside_rollout']),
        firstAssignment: z.object({ on: z.boolean(), bucket: z.number().int(), assignedAt: z.string() }).nullable().openapi({ description: 'History only: the current answer comes from the flag as it is now' }),
      }),
      'The evaluation',
    ),
    ...commonErrors,
    ...notFound,
  },
});

export const flagRoutes = newRouter()
  .openapi(list, async (c) => c.json({ flags: (await listFlags(serviceContext(c))).map(flagView) }, 200))
  .openapi(put, async (c) => {
    const { flag, created } = await putFlag(serviceContext(c), c.req.valid('param').key, c.req.valid('json'));
    return created ? c.json({ flag: flagView(flag) }, 201) : c.json({ flag: flagView(flag) }, 200);
  })
  .openapi(evaluate, async (c) => c.json(await evaluateFlag(serviceContext(c), c.req.valid('param').key, c.req.valid('query').unit), 200));
