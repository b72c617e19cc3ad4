/**
 * GET /v1/leads/:id/live: the lead's conversation as it happens, over a WebSocket whose
 * credentials ride in the subprotocol. Not in the OpenAPI document, so its access checks are here.
 */
import { describe, expect, it } from 'vitest';
import { call, json } from '../../../testing/client';
import { api, provisionTestTenant, randomIp } from '../../../testing/factory';
import { contactId, createTestLead, ghlEvent, ghlTenant, postGhl } from '../../../testing/ghl';

const open = (leadId: string, token?: string, upgrade = true) =>
  call(`/v1/leads/${leadId}/live`, {
    headers: {
      'cf-connecting-ip': randomIp(),
      ...(upgrade ? { upgrade: 'websocket' } : {}),
      ...(token ? { 'sec-websocket-protocol': `leadpulse.v1, ${token}` } : {}),
    },
  });

describe('GET /v1/leads/:id/live', () => {
  it('refuses without credentials, hides other tenants’ leads, and asks for an upgrade', async () => {
    const t = await ghlTenant();
    const other = await provisionTestTenant();
    const lead = await createTestLead(t, { id: contactId('live-auth') });
    expect((await open(lead.id)).status).toBe(401);
    expect((await open(lead.id, 'garbage')).status).toBe(401);
    expect((await open(lead.id, other.owner.token)).status).toBe(404);
    const plain = await open(lead.id, t.owner.token, false);
    expect(plain.status).toBe(426);
    expect((await json(plain)).error.code).toBe('upgrade_required');
  });

  it('pushes the lead’s new messages and state to a watching agent', async () => {
    const t = await ghlTenant();
    const c = contactId('live');
    const lead = await createTestLead(t, { id: c });
    const res = await open(lead.id, t.owner.token);
    expect(res.status).toBe(101);
    expect(res.headers.get('sec-websocket-protocol')).toBe('leadpulse.v1');
    const ws = res.webSocket!;
    ws.accept();
    const events: Array<{ type: string; data: any }> = [];
    ws.addEventListener('message', (e) => events.push(JSON.parse(e.data as string)));

    await postGhl(ghlEvent('InboundMessage', t.locationId, { contactId: c, body: 'we need to sell, divorce is final next month' }));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !events.some((e) => e.type === 'message.created' && e.data.kind === 'reply')) await new Promise((r) => setTimeout(r, 25));
    // The lead update follows the reply within the same turn.
    while (Date.now() < deadline && !events.some((e) => e.type === 'lead.updated' && e.data.qualification.motivation)) await new Promise((r) => setTimeout(r, 25));
    ws.close(1000, 'done');

    expect(events[0]!.type).toBe('hello');
    // The lead's own text first, then the bot's answer to it.
    const inbound = events.findIndex((e) => e.type === 'message.created' && e.data.sender === 'lead');
    expect(events[inbound]?.data).toMatchObject({ leadId: lead.id, direction: 'inbound', body: 'we need to sell, divorce is final next month' });
    expect(inbound).toBeLessThan(events.findIndex((e) => e.type === 'message.created' && e.data.kind === 'reply'));
    const botMessage = events.find((e) => e.type === 'message.created' && e.data.kind === 'reply');
    expect(botMessage?.data).toMatchObject({ leadId: lead.id, sender: 'bot', status: 'sent' });
    const update = events.findLast((e) => e.type === 'lead.updated');
    expect(update?.data.qualification.motivation?.category).toBe('divorce');
    // Not leaked to the API's other reads: the same lead via REST agrees.
    const rest = await json(await api(`/v1/leads/${lead.id}`, { token: t.owner.token, ip: t.ip }));
    expect(rest.lead.qualification.motivation?.category).toBe('divorce');
  });
});
