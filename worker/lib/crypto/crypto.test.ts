import { SignJWT, generateKeyPair } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { Unauthorized } from '../errors';
import { base58Encode, base64DecodeLenient, base64UrlDecode, base64UrlEncode, sha256Hex, timingSafeEqual } from './bytes';
import {
  ACCESS_TOKEN_MAX_TTL_SECONDS,
  parseSigningKeys,
  signAccessToken,
  verifyAccessToken,
  type SigningKey,
} from './jwt';
import {
  DUMMY_PASSWORD_HASH,
  PBKDF2_ITERATIONS,
  burnPasswordCheck,
  hashPassword,
  parsePasswordHash,
  passwordProblems,
  verifyPassword,
} from './password';
import { SecretDecryptionError, decryptSecret, encryptSecret, parseEncryptionKey, secretAad } from './secrets';
import { hashApiKey, hashToken, looksLikeApiKey, looksLikeRefreshToken, newApiKey, newRefreshToken } from './tokens';

const enc = new TextEncoder();

/** Independent PBKDF2 (straight WebCrypto) so the tests check the format, not the code against itself. */
async function pbkdf2Hash(password: string, iterations: number, salt: Uint8Array<ArrayBuffer>): Promise<string> {
  const material = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, 256);
  return `pbkdf2-sha256$v1$${iterations}$${base64UrlEncode(salt)}$${base64UrlEncode(new Uint8Array(bits))}`;
}

/** Replaces one character of `text` at `index` with a different base64url character. */
function flipChar(text: string, index: number): string {
  const c = text[index];
  return text.slice(0, index) + (c === 'A' ? 'B' : 'A') + text.slice(index + 1);
}

describe('bytes', () => {
  it('base64url round-trips every length and is strict about what it decodes', () => {
    for (let n = 0; n <= 40; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      const text = base64UrlEncode(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect([...base64UrlDecode(text)]).toEqual([...bytes]);
    }
    expect(base64UrlEncode(enc.encode('\xfb\xff'))).toBe('w7vDvw');
    for (const bad of ['AQ==', 'A+/B', 'A', 'AB$C', 'AR']) expect(() => base64UrlDecode(bad), bad).toThrow();
    // Standard alphabet and padding are accepted only by the lenient (config) decoder.
    expect([...base64DecodeLenient('+/8=')]).toEqual([0xfb, 0xff]);
    expect([...base64DecodeLenient('-_8')]).toEqual([0xfb, 0xff]);
  });

  it('timingSafeEqual compares content and length', () => {
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([9, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array(), new Uint8Array())).toBe(true);
  });

  it('sha256Hex matches the FIPS 180-2 test vector', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('base58 is fixed-width', () => {
    expect(base58Encode(new Uint8Array(32))).toBe('1'.repeat(44));
    expect(base58Encode(new Uint8Array(32).fill(255))).toHaveLength(44);
  });
});

describe('password hashing', () => {
  it('keeps PBKDF2 iterations within what deployed Workers accept, and records that count', async () => {
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    const stored = await hashPassword('correct horse battery staple');
    const fields = stored.split('$');
    expect(fields).toHaveLength(5);
    expect(fields[0]).toBe('pbkdf2-sha256');
    expect(fields[1]).toBe('v1');
    expect(Number(fields[2])).toBe(PBKDF2_ITERATIONS);
    expect(base64UrlDecode(fields[3] as string)).toHaveLength(16);
    expect(base64UrlDecode(fields[4] as string)).toHaveLength(32);
    // Re-derived independently: the stored hash is plain PBKDF2-HMAC-SHA256 over the recorded salt.
    const salt = base64UrlDecode(fields[3] as string);
    expect(await pbkdf2Hash('correct horse battery staple', PBKDF2_ITERATIONS, salt)).toBe(stored);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', stored)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword('correct horse battery stapl', stored)).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword('Correct horse battery staple', stored)).toMatchObject({ ok: false });
    expect(await verifyPassword('', stored)).toMatchObject({ ok: false });
  });

  it('salts: two hashes of the same password differ and both verify', async () => {
    const a = await hashPassword('same password twice');
    const b = await hashPassword('same password twice');
    expect(a).not.toBe(b);
    expect(a.split('$')[3]).not.toBe(b.split('$')[3]);
    expect((await verifyPassword('same password twice', b)).ok).toBe(true);
  });

  it('refuses a hash whose salt or derived bytes were tampered with', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const [scheme, version, iterations, salt, hash] = stored.split('$') as [string, string, string, string, string];
    const badSalt = [scheme, version, iterations, flipChar(salt, 0), hash].join('$');
    const badHash = [scheme, version, iterations, salt, flipChar(hash, 5)].join('$');
    expect(parsePasswordHash(badSalt)).not.toBeNull();
    expect(parsePasswordHash(badHash)).not.toBeNull();
    expect(await verifyPassword('correct horse battery staple', badSalt)).toEqual({ ok: false, needsRehash: false });
    expect(await verifyPassword('correct horse battery staple', badHash)).toEqual({ ok: false, needsRehash: false });
  });

  it('refuses malformed and unknown stored values without throwing', async () => {
    const good = await hashPassword('correct horse battery staple');
    const [, , , salt, hash] = good.split('$') as string[];
    const malformed = [
      '',
      'not a hash',
      '$$$$',
      good + '$extra',
      good.replace('pbkdf2-sha256', 'pbkdf2-sha512'),
      good.replace('$v1$', '$v2$'),
      `pbkdf2-sha256$v1$0$${salt}$${hash}`,
      `pbkdf2-sha256$v1$0100000$${salt}$${hash}`,
      `pbkdf2-sha256$v1$1e5$${salt}$${hash}`,
      `pbkdf2-sha256$v1$-1$${salt}$${hash}`,
      `pbkdf2-sha256$v1$100001$${salt}$${hash}`, // above the Workers limit: would throw in production
      `pbkdf2-sha256$v1$100000$${salt}==$${hash}`,
      `pbkdf2-sha256$v1$100000$${salt}$${hash?.slice(0, -2)}`, // 31-byte hash
      `pbkdf2-sha256$v1$100000$AAAA$${hash}`, // 3-byte salt
      `pbkdf2-sha256$v1$100000$${salt}$${hash}!`,
      '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW', // bcrypt
    ];
    for (const stored of malformed) {
      expect(parsePasswordHash(stored), stored).toBeNull();
      await expect(verifyPassword('correct horse battery staple', stored), stored).resolves.toEqual({ ok: false, needsRehash: false });
    }
    // Non-strings from a loosely typed row must not throw either.
    await expect(verifyPassword('x', null as unknown as string)).resolves.toMatchObject({ ok: false });
    await expect(verifyPassword(undefined as unknown as string, good)).resolves.toMatchObject({ ok: false });
  });

  it('asks for a rehash when a correct password was stored with fewer iterations', async () => {
    const old = await pbkdf2Hash('correct horse battery staple', 1_000, crypto.getRandomValues(new Uint8Array(16)));
    expect(await verifyPassword('correct horse battery staple', old)).toEqual({ ok: true, needsRehash: true });
    // A wrong password never reports needsRehash (nothing to upgrade).
    expect(await verifyPassword('wrong password here', old)).toEqual({ ok: false, needsRehash: false });
  });

  it('normalises Unicode so composed and decomposed input verify alike', async () => {
    const stored = await hashPassword('caf\u00e9 au lait tous les jours');
    expect((await verifyPassword('cafe\u0301 au lait tous les jours', stored)).ok).toBe(true);
    // NFKC also folds compatibility forms (full-width digits) typed by some IMEs.
    const digits = await hashPassword('room number 12345');
    expect((await verifyPassword('room number \uff11\uff12\uff13\uff14\uff15', digits)).ok).toBe(true);
  });

  it('has a dummy hash at the current cost that nothing matches', async () => {
    const parsed = parsePasswordHash(DUMMY_PASSWORD_HASH);
    expect(parsed).not.toBeNull();
    expect(parsed?.iterations).toBe(PBKDF2_ITERATIONS);
    expect(parsed?.salt).toHaveLength(16);
    expect(await verifyPassword('password1234', DUMMY_PASSWORD_HASH)).toEqual({ ok: false, needsRehash: false });
    expect(await burnPasswordCheck('anything at all')).toBe(false);
  });

  it('spends a full-cost PBKDF2 run for unknown users and corrupt rows (no timing oracle)', async () => {
    // workerd's clock does not advance during computation, so count the work instead of timing it.
    const spy = vi.spyOn(crypto.subtle, 'deriveBits');
    try {
      const iterationsUsed = () => spy.mock.calls.map((c) => (c[0] as { iterations?: number }).iterations);
      expect(await burnPasswordCheck('wrong password here')).toBe(false);
      expect(iterationsUsed()).toEqual([PBKDF2_ITERATIONS]);
      spy.mockClear();
      expect(await verifyPassword('wrong password here', 'corrupt row')).toEqual({ ok: false, needsRehash: false });
      expect(iterationsUsed()).toEqual([PBKDF2_ITERATIONS]);
    } finally {
      spy.mockRestore();
    }
  });

  it('names the problems with a weak password', () => {
    expect(passwordProblems('tangerine-kayak-oboe', { email: 'dana@example.com', name: 'Dana Reyes' })).toEqual([]);
    expect(passwordProblems('short1!')).toEqual(['Use at least 12 characters.']);
    expect(passwordProblems('x'.repeat(257))).toContain('Use at most 256 characters.');
    expect(passwordProblems('a'.repeat(257))).toContain('Do not repeat a single character.');
    expect(passwordProblems('zzzzzzzzzzzzzzzz')).toEqual(['Do not repeat a single character.']);
    for (const common of ['password1234', '123456789012', 'qwertyuiop12', 'PassWord1234']) {
      expect(passwordProblems(common), common).toContain('This password is too common; choose something less guessable.');
    }
    expect(passwordProblems('my-Dana.Reyes-is-great', { email: 'dana.reyes@example.com' })).toEqual(['Do not include your email address.']);
    expect(passwordProblems('i am reyes the great', { name: 'Dana Reyes' })).toEqual(['Do not include your name.']);
    // 12 code points (emoji count as one character each, as the user sees them).
    expect(passwordProblems('\u{1F600}'.repeat(6) + 'abcdef')).toEqual([]);
    expect(passwordProblems('')).toContain('Use at least 12 characters.');
  });
});

describe('access tokens (JWT)', () => {
  const secretA = 'a'.repeat(20) + 'signing-secret-number-one';
  const secretB = 'b'.repeat(20) + 'signing-secret-number-two';
  const keys = parseSigningKeys(`k2:${secretB}, k1:${secretA}`);
  const aud = { issuer: 'https://api.leadpulse.test', audience: 'leadpulse-app' };
  const claims = { sub: 'user_1', tid: 'tenant_1', role: 'admin', sid: 'sess_1' };

  async function expectUnauthorized(promise: Promise<unknown>) {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Unauthorized);
    expect((err as Unauthorized).message).toBe('Invalid or expired access token');
  }

  function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
    return JSON.parse(new TextDecoder().decode(base64UrlDecode(token.split('.')[index] as string))) as Record<string, unknown>;
  }

  it('parses kid:secret pairs, first key signs', () => {
    expect(keys.map((k) => k.kid)).toEqual(['k2', 'k1']);
    // A colon inside the secret belongs to the secret.
    const [withColon] = parseSigningKeys(`x:${secretA}:more`);
    expect(new TextDecoder().decode(withColon?.secret)).toBe(`${secretA}:more`);
  });

  it('refuses bad key configuration without echoing the secret', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      [' , ', /empty/],
      [secretA, /entry 1 is not in kid:secret form/],
      [`k1:${secretA},k1:${secretB}`, /entry 2 repeats kid "k1"/],
      ['k1:tooshort-secret-value', /entry 1 \(kid "k1"\) has a secret shorter than 32/],
      [`bad kid:${secretA}`, /entry 1 has an invalid kid/],
      [`:${secretA}`, /invalid kid/],
    ];
    for (const [value, message] of cases) {
      let error: unknown;
      try {
        parseSigningKeys(value);
      } catch (e) {
        error = e;
      }
      expect(error, value).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('signing-secret');
      expect((error as Error).message).not.toContain('tooshort');
    }
  });

  it('round-trips with kid, typ and the standard claims', async () => {
    const token = await signAccessToken(keys, claims, aud);
    expect(decodePart(token, 0)).toEqual({ alg: 'HS256', kid: 'k2', typ: 'JWT' });
    const verified = await verifyAccessToken(keys, token, aud);
    expect(verified).toMatchObject({ ...claims, iss: aud.issuer, aud: aud.audience });
    expect(verified.exp - verified.iat).toBe(900);
    expect(verified.nbf).toBe(verified.iat);
    expect(Math.abs(verified.iat - Date.now() / 1000)).toBeLessThan(60);
    expect(verified.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const other = await signAccessToken(keys, claims, aud);
    expect(decodePart(other, 1).jti).not.toBe(verified.jti);
    // sid is optional and omitted when absent.
    const noSid = await verifyAccessToken(keys, await signAccessToken(keys, { sub: 'u', tid: 't', role: 'agent' }, aud), aud);
    expect(noSid).not.toHaveProperty('sid');
  });

  it('accepts a token signed by the second (rotation) key', async () => {
    const oldSigner = parseSigningKeys(`k1:${secretA}`);
    const token = await signAccessToken(oldSigner, claims, aud);
    expect(decodePart(token, 0).kid).toBe('k1');
    expect((await verifyAccessToken(keys, token, aud)).sub).toBe('user_1');
  });

  it('refuses a token whose kid is unknown, missing, or paired with the wrong secret', async () => {
    // Unknown kid carrying a real key's secret: refused by kid, not by a lucky signature mismatch.
    await expectUnauthorized(verifyAccessToken(keys, await signAccessToken(parseSigningKeys(`k9:${secretB}`), claims, aud), aud));
    // Right kid, wrong secret: the signature check fails.
    await expectUnauthorized(verifyAccessToken(keys, await signAccessToken(parseSigningKeys(`k1:${'c'.repeat(40)}`), claims, aud), aud));
    const noKid = await new SignJWT({ tid: 't', role: 'r' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(aud.issuer)
      .setAudience(aud.audience)
      .setSubject('u')
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti('j')
      .sign(keys[0]?.secret as Uint8Array);
    await expectUnauthorized(verifyAccessToken(keys, noKid, aud));
  });

  it('refuses expired tokens, allowing only a few seconds of skew', async () => {
    const t0 = Date.now() - 60 * 60 * 1000;
    const token = await signAccessToken(keys, claims, { ...aud, now: t0 });
    await expectUnauthorized(verifyAccessToken(keys, token, aud));
    expect((await verifyAccessToken(keys, token, { ...aud, now: t0 + 903_000 })).sub).toBe('user_1');
    await expectUnauthorized(verifyAccessToken(keys, token, { ...aud, now: t0 + 906_000 }));
    // Not yet valid beyond the tolerance.
    await expectUnauthorized(verifyAccessToken(keys, token, { ...aud, now: t0 - 10_000 }));
  });

  it('refuses a wrong audience or issuer', async () => {
    const token = await signAccessToken(keys, claims, aud);
    await expectUnauthorized(verifyAccessToken(keys, token, { ...aud, audience: 'leadpulse-admin' }));
    await expectUnauthorized(verifyAccessToken(keys, token, { ...aud, issuer: 'https://evil.test' }));
  });

  it('refuses alg:none and asymmetric-algorithm tokens', async () => {
    const header = base64UrlEncode(enc.encode(JSON.stringify({ alg: 'none', typ: 'JWT', kid: 'k2' })));
    const now = Math.floor(Date.now() / 1000);
    const payload = base64UrlEncode(
      enc.encode(JSON.stringify({ ...claims, iss: aud.issuer, aud: aud.audience, iat: now, nbf: now, exp: now + 600, jti: 'x' })),
    );
    await expectUnauthorized(verifyAccessToken(keys, `${header}.${payload}.`, aud));
    // The same payload with the right HS256 signature is accepted, so the refusal above is about alg.
    const real = await signAccessToken(keys, claims, aud);
    expect((await verifyAccessToken(keys, real, aud)).tid).toBe('tenant_1');

    const { privateKey } = await generateKeyPair('ES256');
    const es = await new SignJWT({ tid: 't', role: 'r' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k2', typ: 'JWT' })
      .setIssuer(aud.issuer)
      .setAudience(aud.audience)
      .setSubject('u')
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti('j')
      .sign(privateKey);
    await expectUnauthorized(verifyAccessToken(keys, es, aud));
  });

  it('refuses garbage and tampered tokens with the same generic error', async () => {
    const token = await signAccessToken(keys, claims, aud);
    const [h, , s] = token.split('.');
    const forged = base64UrlEncode(enc.encode(JSON.stringify({ ...decodePart(token, 1), role: 'owner' })));
    for (const bad of ['', 'abc', 'a.b.c', `${h}.${forged}.${s}`, token + 'x', 'x'.repeat(5000)]) {
      await expectUnauthorized(verifyAccessToken(keys, bad, aud));
    }
  });

  it('refuses a ttl above 900 seconds instead of minting a long-lived token', async () => {
    expect(ACCESS_TOKEN_MAX_TTL_SECONDS).toBe(900);
    await expect(signAccessToken(keys, claims, { ...aud, ttlSeconds: 901 })).rejects.toThrow(RangeError);
    await expect(signAccessToken(keys, claims, { ...aud, ttlSeconds: 0 })).rejects.toThrow(RangeError);
    await expect(signAccessToken(keys, claims, { ...aud, ttlSeconds: 1.5 })).rejects.toThrow(RangeError);
    const short = await verifyAccessToken(keys, await signAccessToken(keys, claims, { ...aud, ttlSeconds: 60 }), aud);
    expect(short.exp - short.iat).toBe(60);
  });

  it('refuses a validly signed token that lives longer than the maximum', async () => {
    const signer = keys[0] as SigningKey;
    const long = await new SignJWT({ tid: 't', role: 'r' })
      .setProtectedHeader({ alg: 'HS256', kid: signer.kid, typ: 'JWT' })
      .setIssuer(aud.issuer)
      .setAudience(aud.audience)
      .setSubject('u')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime('1d')
      .setJti('j')
      .sign(signer.secret);
    await expectUnauthorized(verifyAccessToken(keys, long, aud));
  });
});

describe('secrets at rest (AES-256-GCM)', () => {
  const rawKey = crypto.getRandomValues(new Uint8Array(32));
  const aad = secretAad('tenant_1', 'crm:followupboss');

  it('parses a 32-byte key in base64 or base64url and refuses other lengths without echoing it', async () => {
    const std = btoa(String.fromCharCode(...rawKey));
    const key = await parseEncryptionKey(std);
    const keyUrl = await parseEncryptionKey(base64UrlEncode(rawKey));
    // Both spellings are the same key: one decrypts what the other encrypted.
    expect(await decryptSecret(keyUrl, await encryptSecret(key, 'hello', aad), aad)).toBe('hello');
    const short = base64UrlEncode(rawKey.subarray(0, 16));
    await expect(parseEncryptionKey(short)).rejects.toThrow('must decode to exactly 32 bytes (got 16)');
    await expect(parseEncryptionKey(base64UrlEncode(new Uint8Array(33)))).rejects.toThrow(/got 33/);
    await expect(parseEncryptionKey('not base64 at all!')).rejects.toThrow(/not valid base64/);
    await parseEncryptionKey(short).catch((e: Error) => expect(e.message).not.toContain(short));
  });

  it('round-trips, with a fresh IV each time', async () => {
    const key = await parseEncryptionKey(base64UrlEncode(rawKey));
    for (const plaintext of ['sk_live_abc123', '', '\uFEFFünïcødé 🔑', 'x'.repeat(10_000)]) {
      const sealed = await encryptSecret(key, plaintext, aad);
      expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
      expect(await decryptSecret(key, sealed, aad)).toBe(plaintext);
    }
    const a = await encryptSecret(key, 'same', aad);
    const b = await encryptSecret(key, 'same', aad);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(a).not.toContain('same');
  });

  it('throws on tampering, a wrong AAD, a wrong key or a malformed value', async () => {
    const key = await parseEncryptionKey(base64UrlEncode(rawKey));
    const sealed = await encryptSecret(key, 'sk_live_abc123', aad);
    const [v, iv, ct] = sealed.split('.') as [string, string, string];
    const cases = [
      `${v}.${iv}.${flipChar(ct, 3)}`,
      `${v}.${flipChar(iv, 2)}.${ct}`,
      `${v}.${iv}.${ct.slice(0, -4)}`,
      `v2.${iv}.${ct}`,
      `${v}.${iv}`,
      `${v}.${iv}.${ct}.x`,
      '',
      'plaintext-secret',
    ];
    for (const bad of cases) await expect(decryptSecret(key, bad, aad), bad).rejects.toThrow(SecretDecryptionError);
    // Moved to another tenant or another purpose: refused.
    await expect(decryptSecret(key, sealed, secretAad('tenant_2', 'crm:followupboss'))).rejects.toThrow(SecretDecryptionError);
    await expect(decryptSecret(key, sealed, secretAad('tenant_1', 'sms:twilio'))).rejects.toThrow(SecretDecryptionError);
    const otherKey = await parseEncryptionKey(base64UrlEncode(crypto.getRandomValues(new Uint8Array(32))));
    await expect(decryptSecret(otherKey, sealed, aad)).rejects.toThrow(SecretDecryptionError);
    // Unchanged, it still decrypts: the failures above come from the alterations.
    expect(await decryptSecret(key, sealed, aad)).toBe('sk_live_abc123');
  });

  it('refuses to encrypt without a context and keeps AAD parts unambiguous', async () => {
    const key = await parseEncryptionKey(base64UrlEncode(rawKey));
    await expect(encryptSecret(key, 'x', '')).rejects.toThrow(TypeError);
    expect(secretAad('a/b', 'c')).not.toBe(secretAad('a', 'b/c'));
  });
});

describe('opaque tokens', () => {
  it('mints API keys with a stable prefix and hash', async () => {
    const { key, prefix, hash } = await newApiKey();
    expect(key).toMatch(/^lp_live_[1-9A-HJ-NP-Za-km-z]{44}$/);
    expect(prefix).toBe(key.slice(0, 12));
    expect(prefix.startsWith('lp_live_')).toBe(true);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(await sha256Hex(key));
    expect(await hashApiKey(key)).toBe(hash);
    expect(await hashApiKey(key)).toBe(hash);
    expect((await newApiKey()).key).not.toBe(key);
  });

  it('recognises API keys by shape only', async () => {
    const { key } = await newApiKey();
    expect(looksLikeApiKey(key)).toBe(true);
    for (const bad of [key.slice(0, -1), key + '1', key.replace('lp_live_', 'lp_test_'), key.slice(0, -1) + '0', key.slice(0, -1) + 'l', '', 'Bearer ' + key]) {
      expect(looksLikeApiKey(bad), bad).toBe(false);
    }
    const { token } = await newRefreshToken();
    expect(looksLikeApiKey(token)).toBe(false);
  });

  it('mints refresh tokens and hashes them with SHA-256', async () => {
    const { token, hash } = await newRefreshToken();
    expect(token).toMatch(/^lprt_[A-Za-z0-9_-]{43}$/);
    expect(looksLikeRefreshToken(token)).toBe(true);
    expect(looksLikeRefreshToken(token.slice(0, -1))).toBe(false);
    expect(hash).toBe(await sha256Hex(token));
    expect(await hashToken(token)).toBe(hash);
    expect((await newRefreshToken()).token).not.toBe(token);
  });
});
