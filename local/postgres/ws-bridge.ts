import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { neonHttpHandler } from './http-sql';

export interface NeonWsBridgeOptions {
  host?: string;
  port?: number;
  /** The only Postgres servers (host:port) this bridge may open connections to. */
  allowedTargets: string[];
}

export interface NeonWsBridge {
  /** Value for the Worker's NEON_WS_PROXY setting (`host:port/v2`, no scheme). */
  wsProxy: string;
  /** Neon's HTTP query endpoint on the same port (`http://host:port/sql`), for `neon()`. */
  httpEndpoint: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Neon's serverless driver speaks the Postgres wire protocol over a WebSocket to Neon's proxy.
 * Locally we stand in for that proxy: each WebSocket is piped byte for byte to a TCP connection
 * to a plain Postgres server (PGlite or a real PostgreSQL). The driver names the target in the
 * `address` query parameter (it appends `?address=host:port` to a string `wsProxy`); only
 * configured targets are accepted so the bridge cannot be used as an open relay.
 */
export async function startNeonWsBridge(opts: NeonWsBridgeOptions): Promise<NeonWsBridge> {
  const host = opts.host ?? '127.0.0.1';
  const allowed = new Set(opts.allowedTargets);
  const sql = neonHttpHandler({ allowed, wsProxy: () => `${host}:${(http.address() as { port: number }).port}/v2` });
  const http: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url?.split('?')[0] === '/sql') return sql.handle(req, res);
    res.writeHead(426, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'upgrade to WebSocket required' }));
  });
  const wss = new WebSocketServer({ server: http });
  const sockets = new Set<WebSocket>();

  wss.on('connection', (ws, req) => {
    const address = new URL(req.url ?? '/', 'http://bridge').searchParams.get('address') ?? '';
    if (!allowed.has(address)) {
      ws.close(1008, 'target not allowed');
      return;
    }
    sockets.add(ws);
    const [targetHost, targetPort] = splitHostPort(address);
    const tcp = connect({ host: targetHost, port: targetPort });
    tcp.setNoDelay(true);
    const pending: Buffer[] = [];
    let tcpReady = false;
    tcp.on('connect', () => {
      tcpReady = true;
      for (const chunk of pending) tcp.write(chunk);
      pending.length = 0;
    });
    const terminate = terminateWatcher();
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (tcpReady) tcp.write(chunk);
      else pending.push(chunk);
      // Postgres closes the connection after a Terminate message and clients wait for that;
      // PGlite's socket server does not, so the bridge does it, as Neon's proxy sees Postgres do.
      if (terminate(chunk)) tcp.end(() => closeBoth());
    });
    tcp.on('data', (chunk) => {
      if (ws.readyState === ws.OPEN) ws.send(chunk);
    });
    const closeBoth = () => {
      sockets.delete(ws);
      tcp.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    };
    tcp.on('close', closeBoth);
    tcp.on('error', closeBoth);
    ws.on('close', closeBoth);
    ws.on('error', closeBoth);
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = http.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    wsProxy: `${host}:${port}/v2`,
    httpEndpoint: `http://${host}:${port}/sql`,
    port,
    async close() {
      await sql.close();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

export function splitHostPort(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}

/**
 * Follows the frontend message stream (startup/SSL request without a type byte, then
 * `type + int32 length` messages) and reports when a Terminate ('X') has gone through.
 */
function terminateWatcher(): (chunk: Buffer) => boolean {
  let buffered: Buffer = Buffer.alloc(0);
  let startup = true;
  return (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    for (;;) {
      if (startup) {
        if (buffered.length < 8) return false;
        const length = buffered.readInt32BE(0);
        if (buffered.length < length) return false;
        const code = buffered.readInt32BE(4);
        buffered = buffered.subarray(length);
        // SSLRequest (80877103) and GSSENCRequest (80877104) precede the real startup message.
        if (code !== 80877103 && code !== 80877104) startup = false;
        continue;
      }
      if (buffered.length < 5) return false;
      const type = buffered[0];
      const length = buffered.readInt32BE(1);
      if (buffered.length < 1 + length) return false;
      buffered = buffered.subarray(1 + length);
      if (type === 0x58) return true;
    }
  };
}
