import type { TenantProfile } from '../../conversations/store';
import type { LeadRow } from '../leads/view';

const MAX = 320;

/**
 * The step-1 re-engagement text: value first (what we can do for them now), no pressure, an
 * easy way back in, and the brand, the automated-assistant disclosure and the STOP line, because
 * after days of silence it is a proactive message that must stand on its own. Deterministic:
 * the same lead and tenant give the same words, which is what a redelivered step must send.
 */
export function reEngagementText(lead: Pick<LeadRow, 'name' | 'city' | 'motivationCategory'>, tenant: Pick<TenantProfile, 'name' | 'settings'>): string {
  const first = /^[A-Za-z\u00c0-\u024f'-]{1,20}/.exec((lead.name ?? '').trim())?.[0];
  const hi = first ? `Hi ${first.charAt(0).toUpperCase()}${first.slice(1).toLowerCase()}` : 'Hi there';
  const brand = tenant.name.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 60);
  const assistant = tenant.settings.botPersona.name.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 30);
  const where = lead.city ? ` around ${lead.city.trim().slice(0, 40)}` : ' in your area';
  const text =
    `${hi}, it's ${assistant}, ${brand}'s automated assistant. No pressure at all: if it helps, I can send you what homes${where} have actually sold for lately, ` +
    `so you know where you stand whenever the time is right. Just reply YES. Reply STOP to opt out.`;
  return text.length <= MAX ? text : `${hi}, it's ${brand}'s automated assistant. Want a free update on recent sale prices near you? Reply YES. Reply STOP to opt out.`;
}
