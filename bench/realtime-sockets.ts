/**
 * Many realtime sockets from Node (the `ws` client), for benchmarks of GET /v1/realtime: open
 * `n` sockets with the same credentials, then await the first message matching a predicate —
 * on any socket or on each — with the time it was received.
 *
 * Receive times are taken in the 'message' handler, before parsing, as epoch milliseconds with
 * sub-millisecond precision (performance.timeOrigin + performance.now()), so they compare with
 * send times taken the same way in another process on the machine. Run the sockets in a process
 * of their own when the harness's event loop is busy (the stand-ins share it), or the times
 * include waiting for that loop.
 *
 * Every socket keeps its last `backlog` messages, so a message that arrives before the caller
 * starts waiting (say, while awaiting the HTTP response that triggered it) is still found.
 */
import WebSocket from 'ws';

export interface Received<T = any> {
  /** Index of the socket in `sockets`. */
  socket: number;
  /** Epoch milliseconds, sub-millisecond precision. */
  at: number;
  /** The parsed JSON frame, or the text itself (e.g. `pong`). */
  message: T;
}

export type Predicate = (message: any, socket: number) => boolean;

export interface WaitOptions {
  timeoutMs?: number;
  /** Only messages received at or after this time (epoch ms); default: any kept in the backlog. */
  since?: number;
  /** Only this socket. */
  socket?: number;
}

export interface SocketFleet {
  sockets: WebSocket[];
  /** When each socket's handshake completed (epoch ms), and how long it took. */
  opened: Array<{ at: number; ms: number }>;
  /** The first matching message on any socket (or the one given). */
  first<T = any>(predicate: Predicate, opts?: WaitOptions): Promise<Received<T>>;
  /** The first matching message on every socket, in socket order: fan-out timings. */
  each<T = any>(predicate: Predicate, opts?: Omit<WaitOptions, 'socket'>): Promise<Array<Received<T>>>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Handshakes in flight at once (each one is authenticated by the Worker). Default 25. */
  concurrency?: number;
  /** Per handshake. Default 15 000 ms. */
  timeoutMs?: number;
  /** Messages kept per socket for late waiters. Default 256. */
  backlog?: number;
}

export const now = () => performance.timeOrigin + performance.now();

interface Waiter {
  predicate: Predicate;
  since: number;
  socket?: number;
  resolve: (r: Received) => void;
}

/**
 * Opens `n` sockets to `url` offering `protocols` (e.g. `['leadpulse.v1', accessToken]`; `[]` with
 * a `?ticket=` URL). Rejects, closing what it opened, if any handshake fails — with the HTTP status
 * and error body the server answered.
 */
export async function openSockets(url: string, protocols: string[], n: number, opts: OpenOptions = {}): Promise<SocketFleet> {
  const concurrency = Math.max(1, opts.concurrency ?? 25);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const backlogSize = opts.backlog ?? 256;
  const sockets: WebSocket[] = new Array(n);
  const opened: SocketFleet['opened'] = new Array(n);
  const backlogs: Received[][] = Array.from({ length: n }, () => []);
  const waiters = new Set<Waiter>();

  const onMessage = (socket: number, raw: WebSocket.RawData) => {
    const at = now();
    const text = raw.toString();
    let message: unknown = text;
    if (text.startsWith('{')) {
      try {
        message = JSON.parse(text);
      } catch {
        // Not JSON after all: keep the text.
      }
    }
    const received: Received = { socket, at, message };
    const backlog = backlogs[socket]!;
    backlog.push(received);
    if (backlog.length > backlogSize) backlog.shift();
    for (const w of waiters) {
      if ((w.socket === undefined || w.socket === socket) && at >= w.since && w.predicate(message, socket)) {
        waiters.delete(w);
        w.resolve(received);
      }
    }
  };

  const openOne = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const started = now();
      const ws = new WebSocket(url, protocols, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
      sockets[i] = ws;
      ws.on('message', (data) => onMessage(i, data));
      ws.once('open', () => {
        const at = now();
        opened[i] = { at, ms: at - started };
        resolve();
      });
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d));
        res.on('end', () => reject(new Error(`socket ${i}: HTTP ${res.statusCode} ${body.slice(0, 300)}`)));
      });
      // Kept for the socket's life: an 'error' without a listener would crash the process.
      ws.on('error', (err) => reject(new Error(`socket ${i}: ${err.message}`)));
    });

  let next = 0;
  let failed = false;
  const workers = Array.from({ length: Math.min(concurrency, n) }, async () => {
    try {
      while (next < n && !failed) await openOne(next++);
    } catch (err) {
      failed = true;
      throw err;
    }
  });
  const closeAll = async () => {
    await Promise.all(
      sockets.map(
        (ws) =>
          ws &&
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            const timer = setTimeout(() => {
              ws.terminate();
              resolve();
            }, 2_000);
            ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
            else ws.close(1000, 'done');
          }),
      ),
    );
  };
  const outcomes = await Promise.allSettled(workers);
  const failure = outcomes.find((o) => o.status === 'rejected');
  if (failure) {
    await closeAll();
    throw failure.reason;
  }

  const first = <T>(predicate: Predicate, o: WaitOptions = {}): Promise<Received<T>> => {
    const since = o.since ?? 0;
    const candidates = (o.socket === undefined ? backlogs : [backlogs[o.socket] ?? []]).flat();
    const hit = candidates.filter((r) => r.at >= since && predicate(r.message, r.socket)).sort((a, b) => a.at - b.at)[0];
    if (hit) return Promise.resolve(hit as Received<T>);
    return new Promise<Received<T>>((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        since,
        socket: o.socket,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r as Received<T>);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching message within ${o.timeoutMs ?? 10_000} ms${o.socket === undefined ? '' : ` on socket ${o.socket}`}`));
      }, o.timeoutMs ?? 10_000);
      waiters.add(waiter);
    });
  };

  return {
    sockets,
    opened,
    first,
    each: <T>(predicate: Predicate, o: Omit<WaitOptions, 'socket'> = {}) => Promise.all(sockets.map((_, socket) => first<T>(predicate, { ...o, socket }))),
    close: closeAll,
  };
}
