import { base58Encode } from './crypto/bytes';

/**
 * Prefixed, time-ordered ids (`lead_…`, `req_…`): 48 bits of milliseconds then 80 random bits,
 * base58-encoded, so ids sort by creation time and say what they name.
 */

export const ID_PREFIXES = {
  request: 'req',
  jobRun: 'job',
  tenant: 'tnt',
  user: 'usr',
  apiKey: 'key',
  refreshToken: 'rtk',
  tokenFamily: 'fam',
  audit: 'aud',
  lead: 'lead',
  message: 'msg',
  notification: 'ntf',
  webhookDelivery: 'whd',
  consent: 'cns',
  event: 'evt',
  alert: 'alrt',
  modelVersion: 'mdl',
  training: 'trn',
  outboundDelivery: 'owh',
  ticket: 'tkt',
  churnAssessment: 'chr',
  churnEpisode: 'che',
  churnIntervention: 'chi',
  coachingReport: 'cch',
  experiment: 'exp',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

export function newId(kind: IdKind, now = Date.now()): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes.subarray(6));
  let t = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = t & 0xff;
    t = Math.floor(t / 256);
  }
  // Fixed width keeps lexical order equal to numeric (time) order.
  return `${ID_PREFIXES[kind]}_${base58Encode(bytes)}`;
}
