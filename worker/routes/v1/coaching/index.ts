import { newRouter } from '../../../lib/router';
import { analyzeAgentRoute } from './analyze';
import { getAgentCoachingRoute } from './get-agent';
import { teamCoachingRoute } from './team';

/** Agent coaching (PRODUCT.md §3.6). */
export const coachingRoutes = newRouter().route('/', teamCoachingRoute).route('/', getAgentCoachingRoute).route('/', analyzeAgentRoute);
