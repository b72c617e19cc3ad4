/**
 * Feature flags through the API: create/change (audited), evaluate for support, the kill switch
 * and rollout applying at once, first assignments recorded once (Postgres) and remembered (Redis).
 */
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, flagAssignments } from '../../../db/schema';
import { bucketOf } from '../../../intelligence/experiments/bucketing';
import { openSystemContext } from '../../../services/clients';
import { isFlagOn } from '../../../services/flags/flags';
import { env, json, withDb } from '../../../testing/client';
import { api, memberWithRole, provisionTestTenant, type TestTenant } from '../../../testing/factory';

let t: TestTenant;
beforeAll(async () => {
  t = await provisionTestTenant();
});

const put = (tenant: TestTenant, key: string, body: unknown, token = tenant.owner.token) => api(`/v1/flags/${key}`, { method: 'PUT', token, ip: tenant.ip, body });
const evaluate = (tenant: TestTenant, key: string, unit: string) => api(`/v1/flags/${key}/evaluate?unit=${encodeURIComponent(unit)}`, { token: tenant.owner.token, ip: tenant.ip });

describe('feature flags', () => {
  it('creates (201) then changes (200) a flag, lists it and audits both changes', async () => {
    const created = await put(t, 'new_inbox', { enabled: true, rolloutPct: 12.5, description: 'The new inbox' });
    expect(created.status).toBe(201);
    expect((await json(created)).flag).toMatchObject({ key: 'new_inbox', enabled: true, rolloutPct: 12.5, description: 'The new inbox' });
    const changed = await put(t, 'new_inbox', { enabled: true, rolloutPct: 50 });
    expect(changed.status).toBe(200);
    // Description omitted → kept.
    expect((await json(changed)).flag).toMatchObject({ rolloutPct: 50, description: 'The new inbox' });
    const list = await json(await api('/v1/flags', { token: t.owner.token, ip: t.ip }));
    expect(list.flags.map((f: { key: string }) => f.key)).toContain('new_inbox');
    const audits = await withDb((db) => db.select().from(auditLog).where(and(eq(auditLog.tenantId, t.id), eq(auditLog.targetId, 'new_inbox'))));
    expect(audits.map((a) => a.action).sort()).toEqual(['flag.created', 'flag.updated']);
    const update = audits.find((a) => a.action === 'flag.updated')!;
    expect(update.details).toEqual({ before: { enabled: true, rolloutPct: 12.5 }, after: { enabled: true, rolloutPct: 50 } });
    expect(update.actorId).toBe(t.owner.id);
  });

  it('answers by bucket, applies a rollout change and the kill switch at once, and keeps the first assignment as history', async () => {
    await put(t, 'fast_path', { enabled: true, rolloutPct: 100 });
    const unit = 'lead_first';
    const bucket = await bucketOf('fast_path', unit);
    const { ctx, close } = openSystemContext(env, t.id);
    try {
      expect(await isFlagOn(ctx, 'fast_path', unit)).toBe(true);
      let ev = await json(await evaluate(t, 'fast_path', unit));
      expect(ev).toMatchObject({ flag: 'fast_path', unit, bucket, on: true, reason: 'in_rollout', firstAssignment: { on: true, bucket } });

      // Kill switch: off for this unit at once, whatever the rollout or the recorded history.
      await put(t, 'fast_path', { enabled: false, rolloutPct: 100 });
      expect(await isFlagOn(ctx, 'fast_path', unit)).toBe(false);
      ev = await json(await evaluate(t, 'fast_path', unit));
      expect(ev).toMatchObject({ on: false, reason: 'kill_switch', firstAssignment: { on: true } });

      // A rollout just below this unit's bucket: out; just above: in.
      await put(t, 'fast_path', { enabled: true, rolloutPct: bucket / 100 });
      expect(await isFlagOn(ctx, 'fast_path', unit)).toBe(false);
      expect((await json(await evaluate(t, 'fast_path', unit))).reason).toBe('outside_rollout');
      await put(t, 'fast_path', { enabled: true, rolloutPct: (bucket + 1) / 100 });
      expect(await isFlagOn(ctx, 'fast_path', unit)).toBe(true);

      // One recorded assignment however often it is evaluated, and Redis remembers it.
      const rows = await withDb((db) => db.select().from(flagAssignments).where(and(eq(flagAssignments.tenantId, t.id), eq(flagAssignments.flagKey, 'fast_path'))));
      expect(rows).toEqual([expect.objectContaining({ unit, bucket, on: true })]);
      expect(await ctx.redis.get(`lp:ff:${t.id}:fast_path:${unit}`)).not.toBeNull();

      // An unknown flag is off for product code and 404 for support.
      expect(await isFlagOn(ctx, 'never_configured', unit)).toBe(false);
      expect((await evaluate(t, 'never_configured', unit)).status).toBe(404);
    } finally {
      await close();
    }
  });

  it('kill switch turns everyone off', async () => {
    await put(t, 'everyone', { enabled: false, rolloutPct: 100 });
    const { ctx, close } = openSystemContext(env, t.id);
    try {
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => isFlagOn(ctx, 'everyone', `lead_${i}`)));
      expect(answers.every((on) => on === false)).toBe(true);
    } finally {
      await close();
    }
  });

  it('rejects invalid input with 422 and field paths', async () => {
    for (const [key, body, path] of [
      ['ok_key', { enabled: true, rolloutPct: 101 }, 'rolloutPct'],
      ['ok_key', { enabled: true, rolloutPct: -1 }, 'rolloutPct'],
      ['ok_key', { enabled: true, rolloutPct: 33.333 }, 'rolloutPct'],
      ['ok_key', { rolloutPct: 10 }, 'enabled'],
      ['Bad Key!', { enabled: true, rolloutPct: 10 }, 'key'],
    ] as const) {
      const res = await put(t, encodeURIComponent(key), body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(JSON.stringify((await json(res)).error.details)).toContain(path);
    }
    expect((await api('/v1/flags/ok_key/evaluate', { token: t.owner.token, ip: t.ip })).status).toBe(422);
  });

  it("keeps tenants apart: another tenant neither sees nor evaluates nor changes this tenant's flag", async () => {
    const other = await provisionTestTenant();
    await put(t, 'private_flag', { enabled: true, rolloutPct: 100 });
    expect((await json(await api('/v1/flags', { token: other.owner.token, ip: other.ip }))).flags).toEqual([]);
    expect((await evaluate(other, 'private_flag', 'lead_x')).status).toBe(404);
    // Their PUT creates their own flag of that name; ours is untouched.
    expect((await put(other, 'private_flag', { enabled: false, rolloutPct: 0 })).status).toBe(201);
    expect((await json(await evaluate(t, 'private_flag', 'lead_x'))).on).toBe(true);
  });

  it('lets agents read but not change flags', async () => {
    const agent = await memberWithRole(t, 'agent');
    expect((await api('/v1/flags', { token: agent.token, ip: t.ip })).status).toBe(200);
    expect((await put(t, 'agent_try', { enabled: true, rolloutPct: 10 }, agent.token)).status).toBe(403);
  });
});
