'use client';

/**
 * Admin → Outbound webhook: where LeadPulse POSTs signed events (alerts and the rest), the last
 * attempt and the recent deliveries, a test event, and how a receiver verifies the signature.
 * The secret is write-only: the API never returns it, so the form only ever sets or keeps it.
 */
import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, Dialog, Field, Input, Loading, Notice, PageHeader, ResourceView, Toggle } from '../../../components/ui';
import { ApiError } from '../../../lib/api/client';
import type { Schemas } from '../../../lib/api/openapi.gen';
import { ago, dateTime } from '../../../lib/format';
import { session } from '../../../lib/session';
import { useAction } from '../../../lib/use-action';
import { useResource } from '../../../lib/use-resource';
import { AdminNav } from '../admin-nav';

type Endpoint = Schemas['WebhookEndpoint'];
const DELIVERY_TONE = { pending: 'sky', delivered: 'emerald', failed: 'red' } as const;

const VERIFY_SNIPPET = `import { createHmac, timingSafeEqual } from 'node:crypto';
// header = the LeadPulse-Signature request header: t=<unix>,v1=<hex>
export function verifyLeadPulseSignature(secret, header, rawBody, toleranceSeconds = 300) {
  const parts = Object.groupBy((header ?? '').split(','), (p) => p.split('=')[0].trim());
  const t = parts.t?.[0]?.split('=')[1];
  if (!/^\\d+$/.test(t ?? '') || Math.abs(Date.now() / 1000 - Number(t)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(\`\${t}.\${rawBody}\`).digest();
  return (parts.v1 ?? []).some((p) => {
    const got = Buffer.from(p.split('=')[1] ?? '', 'hex');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}`;

export function WebhookAdmin() {
  // No endpoint yet is a 404: that is the empty state, not an error.
  const endpoint = useResource(async () => {
    try {
      return await session().api.get('/integrations/webhook');
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }, []);
  const [editing, setEditing] = useState(false);
  return (
    <div data-screen-ready={endpoint.status !== 'loading' ? 'true' : undefined}>
      <PageHeader title="Outbound webhook" subtitle="LeadPulse POSTs each alert and event to your system, signed, and retries until it answers 2xx." />
      <AdminNav />
      <ResourceView resource={endpoint} loading={<Loading rows={2} rowClass="h-40" />}>
        {(e) => (
          <div className="grid gap-4 lg:grid-cols-2">
            <div className="space-y-4">
              {e && !editing ? <Status endpoint={e} onEdit={() => setEditing(true)} onChanged={(next) => endpoint.setData(() => next)} onReload={() => void endpoint.reload()} /> : null}
              {!e || editing ? (
                <Configure
                  current={e}
                  onDone={(next) => {
                    endpoint.setData(() => next);
                    setEditing(false);
                  }}
                  onCancel={e ? () => setEditing(false) : undefined}
                />
              ) : null}
              {e && <Deliveries endpoint={e} onReload={() => void endpoint.reload()} busy={endpoint.status === 'loading'} />}
            </div>
            <Card title="Verifying LeadPulse-Signature">
              <p className="text-sm text-slate-700">
                Each delivery carries <code className="font-mono">LeadPulse-Event</code>, <code className="font-mono">LeadPulse-Delivery</code> (dedupe on it: delivery is at least once) and{' '}
                <code className="font-mono">LeadPulse-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;</code>, the HMAC-SHA256 of <code className="font-mono">&quot;&lt;t&gt;.&lt;raw body&gt;&quot;</code> with your secret. Check it on the raw body, before parsing. In Node:
              </p>
              <pre className="mt-3 overflow-x-auto rounded-lg bg-slate-900 p-3 text-xs leading-relaxed text-slate-100">
                <code>{VERIFY_SNIPPET}</code>
              </pre>
              <p className="mt-2 text-xs text-slate-600">Answer 2xx within 10 s. Timeouts, 408, 429 and 5xx are retried (≈ 12 s, 2.5 min, 30 min, 6 h, 24 h); other 4xx are final.</p>
            </Card>
          </div>
        )}
      </ResourceView>
    </div>
  );
}

function Status({ endpoint: e, onEdit, onChanged, onReload }: { endpoint: Endpoint; onEdit: () => void; onChanged: (e: Endpoint | null) => void; onReload: () => void }) {
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [sent, setSent] = useState<string | null>(null);
  const test = useAction(async () => {
    const { deliveryId } = await session().api.post('/integrations/webhook/test');
    setSent(deliveryId);
    // The delivery is queued; show it in the list once it exists.
    setTimeout(onReload, 1_500);
  });
  const remove = useAction(async () => {
    await session().api.delete('/integrations/webhook');
    setConfirmRemove(false);
    onChanged(null);
  });
  const ok = e.lastStatusCode !== null && e.lastStatusCode >= 200 && e.lastStatusCode < 300;
  return (
    <Card
      id="webhook-status"
      title="Endpoint"
      action={!e.enabled ? <Badge tone="slate">Paused</Badge> : !e.lastDeliveryAt ? <Badge tone="sky">No deliveries yet</Badge> : <Badge tone={ok ? 'emerald' : 'red'}>{ok ? 'Delivering' : 'Failing'}</Badge>}
    >
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        <dt className="text-slate-600">URL</dt>
        <dd className="break-all font-mono" data-testid="webhook-url">{e.url}</dd>
        <dt className="text-slate-600">Secret</dt>
        <dd>set (never shown)</dd>
        <dt className="text-slate-600">Last attempt</dt>
        <dd>{e.lastDeliveryAt ? `${ago(e.lastDeliveryAt)} · ${e.lastStatusCode ?? 'no answer'}` : 'none yet'}</dd>
        <dt className="text-slate-600">Last error</dt>
        <dd className={e.lastError ? 'text-red-700' : ''}>{e.lastError ?? 'none'}</dd>
      </dl>
      {sent && <div className="mt-3"><Notice tone="success">Test event queued (delivery {sent}).</Notice></div>}
      {(test.error || remove.error) && <div className="mt-3"><Notice tone="error">{test.error ?? remove.error}</Notice></div>}
      <div className="mt-4 flex flex-wrap gap-2">
        <Button variant="primary" busy={test.busy} onClick={() => void test.run()} disabled={!e.enabled}>
          Send test event
        </Button>
        <Button onClick={onEdit}>Change</Button>
        <Button variant="dangerGhost" onClick={() => setConfirmRemove(true)}>
          Remove
        </Button>
      </div>
      <Dialog open={confirmRemove} onClose={() => setConfirmRemove(false)} title="Remove the outbound webhook?">
        <p className="text-sm text-slate-700">LeadPulse stops sending events to {e.url}. Deliveries still queued end as failed.</p>
        <div className="mt-4 flex justify-end gap-2">
          <Button onClick={() => setConfirmRemove(false)}>Cancel</Button>
          <Button variant="danger" busy={remove.busy} onClick={() => void remove.run()}>
            Remove
          </Button>
        </div>
      </Dialog>
    </Card>
  );
}

function Configure({ current, onDone, onCancel }: { current: Endpoint | null; onDone: (e: Endpoint) => void; onCancel?: () => void }) {
  const [url, setUrl] = useState(current?.url ?? '');
  const [secret, setSecret] = useState('');
  const [enabled, setEnabled] = useState(current?.enabled ?? true);
  const { busy, error, fields, run } = useAction(async () => {
    onDone(await session().api.put('/integrations/webhook', { body: { url: url.trim(), enabled, ...(secret ? { secret } : {}) } }));
  });
  function submit(ev: FormEvent) {
    ev.preventDefault();
    void run();
  }
  return (
    <Card id="webhook-configure" title={current ? 'Change the endpoint' : 'Set up an endpoint'}>
      {!current && <p className="mb-3 text-sm text-slate-700">No outbound webhook is set: alerts reach people through the app and GoHighLevel only.</p>}
      <form onSubmit={submit} noValidate className="space-y-4">
        <Field label="URL" htmlFor="w-url" hint="https:// (http:// only for localhost)" error={fields.url}>
          <Input id="w-url" type="url" inputMode="url" value={url} onChange={(ev) => setUrl(ev.target.value)} invalid={!!fields.url} placeholder="https://example.com/hooks/leadpulse" />
        </Field>
        <Field label={current ? 'New secret (optional)' : 'Secret'} htmlFor="w-secret" hint={current ? 'Leave empty to keep the current one; it is never shown' : 'Your receiver checks each signature with it; stored encrypted, never shown again'} error={fields.secret}>
          <Input id="w-secret" type="password" autoComplete="new-password" value={secret} onChange={(ev) => setSecret(ev.target.value)} invalid={!!fields.secret} />
        </Field>
        <Toggle id="w-enabled" checked={enabled} onChange={setEnabled} label="Enabled" description="Paused endpoints receive nothing" />
        {error && <Notice tone="error">{error}</Notice>}
        <div className="flex justify-end gap-2">
          {onCancel && <Button onClick={onCancel}>Cancel</Button>}
          <Button type="submit" variant="primary" busy={busy} disabled={!url.trim() || (!current && !secret)}>
            Save
          </Button>
        </div>
      </form>
    </Card>
  );
}

function Deliveries({ endpoint: e, onReload, busy }: { endpoint: Endpoint; onReload: () => void; busy: boolean }) {
  return (
    <Card title="Recent deliveries" action={<Button size="sm" variant="ghost" onClick={onReload} busy={busy}>Refresh</Button>}>
      {e.recentDeliveries.length === 0 ? (
        <p className="text-sm text-slate-600">None yet. Send a test event to try the endpoint.</p>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="deliveries">
          {e.recentDeliveries.map((d) => (
            <li key={d.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
              <Badge tone={DELIVERY_TONE[d.status]}>{d.status}</Badge>
              <span className="font-mono text-xs">{d.type}</span>
              <span className="text-slate-600">
                {d.attempts} {d.attempts === 1 ? 'attempt' : 'attempts'}
                {d.lastStatusCode !== null ? ` · ${d.lastStatusCode}` : ''}
              </span>
              <span className="ml-auto text-xs text-slate-500" title={dateTime(d.createdAt)}>
                {ago(d.createdAt)}
              </span>
              {d.lastError && <p className="w-full text-xs text-red-700">{d.lastError}</p>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
