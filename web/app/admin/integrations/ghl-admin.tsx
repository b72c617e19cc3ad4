'use client';

import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, Field, Input, Loading, Notice, PageHeader, ResourceView } from '../../../components/ui';
import type { GhlConnection } from '../../../lib/api/types';
import { ago, dateTime, phone } from '../../../lib/format';
import { session } from '../../../lib/session';
import { useAction } from '../../../lib/use-action';
import { useResource } from '../../../lib/use-resource';
import { AdminNav } from '../admin-nav';

export function GhlAdmin() {
  const ghl = useResource(async () => (await session().api.get('/integrations/ghl')).ghl, []);
  const [editing, setEditing] = useState(false);
  return (
    <div data-screen-ready={ghl.status !== 'loading' ? 'true' : undefined}>
      <PageHeader title="GoHighLevel" subtitle="Where leads come from and where the assistant's texts go out." />
      <AdminNav />
      <ResourceView resource={ghl} loading={<Loading rows={1} rowClass="h-48" />}>
        {(c) => (
          <div className="grid gap-4 lg:grid-cols-2">
            <Card id="ghl-status" title="Connection" action={c ? <Badge tone={healthy(c) ? 'emerald' : 'amber'}>{healthy(c) ? 'Working' : 'Needs attention'}</Badge> : <Badge tone="slate">Not connected</Badge>}>
              {c ? (
                <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
                  <dt className="text-slate-600">Location</dt>
                  <dd className="font-mono">{c.locationId}</dd>
                  <dt className="text-slate-600">Sends from</dt>
                  <dd>{c.fromNumber ? phone(c.fromNumber) : 'GHL default number'}</dd>
                  <dt className="text-slate-600">Connected</dt>
                  <dd>{dateTime(c.connectedAt)}</dd>
                  <dt className="text-slate-600">Last webhook</dt>
                  <dd>{c.lastWebhookAt ? `${ago(c.lastWebhookAt)} (${dateTime(c.lastWebhookAt)})` : 'none received yet'}</dd>
                  <dt className="text-slate-600">Last text sent</dt>
                  <dd>{c.lastSendAt ? `${ago(c.lastSendAt)} (${dateTime(c.lastSendAt)})` : 'none yet'}</dd>
                  <dt className="text-slate-600">Last error</dt>
                  <dd className={c.lastError ? 'text-red-700' : ''}>{c.lastError ? `${c.lastError} · ${ago(c.lastErrorAt)}` : 'none'}</dd>
                </dl>
              ) : (
                <p className="text-sm text-slate-700">No GoHighLevel location is connected, so no leads arrive and no texts go out. Connect one with its location id and a private-integration token.</p>
              )}
              <Button className="mt-4" onClick={() => setEditing(true)}>
                {c ? 'Change connection' : 'Connect'}
              </Button>
            </Card>
            {editing && (
              <Connect
                current={c}
                onDone={(next) => {
                  ghl.setData(() => next);
                  setEditing(false);
                }}
                onCancel={() => setEditing(false)}
              />
            )}
          </div>
        )}
      </ResourceView>
    </div>
  );
}

type Connection = GhlConnection;

/** Working when nothing failed since the last successful send. */
function healthy(c: Connection): boolean {
  return !c.lastErrorAt || (!!c.lastSendAt && c.lastSendAt > c.lastErrorAt);
}

function Connect({ current, onDone, onCancel }: { current: Connection | null; onDone: (c: Connection) => void; onCancel: () => void }) {
  const [locationId, setLocationId] = useState(current?.locationId ?? '');
  const [apiToken, setApiToken] = useState('');
  const [fromNumber, setFromNumber] = useState(current?.fromNumber ?? '');
  const { busy, error, fields, run } = useAction(async () => {
    const { ghl } = await session().api.put('/integrations/ghl', { body: { locationId: locationId.trim(), apiToken: apiToken.trim(), ...(fromNumber.trim() ? { fromNumber: fromNumber.trim() } : {}) } });
    onDone(ghl);
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    void run();
  }
  return (
    <Card id="ghl-connect" title="Connect a location">
      <form onSubmit={submit} noValidate className="space-y-4">
        <Field label="Location id" htmlFor="g-location" error={fields.locationId}>
          <Input id="g-location" value={locationId} onChange={(e) => setLocationId(e.target.value)} invalid={!!fields.locationId} />
        </Field>
        <Field label="Private integration token" htmlFor="g-token" hint="Stored encrypted and never shown again" error={fields.apiToken}>
          <Input id="g-token" type="password" autoComplete="off" value={apiToken} onChange={(e) => setApiToken(e.target.value)} invalid={!!fields.apiToken} />
        </Field>
        <Field label="Send from (optional)" htmlFor="g-from" hint="A number of that location, e.g. +1 512 555 0100" error={fields.fromNumber}>
          <Input id="g-from" type="tel" value={fromNumber} onChange={(e) => setFromNumber(e.target.value)} invalid={!!fields.fromNumber} />
        </Field>
        {error && <Notice tone="error">{error}</Notice>}
        <div className="flex justify-end gap-2">
          <Button onClick={onCancel}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy} disabled={!locationId.trim() || apiToken.trim().length < 8}>
            Connect
          </Button>
        </div>
      </form>
    </Card>
  );
}
