import { describe, expect, it } from 'vitest';
import { json } from '../../../testing/client';
import { api, memberWithRole, provisionTestTenant } from '../../../testing/factory';

describe('routing rules API', () => {
  it('saves ordered rules, previews a decision with its why-log, and refuses strangers in a pool', async () => {
    const t = await provisionTestTenant();
    const maria = await memberWithRole(t, 'agent');
    await api(`/v1/users/${maria.id}`, { method: 'PATCH', token: t.owner.token, ip: t.ip, body: { territories: ['78701'], skills: ['seller'] } });
    expect((await json(await api('/v1/routing/rules', { token: t.owner.token, ip: t.ip }))).rules).toEqual([]);

    const rules = [{ id: 'central', name: 'Central sellers', when: { kinds: ['sell'], zipPrefixes: ['787'] }, pool: { skills: ['seller'] }, strategy: 'least_loaded', slaMinutes: 5 }];
    const put = await api('/v1/routing/rules', { method: 'PUT', token: t.owner.token, ip: t.ip, body: { rules } });
    expect(put.status).toBe(200);
    expect((await json(put)).rules[0]).toMatchObject({ id: 'central', slaMinutes: 5, pool: { preferTerritory: true } });

    const preview = await json(await api('/v1/routing/preview', { token: t.owner.token, ip: t.ip, body: { kind: 'sell', postalCode: '78701' } }));
    expect(preview.decision).toMatchObject({ ruleId: 'central', agents: [{ id: maria.id }] });
    expect(preview.decision.why[0]).toContain('Central sellers');

    const stranger = await api('/v1/routing/rules', { method: 'PUT', token: t.owner.token, ip: t.ip, body: { rules: [{ ...rules[0], pool: { agentIds: ['usr_1111111111111111111111'] } }] } });
    expect(stranger.status).toBe(422);
    expect((await json(stranger)).error.details[0].path).toBe('rules[0].pool.agentIds[0]');
    const dupes = await api('/v1/routing/rules', { method: 'PUT', token: t.owner.token, ip: t.ip, body: { rules: [rules[0], rules[0]] } });
    expect(dupes.status).toBe(422);
  });
});
