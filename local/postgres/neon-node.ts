import { neonConfig, Pool } from '@neondatabase/serverless';
import ws from 'ws';

/**
 * Node-side use of the same Neon driver the Worker uses (migrations, seeding, tests), pointed
 * at a local WebSocket bridge. Plain `ws://` and no pipelining: the local servers speak neither
 * TLS nor Neon's pipelined startup.
 */
export function localNeonPool(connectionString: string, wsProxy: string | undefined, max = 5): Pool {
  neonConfig.webSocketConstructor = ws as unknown as typeof WebSocket;
  if (wsProxy) {
    neonConfig.wsProxy = wsProxy;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  return new Pool({ connectionString, max });
}
