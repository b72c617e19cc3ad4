import { newRouter } from '../../lib/router';
import { verifyQStash } from '../../middleware/qstash';
import { ghlRedriveJob } from './ghl-redrive';
import { heartbeatJob } from './heartbeat';

/** Everything under /jobs is called by QStash and nothing else. */
export const jobRoutes = newRouter();
jobRoutes.use('*', verifyQStash);
jobRoutes.route('/', heartbeatJob);
jobRoutes.route('/', ghlRedriveJob);
