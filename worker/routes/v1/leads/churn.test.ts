/** GET /v1/leads/:id/churn: the newest risk with drivers, and who may read it. */
import { describe, expect, it } from 'vitest';
import { churnAssessments, leads } from '../../../db/schema';
import { newId } from '../../../lib/ids';
import { json, withDb } from '../../../testing/client';
import { api, memberWithRole, provisionTestTenant, type TestTenant } from '../../../testing/factory';

async function insertLead(t: TestTenant, over: Partial<typeof leads.$inferInsert> = {}) {
  const id = newId('lead');
  await withDb((db) => db.insert(leads).values({ id, tenantId: t.id, source: 'api', name: 'Fixture Lead', ...over }));
  return id;
}

describe('GET /v1/leads/:id/churn', () => {
  it("agents see their own and unassigned leads' churn, not a colleague's or another tenant's", async () => {
    const t = await provisionTestTenant();
    const [a1, a2] = [await memberWithRole(t, 'agent'), await memberWithRole(t, 'agent')];
    const mine = await insertLead(t, { assignedAgentId: a1.id });
    const theirs = await insertLead(t, { assignedAgentId: a2.id });
    await withDb((db) =>
      db.insert(churnAssessments).values({ id: newId('churnAssessment'), tenantId: t.id, leadId: mine, risk: 0.42, modelVersion: 'churn-prior-v1', drivers: [{ driver: 'reply_recency', contribution: 0.7, evidence: 'no reply for 10 days' }] }),
    );
    const view = await json(await api(`/v1/leads/${mine}/churn`, { token: a1.token, ip: t.ip }));
    expect(view).toMatchObject({ leadId: mine, risk: 0.42, modelVersion: 'churn-prior-v1', model: { source: 'prior', id: 'churn-prior-v1', version: null, trainedOn: null }, episode: null });
    expect(view.drivers).toEqual([{ driver: 'reply_recency', contribution: 0.7, evidence: 'no reply for 10 days' }]);
    expect(view.history).toHaveLength(1);
    expect((await api(`/v1/leads/${theirs}/churn`, { token: a1.token, ip: t.ip })).status).toBe(404);
    const never = await json(await api(`/v1/leads/${theirs}/churn`, { token: t.owner.token, ip: t.ip }));
    expect(never).toMatchObject({ risk: null, drivers: [], model: null, history: [], episode: null });
    const other = await provisionTestTenant();
    expect((await api(`/v1/leads/${mine}/churn`, { token: other.owner.token, ip: other.ip })).status).toBe(404);
  });
});
