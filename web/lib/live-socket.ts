/**
 * A WebSocket that stays up: credentials in the subprotocol (`leadpulse.v1`, access token — a
 * browser cannot set headers on a socket), a `ping` every 25 s answered by `pong` (a silent
 * connection is treated as dead after 10 s), reconnection with capped, jittered backoff, and an
 * optional replay cursor: the last `cursor` seen is sent back as `?cursor=` so the server replays
 * what was missed while disconnected.
 */
import type { Session } from './session';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveSocketOptions {
  /** Path under the origin, e.g. /v1/realtime. */
  path: string;
  session: Session;
  onMessage(message: { type: string; data?: unknown; id?: string; cursor?: number | string }): void;
  /** Called on every successful (re)connection; `resumed` when a cursor was replayed. */
  onOpen?(info: { resumed: boolean }): void;
  onStatus?(status: LiveStatus, detail: { attempt: number; retryInMs: number | null }): void;
  /** Send the last seen cursor when reconnecting. */
  resumable?: boolean;
}

const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;
/** After this many failed attempts in a row the status says offline (still retrying). */
const OFFLINE_AFTER = 3;

export class LiveSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private cursor: string | null = null;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  status: LiveStatus = 'connecting';

  constructor(private readonly options: LiveSocketOptions) {}

  start() {
    this.stopped = false;
    window.addEventListener('online', this.reconnectNow);
    document.addEventListener('visibilitychange', this.onVisible);
    void this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.reconnectNow);
    document.removeEventListener('visibilitychange', this.onVisible);
    clearTimeout(this.retryTimer);
    this.teardown();
  }

  private setStatus(status: LiveStatus, retryInMs: number | null = null) {
    this.status = status;
    this.options.onStatus?.(status, { attempt: this.attempt, retryInMs });
  }

  private async connect() {
    if (this.stopped) return;
    this.setStatus(this.attempt === 0 ? 'connecting' : this.attempt >= OFFLINE_AFTER ? 'offline' : 'reconnecting');
    let token: string | null;
    try {
      token = await this.options.session.accessToken();
    } catch {
      token = null;
    }
    if (this.stopped) return;
    if (!token) return this.scheduleRetry();
    const url = new URL(this.options.path, window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const resumed = !!(this.options.resumable && this.cursor);
    if (resumed) url.searchParams.set('cursor', this.cursor!);
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, ['leadpulse.v1', token]);
    } catch {
      return this.scheduleRetry();
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.setStatus('live');
      this.pingTimer = setInterval(() => this.ping(), PING_EVERY_MS);
      this.options.onOpen?.({ resumed });
    };
    ws.onmessage = (e) => {
      clearTimeout(this.pongTimer);
      if (typeof e.data !== 'string' || e.data === 'pong') return;
      let message: { type: string; cursor?: number | string };
      try {
        message = JSON.parse(e.data);
      } catch {
        return; // Not ours to understand; the protocol only sends JSON and `pong`.
      }
      if (message.cursor !== undefined && message.cursor !== null) this.cursor = String(message.cursor);
      this.options.onMessage(message);
    };
    let opened = false;
    ws.addEventListener('open', () => (opened = true));
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.teardown();
      // A refused handshake looks like any other failure to a browser (no status code). One
      // authenticated read tells them apart: a 401 there refreshes the session, or ends it and
      // asks the person to sign in again, instead of retrying a dead token forever.
      if (!opened) void this.options.session.api.get('/me').catch(() => undefined);
      this.scheduleRetry();
    };
  }

  private ping() {
    if (this.ws?.readyState !== WebSocket.OPEN) return;
    this.ws.send('ping');
    clearTimeout(this.pongTimer);
    this.pongTimer = setTimeout(() => this.ws?.close(4000, 'no pong'), PONG_WITHIN_MS);
  }

  private scheduleRetry() {
    if (this.stopped) return;
    this.attempt += 1;
    const base = Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** (this.attempt - 1));
    const wait = Math.round(base / 2 + Math.random() * (base / 2));
    this.setStatus(this.attempt >= OFFLINE_AFTER ? 'offline' : 'reconnecting', wait);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), wait);
  }

  private teardown() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    const ws = this.ws;
    this.ws = null;
    if (ws && ws.readyState <= WebSocket.OPEN) {
      ws.onclose = null;
      ws.close(1000, 'bye');
    }
  }

  /** Back online or back in front of the user: don't wait out the backoff. */
  private reconnectNow = () => {
    if (this.stopped || this.ws) return;
    clearTimeout(this.retryTimer);
    this.attempt = Math.min(this.attempt, 1);
    void this.connect();
  };

  private onVisible = () => {
    if (document.visibilityState === 'visible') this.reconnectNow();
  };
}
