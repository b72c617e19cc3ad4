'use client';

import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import { contactLinkShape, ContactLinks } from '../../components/contact-links';
import { BellIcon, MuteIcon, SoundIcon } from '../../components/icons';
import { Badge, Button, cx, EmptyState, ErrorState, InlineError, Loading, PageHeader, Segmented, Skeleton, TEMPERATURE_TONE } from '../../components/ui';
import { describeError } from '../../lib/api/client';
import type { Alert, Lead, User } from '../../lib/api/types';
import { ago, ALERT_KIND_LABEL, leadName, money, percent, place, STAGE_LABEL, timeline, humanize } from '../../lib/format';
import { useInbox, type AlertAction } from '../../lib/inbox-store';
import { notificationsSupported, requestNotificationPermission } from '../../lib/notify';
import { useSession } from '../../lib/use-session';
import { useTeam } from '../../lib/use-team';
import { Coaching } from './coaching';

type Tab = 'alerts' | 'hot';
const BOT_STATE: Record<Lead['botState'], string> = { active: 'Bot talking', human: 'Agent has it', paused: 'Bot paused', done: 'Bot finished' };
const SETTLED = new Set(['converted', 'dismissed', 'expired']);

/** Re-render every 30 s so "3 min ago" and SLA countdowns stay true. */
function useNow(every = 30_000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), every);
    return () => clearInterval(t);
  }, [every]);
  return now;
}

export function Inbox() {
  const inbox = useInbox();
  const { me } = useSession();
  const [tab, setTab] = useState<Tab>('alerts');
  const [showSettled, setShowSettled] = useState(false);
  const now = useNow();
  const team = useTeam();
  const marked = useRef(false);

  // First load, measured: the list is on screen and its buttons are live (this effect runs after
  // React committed and hydrated it). The browser tests read this mark.
  useEffect(() => {
    if (inbox.status === 'ready' && !marked.current) {
      marked.current = true;
      performance.mark('leadpulse:inbox-ready');
    }
  }, [inbox.status]);

  const open = inbox.alerts.filter((a) => !SETTLED.has(a.status));
  const shown = showSettled ? inbox.alerts : open;

  return (
    <div data-screen-ready={inbox.status === 'ready' || inbox.status === 'error' ? 'true' : undefined}>
      <PageHeader
        title="Inbox"
        subtitle={inbox.status === 'ready' ? `${inbox.unread} new · ${open.length} open alerts · ${inbox.hotLeads.length} hot leads` : 'Your alerts and hot leads, live'}
        actions={<AlertPreferences />}
      />
      <div className="mb-3 lg:hidden">
        <Segmented<Tab>
          label="Inbox lists"
          value={tab}
          onChange={setTab}
          options={[
            { value: 'alerts', label: <TabLabel text="Alerts" n={inbox.status === 'ready' ? open.length : null} /> },
            { value: 'hot', label: <TabLabel text="Hot leads" n={inbox.status === 'ready' ? inbox.hotLeads.length : null} /> },
          ]}
        />
      </div>
      {inbox.error && inbox.status === 'ready' && (
        <p role="status" className="mb-3 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          Could not refresh just now ({inbox.error}); showing what was last loaded.
        </p>
      )}
      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="alerts-heading" className={cx(tab !== 'alerts' && 'hidden lg:block')}>
          <div className="mb-2 flex items-center justify-between gap-2">
            <h2 id="alerts-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-600">
              Alerts
            </h2>
            <label className="inline-flex min-h-9 items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" className="h-4 w-4 rounded border-slate-300 accent-indigo-600" checked={showSettled} onChange={(e) => setShowSettled(e.target.checked)} />
              Show closed
            </label>
          </div>
          {inbox.status === 'error' ? (
            <ErrorState error={inbox.error ?? 'Unknown error'} onRetry={() => void inbox.reload()} />
          ) : inbox.status !== 'ready' ? (
            <Loading label="Loading alerts…" rows={2} rowClass="h-80" />
          ) : shown.length === 0 ? (
            <EmptyState title="No open alerts" icon="✓">
              New alerts for you appear here the moment they are raised{inbox.live === 'live' ? '' : ' (live updates are reconnecting)'}.
            </EmptyState>
          ) : (
            <ul className="space-y-3" data-testid="alert-list">
              {shown.map((a) => (
                <li key={a.id}>
                  <AlertCard alert={a} lead={inbox.leads[a.leadId]} fresh={inbox.fresh.has(a.id)} now={now} team={team} />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="hot-heading" className={cx(tab !== 'hot' && 'hidden lg:block')}>
          <h2 id="hot-heading" className="mb-2 flex min-h-9 items-center text-sm font-semibold uppercase tracking-wide text-slate-600">
            Hot leads
          </h2>
          {inbox.status === 'error' ? (
            <ErrorState error={inbox.error ?? 'Unknown error'} onRetry={() => void inbox.reload()} />
          ) : inbox.status !== 'ready' ? (
            <Loading label="Loading hot leads…" rows={2} rowClass="h-72" />
          ) : inbox.hotLeads.length === 0 ? (
            <EmptyState title="No hot leads right now" icon="🔥">
              A seller becomes hot when the assistant learns they are motivated and ready soon.
            </EmptyState>
          ) : (
            <ul className="space-y-3" data-testid="hot-list">
              {inbox.hotLeads.map((l) => (
                <li key={l.id}>
                  <HotLeadCard lead={l} now={now} team={team} />
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {me?.user?.role === 'agent' && inbox.status === 'ready' && (
        <div className="mt-6">
          <Coaching userId={me.user.id} />
        </div>
      )}
    </div>
  );
}

function TabLabel({ text, n }: { text: string; n: number | null }) {
  return (
    <>
      {text}
      <span className="inline-block min-w-6 rounded-full bg-slate-100 px-1.5 text-xs tabular-nums text-slate-700">{n ?? '·'}</span>
    </>
  );
}

function AlertPreferences() {
  const { preferences, setPreferences } = useInbox();
  const [denied, setDenied] = useState(false);
  return (
    <div className="flex items-center gap-2">
      <Button
        size="sm"
        variant={preferences.sound ? 'secondary' : 'ghost'}
        aria-pressed={preferences.sound}
        onClick={() => setPreferences({ sound: !preferences.sound })}
        title="Sound and vibration for new alerts"
      >
        {preferences.sound ? <SoundIcon className="h-4 w-4" /> : <MuteIcon className="h-4 w-4" />}
        <span>{preferences.sound ? 'Sound on' : 'Sound off'}</span>
      </Button>
      {notificationsSupported() && (
        <Button
          size="sm"
          variant={preferences.notifications ? 'secondary' : 'ghost'}
          aria-pressed={preferences.notifications}
          title={denied ? 'Notifications are blocked in this browser’s site settings' : 'Show a system notification when the inbox is in the background'}
          onClick={async () => {
            if (preferences.notifications) return setPreferences({ notifications: false });
            const ok = await requestNotificationPermission();
            setDenied(!ok);
            setPreferences({ notifications: ok });
          }}
        >
          <BellIcon className="h-4 w-4" />
          <span>{denied ? 'Blocked' : preferences.notifications ? 'Notify on' : 'Notify off'}</span>
        </Button>
      )}
    </div>
  );
}

function statusBadge(a: Alert, me: string | undefined, team: Record<string, User>) {
  switch (a.status) {
    case 'new':
    case 'delivered':
      return <Badge tone="indigo">New</Badge>;
    case 'acknowledged':
      return <Badge tone="slate">Seen</Badge>;
    case 'claimed':
      return <Badge tone="emerald">{a.claimedBy === me ? 'Claimed by you' : `Claimed by ${team[a.claimedBy ?? '']?.name ?? 'a colleague'}`}</Badge>;
    case 'converted':
      return <Badge tone="emerald">Converted</Badge>;
    case 'dismissed':
      return <Badge tone="slate">Dismissed</Badge>;
    case 'expired':
      return <Badge tone="slate">Expired</Badge>;
  }
}

function slaText(a: Alert, now: number): { text: string; late: boolean } | null {
  if (!a.slaMinutes || !['new', 'delivered'].includes(a.status)) return null;
  const due = new Date(a.createdAt).getTime() + a.slaMinutes * 60_000;
  const left = Math.round((due - now) / 60_000);
  return left >= 0 ? { text: `Acknowledge within ${left} min`, late: false } : { text: `Acknowledgement ${-left} min overdue`, late: true };
}

function AlertCard({ alert, lead, fresh, now, team }: { alert: Alert; lead: Lead | undefined; fresh: boolean; now: number; team: Record<string, User> }) {
  const { act } = useInbox();
  const { me, can } = useSession();
  const [busy, setBusy] = useState<AlertAction | null>(null);
  const [error, setError] = useState<string | null>(null);
  const settled = SETTLED.has(alert.status);
  const sla = slaText(alert, now);
  const kind = ALERT_KIND_LABEL[alert.kind] ?? humanize(alert.kind);

  async function run(action: AlertAction) {
    setBusy(action);
    setError(null);
    try {
      await act(alert.id, action);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(null);
    }
  }

  const canAct = can('POST /alerts/{id}/ack') && !settled;
  return (
    <article
      data-testid="alert-card"
      data-alert-id={alert.id}
      data-status={alert.status}
      aria-labelledby={`alert-${alert.id}-name`}
      className={cx(
        'rounded-xl border bg-white p-4 shadow-sm transition-shadow',
        fresh ? 'border-indigo-300 ring-2 ring-indigo-200' : 'border-slate-200',
        settled && 'opacity-70',
      )}
    >
      <div className="flex flex-wrap items-center gap-1.5">
        <Badge tone={alert.kind === 'hot_lead' ? 'red' : alert.kind === 'human_requested' ? 'orange' : alert.kind === 'churn_risk' ? 'amber' : 'indigo'}>
          {kind}
          {alert.probability !== null && ` · ${percent(alert.probability)}`}
        </Badge>
        {statusBadge(alert, me?.user?.id, team)}
        <time dateTime={alert.createdAt} className="ml-auto text-xs text-slate-600">
          {ago(alert.createdAt, now)}
        </time>
      </div>
      <h3 id={`alert-${alert.id}-name`} className="mt-2 text-base font-semibold text-slate-900">
        {lead ? (
          <Link href={`/lead?id=${alert.leadId}`} className="rounded hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
            {leadName(lead)}
          </Link>
        ) : (
          <Skeleton className="inline-block h-5 w-36 align-middle" />
        )}
      </h3>
      <p className="min-h-5 text-sm text-slate-600">{lead ? [place(lead.address), STAGE_LABEL[lead.stage]].filter(Boolean).join(' · ') : ''}</p>
      {alert.reasons.length > 0 && (
        <div className="mt-2">
          <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">Why this lead</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-800">
            {alert.reasons.slice(0, 4).map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      {sla && <p className={cx('mt-2 text-xs font-semibold', sla.late ? 'text-red-700' : 'text-slate-600')}>{sla.text}</p>}
      {canAct && (
        <div className="mt-3 grid grid-cols-3 gap-2">
          <Button size="md" variant={['new', 'delivered'].includes(alert.status) ? 'primary' : 'secondary'} busy={busy === 'ack'} disabled={!!busy || !['new', 'delivered'].includes(alert.status)} onClick={() => void run('ack')}>
            {['new', 'delivered'].includes(alert.status) ? 'Acknowledge' : 'Seen'}
          </Button>
          <Button size="md" variant="success" busy={busy === 'claim'} disabled={!!busy || alert.status === 'claimed'} onClick={() => void run('claim')}>
            {alert.status === 'claimed' ? 'Claimed' : 'Claim'}
          </Button>
          <Button size="md" variant="danger" busy={busy === 'dismiss'} disabled={!!busy} onClick={() => void run('dismiss')}>
            Dismiss
          </Button>
        </div>
      )}
      <InlineError error={error} />
      <ContactRow lead={lead} leadId={alert.leadId} />
    </article>
  );
}

function ContactRow({ lead, leadId }: { lead: Lead | undefined; leadId: string }) {
  return (
    <div className="mt-3 flex gap-2">
      <ContactLinks lead={lead} />
      <Link href={`/lead?id=${leadId}`} className={cx(contactLinkShape, 'border-indigo-200 text-indigo-700 hover:bg-indigo-50')}>
        Open
      </Link>
    </div>
  );
}

function HotLeadCard({ lead, now, team }: { lead: Lead; now: number; team: Record<string, User> }) {
  const q = lead.qualification;
  const agent = lead.assignedAgentId ? team[lead.assignedAgentId]?.name : null;
  return (
    <article data-testid="hot-lead-card" data-lead-id={lead.id} aria-labelledby={`hot-${lead.id}`} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-center gap-1.5">
        <Badge tone={TEMPERATURE_TONE[lead.temperature ?? ''] ?? 'slate'}>{humanize(lead.temperature)}</Badge>
        <Badge tone={lead.botState === 'human' ? 'emerald' : 'slate'}>{BOT_STATE[lead.botState]}</Badge>
        <time dateTime={lead.lastInboundAt ?? lead.updatedAt} className="ml-auto text-xs text-slate-600">
          {ago(lead.lastInboundAt ?? lead.updatedAt, now)}
        </time>
      </div>
      <h3 id={`hot-${lead.id}`} className="mt-2 text-base font-semibold">
        <Link href={`/lead?id=${lead.id}`} className="rounded hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
          {leadName(lead)}
        </Link>
      </h3>
      <p className="text-sm text-slate-600">{[place(lead.address), STAGE_LABEL[lead.stage], agent ? `with ${agent}` : 'unassigned'].filter(Boolean).join(' · ')}</p>
      <dl className="mt-2 grid grid-cols-3 gap-2 text-sm">
        <div>
          <dt className="text-xs text-slate-600">Motivation</dt>
          <dd className="font-medium">{humanize(q.motivation?.category)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Timeline</dt>
          <dd className="font-medium">{timeline(q.timelineDays)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Price</dt>
          <dd className="font-medium">{money(q.priceCents, { compact: true })}</dd>
        </div>
      </dl>
      {lead.temperatureReasons.length > 0 && (
        <div className="mt-2">
          <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">Why hot</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-800">
            {lead.temperatureReasons.slice(0, 3).map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      <ContactRow lead={lead} leadId={lead.id} />
    </article>
  );
}
