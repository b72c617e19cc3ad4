'use client';

/**
 * One lead, live: the lead, its conversation, consent and scores from the API, then kept current
 * by the lead's room socket (GET /v1/leads/:id/live: lead.updated, message.created|updated).
 * The room socket has no replay, so every (re)connection re-reads the lead and the thread.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, describeError } from '../../lib/api/client';
import type { ConsentEvent, Lead, LeadChurn, LeadScores, LiveEvent, Message } from '../../lib/api/types';
import { LiveSocket, type LiveStatus } from '../../lib/live-socket';
import { session } from '../../lib/session';

export interface LeadData {
  status: 'loading' | 'ready' | 'not-found' | 'error';
  error: string | null;
  lead: Lead | null;
  messages: Message[];
  consent: { current: 'granted' | 'revoked' | null; events: ConsentEvent[] } | null;
  /** null: not scored yet; undefined: still loading or failed. */
  scores: LeadScores | null | undefined;
  scoresError: string | null;
  /** undefined while loading; null when it could not be read (the card says so). */
  churn: LeadChurn | null | undefined;
  live: LiveStatus;
}

function byTime(a: Message, b: Message) {
  return a.at.localeCompare(b.at) || a.id.localeCompare(b.id);
}

function upsert(messages: Message[], m: Message): Message[] {
  const i = messages.findIndex((x) => x.id === m.id);
  if (i === -1) return [...messages, m].sort(byTime);
  const next = messages.slice();
  next[i] = m;
  return next;
}

export function useLead(id: string | null) {
  const [data, setData] = useState<LeadData>({ status: 'loading', error: null, lead: null, messages: [], consent: null, scores: undefined, scoresError: null, churn: undefined, live: 'connecting' });
  const alive = useRef(true);
  const latestInbound = useRef<string | null>(null);
  latestInbound.current = data.messages.reduce<string | null>((max, m) => (m.direction === 'inbound' && (!max || m.at > max) ? m.at : max), null);

  const loadMessages = useCallback(async () => {
    if (!id) return;
    try {
      const { messages } = await session().api.get('/leads/{id}/messages', { path: { id }, query: { limit: 500 } });
      if (alive.current) setData((d) => ({ ...d, messages: messages.reduce(upsert, d.messages) }));
    } catch {
      // The next update or reconnection reads it again.
    }
  }, [id]);

  const load = useCallback(async () => {
    if (!id) return;
    const api = session().api;
    try {
      const [lead, messages] = await Promise.all([api.get('/leads/{id}', { path: { id } }), api.get('/leads/{id}/messages', { path: { id }, query: { limit: 500 } })]);
      if (!alive.current) return;
      setData((d) => ({ ...d, status: 'ready', error: null, lead: lead.lead, messages: [...messages.messages].sort(byTime) }));
    } catch (err) {
      if (!alive.current) return;
      if (err instanceof ApiError && (err.status === 404 || err.status === 422)) setData((d) => ({ ...d, status: 'not-found', error: null }));
      else setData((d) => ({ ...d, status: d.status === 'ready' ? 'ready' : 'error', error: describeError(err) }));
      return;
    }
    // Secondary reads: each card shows its own empty or error state.
    void api
      .get('/leads/{id}/consent', { path: { id } })
      .then((consent) => alive.current && setData((d) => ({ ...d, consent })))
      .catch(() => undefined);
    void loadScores(id).then((r) => alive.current && setData((d) => ({ ...d, scores: r.scores, scoresError: r.error })));
    void api
      .get('/leads/{id}/churn', { path: { id } })
      .then(
        (churn) => alive.current && setData((d) => ({ ...d, churn })),
        () => alive.current && setData((d) => ({ ...d, churn: null })),
      );
  }, [id]);

  useEffect(() => {
    alive.current = true;
    if (!id) {
      setData((d) => ({ ...d, status: 'not-found' }));
      return;
    }
    const socket = new LiveSocket({
      path: `/v1/leads/${encodeURIComponent(id)}/live`,
      session: session(),
      onOpen: () => void load(),
      onStatus: (live) => setData((d) => ({ ...d, live })),
      onMessage: (m) => {
        const e = m as LiveEvent;
        if (e.type === 'lead.updated') {
          setData((d) => ({ ...d, lead: e.data }));
          // The room pushes what it sends, not the lead's own texts; a lead whose last inbound
          // text is newer than the thread's says one arrived: read the thread again.
          const newest = latestInbound.current;
          if (e.data.lastInboundAt && (!newest || e.data.lastInboundAt > newest)) void loadMessages();
        } else if (e.type === 'message.created' || e.type === 'message.updated') setData((d) => ({ ...d, messages: upsert(d.messages, e.data) }));
      },
    });
    void load();
    socket.start();
    return () => {
      alive.current = false;
      socket.stop();
    };
  }, [id, load, loadMessages]);

  const setLead = useCallback((lead: Lead) => setData((d) => ({ ...d, lead })), []);
  const addMessage = useCallback((m: Message) => setData((d) => ({ ...d, messages: upsert(d.messages, m) })), []);
  return { ...data, reload: load, setLead, addMessage };
}

/** The lead's scores; `null` when the scoring job has not scored it yet. */
async function loadScores(id: string): Promise<{ scores: LeadScores | null | undefined; error: string | null }> {
  try {
    const scores = await session().api.get('/leads/{id}/scores', { path: { id } });
    return { scores: scores.scoredAt === null && Object.keys(scores.models).length === 0 ? null : scores, error: null };
  } catch (err) {
    return { scores: undefined, error: describeError(err) };
  }
}
