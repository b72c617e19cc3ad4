import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pool } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { migrateDatabase } from '../../scripts/db-migrate';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';
import { localNeonPool } from './neon-node';
import { createScratchDatabase } from './scratch';
import { startNeonWsBridge, type NeonWsBridge } from './ws-bridge';

/**
 * The embedded Postgres and the bridge must look like Neon to Neon's own driver: the Worker
 * uses `@neondatabase/serverless` over WebSocket, so that is what these tests drive.
 */
describe('embedded Postgres behind the Neon WebSocket bridge', () => {
  let pg: EmbeddedPostgres;
  let bridge: NeonWsBridge;
  let pool: Pool;

  beforeAll(async () => {
    pg = await startEmbeddedPostgres();
    bridge = await startNeonWsBridge({ allowedTargets: [`${pg.host}:${pg.port}`] });
    pool = localNeonPool(pg.url, bridge.wsProxy, 8);
  });
  afterAll(async () => {
    await pool?.end();
    await bridge?.close();
    await pg?.close();
  });

  it('runs parameterised queries with Postgres types intact', async () => {
    const { rows } = await pool.query(
      `select $1::int + 1 as n, $2::text as t, $3::jsonb as j, now() as at, $4::numeric(12,2) as money, version() as v`,
      [41, 'café 🏡', JSON.stringify({ a: [1, 2] }), '1234.50'],
    );
    expect(rows[0]).toMatchObject({ n: 42, t: 'café 🏡', j: { a: [1, 2] }, money: '1234.50' });
    expect(rows[0].at).toBeInstanceOf(Date);
    expect(rows[0].v).toContain('PGlite');
  });

  it('surfaces Postgres error fields (code, constraint) as the driver expects', async () => {
    await pool.query('create table uniq (id int primary key)');
    await pool.query('insert into uniq values (1)');
    await expect(pool.query('insert into uniq values (1)')).rejects.toMatchObject({ code: '23505', constraint: 'uniq_pkey' });
  });

  it('keeps concurrent interactive transactions isolated (commit vs rollback)', async () => {
    await pool.query('create table tx (id int primary key)');
    await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const client = await pool.connect();
        try {
          await client.query('begin');
          await client.query('insert into tx values ($1)', [i]);
          await new Promise((r) => setTimeout(r, (i * 7) % 13));
          await client.query(i % 2 ? 'rollback' : 'commit');
        } finally {
          client.release();
        }
      }),
    );
    const { rows } = await pool.query('select array_agg(id order by id) as ids from tx');
    expect(rows[0].ids).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
  });

  it('never mixes up results of parallel queries on different connections', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => pool.query('select $1::int as i', [i])));
    expect(results.map((r) => r.rows[0].i)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('keeps each connection’s extended queries whole while others run theirs (one PGlite backend serves them all)', async () => {
    // A big parameter arrives in many TCP chunks; if another connection's Parse lands between a
    // Parse and its (still arriving) Bind, Postgres answers "bind message supplies 1 parameters,
    // but prepared statement "" requires 3".
    const big = 'x'.repeat(2_000_000);
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 2 ? pool.query('select length($1::text) as n', [big]) : pool.query('select $1::int + $2::int + $3::int as n', [i, 1, 2]),
      ),
    );
    expect(results.map((r) => Number(r.rows[0].n))).toEqual(Array.from({ length: 24 }, (_, i) => (i % 2 ? big.length : i + 3)));
  });

  it('carries on after a failed statement on another connection', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => (i % 2 ? pool.query('select 1/0') : pool.query('select $1::int as i', [i]))));
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(10);
    expect(outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.rows[0].i] : []))).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect((await pool.query('select 42 as v')).rows[0].v).toBe(42);
  });

  it('frees the server connection when a client pool ends (per-request pools must not pile up)', async () => {
    const before = await pg.connections();
    for (let i = 0; i < 20; i++) {
      const p = localNeonPool(pg.url, bridge.wsProxy, 1);
      await p.query('select 1');
      await p.end();
    }
    const deadline = Date.now() + 5_000;
    while ((await pg.connections()) > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await pg.connections()).toBe(before);
  });

  it('refuses to relay to a target it was not configured for', async () => {
    const ws = new WebSocket(`ws://${bridge.wsProxy}?address=127.0.0.1:22`);
    const code = await new Promise<number>((resolve) => ws.on('close', (c) => resolve(c)));
    expect(code).toBe(1008);
  });

  it('applies the drizzle migrations, and applying them again is a no-op', async () => {
    await migrateDatabase(pg.url, bridge.wsProxy);
    await migrateDatabase(pg.url, bridge.wsProxy);
    const { rows } = await pool.query(`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(rows[0].n).toBeGreaterThan(0);
    const { rows: tables } = await pool.query(`select to_regclass('public.job_runs') as t`);
    expect(tables[0].t).toBe('job_runs');
  });
});

describe('embedded Postgres persistence', () => {
  it('keeps data in its folder across a stop and start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-pglite-'));
    try {
      const first = await startEmbeddedPostgres({ dataDir: dir });
      const bridge1 = await startNeonWsBridge({ allowedTargets: [`${first.host}:${first.port}`] });
      const p1 = localNeonPool(first.url, bridge1.wsProxy, 1);
      await p1.query(`create table kept (v text); insert into kept values ('still here')`);
      await p1.end();
      await bridge1.close();
      await first.close();

      const second = await startEmbeddedPostgres({ dataDir: dir });
      const bridge2 = await startNeonWsBridge({ allowedTargets: [`${second.host}:${second.port}`] });
      const p2 = localNeonPool(second.url, bridge2.wsProxy, 1);
      const { rows } = await p2.query('select v from kept');
      expect(rows).toEqual([{ v: 'still here' }]);
      await p2.end();
      await bridge2.close();
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!process.env.DATABASE_URL)('real PostgreSQL behind the bridge (DATABASE_URL)', () => {
  it('speaks to the server through the Neon driver', async () => {
    const u = new URL(process.env.DATABASE_URL!);
    const bridge = await startNeonWsBridge({ allowedTargets: [`${u.hostname}:${u.port || 5432}`] });
    const pool = localNeonPool(process.env.DATABASE_URL!, bridge.wsProxy, 2);
    try {
      const { rows } = await pool.query('select version() as v, $1::int as n', [7]);
      expect(rows[0].n).toBe(7);
      expect(rows[0].v).toMatch(/^PostgreSQL/);
      expect(rows[0].v).not.toContain('PGlite');
    } finally {
      await pool.end();
      await bridge.close();
    }
  });

  it('gives each run its own scratch database, drops it after, and clears ones left by runs that died a day ago', async () => {
    const u = new URL(process.env.DATABASE_URL!);
    const bridge = await startNeonWsBridge({ allowedTargets: [`${u.hostname}:${u.port || 5432}`] });
    const pool = localNeonPool(process.env.DATABASE_URL!, bridge.wsProxy, 1);
    const dayAgo = Date.now() - 25 * 3_600_000;
    const stale = `leadpulse_bench_${dayAgo}_4242`;
    const recent = `leadpulse_bench_${Date.now() - 60_000}_4243`;
    const names = async () => (await pool.query(`select datname from pg_database where datname like 'leadpulse\\_%'`)).rows.map((r: { datname: string }) => r.datname);
    try {
      await pool.query(`create database ${stale}`);
      await pool.query(`create database ${recent}`);
      const scratch = await createScratchDatabase(process.env.DATABASE_URL!, 'probe');
      const own = new URL(scratch.url).pathname.slice(1);
      expect(await names()).toEqual(expect.arrayContaining([own, recent]));
      expect(await names()).not.toContain(stale);
      await scratch.drop();
      expect(await names()).not.toContain(own);
      // A run still going (a minute old) keeps its database.
      expect(await names()).toContain(recent);
    } finally {
      for (const name of [stale, recent]) await pool.query(`drop database if exists ${name} with (force)`);
      await pool.end();
      await bridge.close();
    }
  });
});


describe("Neon's HTTP endpoint on the bridge (neon() / drizzle neon-http)", () => {
  it('answers single queries and transactional batches with the types intact, and Postgres errors as the driver expects', async () => {
    const { neon, neonConfig } = await import('@neondatabase/serverless');
    const pg = await startEmbeddedPostgres();
    const bridge = await startNeonWsBridge({ allowedTargets: [`${pg.host}:${pg.port}`] });
    try {
      neonConfig.fetchEndpoint = () => bridge.httpEndpoint;
      const sql = neon(pg.url);
      const [row] = (await sql.query('select $1::int as n, $2::text as t, now() as at, $3::jsonb as j, null::text as nothing', [41, 'hi', '{"a":1}'])) as any[];
      expect(row).toMatchObject({ n: 41, t: 'hi', j: { a: 1 }, nothing: null });
      expect(row.at).toBeInstanceOf(Date);
      await sql.query('create table http_t (id int primary key)');
      await expect(sql.transaction([sql.query('insert into http_t values (1)'), sql.query('insert into http_t values (1)')])).rejects.toMatchObject({ code: '23505' });
      expect(await sql.query('select count(*)::int as c from http_t')).toEqual([{ c: 0 }]);
      const results = await sql.transaction([sql.query('insert into http_t values (2)'), sql.query('select id from http_t')]);
      expect(results[1]).toEqual([{ id: 2 }]);
    } finally {
      await bridge.close();
      await pg.close();
    }
  });
});
