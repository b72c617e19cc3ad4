import { newRouter } from '../../lib/router';
import { listApiKeysRoute } from './api-keys/list';
import { createApiKeyRoute } from './api-keys/create';
import { revokeApiKeyRoute } from './api-keys/revoke';
import { alertRoutes } from './alerts';
import { billingRoutes } from './billing';
import { coachingRoutes } from './coaching';
import { experimentRoutes } from './experiments';
import { flagRoutes } from './flags';
import { listAuditRoute } from './audit-log/list';
import { complianceRoutes } from './compliance';
import { dashboardRoute } from './dashboard/get';
import { ingestEventsRoute } from './events/ingest';
import { ghlIntegrationRoute } from './integrations/ghl';
import { webhookIntegrationRoute } from './integrations/webhook';
import { leadConsentRoute } from './leads/consent';
import { modelRoutes } from './models';
import { notificationRoutes } from './notifications';
import { realtimeRoutes } from './realtime';
import { routingRoutes } from './routing';
import { getLeadRoute } from './leads/get';
import { listLeadsRoute } from './leads/list';
import { leadLiveRoute } from './leads/live';
import { leadMessagesRoute } from './leads/messages';
import { leadTakeoverRoute } from './leads/takeover';
import { leadScoresRoute } from './leads/scores';
import { impactRoute } from './impact/get';
import { leadChurnRoute } from './leads/churn';
import { churnSummaryRoute } from './churn/summary';
import { loginRoute } from './auth/login';
import { logoutRoute } from './auth/logout';
import { meRoute } from './auth/me';
import { refreshRoute } from './auth/refresh';
import { getTenantRoute } from './tenant/get';
import { updateTenantRoute } from './tenant/update';
import { provisionTenantRoute } from './tenants/provision';
import { createUserRoute } from './users/create';
import { deleteUserRoute } from './users/delete';
import { getUserRoute } from './users/get';
import { listUsersRoute } from './users/list';
import { updateUserRoute } from './users/update';

/** The public API under /v1. Each operation file carries its contract and access rule. */
export const v1 = newRouter();
for (const ops of [
  provisionTenantRoute,
  loginRoute,
  refreshRoute,
  logoutRoute,
  meRoute,
  getTenantRoute,
  updateTenantRoute,
  listUsersRoute,
  createUserRoute,
  getUserRoute,
  updateUserRoute,
  deleteUserRoute,
  listApiKeysRoute,
  createApiKeyRoute,
  revokeApiKeyRoute,
  listAuditRoute,
  ghlIntegrationRoute,
  webhookIntegrationRoute,
  listLeadsRoute,
  getLeadRoute,
  leadMessagesRoute,
  leadTakeoverRoute,
  leadConsentRoute,
  leadScoresRoute,
  impactRoute,
  leadChurnRoute,
  churnSummaryRoute,
  complianceRoutes,
  notificationRoutes,
  ingestEventsRoute,
  routingRoutes,
  alertRoutes,
  modelRoutes,
  dashboardRoute,
  coachingRoutes,
  flagRoutes,
  experimentRoutes,
  realtimeRoutes,
  billingRoutes,
]) {
  v1.route('/', ops);
}

// Outside the loop above on purpose: a WebSocket has no OpenAPI description (see live.ts).
v1.route('/', leadLiveRoute);

v1.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
  type: 'http',
  scheme: 'bearer',
  description: 'An access token from POST /v1/auth/login, or an API key (lp_live_…)',
});

v1.doc31('/openapi.json', (c) => ({
  openapi: '3.1.0',
  info: {
    title: 'LeadPulse API',
    version: '1.0.0',
    description: 'Errors share one shape: { "error": { "code", "message", "details"?, "requestId" } }.',
  },
  servers: [{ url: new URL(c.req.url).origin + '/v1' }],
}));
