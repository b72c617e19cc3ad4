/**
 * The refresh token as an HttpOnly cookie, for the web app: a script on the page (an injected
 * one included) can never read it, unlike a token kept in localStorage. Integrators keep the
 * JSON body mode (`session: "body"`, the default), where the refresh token is in the answer.
 *
 * - `Path=/v1/auth`: the browser sends it to refresh and logout only, not with every API call.
 * - `SameSite=Strict`: another site's page cannot make the browser refresh (or end) a session;
 *   the JSON body the routes require also forces a CORS preflight cross-origin.
 * - `Secure` whenever the request came over HTTPS (every deployment); plain-HTTP localhost
 *   development keeps working without it.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from '@hono/zod-openapi';
import { REFRESH_TOKEN_TTL_DAYS, type SessionTokens } from '../../../services/auth/sessions';

export const REFRESH_COOKIE = 'lp_refresh';
const PATH = '/v1/auth';

export const SessionMode = z
  .enum(['body', 'cookie'])
  .default('body')
  .openapi({ description: '`body` (default): the refresh token is in the answer. `cookie`: it is set as an HttpOnly cookie for /v1/auth and left out of the answer (browsers).' });

const secure = (c: Context) => new URL(c.req.url).protocol === 'https:';

export function readRefreshCookie(c: Context): string | undefined {
  return getCookie(c, REFRESH_COOKIE) || undefined;
}

/** The session as the caller asked for it: the refresh token in the body, or only in the cookie. */
export function sessionAnswer(c: Context, tokens: SessionTokens, mode: 'body' | 'cookie') {
  if (mode === 'body') return tokens;
  setCookie(c, REFRESH_COOKIE, tokens.refreshToken, { httpOnly: true, sameSite: 'Strict', path: PATH, secure: secure(c), maxAge: REFRESH_TOKEN_TTL_DAYS * 86_400 });
  return { accessToken: tokens.accessToken, expiresIn: tokens.expiresIn };
}

export function clearRefreshCookie(c: Context): void {
  deleteCookie(c, REFRESH_COOKIE, { path: PATH, secure: secure(c), httpOnly: true, sameSite: 'Strict' });
}
