import { newRouter } from '../../../lib/router';
import { realtimeConnectRoute } from './connect';
import { realtimeTicketRoute } from './ticket';

/** Realtime delivery: the socket (outside the OpenAPI document) and the ticket that can open it. */
export const realtimeRoutes = newRouter().route('/', realtimeTicketRoute).route('/', realtimeConnectRoute);
