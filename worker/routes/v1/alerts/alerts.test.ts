import { describe, expect, it } from 'vitest';
import { json } from '../../../testing/client';
import { api, memberWithRole } from '../../../testing/factory';
import { contactId, eventually, ghlEvent, ghlTenant, leadByContact, postGhl } from '../../../testing/ghl';

async function qualify(t: Awaited<ReturnType<typeof ghlTenant>>, c: string) {
  for (const body of ["We're relocating for a new job, have to move next month", 'within 30 days', "It's move-in ready", 'around $450k']) {
    await postGhl(ghlEvent('InboundMessage', t.locationId, { contactId: c, body }));
    await new Promise((r) => setTimeout(r, 400));
  }
  return eventually(async () => {
    const l = await leadByContact(t, c);
    return l?.stage === 'qualified' ? l : null;
  }, 'qualified lead');
}

describe('alerts', () => {
  it('a hot seller raises one routed alert with reasons; the agent acknowledges and claims it, outsiders cannot', async () => {
    const t = await ghlTenant();
    const agent = await memberWithRole(t, 'agent');
    const other = await memberWithRole(t, 'agent');
    await api(`/v1/users/${other.id}`, { method: 'PATCH', token: t.owner.token, ip: t.ip, body: { paused: true } });
    const lead = await qualify(t, contactId('alert'));
    expect(lead.temperature).toBe('hot');

    const mine = await json(await api('/v1/alerts', { token: agent.token, ip: t.ip }));
    expect(mine.alerts).toHaveLength(1);
    const alert = mine.alerts[0];
    expect(alert).toMatchObject({ kind: 'hot_lead', leadId: lead.id, status: 'new', assignedAgentIds: [agent.id] });
    expect(alert.reasons.length).toBeGreaterThan(0);

    const why = await json(await api(`/v1/alerts/${alert.id}/routing`, { token: agent.token, ip: t.ip }));
    expect(why.why.join(' | ')).toMatch(/paused/);
    // The paused colleague does not see someone else's alert.
    expect((await json(await api('/v1/alerts', { token: other.token, ip: t.ip }))).alerts).toEqual([]);
    expect((await api(`/v1/alerts/${alert.id}/ack`, { method: 'POST', token: other.token, ip: t.ip })).status).toBe(404);

    const acked = await json(await api(`/v1/alerts/${alert.id}/ack`, { method: 'POST', token: agent.token, ip: t.ip }));
    expect(acked.alert).toMatchObject({ status: 'acknowledged' });
    expect(acked.alert.acknowledgedAt).toBeTruthy();
    const claimed = await json(await api(`/v1/alerts/${alert.id}/claim`, { method: 'POST', token: agent.token, ip: t.ip }));
    expect(claimed.alert).toMatchObject({ status: 'claimed', claimedBy: agent.id });
    expect((await api(`/v1/alerts/${alert.id}/claim`, { method: 'POST', token: t.owner.token, ip: t.ip })).status).toBe(409);
    const done = await json(await api(`/v1/alerts/${alert.id}/outcome`, { token: agent.token, ip: t.ip, body: { converted: true } }));
    expect(done.alert).toMatchObject({ status: 'converted', converted: true });
    expect((await api(`/v1/alerts/${alert.id}/dismiss`, { method: 'POST', token: agent.token, ip: t.ip })).status).toBe(409);
  });
});
