import { DurableObject } from 'cloudflare:workers';

/**
 * One person's realtime feed: a `RealtimeHub` per signed-in user, named `<tenantId>:<userId>`
 * (SQLite-backed, WebSocket Hibernation API).
 *
 * Why one hub per user rather than one per tenant:
 * - Fan-out stays proportional to one person's open dashboards (a phone, a laptop, a few tabs),
 *   so a tenant with hundreds of agents never funnels every alert through one object, and an
 *   agent's hub is never slowed by a colleague's traffic. A manager's hub receives what managers
 *   need because the publisher addresses it (publishRealtime's `managers` audience).
 * - Isolation by construction: the tenant is part of the name, so a user id from another tenant
 *   addresses a hub nobody can connect to.
 * - Replay is per reader: the log here is exactly what this person was sent, so "what did I miss
 *   since cursor n" is one range read with no per-socket filtering.
 *
 * The hub hibernates between messages; a client's `ping` is answered by the runtime
 * (setWebSocketAutoResponse) without waking it. Postgres stays the system of record: the log is
 * a delivery buffer (newest LOG_MAX_ENTRIES, at most LOG_MAX_AGE_MS old), and a client whose
 * cursor fell off it is told (`hello.data.gap`) so it refetches over REST.
 *
 * Ordering and no-duplicate guarantees rest on one rule: `publish` and the connect path do all
 * their work synchronously (SQLite calls and ws.send are synchronous; there is no await in
 * either). A Durable Object runs one event at a time and only interleaves at an await, so a
 * publish runs entirely before a connect — its row is in the log and gets replayed, the socket was
 * not yet accepted so it is not also sent live — or entirely after it, when the socket is
 * accepted and gets it live, and the replay did not contain it. Keep it that way.
 */
export class RealtimeHub extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(state: DurableObjectState, env: Env) {
    super(state, env);
    this.sql = state.storage.sql;
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS log (cursor INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, type TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, at INTEGER NOT NULL)`,
    );
    // Keep-alives are answered by the runtime: a hibernated hub is not woken (or billed) for them.
    state.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  // ── RPC ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Logs the message under its idempotency key and sends it to every open socket. A key seen
   * before sends nothing (at most one copy per socket, whatever the publisher retries).
   */
  async publish(msg: HubMessage): Promise<PublishResult> {
    const now = Date.now();
    const data = JSON.stringify(msg.data ?? null);
    // Looked up before inserting: an INSERT that hits the unique key still burns an AUTOINCREMENT
    // value, and cursors must stay contiguous for replay to tell a gap from a duplicate.
    const existing = this.sql.exec<{ cursor: number }>(`SELECT cursor FROM log WHERE key = ?`, msg.key).toArray()[0];
    if (existing) return { cursor: existing.cursor, sockets: 0, duplicate: true };
    const inserted = this.sql.exec<{ cursor: number }>(`INSERT INTO log (key, type, id, data, at) VALUES (?, ?, ?, ?, ?) RETURNING cursor`, msg.key, msg.type, msg.id, data, now).one();
    const frame = frameOf(msg.type, msg.id, data, inserted.cursor);
    let sockets = 0;
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(frame);
        sockets++;
      } catch {
        // Closing under us; the close handler finishes it and replay covers the client.
      }
    }
    this.trim(now, inserted.cursor);
    return { cursor: inserted.cursor, sockets, duplicate: false };
  }

  /**
   * Closes this person's sockets (all of them, or one sign-in's), e.g. after they sign out:
   * a socket authenticated once must not outlive the session that opened it.
   */
  async disconnect(sessionId?: string): Promise<number> {
    const sockets = sessionId ? this.ctx.getWebSockets(sessionTag(sessionId)) : this.ctx.getWebSockets();
    for (const ws of sockets) closeQuietly(ws, CLOSE_SIGNED_OUT, 'signed out');
    return sockets.length;
  }

  /** How many sockets are open, and the newest cursor: for tests and diagnostics. */
  async stats(): Promise<{ sockets: number; cursor: number; logged: number }> {
    const logged = this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM log`).one().n;
    return { sockets: this.ctx.getWebSockets().length, cursor: this.latestCursor(), logged };
  }

  // ── Sockets (WebSocket Hibernation) ──────────────────────────────────────────────────────

  /**
   * Upgrade requests arrive here already authenticated by the Worker (routes/v1/realtime), with
   * the caller in `x-leadpulse-*` headers the Worker sets itself (a client cannot reach a Durable
   * Object directly). Replays everything after `cursor`, then `hello`, then live messages.
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return new Response('Expected a WebSocket upgrade', { status: 426 });
    const userId = request.headers.get('x-leadpulse-user') ?? '';
    const sessionId = request.headers.get('x-leadpulse-session');
    const cursorHeader = request.headers.get('x-leadpulse-cursor');
    const cursor = cursorHeader === null ? null : Number(cursorHeader);
    const protocol = request.headers.get('x-leadpulse-protocol');
    const now = Date.now();

    // From here to the return: no await (see the class comment).
    this.evictOldestBeyond(MAX_SOCKETS - 1);
    const pair = new WebSocketPair();
    const server = pair[1];
    this.ctx.acceptWebSocket(server, sessionId ? [sessionTag(sessionId)] : []);
    server.serializeAttachment({ userId, sessionId, connectedAt: now } satisfies SocketAttachment);
    this.trim(now, null);

    const latest = this.latestCursor();
    let replayed = 0;
    let gap = false;
    if (cursor !== null && Number.isSafeInteger(cursor)) {
      const oldest = this.sql.exec<{ c: number | null }>(`SELECT MIN(cursor) AS c FROM log`).one().c ?? latest + 1;
      // Behind the oldest entry kept, or ahead of anything this feed ever sent: the client
      // cannot be brought up to date from the log and must refetch.
      gap = cursor < oldest - 1 || cursor > latest;
      for (const row of this.sql.exec<LogRow>(`SELECT cursor, type, id, data FROM log WHERE cursor > ? ORDER BY cursor`, cursor)) {
        server.send(frameOf(row.type, row.id, row.data, row.cursor));
        replayed++;
      }
    }
    server.send(frameOf('hello', userId, JSON.stringify({ cursor: latest, replayed, gap }), latest));
    return new Response(null, { status: 101, webSocket: pair[0], headers: protocol ? { 'Sec-WebSocket-Protocol': protocol } : {} });
  }

  /** Clients have nothing to say beyond `ping` (answered by the runtime); anything else is ignored. */
  override async webSocketMessage(): Promise<void> {}

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // 1005/1006 carry no code a peer may send back (closing with them throws).
    if (code !== 1005 && code !== 1006) closeQuietly(ws, code, reason);
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────

  private latestCursor(): number {
    // AUTOINCREMENT keeps the high-water mark in sqlite_sequence even after trimming empties the log.
    return this.sql.exec<{ seq: number }>(`SELECT seq FROM sqlite_sequence WHERE name = 'log'`).toArray()[0]?.seq ?? 0;
  }

  /** Keeps the newest LOG_MAX_ENTRIES rows not older than LOG_MAX_AGE_MS. */
  private trim(now: number, newest: number | null) {
    this.sql.exec(`DELETE FROM log WHERE cursor <= ? OR at < ?`, newest === null ? 0 : newest - LOG_MAX_ENTRIES, now - LOG_MAX_AGE_MS);
  }

  /**
   * A browser that leaks sockets (reconnecting without closing the old one) must not grow this
   * hub without bound, and every publish pays per socket: past the cap the oldest sockets go,
   * which are the likeliest to be dead.
   */
  private evictOldestBeyond(keep: number) {
    const sockets = this.ctx.getWebSockets();
    if (sockets.length <= keep) return;
    const byAge = sockets
      .map((ws) => ({ ws, at: (ws.deserializeAttachment() as SocketAttachment | null)?.connectedAt ?? 0 }))
      .sort((a, b) => a.at - b.at);
    for (const { ws } of byAge.slice(0, sockets.length - keep)) closeQuietly(ws, CLOSE_TOO_MANY, 'too many connections for this user');
  }
}

/** What a publisher sends: `key` is the idempotency key (`alert.created:alrt_x`). */
export interface HubMessage {
  key: string;
  type: string;
  id: string;
  data: unknown;
}

export interface PublishResult {
  /** The message's position in this person's feed (the existing one for a duplicate). */
  cursor: number;
  /** Open sockets it was sent to (0 for a duplicate). */
  sockets: number;
  duplicate: boolean;
}

/** Sockets per person; a human has a handful (browsers allow ~255 WebSockets in total). */
export const MAX_SOCKETS = 2_000;
export const LOG_MAX_ENTRIES = 1_000;
export const LOG_MAX_AGE_MS = 7 * 86_400_000;
/** Close codes (4000–4999 are the application's). */
export const CLOSE_SIGNED_OUT = 4001;
export const CLOSE_TOO_MANY = 4008;

interface SocketAttachment {
  userId: string;
  sessionId: string | null;
  connectedAt: number;
}

interface LogRow extends Record<string, SqlStorageValue> {
  cursor: number;
  type: string;
  id: string;
  data: string;
}

const sessionTag = (sessionId: string) => `sid:${sessionId}`;

/** The wire format `{ type, id, data, cursor }`, built around the stored JSON without re-parsing it. */
function frameOf(type: string, id: string, data: string, cursor: number): string {
  return `{"type":${JSON.stringify(type)},"id":${JSON.stringify(id)},"data":${data},"cursor":${cursor}}`;
}

function closeQuietly(ws: WebSocket, code: number, reason: string) {
  try {
    ws.close(code, reason);
  } catch {
    // Already closing.
  }
}
