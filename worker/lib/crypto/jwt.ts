/**
 * Short-lived access tokens: HS256 JWTs signed with a shared secret from `JWT_SIGNING_KEYS`.
 * Symmetric keys fit because this Worker both mints and checks them; nothing else verifies.
 *
 * Rotation: `JWT_SIGNING_KEYS="new:…,old:…"` — the first key signs, every key verifies, and each
 * token names its key in `kid`. Deploy the new key second, then first, then drop the old one
 * once its last tokens have expired (≤ ACCESS_TOKEN_MAX_TTL_SECONDS).
 */
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { Unauthorized } from '../errors';
import { base64UrlEncode, randomBytes, utf8 } from './bytes';

export interface SigningKey {
  kid: string;
  secret: Uint8Array<ArrayBuffer>;
}

export interface AccessTokenClaims {
  /** User id. */
  sub: string;
  /** Tenant id. */
  tid: string;
  role: string;
  /** Session / refresh-token family id, so revoking a session can be checked per request. */
  sid?: string;
}

export interface VerifiedAccessToken extends AccessTokenClaims {
  iss: string;
  aud: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
}

export interface TokenAudience {
  issuer: string;
  audience: string;
}

/** Access tokens cannot be revoked before expiry, so their lifetime is the revocation delay. */
export const ACCESS_TOKEN_MAX_TTL_SECONDS = 900;
export const ACCESS_TOKEN_DEFAULT_TTL_SECONDS = 900;
/** Seconds of clock skew tolerated on exp/nbf/iat; kept small because tokens are short-lived. */
export const CLOCK_TOLERANCE_SECONDS = 5;
export const MIN_SIGNING_SECRET_LENGTH = 32;

const ALG = 'HS256';
/** A bound on work done for a token before its signature is checked; ours are ~400 bytes. */
const MAX_TOKEN_LENGTH = 4096;
const KID_RE = /^[A-Za-z0-9._-]{1,64}$/;
/** Generic on purpose: the reason (expired, bad signature, …) helps attackers, not clients. */
const INVALID_TOKEN = 'Invalid or expired access token';

/**
 * Parses `kid:secret[,kid:secret…]`. Errors name the entry by position and kid, never by
 * content, because a malformed entry may be a secret pasted without its kid.
 */
export function parseSigningKeys(value: string): SigningKey[] {
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  if (entries.length === 0) throw new Error('JWT_SIGNING_KEYS is empty; expected kid:secret[,kid:secret]');
  const keys: SigningKey[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const at = `JWT_SIGNING_KEYS entry ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new Error(`${at} is not in kid:secret form`);
    // Split at the first colon only: a secret may itself contain colons.
    const kid = entry.slice(0, colon).trim();
    const secret = entry.slice(colon + 1).trim();
    if (!KID_RE.test(kid)) throw new Error(`${at} has an invalid kid (1-64 of A-Z a-z 0-9 . _ -)`);
    if (seen.has(kid)) throw new Error(`${at} repeats kid "${kid}"`);
    if (secret.length < MIN_SIGNING_SECRET_LENGTH) {
      throw new Error(`${at} (kid "${kid}") has a secret shorter than ${MIN_SIGNING_SECRET_LENGTH} characters`);
    }
    seen.add(kid);
    keys.push({ kid, secret: utf8(secret) });
  });
  return keys;
}

export async function signAccessToken(
  keys: readonly SigningKey[],
  claims: AccessTokenClaims,
  opts: TokenAudience & { ttlSeconds?: number; /** ms since epoch; for tests */ now?: number },
): Promise<string> {
  const signer = keys[0];
  if (!signer) throw new Error('No JWT signing key configured');
  const ttl = opts.ttlSeconds ?? ACCESS_TOKEN_DEFAULT_TTL_SECONDS;
  // Refused rather than clamped: a caller asking for longer has a bug worth seeing.
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > ACCESS_TOKEN_MAX_TTL_SECONDS) {
    throw new RangeError(`Access token ttl must be an integer in 1..${ACCESS_TOKEN_MAX_TTL_SECONDS} seconds`);
  }
  if (!claims.sub || !claims.tid || !claims.role) throw new TypeError('Access token needs sub, tid and role');
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const payload: JWTPayload = { tid: claims.tid, role: claims.role };
  if (claims.sid !== undefined) payload.sid = claims.sid;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: ALG, kid: signer.kid, typ: 'JWT' })
    .setIssuer(opts.issuer)
    .setAudience(opts.audience)
    .setSubject(claims.sub)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + ttl)
    .setJti(base64UrlEncode(randomBytes(16)))
    .sign(signer.secret);
}

/** The token's claims, or `Unauthorized` (one generic message) for any problem at all. */
export async function verifyAccessToken(
  keys: readonly SigningKey[],
  token: string,
  opts: TokenAudience & { /** ms since epoch; for tests */ now?: number },
): Promise<VerifiedAccessToken> {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw new Unauthorized(INVALID_TOKEN);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      (header) => {
        // Unknown or missing kid: refuse rather than try every key, so a retired key stays retired.
        const key = keys.find((k) => k.kid === header.kid);
        if (!key) throw new Error('unknown kid');
        return key.secret;
      },
      {
        // Pinning the algorithm refuses `alg: none` and RS/ES tokens (key-confusion attacks).
        algorithms: [ALG],
        typ: 'JWT',
        issuer: opts.issuer,
        audience: opts.audience,
        requiredClaims: ['iss', 'aud', 'sub', 'iat', 'exp', 'jti'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        // Also bounds age by iat, so even a token minted with a far exp (a signer bug) dies on time.
        maxTokenAge: ACCESS_TOKEN_MAX_TTL_SECONDS,
        currentDate: opts.now === undefined ? undefined : new Date(opts.now),
      },
    ));
  } catch {
    throw new Unauthorized(INVALID_TOKEN);
  }
  const { sub, tid, role, sid, iss, aud, iat, nbf, exp, jti } = payload;
  // Signature-valid but wrongly shaped claims still mean "not one of our access tokens".
  if (
    !isNonEmptyString(sub) ||
    !isNonEmptyString(tid) ||
    !isNonEmptyString(role) ||
    (sid !== undefined && !isNonEmptyString(sid)) ||
    !isNonEmptyString(iss) ||
    !isNonEmptyString(aud) ||
    !isNonEmptyString(jti) ||
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    (nbf !== undefined && typeof nbf !== 'number')
  ) {
    throw new Unauthorized(INVALID_TOKEN);
  }
  const verified: VerifiedAccessToken = { sub, tid, role, iss, aud, iat, nbf: nbf ?? iat, exp, jti };
  if (sid !== undefined) verified.sid = sid;
  return verified;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
