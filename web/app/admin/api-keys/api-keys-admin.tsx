'use client';

import { useState, type FormEvent } from 'react';
import { Badge, Button, Dialog, EmptyState, Field, Input, Loading, Notice, PageHeader, ResourceView } from '../../../components/ui';
import type { Body } from '../../../lib/api/client';
import type { ApiKey } from '../../../lib/api/types';
import { ago, dateTime } from '../../../lib/format';
import { session } from '../../../lib/session';
import { useAction } from '../../../lib/use-action';
import { useResource } from '../../../lib/use-resource';
import { useSession } from '../../../lib/use-session';
import { AdminNav } from '../admin-nav';

type Scope = Body<'/api-keys', 'post'>['scopes'][number];
const SCOPES: Array<{ value: Scope; label: string }> = [
  { value: 'admin', label: 'Everything except minting keys' },
  { value: 'read', label: 'Read leads, alerts, team, analytics' },
  { value: 'events:write', label: 'Send behaviour events' },
  { value: 'leads:read', label: 'Read leads' },
  { value: 'leads:write', label: 'Read and write leads' },
  { value: 'alerts:read', label: 'Read alerts' },
  { value: 'alerts:write', label: 'Read and act on alerts' },
];

export function ApiKeysAdmin() {
  const { can } = useSession();
  const keys = useResource(async () => (await session().api.get('/api-keys')).apiKeys, []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const writable = can('POST /api-keys');

  return (
    <div data-screen-ready={keys.status !== 'loading' ? 'true' : undefined}>
      <PageHeader
        title="API keys"
        subtitle="For integrations: each key has scopes, is stored only as a hash, and can be revoked at once."
        actions={
          writable && (
            <Button variant="primary" onClick={() => setCreating(true)}>
              New key
            </Button>
          )
        }
      />
      <AdminNav />
      <ResourceView
        resource={keys}
        loading={<Loading rows={3} rowClass="h-16" />}
        isEmpty={(l) => l.length === 0}
        empty={<EmptyState title="No API keys">Create one for each system that talks to LeadPulse, with only the scopes it needs.</EmptyState>}
      >
        {(list) => (
          <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm">
            {list.map((k) => (
              <li key={k.id} className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center sm:gap-4">
                <div className="min-w-0 sm:flex-1">
                  <p className="flex flex-wrap items-center gap-2 font-semibold">
                    {k.name} {k.revokedAt ? <Badge tone="red">Revoked</Badge> : <Badge tone="emerald">Active</Badge>}
                  </p>
                  <p className="mt-0.5 font-mono text-xs text-slate-600">{k.prefix}…</p>
                  <div className="mt-1 flex flex-wrap gap-1">
                    {k.scopes.map((s) => (
                      <Badge key={s}>{s}</Badge>
                    ))}
                  </div>
                </div>
                <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-xs text-slate-600 sm:text-right">
                  <dt>Created</dt>
                  <dd>{dateTime(k.createdAt)}</dd>
                  <dt>Last used</dt>
                  <dd>{k.lastUsedAt ? ago(k.lastUsedAt) : 'never'}</dd>
                  {k.revokedAt && (
                    <>
                      <dt>Revoked</dt>
                      <dd>{dateTime(k.revokedAt)}</dd>
                    </>
                  )}
                </dl>
                {writable && !k.revokedAt && (
                  <Button size="sm" variant="danger" className="self-start sm:self-center" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                    Revoke
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </ResourceView>
      <Dialog open={creating} onClose={() => setCreating(false)} title="New API key">
        {creating && (
          <CreateKey
            onCreated={(k) => {
              keys.setData((l) => [k, ...(l ?? [])]);
              setCreating(false);
              setCreated(k);
            }}
            onCancel={() => setCreating(false)}
          />
        )}
      </Dialog>
      <Dialog open={created !== null} onClose={() => setCreated(null)} title="Copy the key now">
        {created && <ShowOnce k={created} onDone={() => setCreated(null)} />}
      </Dialog>
      <Dialog open={revoking !== null} onClose={() => setRevoking(null)} title={`Revoke “${revoking?.name ?? ''}”?`}>
        {revoking && (
          <Revoke
            k={revoking}
            onDone={(k) => {
              keys.setData((l) => l?.map((x) => (x.id === k.id ? k : x)));
              setRevoking(null);
            }}
            onCancel={() => setRevoking(null)}
          />
        )}
      </Dialog>
    </div>
  );
}

function CreateKey({ onCreated, onCancel }: { onCreated: (k: ApiKey & { key: string }) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const { busy, error, fields, run } = useAction(async () => onCreated(await session().api.post('/api-keys', { body: { name: name.trim(), scopes } })));
  function submit(e: FormEvent) {
    e.preventDefault();
    void run();
  }
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <Field label="Name" htmlFor="k-name" hint="Which system uses it, e.g. Website forms" error={fields.name}>
        <Input id="k-name" value={name} onChange={(e) => setName(e.target.value)} required />
      </Field>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Scopes</legend>
        <div className="mt-2 space-y-1">
          {SCOPES.map((s) => (
            <label key={s.value} className="flex min-h-9 items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="h-4 w-4 accent-indigo-600"
                checked={scopes.includes(s.value)}
                onChange={(e) => setScopes((cur) => (e.target.checked ? [...cur, s.value] : cur.filter((x) => x !== s.value)))}
              />
              <span>
                <span className="font-mono text-xs">{s.value}</span> <span className="text-slate-600">— {s.label}</span>
              </span>
            </label>
          ))}
        </div>
        {fields.scopes && <p className="mt-1 text-xs font-medium text-red-700">{fields.scopes}</p>}
      </fieldset>
      {error && <Notice tone="error">{error}</Notice>}
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={busy} disabled={!name.trim() || scopes.length === 0}>
          Create key
        </Button>
      </div>
    </form>
  );
}

function ShowOnce({ k, onDone }: { k: ApiKey & { key: string }; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-4">
      <Notice tone="warning">This is the only time the key is shown. Store it in the other system&apos;s secret settings now.</Notice>
      <div>
        <label htmlFor="new-key" className="text-sm font-medium">
          {k.name}
        </label>
        <Input id="new-key" readOnly value={k.key} className="mt-1 font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
      </div>
      <div className="flex justify-end gap-2">
        <Button
          onClick={async () => {
            await navigator.clipboard?.writeText(k.key).catch(() => undefined);
            setCopied(true);
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
        <Button variant="primary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}

function Revoke({ k, onDone, onCancel }: { k: ApiKey; onDone: (k: ApiKey) => void; onCancel: () => void }) {
  const { busy, error, run } = useAction(async () => onDone(await session().api.delete('/api-keys/{id}', { path: { id: k.id } })));
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">Requests with this key are refused from now on. This cannot be undone.</p>
      {error && <Notice tone="error">{error}</Notice>}
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button variant="danger" busy={busy} onClick={() => void run()}>
          Revoke
        </Button>
      </div>
    </div>
  );
}
