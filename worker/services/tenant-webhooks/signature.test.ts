/**
 * LeadPulse-Signature: the format receivers implement against, pinned to a vector computed
 * independently (Node's createHmac), and the verifier's refusals.
 */
import { describe, expect, it } from 'vitest';
import { signLeadPulsePayload, verifyLeadPulseSignature } from './signature';

const SECRET = 'whsec_test_secret_123456';
const BODY = '{"id":"owh_1","data":{"x":"é"}}';
const T = 1_700_000_000;
// node -e "require('crypto').createHmac('sha256', SECRET).update(`${T}.${BODY}`).digest('hex')"
const V1 = '573d27153e5d5e37aa1c93be566d2f6a9566ac1828562fba51bae0214711fc56';

describe('LeadPulse-Signature', () => {
  it('is t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">', async () => {
    expect(await signLeadPulsePayload(SECRET, BODY, T)).toBe(`t=${T},v1=${V1}`);
  });

  it('verifies within the tolerance window, either side of now', async () => {
    const header = `t=${T},v1=${V1}`;
    expect(await verifyLeadPulseSignature(SECRET, header, BODY, 300, T)).toBe(true);
    expect(await verifyLeadPulseSignature(SECRET, header, BODY, 300, T + 300)).toBe(true);
    expect(await verifyLeadPulseSignature(SECRET, header, BODY, 300, T - 300)).toBe(true);
    expect(await verifyLeadPulseSignature(SECRET, header, BODY, 300, T + 301)).toBe(false);
    expect(await verifyLeadPulseSignature(SECRET, header, BODY, 300, T - 301)).toBe(false);
  });

  it('accepts upper-case hex, spaces after commas, and any matching v1 among several (secret rotation)', async () => {
    const other = await signLeadPulsePayload('whsec_the_previous_secret', BODY, T);
    expect(await verifyLeadPulseSignature(SECRET, `t=${T}, v1=${V1.toUpperCase()}`, BODY, 300, T)).toBe(true);
    expect(await verifyLeadPulseSignature(SECRET, `${other},v1=${V1}`, BODY, 300, T)).toBe(true);
  });

  it.each([
    ['a changed body', `t=${T},v1=${V1}`, BODY.replace('é', 'e')],
    ['a changed timestamp', `t=${T + 1},v1=${V1}`, BODY],
    ['no timestamp', `v1=${V1}`, BODY],
    ['no v1', `t=${T}`, BODY],
    ['a short MAC', `t=${T},v1=${V1.slice(0, 62)}`, BODY],
    ['a non-hex MAC', `t=${T},v1=${'z'.repeat(64)}`, BODY],
    ['a non-numeric timestamp', `t=17e8,v1=${V1}`, BODY],
    ['an empty header', '', BODY],
    ['garbage', 'Bearer abc', BODY],
  ])('refuses %s', async (_label, header, body) => {
    expect(await verifyLeadPulseSignature(SECRET, header, body, 300, T)).toBe(false);
  });

  it('refuses the right MAC under another secret, and an empty secret', async () => {
    expect(await verifyLeadPulseSignature('whsec_another_secret_000', `t=${T},v1=${V1}`, BODY, 300, T)).toBe(false);
    expect(await verifyLeadPulseSignature('', `t=${T},v1=${V1}`, BODY, 300, T)).toBe(false);
    expect(await verifyLeadPulseSignature(SECRET, undefined, BODY, 300, T)).toBe(false);
  });
});
