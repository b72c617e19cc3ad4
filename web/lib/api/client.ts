/**
 * The typed API client. Paths, parameters, bodies and answers come from the generated
 * openapi.gen.ts (tests/node/browser type-checks the app against types generated from the live
 * document), so a call that does not match the Worker's contract does not compile. The access token comes from the session on
 * every call; a 401 asks the session to refresh (or to sign in again) and the call is retried once.
 */
import type { Paths } from './openapi.gen';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type PathsWith<M extends Method> = { [P in keyof Paths]: M extends keyof Paths[P] ? P : never }[keyof Paths];
export type Operation<P extends keyof Paths, M extends Method> = M extends keyof Paths[P] ? Paths[P][M] : never;
export type Answer<P extends keyof Paths, M extends Method> = Operation<P, M> extends { response: infer R } ? R : never;
export type Body<P extends keyof Paths, M extends Method> = Operation<P, M> extends { body: infer B } ? B : never;
export type Query<P extends keyof Paths, M extends Method> = Operation<P, M> extends { query: infer Q } ? Q : never;

type Common = { signal?: AbortSignal };
type OptionsFor<O> = Common &
  (O extends { path: infer X } ? { path: X } : unknown) &
  (O extends { query: infer Q } ? { query?: Q } : unknown) &
  (O extends { body: infer B } ? { body: B } : unknown);
/** Options are optional when the operation needs neither path parameters nor a body. */
type Args<O> = O extends { path: unknown } | { body: unknown } ? [options: OptionsFor<O>] : [options?: OptionsFor<O>];

export interface ErrorEnvelope {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  /** Field path → message, from a 422's details. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (Array.isArray(this.details)) {
      for (const d of this.details as Array<{ path?: string | Array<string | number>; message?: string }>) {
        const path = Array.isArray(d.path) ? d.path.join('.') : (d.path ?? '');
        if (d.message && !(path in out)) out[path] = d.message;
      }
    }
    return out;
  }
}

/** What the client needs from the session; kept as an interface so the client has no React in it. */
export interface TokenSource {
  /** A current access token, or null when signed out (public calls still go through). */
  accessToken(): Promise<string | null>;
  /** Called after a 401: a fresh token (refreshed, or after the user signed in again), or null. */
  renewAfterUnauthorized(rejected: string): Promise<string | null>;
}

export const API_BASE = '/v1';

function expandPath(path: string, params?: Record<string, string | number>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query?: Record<string, unknown>): string {
  if (!query) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function toError(res: Response): Promise<ApiError> {
  const retryAfter = Number(res.headers.get('retry-after')) || undefined;
  try {
    const body = (await res.json()) as ErrorEnvelope;
    if (body?.error?.code) return new ApiError(res.status, body.error.code, body.error.message, body.error.details, body.error.requestId, retryAfter);
  } catch {
    // Not our envelope (a proxy's HTML page, an empty body): fall through to a generic error.
  }
  return new ApiError(res.status, res.status === 404 ? 'not_found' : 'http_error', `The server answered ${res.status}`, undefined, undefined, retryAfter);
}

/** `raw` sends the body as-is with `contentType` (a CSV upload) instead of as JSON. */
type RawRequest = { method: string; path: string; query?: Record<string, unknown>; body?: unknown; raw?: { body: Blob | string; contentType: string }; signal?: AbortSignal; auth?: boolean };

export function createApiClient(tokens: TokenSource) {
  async function send<T>({ method, path, query, body, raw, signal, auth = true }: RawRequest): Promise<T> {
    const url = `${API_BASE}${path}${queryString(query)}`;
    const attempt = async (token: string | null) => {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (raw) headers['content-type'] = raw.contentType;
      if (token) headers.authorization = `Bearer ${token}`;
      try {
        return await fetch(url, { method, headers, body: raw ? raw.body : body === undefined ? undefined : JSON.stringify(body), signal, cache: 'no-store' });
      } catch (err) {
        if ((err as Error).name === 'AbortError') throw err;
        throw new ApiError(0, 'network_error', 'Could not reach LeadPulse. Check your connection.');
      }
    };
    const token = auth ? await tokens.accessToken() : null;
    let res = await attempt(token);
    if (res.status === 401 && auth && token) {
      const renewed = await tokens.renewAfterUnauthorized(token);
      if (renewed) res = await attempt(renewed);
    }
    if (!res.ok) throw await toError(res);
    if (res.status === 204) return undefined as T;
    const type = res.headers.get('content-type') ?? '';
    return (type.includes('json') ? await res.json() : await res.text()) as T;
  }

  const verb =
    <M extends Method>(method: M) =>
    <P extends PathsWith<M>>(path: P, ...[options]: Args<Operation<P, M>>): Promise<Answer<P, M>> => {
      const o = (options ?? {}) as { path?: Record<string, string>; query?: Record<string, unknown>; body?: unknown; signal?: AbortSignal };
      return send({ method: method.toUpperCase(), path: expandPath(path as string, o.path), query: o.query, body: o.body, signal: o.signal, auth: path !== '/auth/login' && path !== '/auth/refresh' });
    };

  return {
    get: verb('get'),
    post: verb('post'),
    put: verb('put'),
    patch: verb('patch'),
    delete: verb('delete'),
    /**
     * POST a file as the raw body (the CSV training upload, whose contract takes text/csv rather
     * than JSON). The answer type is given by the caller: the document declares only the JSON 200.
     */
    upload: <T, P extends PathsWith<'post'> = PathsWith<'post'>>(path: P, options: { path?: Record<string, string | number>; query?: Record<string, unknown>; file: Blob | string; contentType: string; signal?: AbortSignal }): Promise<T> =>
      send<T>({ method: 'POST', path: expandPath(path as string, options.path as Record<string, string | number>), query: options.query, raw: { body: options.file, contentType: options.contentType }, signal: options.signal }),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** A readable sentence for any error a call can throw. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 403) return `Not allowed: ${err.message}`;
    if (err.status === 429) return `Too many requests; try again${err.retryAfter ? ` in ${err.retryAfter} s` : ' shortly'}.`;
    return err.message;
  }
  return (err as Error)?.message ?? 'Something went wrong';
}
