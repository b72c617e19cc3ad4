import type { Config } from '../config';
import { parseSigningKeys, type SigningKey } from '../lib/crypto/jwt';
import { parseEncryptionKey, type EncryptionKey } from '../lib/crypto/secrets';
import { Misconfigured } from '../lib/errors';

export const TOKEN_AUDIENCE = 'leadpulse-api';

let signing: { source: string; keys: SigningKey[] } | undefined;
let encryption: { source: string; key: Promise<EncryptionKey> } | undefined;

/** Parsed once per isolate; a malformed value fails closed naming the variable. */
export function signingKeys(config: Config): SigningKey[] {
  if (signing?.source !== config.JWT_SIGNING_KEYS) {
    try {
      signing = { source: config.JWT_SIGNING_KEYS, keys: parseSigningKeys(config.JWT_SIGNING_KEYS) };
    } catch {
      throw new Misconfigured(['JWT_SIGNING_KEYS']);
    }
  }
  return signing.keys;
}

export function tokenAudience(config: Config) {
  return { issuer: new URL(config.APP_URL).origin, audience: TOKEN_AUDIENCE };
}

export function encryptionKey(config: Config): Promise<EncryptionKey> {
  if (encryption?.source !== config.DATA_ENCRYPTION_KEY) {
    const key = parseEncryptionKey(config.DATA_ENCRYPTION_KEY).catch(() => {
      throw new Misconfigured(['DATA_ENCRYPTION_KEY']);
    });
    encryption = { source: config.DATA_ENCRYPTION_KEY, key };
  }
  return encryption.key;
}
