import { randomBytes } from 'node:crypto';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A GHL-shaped id: 20 alphanumerics, like `t22c6DQcTDf3MjRhwf77`. */
export function ghlId(): string {
  let out = '';
  for (const b of randomBytes(20)) out += ID_ALPHABET[b % ID_ALPHABET.length];
  return out;
}
