import { Misconfigured } from '../../lib/errors';
import type { ServiceContext } from '../context';
import { hubFor } from './publish';

export interface RealtimeConnection {
  userId: string;
  /** The sign-in (refresh-token family) that opened the socket, so signing out can close it. */
  sessionId: string | null;
  /** Replay everything after this cursor before live messages. */
  cursor?: number;
  /** The subprotocol to answer with (`leadpulse.v1`), when the client offered it. */
  protocol?: string;
}

/**
 * Hands an authenticated WebSocket upgrade to the person's hub. The hub trusts these headers
 * because only the Worker can reach it; they are built here from scratch, never copied from the
 * client's request.
 */
export async function openRealtimeSocket(ctx: ServiceContext, conn: RealtimeConnection): Promise<Response> {
  const hub = hubFor(ctx, conn.userId);
  if (!hub) throw new Misconfigured(['REALTIME_HUB']);
  const headers = new Headers({ upgrade: 'websocket', 'x-leadpulse-user': conn.userId });
  if (conn.sessionId) headers.set('x-leadpulse-session', conn.sessionId);
  if (conn.cursor !== undefined) headers.set('x-leadpulse-cursor', String(conn.cursor));
  if (conn.protocol) headers.set('x-leadpulse-protocol', conn.protocol);
  return hub.fetch(new Request('https://realtime-hub.internal/connect', { headers }));
}
