'use client';

import { useState, type FormEvent } from 'react';
import { Button, EmptyState, Field, Input, Loading, PageHeader, ResourceView } from '../../../components/ui';
import { describeError } from '../../../lib/api/client';
import type { AuditEntry } from '../../../lib/api/types';
import { dateTime } from '../../../lib/format';
import { session } from '../../../lib/session';
import { useResource } from '../../../lib/use-resource';
import { useTeam } from '../../../lib/use-team';
import { AdminNav } from '../admin-nav';

const PAGE = 50;

export function AuditAdmin() {
  const team = useTeam();
  const [filters, setFilters] = useState({ action: '', actor: '' });
  const [draft, setDraft] = useState(filters);
  const [older, setOlder] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState<{ busy: boolean; done: boolean; error: string | null }>({ busy: false, done: false, error: null });
  const first = useResource(
    async () => (await session().api.get('/audit-log', { query: { limit: PAGE, action: filters.action || undefined, actor: filters.actor || undefined } })).entries,
    [filters],
  );
  const entries = [...(first.data ?? []), ...older];

  function apply(e: FormEvent) {
    e.preventDefault();
    setOlder([]);
    setMore({ busy: false, done: false, error: null });
    setFilters({ action: draft.action.trim(), actor: draft.actor.trim() });
  }

  async function loadOlder() {
    const last = entries.at(-1);
    if (!last) return;
    setMore({ busy: true, done: false, error: null });
    try {
      const page = (await session().api.get('/audit-log', { query: { limit: PAGE, before: last.at, action: filters.action || undefined, actor: filters.actor || undefined } })).entries;
      setOlder((o) => [...o, ...page]);
      setMore({ busy: false, done: page.length < PAGE, error: null });
    } catch (err) {
      setMore({ busy: false, done: false, error: describeError(err) });
    }
  }

  const who = (e: AuditEntry) => (e.actorType === 'user' && e.actorId ? (team[e.actorId]?.name ?? e.actorId) : e.actorType === 'api_key' ? `API key ${e.actorId ?? ''}` : e.actorType);
  return (
    <div data-screen-ready={first.status !== 'loading' ? 'true' : undefined}>
      <PageHeader title="Audit log" subtitle="Sign-ins, team and role changes, keys, settings and token revocations — newest first." />
      <AdminNav />
      <form onSubmit={apply} className="mb-4 grid grid-cols-2 gap-3 sm:flex sm:items-end" aria-label="Filter the audit log">
        <Field label="Action" htmlFor="a-action" hint="e.g. auth.login">
          <Input id="a-action" value={draft.action} onChange={(e) => setDraft((d) => ({ ...d, action: e.target.value }))} />
        </Field>
        <Field label="Actor id" htmlFor="a-actor" hint="A user or key id">
          <Input id="a-actor" value={draft.actor} onChange={(e) => setDraft((d) => ({ ...d, actor: e.target.value }))} />
        </Field>
        <div className="col-span-2 sm:mb-5">
          <Button type="submit" className="w-full sm:w-auto">
            Filter
          </Button>
        </div>
      </form>
      <ResourceView
        resource={first}
        loading={<Loading rows={5} rowClass="h-12" />}
        isEmpty={(l) => l.length === 0}
        empty={<EmptyState title="Nothing recorded">{filters.action || filters.actor ? 'No entries match these filters.' : 'Privileged actions appear here as they happen.'}</EmptyState>}
      >
        {() => (
          <>
            <ol className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm" data-testid="audit-list">
              {entries.map((e) => (
                <li key={e.id} className="grid gap-1 px-4 py-3 text-sm sm:grid-cols-[10rem_12rem_minmax(0,1fr)] sm:gap-4">
                  <time dateTime={e.at} className="text-slate-600">
                    {dateTime(e.at)}
                  </time>
                  <span className="font-mono text-xs font-semibold text-slate-900 sm:text-sm">{e.action}</span>
                  <span className="min-w-0 break-words text-slate-700">
                    {who(e)}
                    {e.targetType && (
                      <>
                        {' → '}
                        {e.targetType} {e.targetType === 'user' && e.targetId ? (team[e.targetId]?.name ?? e.targetId) : e.targetId}
                      </>
                    )}
                    {e.ip && <span className="text-slate-500"> · {e.ip}</span>}
                    {e.details && Object.keys(e.details).length > 0 && <span className="block truncate font-mono text-xs text-slate-500">{JSON.stringify(e.details)}</span>}
                  </span>
                </li>
              ))}
            </ol>
            <div className="mt-3 flex items-center gap-3">
              {!more.done && (first.data?.length ?? 0) >= PAGE && (
                <Button busy={more.busy} onClick={() => void loadOlder()}>
                  Load older
                </Button>
              )}
              {more.error && <p className="text-sm text-red-700">{more.error}</p>}
            </div>
          </>
        )}
      </ResourceView>
    </div>
  );
}
