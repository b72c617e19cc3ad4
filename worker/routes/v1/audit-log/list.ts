import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { listAudit } from '../../../services/audit/log';
import { commonErrors, json, serialize } from '../schemas';

const Entry = z
  .object({
    id: z.string(),
    actorType: z.string(),
    actorId: z.string().nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    ip: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    at: z.string(),
  })
  .openapi('AuditEntry');

const Query = z.object({
  actor: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  before: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const route = defineRoute('audit:read', {
  method: 'get',
  path: '/audit-log',
  tags: ['Audit'],
  summary: 'Privileged actions, newest first (filter by actor, action, since; page with before)',
  request: { query: Query },
  responses: { 200: json(z.object({ entries: z.array(Entry) }), 'Entries'), ...commonErrors },
});

export const listAuditRoute = newRouter().openapi(route, async (c) => {
  const q = c.req.valid('query');
  const entries = await listAudit(serviceContext(c), {
    ...q,
    since: q.since ? new Date(q.since) : undefined,
    before: q.before ? new Date(q.before) : undefined,
  });
  return c.json({ entries: serialize(entries) }, 200);
});
