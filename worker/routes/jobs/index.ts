import { newRouter } from '../../lib/router';
import { verifyQStash } from '../../middleware/qstash';
import { coachingJob } from './coaching';
import { deliverWebhookJob } from './deliver-webhook';
import { ghlRedriveJob } from './ghl-redrive';
import { heartbeatJob } from './heartbeat';
import { retrainJob } from './retrain';
import { trainJob } from './train';
import { webhookRedriveJob } from './webhook-redrive';
import { scoreJob } from './score';
import { impactJob } from './impact';
import { churnJob } from './churn';
import { churnStepJob } from './churn-step';

/** Everything under /jobs is called by QStash and nothing else. */
export const jobRoutes = newRouter();
jobRoutes.use('*', verifyQStash);
jobRoutes.route('/', heartbeatJob);
jobRoutes.route('/', ghlRedriveJob);
jobRoutes.route('/', trainJob);
jobRoutes.route('/', retrainJob);
jobRoutes.route('/', deliverWebhookJob);
jobRoutes.route('/', webhookRedriveJob);
jobRoutes.route('/', scoreJob);
jobRoutes.route('/', impactJob);
jobRoutes.route('/', churnJob);
jobRoutes.route('/', churnStepJob);
jobRoutes.route('/', coachingJob);
