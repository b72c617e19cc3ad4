'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ContactLinks } from '../../components/contact-links';
import { BackIcon } from '../../components/icons';
import { Badge, Button, Card, cx, EmptyState, ErrorState, Explain, InlineError, Loading, Notice, Skeleton, TEMPERATURE_TONE, Textarea } from '../../components/ui';
import { describeError } from '../../lib/api/client';
import { MODEL_KINDS, type Alert, type Lead, type LeadChurn, type LeadScores, type Message, type User } from '../../lib/api/types';
import { ago, ALERT_KIND_LABEL, dateTime, duration, humanize, leadName, money, percent, phone, place, STAGE_LABEL, time, timeline } from '../../lib/format';
import { useInbox } from '../../lib/inbox-store';
import { session } from '../../lib/session';
import { useSession } from '../../lib/use-session';
import { useTeam } from '../../lib/use-team';
import { useLead } from './use-lead';

export function LeadView() {
  const id = useSearchParams().get('id');
  const data = useLead(id);
  const team = useTeam();
  const inbox = useInbox();
  const alerts = useMemo(() => inbox.alerts.filter((a) => a.leadId === id), [inbox.alerts, id]);

  // Keep the inbox's copy of this lead current too (its hot list and alert cards).
  const { upsertLead } = inbox;
  useEffect(() => {
    if (data.lead) upsertLead(data.lead);
  }, [data.lead, upsertLead]);

  useEffect(() => {
    if (data.lead) document.title = `${leadName(data.lead)} · LeadPulse`;
  }, [data.lead]);

  if (data.status === 'not-found') {
    return (
      <div data-screen-ready="true">
        <BackLink />
        <EmptyState title="Lead not found">This lead does not exist, was removed, or is not assigned to you.</EmptyState>
      </div>
    );
  }
  if (data.status === 'error' && !data.lead) {
    return (
      <div data-screen-ready="true">
        <BackLink />
        <ErrorState error={data.error ?? 'Unknown error'} onRetry={() => void data.reload()} />
      </div>
    );
  }
  if (!data.lead) {
    return (
      <div>
        <BackLink />
        <Skeleton className="mb-4 h-28 w-full rounded-xl" />
        <Loading rows={2} rowClass="h-48" label="Loading the lead…" />
      </div>
    );
  }
  const lead = data.lead;
  return (
    <div data-screen-ready="true" data-testid="lead-view" data-lead-id={lead.id}>
      <BackLink />
      <LeadHeader lead={lead} team={team} onLead={data.setLead} />
      {/* Phones: what the lead wants, then the conversation, then the rest. Desktop: the
          conversation on the left, the lead's details beside it. */}
      <div className="mt-4 flex flex-col gap-4 lg:grid lg:grid-cols-[minmax(0,1.25fr)_minmax(0,1fr)] lg:items-start">
        <div className="order-2 lg:order-none lg:col-start-1 lg:row-start-1">
          <Conversation lead={lead} messages={data.messages} team={team} live={data.live} onSent={data.addMessage} />
        </div>
        <div className="contents lg:col-start-2 lg:row-start-1 lg:block lg:space-y-4">
          <div className="order-1">
            <Qualification lead={lead} />
          </div>
          <div className="order-3">
            <Scores scores={data.scores} error={data.scoresError} />
          </div>
          <div className="order-4">
            <GoingCold churn={data.churn} />
          </div>
          <div className="order-4">
            <Consent lead={lead} consent={data.consent} />
          </div>
          <div className="order-5">
            <Activity lead={lead} alerts={alerts} messages={data.messages} consent={data.consent?.events ?? []} team={team} />
          </div>
        </div>
      </div>
    </div>
  );
}

function BackLink() {
  return (
    <Link href="/inbox" className="mb-3 inline-flex min-h-9 items-center gap-1 rounded text-sm font-semibold text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
      <BackIcon className="h-4 w-4" /> Inbox
    </Link>
  );
}

function LeadHeader({ lead, team, onLead }: { lead: Lead; team: Record<string, User>; onLead: (l: Lead) => void }) {
  const { can, me } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const human = lead.botState === 'human';
  const owner = lead.takenOverBy ? (lead.takenOverBy === me?.user?.id ? 'you' : (team[lead.takenOverBy]?.name ?? 'a colleague')) : null;

  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      const path = human ? '/leads/{id}/release' : '/leads/{id}/takeover';
      const { lead: updated } = await session().api.post(path, { path: { id: lead.id } });
      onLead(updated);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="lead-name" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-center gap-1.5">
        {lead.temperature && <Badge tone={TEMPERATURE_TONE[lead.temperature]}>{humanize(lead.temperature)}</Badge>}
        <Badge tone="slate">{STAGE_LABEL[lead.stage] ?? lead.stage}</Badge>
        <Badge tone={human ? 'emerald' : lead.botState === 'active' ? 'indigo' : 'slate'}>
          <span data-testid="bot-state" data-state={lead.botState}>
            {human ? `Taken over by ${owner ?? 'an agent'}` : lead.botState === 'active' ? 'Bot is talking' : lead.botState === 'done' ? 'Bot finished' : 'Bot paused'}
          </span>
        </Badge>
        {lead.optedOut && <Badge tone="red">Opted out</Badge>}
        {lead.dnd && <Badge tone="red">Do not disturb</Badge>}
      </div>
      <h1 id="lead-name" className="mt-2 text-xl font-bold tracking-tight sm:text-2xl">
        {leadName(lead)}
      </h1>
      <p className="text-sm text-slate-600">
        {[phone(lead.phone), place(lead.address), lead.assignedAgentId ? `Agent: ${team[lead.assignedAgentId]?.name ?? '…'}` : 'Unassigned'].filter((x) => x && x !== '—').join(' · ')}
      </p>
      <div className="mt-3 flex flex-wrap gap-2">
        <ContactLinks lead={lead} className="sm:flex-none" />
        {can('POST /leads/{id}/takeover') && (
          <Button variant={human ? 'secondary' : 'primary'} busy={busy} onClick={() => void toggle()} className="flex-1 sm:flex-none" data-testid="takeover-toggle">
            {human ? 'Hand back to bot' : 'Take over'}
          </Button>
        )}
      </div>
      {can('POST /leads/{id}/takeover') && (
        <p className="mt-2 text-xs text-slate-600">{human ? 'The bot stays silent until you hand the conversation back.' : 'Taking over silences the bot for this lead; your replies go out as you.'}</p>
      )}
      <InlineError error={error} />
    </section>
  );
}

// ── conversation ───────────────────────────────────────────────────────────────────────────

const STATUS_TEXT: Record<string, string> = { queued: 'Queued', sending: 'Sending…', sent: 'Sent', deferred: 'Waiting', suppressed: 'Not sent', failed: 'Failed', received: '' };

function Conversation({ lead, messages, team, live, onSent }: { lead: Lead; messages: Message[]; team: Record<string, User>; live: string; onSent: (m: Message) => void }) {
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);
  // Follow new messages only when the reader is already at the end (never yank them while reading).
  useLayoutEffect(() => {
    const el = list.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [messages.length]);
  return (
    <Card
      id="conversation"
      title="Conversation"
      action={
        <span className="inline-flex items-center gap-1.5 text-xs font-semibold text-slate-600" role="status" data-testid="lead-live" data-state={live}>
          <span aria-hidden className={cx('h-2 w-2 rounded-full', live === 'live' ? 'bg-emerald-500' : live === 'offline' ? 'bg-red-500' : 'bg-amber-500')} />
          {live === 'live' ? 'Live' : live === 'offline' ? 'Offline' : 'Connecting'}
        </span>
      }
    >
      {messages.length === 0 ? (
        <EmptyState title="No messages yet">The conversation appears here as soon as the lead or the bot writes.</EmptyState>
      ) : (
        <ol
          ref={list}
          // Focusable so the scrolled thread can be read with the keyboard.
          tabIndex={0}
          data-testid="conversation"
          aria-label="Messages, oldest first"
          onScroll={(e) => {
            const el = e.currentTarget;
            atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          }}
          className="-mx-1 space-y-2 overflow-y-auto rounded-lg px-1 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 lg:max-h-[32rem]"
        >
          {messages.map((m) => (
            <Bubble key={m.id} m={m} team={team} />
          ))}
        </ol>
      )}
      <ReplyBox lead={lead} onSent={onSent} />
    </Card>
  );
}

function Bubble({ m, team }: { m: Message; team: Record<string, User> }) {
  const inbound = m.direction === 'inbound';
  const who = m.sender === 'lead' ? 'Lead' : m.sender === 'bot' ? `Bot${m.generatedBy ? ` · ${m.generatedBy}` : ''}` : m.sender === 'agent' ? (team[m.senderUserId ?? '']?.name ?? 'Agent') : 'System';
  const problem = m.status === 'suppressed' || m.status === 'failed';
  return (
    <li data-testid="message" data-sender={m.sender} data-status={m.status} className={cx('flex', inbound ? 'justify-start' : 'justify-end')}>
      <div className={cx('max-w-[85%] rounded-2xl px-3 py-2 text-sm', inbound ? 'rounded-bl-sm bg-slate-100 text-slate-900' : m.sender === 'agent' ? 'rounded-br-sm bg-indigo-600 text-white' : 'rounded-br-sm bg-indigo-50 text-slate-900 ring-1 ring-indigo-100')}>
        <p className="whitespace-pre-wrap break-words">{m.body}</p>
        <p className={cx('mt-1 text-[11px]', m.sender === 'agent' ? 'text-indigo-100' : 'text-slate-600')}>
          {who} · <time dateTime={m.at}>{time(m.at)}</time>
          {STATUS_TEXT[m.status] ? ` · ${STATUS_TEXT[m.status]}` : ''}
          {m.status === 'deferred' && m.scheduledFor ? ` until ${time(m.scheduledFor)}` : ''}
        </p>
        {problem && m.error && <p className={cx('mt-1 text-[11px] font-semibold', m.sender === 'agent' ? 'text-white' : 'text-red-700')}>{/^[a-z_]+$/.test(m.error) ? humanize(m.error) : m.error}</p>}
      </div>
    </li>
  );
}

function ReplyBox({ lead, onSent }: { lead: Lead; onSent: (m: Message) => void }) {
  const { can } = useSession();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One key per draft: resending after a timeout never texts the lead twice.
  const key = useRef<string>('');
  if (!can('POST /leads/{id}/messages')) return null;
  if (lead.optedOut || lead.dnd) {
    return (
      <div className="mt-4">
        <Notice tone="warning">{lead.optedOut ? 'This lead opted out of texts. Nothing can be sent until they text START.' : 'Do-not-disturb is on for this contact in GoHighLevel; texts are blocked.'}</Notice>
      </div>
    );
  }
  async function send(e: FormEvent) {
    e.preventDefault();
    if (!body.trim()) return;
    key.current ||= crypto.randomUUID();
    setBusy(true);
    setError(null);
    try {
      const { message } = await session().api.post('/leads/{id}/messages', { path: { id: lead.id }, body: { body: body.trim(), idempotencyKey: key.current } });
      onSent(message);
      setBody('');
      key.current = '';
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={send} className="mt-4 border-t border-slate-100 pt-3">
      <label htmlFor="reply" className="text-sm font-medium text-slate-800">
        Reply as yourself
      </label>
      <Textarea
        id="reply"
        rows={2}
        maxLength={1600}
        value={body}
        onChange={(e) => {
          setBody(e.target.value);
          key.current = '';
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void send(e);
        }}
        placeholder="Type a text message…"
        className="mt-1"
        aria-describedby="reply-hint"
      />
      <div className="mt-2 flex items-center justify-between gap-2">
        <p id="reply-hint" className="text-xs text-slate-600">
          {lead.botState === 'human' ? 'The bot is silent while you have this lead.' : 'The bot keeps answering unless you take over.'} {body.length > 0 && `${body.length}/1600`}
        </p>
        <Button type="submit" variant="primary" busy={busy} disabled={!body.trim()}>
          Send
        </Button>
      </div>
      <InlineError error={error} />
    </form>
  );
}

// ── qualification, scores, consent, activity ──────────────────────────────────────────────

function Qualification({ lead }: { lead: Lead }) {
  const q = lead.qualification;
  const rows: Array<[string, string, string | null]> = [
    ['Motivation', q.motivation ? `${humanize(q.motivation.category)} (${q.motivation.strength})` : 'Not yet known', q.motivation?.evidence ? `“${q.motivation.evidence}”` : null],
    ['Timeline', q.timelineDays !== null ? timeline(q.timelineDays) : 'Not yet known', null],
    ['Condition', q.condition ? humanize(q.condition) : 'Not yet known', q.conditionNotes],
    ['Price in mind', q.priceCents !== null ? money(q.priceCents) : 'Not yet known', lead.estimateCents !== null ? `Estimate ${money(lead.estimateCents)}` : null],
  ];
  return (
    <Card id="qualification" title="Qualification">
      <dl className="grid grid-cols-2 gap-x-3 gap-y-3 text-sm">
        {rows.map(([label, value, note]) => (
          <div key={label} className="min-w-0">
            <dt className="text-xs font-semibold uppercase tracking-wide text-slate-600">{label}</dt>
            <dd className={cx('font-medium', value === 'Not yet known' && 'text-slate-500')}>{value}</dd>
            {note && <dd className="mt-0.5 break-words text-xs text-slate-600">{note}</dd>}
          </div>
        ))}
      </dl>
      <div className="mt-4 border-t border-slate-100 pt-3">
        <p className="flex items-center gap-2 text-sm font-semibold">
          Temperature: {lead.temperature ? <Badge tone={TEMPERATURE_TONE[lead.temperature]}>{humanize(lead.temperature)}</Badge> : <span className="text-slate-500">not classified yet</span>}
        </p>
        {lead.temperatureReasons.length > 0 && (
          <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-800">
            {lead.temperatureReasons.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        )}
        <p className="mt-2 flex items-center gap-1.5 text-xs text-slate-600">
          Speed to lead: <span className="font-semibold text-slate-800">{duration(lead.speedToLeadMs)}</span>
          <Explain>Time from the lead&apos;s first text to the first answer sent to them.</Explain>
        </p>
      </div>
    </Card>
  );
}

function Scores({ scores, error }: { scores: LeadScores | null | undefined; error: string | null }) {
  return (
    <Card
      id="scores"
      title={
        <span className="inline-flex items-center gap-2">
          Scores
          <Explain>Calibrated probabilities from the tenant&apos;s models; each reason shows how much a feature pushed the score up (+) or down (−).</Explain>
        </span>
      }
    >
      {error ? (
        <ErrorState title="Scores unavailable" error={error} />
      ) : scores === undefined ? (
        <Loading rows={1} rowClass="h-24" label="Loading scores…" />
      ) : scores === null ? (
        <EmptyState title="Not scored yet">Scores appear once the scoring job has run for this lead.</EmptyState>
      ) : (
        <div className="space-y-4">
          <div>
            <div className="flex items-baseline justify-between">
              <span className="text-sm font-semibold text-slate-700">Lead score</span>
              <span className="text-2xl font-bold tabular-nums">{scores.leadScore ?? '—'}</span>
            </div>
            <div className="mt-1 h-2 rounded-full bg-slate-100" aria-hidden>
              <div className="h-2 rounded-full bg-indigo-600" style={{ width: `${Math.max(0, Math.min(100, scores.leadScore ?? 0))}%` }} />
            </div>
          </div>
          {MODEL_KINDS.filter((k) => scores.models[k]).map((k) => {
            const m = scores.models[k]!;
            return (
              <div key={k}>
                <div className="flex items-baseline justify-between text-sm">
                  <span className="font-semibold">{ALERT_KIND_LABEL[k]}</span>
                  <span className="tabular-nums font-semibold">{percent(m.probability)}</span>
                </div>
                <ul className="mt-1 space-y-0.5 text-xs">
                  {[...m.reasons]
                    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
                    .slice(0, 4)
                    .map((r) => (
                      <li key={r.feature} className="flex justify-between gap-2">
                        <span className="truncate text-slate-700">{humanize(r.feature)}</span>
                        <span className={cx('tabular-nums font-semibold', r.contribution >= 0 ? 'text-emerald-700' : 'text-red-700')}>
                          {r.contribution >= 0 ? '+' : '−'}
                          {Math.abs(r.contribution).toFixed(2)}
                        </span>
                      </li>
                    ))}
                </ul>
              </div>
            );
          })}
          {scores.signals.length > 0 && (
            <div>
              <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">Signals</p>
              <ul className="mt-1 space-y-1 text-sm">
                {scores.signals.map((s, i) => (
                  <li key={i} className="flex items-center justify-between gap-2">
                    <span>
                      {humanize(s.type)} <span className="text-xs text-slate-600">({humanize(s.category)})</span>
                    </span>
                    <span className="text-xs tabular-nums text-slate-700">
                      strength {percent(s.strength)} · confidence {percent(s.confidence)}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </Card>
  );
}

const DRIVER: Record<string, string> = {
  reply_recency: 'Silence since the last reply',
  response_rate_decay: 'Replies less often',
  unanswered_outbound: 'Texts left unanswered',
  stage_stagnation: 'Stuck at one stage',
  sentiment_trend: 'Tone of the replies',
};

function GoingCold({ churn }: { churn: LeadChurn | null | undefined }) {
  const episode = churn?.episode;
  return (
    <Card
      id="churn"
      title={
        <span className="inline-flex items-center gap-2">
          Going cold?
          <Explain>The hourly check estimates the chance this lead stops answering, from how recently and how often they reply, unanswered texts, time stuck at one stage and the tone of their replies.</Explain>
        </span>
      }
    >
      {churn === undefined ? (
        <Loading rows={1} rowClass="h-16" label="Loading churn risk…" />
      ) : churn === null ? (
        <p className="text-sm text-slate-600">The churn risk could not be read just now.</p>
      ) : churn.risk === null ? (
        <p className="text-sm text-slate-600">Not assessed yet: the hourly check covers active leads.</p>
      ) : (
        <div className="space-y-3">
          <div>
            <div className="flex items-baseline justify-between text-sm">
              <span className="font-semibold">Risk</span>
              <span className={cx('text-lg font-bold tabular-nums', churn.risk >= 0.6 ? 'text-red-700' : churn.risk >= 0.3 ? 'text-amber-800' : 'text-emerald-700')}>{percent(churn.risk)}</span>
            </div>
            <div className="mt-1 h-2 rounded-full bg-slate-100" aria-hidden>
              <div className={cx('h-2 rounded-full', churn.risk >= 0.6 ? 'bg-red-600' : churn.risk >= 0.3 ? 'bg-amber-500' : 'bg-emerald-600')} style={{ width: `${Math.round(churn.risk * 100)}%` }} />
            </div>
          </div>
          <ul className="space-y-1 text-sm">
            {[...churn.drivers]
              .sort((a, b) => b.contribution - a.contribution)
              .slice(0, 3)
              .map((d) => (
                <li key={d.driver}>
                  <span className="font-medium">{DRIVER[d.driver] ?? humanize(d.driver)}</span> <span className="text-slate-600">— {d.evidence}</span>
                </li>
              ))}
          </ul>
          {episode && (
            <p className="text-xs text-slate-600">
              {episode.group === 'holdout'
                ? 'In the comparison group: no automatic intervention, so saves can be measured.'
                : `Rescue ${episode.outcome === 'pending' ? 'under way' : episode.outcome === 'saved' ? 'worked: the lead replied' : 'ended without a reply'} · ${episode.interventions.filter((i) => i.status === 'done').length} of ${episode.interventions.length} steps done`}{' '}
              · detected {ago(episode.detectedAt)}
            </p>
          )}
        </div>
      )}
    </Card>
  );
}

function Consent({ lead, consent }: { lead: Lead; consent: { current: 'granted' | 'revoked' | null; events: Array<{ id: string; action: string; method: string; occurredAt: string; source: string | null }> } | null }) {
  return (
    <Card id="consent" title="Consent and opt-out">
      <dl className="grid grid-cols-3 gap-2 text-sm">
        <div>
          <dt className="text-xs text-slate-600">SMS consent</dt>
          <dd className="font-semibold">{consent ? (consent.current === 'granted' ? 'Granted' : consent.current === 'revoked' ? 'Revoked' : 'None recorded') : '…'}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">Opted out</dt>
          <dd className={cx('font-semibold', lead.optedOut && 'text-red-700')}>{lead.optedOut ? 'Yes' : 'No'}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-600">GHL DND</dt>
          <dd className={cx('font-semibold', lead.dnd && 'text-red-700')}>{lead.dnd ? 'On' : 'Off'}</dd>
        </div>
      </dl>
      {consent && consent.events.length > 0 && (
        <ul className="mt-3 space-y-1 border-t border-slate-100 pt-2 text-xs text-slate-700">
          {consent.events.slice(0, 5).map((e) => (
            <li key={e.id}>
              <span className={cx('font-semibold', e.action === 'revoked' ? 'text-red-700' : 'text-emerald-700')}>{humanize(e.action)}</span> by {humanize(e.method).toLowerCase()} · {dateTime(e.occurredAt)}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

interface Happening {
  at: string;
  text: string;
  tone: 'slate' | 'indigo' | 'emerald' | 'red' | 'amber';
}

function Activity({ lead, alerts, messages, consent, team }: { lead: Lead; alerts: Alert[]; messages: Message[]; consent: Array<{ id: string; action: string; method: string; occurredAt: string }>; team: Record<string, User> }) {
  const name = (id: string | null) => (id ? (team[id]?.name ?? 'an agent') : 'someone');
  const items: Happening[] = [];
  items.push({ at: lead.createdAt, text: `Lead created (${lead.source.toUpperCase()})`, tone: 'slate' });
  if (lead.firstInboundAt) items.push({ at: lead.firstInboundAt, text: 'First text from the lead', tone: 'slate' });
  if (lead.firstOutboundAt) items.push({ at: lead.firstOutboundAt, text: `First answer sent${lead.speedToLeadMs !== null ? ` (${duration(lead.speedToLeadMs)} after their text)` : ''}`, tone: 'indigo' });
  if (lead.qualifiedAt) items.push({ at: lead.qualifiedAt, text: 'Qualified (Q1–Q4 answered)', tone: 'emerald' });
  for (const a of alerts) {
    const kind = ALERT_KIND_LABEL[a.kind] ?? humanize(a.kind);
    items.push({ at: a.createdAt, text: `${kind} alert raised`, tone: 'red' });
    if (a.acknowledgedAt) items.push({ at: a.acknowledgedAt, text: `${kind} alert acknowledged`, tone: 'slate' });
    if (a.claimedAt) items.push({ at: a.claimedAt, text: `Claimed by ${name(a.claimedBy)}`, tone: 'emerald' });
    if (a.dismissedAt) items.push({ at: a.dismissedAt, text: `${kind} alert dismissed`, tone: 'slate' });
    if (a.convertedAt) items.push({ at: a.convertedAt, text: `${kind} alert converted`, tone: 'emerald' });
    if (a.expiredAt) items.push({ at: a.expiredAt, text: `${kind} alert expired`, tone: 'amber' });
  }
  for (const c of consent) items.push({ at: c.occurredAt, text: `Consent ${c.action} (${humanize(c.method).toLowerCase()})`, tone: c.action === 'revoked' ? 'red' : 'emerald' });
  for (const m of messages) if (m.sender === 'agent') items.push({ at: m.at, text: `${name(m.senderUserId)} texted the lead`, tone: 'indigo' });
  items.sort((a, b) => b.at.localeCompare(a.at));
  const dot = { slate: 'bg-slate-400', indigo: 'bg-indigo-500', emerald: 'bg-emerald-500', red: 'bg-red-500', amber: 'bg-amber-500' };
  return (
    <Card id="activity" title="Activity">
      <ol className="space-y-2" aria-label="Activity, newest first">
        {items.slice(0, 20).map((it, i) => (
          <li key={i} className="flex gap-2 text-sm">
            <span aria-hidden className={cx('mt-1.5 h-2 w-2 shrink-0 rounded-full', dot[it.tone])} />
            <div className="min-w-0">
              <p className="text-slate-800">{it.text}</p>
              <p className="text-xs text-slate-600">
                <time dateTime={it.at}>{dateTime(it.at)}</time> · {ago(it.at)}
              </p>
            </div>
          </li>
        ))}
      </ol>
    </Card>
  );
}
