import { describe, expect, it } from 'vitest';
import { asDependencyFailure, asUnstorableText, DependencyUnavailable } from './errors';

describe('asDependencyFailure', () => {
  it('recognises Postgres refusing or losing connections', () => {
    for (const code of ['53300', '08006', '08001', '57P01', '57P03']) expect(asDependencyFailure(Object.assign(new Error('x'), { code }))).toBeInstanceOf(DependencyUnavailable);
    expect(asDependencyFailure(new Error('Connection terminated unexpectedly'))?.message).toBe('The database is unavailable; retry shortly');
    expect(asDependencyFailure(new Error('sorry, too many clients already'))).toBeInstanceOf(DependencyUnavailable);
  });

  it('looks through a wrapping error (drizzle wraps the driver error in `cause`)', () => {
    const wrapped = new Error('Failed query: select 1', { cause: Object.assign(new Error('too many'), { code: '53300' }) });
    expect(asDependencyFailure(wrapped)).toBeInstanceOf(DependencyUnavailable);
  });

  it('names Redis when the failure is Redis’s', () => {
    expect(asDependencyFailure(Object.assign(new Error('fetch failed'), { name: 'UpstashError' }))?.message).toMatch(/^Redis/);
  });

  it('leaves real bugs and query errors alone', () => {
    expect(asDependencyFailure(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeNull();
    expect(asDependencyFailure(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeNull();
    expect(asDependencyFailure(Object.assign(new Error('syntax error'), { code: '42601' }))).toBeNull();
    expect(asDependencyFailure(null)).toBeNull();
  });
});

describe('asUnstorableText', () => {
  it('turns Postgres refusing a NUL character (text 22021, jsonb 22P05), however wrapped, into a 422', () => {
    for (const code of ['22021', '22P05']) {
      const wrapped = new Error('Failed query: insert …', { cause: Object.assign(new Error('invalid byte sequence'), { code }) });
      expect(asUnstorableText(wrapped)).toMatchObject({ code: 'validation_failed', status: 422 });
    }
    expect(asUnstorableText(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeNull();
    expect(asUnstorableText(new Error('plain'))).toBeNull();
  });
});
