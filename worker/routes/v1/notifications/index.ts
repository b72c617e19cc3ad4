import { z } from '@hono/zod-openapi';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { listMyNotifications, markNotificationRead } from '../../../services/notifications/notifications';
import { commonErrors, IdParam, json, notFound, serialize } from '../schemas';

const NotificationSchema = z
  .object({
    id: z.string(),
    kind: z.string().openapi({ description: 'hot_lead | human_requested | hostile_reply' }),
    leadId: z.string().nullable(),
    title: z.string(),
    body: z.string(),
    data: z.record(z.string(), z.unknown()).nullable(),
    readAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Notification');

const view = (r: Awaited<ReturnType<typeof listMyNotifications>>[number]) => ({
  id: r.id,
  kind: r.kind,
  leadId: r.leadId,
  title: r.title,
  body: r.body,
  data: r.data,
  readAt: r.readAt,
  createdAt: r.createdAt,
});

const list = defineRoute('alerts:read', {
  method: 'get',
  path: '/notifications',
  tags: ['Notifications'],
  summary: "The signed-in user's notifications, newest first",
  request: { query: z.object({ unread: z.enum(['true', 'false']).default('false'), limit: z.coerce.number().int().min(1).max(200).default(50) }) },
  responses: { 200: json(z.object({ notifications: z.array(NotificationSchema) }), 'Notifications'), ...commonErrors },
});

const read = defineRoute('alerts:read', {
  method: 'post',
  path: '/notifications/{id}/read',
  tags: ['Notifications'],
  summary: 'Mark one of my notifications read',
  request: { params: IdParam('ntf') },
  responses: { 200: json(z.object({ notification: NotificationSchema }), 'Marked read'), ...commonErrors, ...notFound },
});

export const notificationRoutes = newRouter()
  .openapi(list, async (c) => {
    const q = c.req.valid('query');
    const rows = await listMyNotifications(serviceContext(c), { unreadOnly: q.unread === 'true', limit: q.limit });
    return c.json({ notifications: serialize(rows.map(view)) }, 200);
  })
  .openapi(read, async (c) => c.json({ notification: serialize(view(await markNotificationRead(serviceContext(c), c.req.valid('param').id))) }, 200));
