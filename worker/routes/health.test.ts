import { describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { call, env, json } from '../testing/client';

describe('GET /health', () => {
  it('answers alive with a request id', async () => {
    const res = await call('/health');
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(/^req_[1-9A-HJ-NP-Za-km-z]{22}$/);
  });

  it('echoes a well-formed caller request id and replaces a malformed one', async () => {
    expect((await call('/health', { headers: { 'x-request-id': 'trace-1234567' } })).headers.get('x-request-id')).toBe('trace-1234567');
    expect((await call('/health', { headers: { 'x-request-id': 'bad id\n' } })).headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('stays alive when configuration is missing (no I/O, no config)', async () => {
    const res = await createApp().request('/health', {}, {});
    expect(res.status).toBe(200);
  });
});

describe('GET /health/ready', () => {
  it('reports every dependency ok with latency and the embedded/local mode', async () => {
    const res = await call('/health/ready');
    const body = await json(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe('ok');
    for (const name of ['postgres', 'redis', 'qstash']) {
      expect(body.checks[name]).toMatchObject({ status: 'ok', mode: env[`${name.toUpperCase()}_MODE` as 'POSTGRES_MODE'] });
      expect(body.checks[name].latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 503 degraded, naming the dependency, when one is unreachable', async () => {
    const broken = { ...env, UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:9' };
    const res = await createApp().request('/health/ready', {}, broken);
    const body = await json(res);
    expect(res.status).toBe(503);
    expect(body.status).toBe('degraded');
    expect(body.checks.redis.status).toBe('down');
    expect(body.checks.postgres.status).toBe('ok');
    expect(JSON.stringify(body)).not.toContain(env.UPSTASH_REDIS_REST_TOKEN);
  });

  it('fails closed with 503 naming (not echoing) a missing or invalid variable', async () => {
    const { QSTASH_TOKEN: _omitted, ...partial } = env;
    const res = await createApp().request('/health/ready', {}, { ...partial, DATABASE_URL: 'mysql://nope' });
    const body = await json(res);
    expect(res.status).toBe(503);
    expect(body.error.code).toBe('misconfigured');
    expect(body.error.details.variables).toEqual(expect.arrayContaining(['QSTASH_TOKEN', 'DATABASE_URL']));
    expect(JSON.stringify(body)).not.toContain('mysql://nope');
    expect(res.headers.get('retry-after')).toBe('30');
  });
});

describe('error envelope', () => {
  it('unknown API routes get the one JSON error shape', async () => {
    const res = await call('/v1/nothing-here');
    expect(res.status).toBe(404);
    const body = await json(res);
    expect(body).toEqual({ error: { code: 'not_found', message: expect.any(String), requestId: res.headers.get('x-request-id') } });
  });
});

describe('GET /docs', () => {
  it('serves the interactive reference bound to the OpenAPI document', async () => {
    const res = await call('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain("url: '/v1/openapi.json'");
    expect(html).toContain('/docs-assets/swagger-ui-bundle.js');
  });
});
