'use client';

/**
 * The agent's live inbox, kept for the whole app (the nav's unread badge and connection dot read
 * it on every screen): alerts (GET /v1/alerts) and hot leads (GET /v1/leads?temperature=hot),
 * kept current by the realtime socket (GET /v1/realtime). Events that arrive while a reload is
 * in flight are held and applied after it, so a stale page of results never overwrites them.
 * While the socket is down the lists are re-read every 30 s so nothing is missed for long.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { describeError } from './api/client';
import type { Alert, Lead, RealtimeEvent } from './api/types';
import { ALERT_KIND_LABEL, leadName } from './format';
import { LiveSocket, type LiveStatus } from './live-socket';
import { alertFeedback, loadPreferences, type Preferences, savePreferences, unlockAudioOnFirstGesture } from './notify';
import { session } from './session';
import { useSession } from './use-session';

export type AlertAction = 'ack' | 'claim' | 'dismiss';

export interface InboxState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  alerts: Alert[];
  hotLeads: Lead[];
  leads: Record<string, Lead>;
  live: LiveStatus;
  retryInMs: number | null;
  unread: number;
  /** ids of alerts that arrived live since the inbox was loaded (highlighted once). */
  fresh: Set<string>;
  preferences: Preferences;
  /** performance.now() when the first load finished, for the first-load measurement. */
  readyAt: number | null;
  /** Counts alert events received live; screens that aggregate alerts (the dashboard) re-read on change. */
  alertEvents: number;
}

interface InboxApi extends InboxState {
  reload(): Promise<void>;
  act(alertId: string, action: AlertAction): Promise<Alert>;
  setPreferences(p: Partial<Preferences>): void;
  upsertLead(lead: Lead): void;
}

const Ctx = createContext<InboxApi | null>(null);

const OPEN = new Set(['new', 'delivered']);
const POLL_WHEN_OFFLINE_MS = 30_000;

function byNewest<T extends { createdAt: string }>(a: T, b: T) {
  return b.createdAt.localeCompare(a.createdAt);
}
function leadRecency(l: Lead) {
  return l.lastInboundAt ?? l.updatedAt;
}

function isAlert(v: unknown): v is Alert {
  return !!v && typeof v === 'object' && 'leadId' in v && 'status' in v && 'kind' in v && 'id' in v;
}
function isLead(v: unknown): v is Lead {
  return !!v && typeof v === 'object' && 'botState' in v && 'qualification' in v && 'id' in v;
}
/** Socket payloads may carry the object itself or wrap it ({ alert } / { lead }). */
function unwrap(data: unknown, key: 'alert' | 'lead'): unknown {
  return data && typeof data === 'object' && key in data ? (data as Record<string, unknown>)[key] : data;
}

export function InboxProvider({ children }: { children: ReactNode }) {
  const { status: sessionStatus, me } = useSession();
  const enabled = sessionStatus === 'signed-in' && !!me?.permissions.includes('alerts:read');
  const [state, setState] = useState<InboxState>(() => ({
    status: 'idle',
    error: null,
    alerts: [],
    hotLeads: [],
    leads: {},
    live: 'connecting',
    retryInMs: null,
    unread: 0,
    fresh: new Set(),
    preferences: loadPreferences(),
    readyAt: null,
    alertEvents: 0,
  }));
  const stateRef = useRef(state);
  stateRef.current = state;
  const loading = useRef<Promise<void> | null>(null);
  const held = useRef<RealtimeEvent[]>([]);
  const fetchingLeads = useRef(new Set<string>());
  const reloadRef = useRef<(() => Promise<void>) | null>(null);

  const fetchMissingLeads = useCallback(async (alerts: Alert[], known: Record<string, Lead>) => {
    const missing = [...new Set(alerts.map((a) => a.leadId))].filter((id) => !known[id] && !fetchingLeads.current.has(id));
    // A few at a time: an inbox of 50 alerts must not open 50 requests at once on a phone.
    for (let i = 0; i < missing.length; i += 6) {
      const batch = missing.slice(i, i + 6);
      batch.forEach((id) => fetchingLeads.current.add(id));
      const found = await Promise.all(batch.map((id) => session().api.get('/leads/{id}', { path: { id } }).then((r) => r.lead, () => null)));
      batch.forEach((id) => fetchingLeads.current.delete(id));
      setState((s) => {
        const leads = { ...s.leads };
        for (const l of found) if (l) leads[l.id] = l;
        return { ...s, leads };
      });
    }
  }, []);

  const apply = useCallback(
    (event: RealtimeEvent, live: boolean) => {
      if (event.type === 'alert.created' || event.type === 'alert.updated') {
        const alert = unwrap(event.data, 'alert');
        if (!isAlert(alert)) return;
        // Decided from the last rendered state, not inside the updater (React may run it later).
        const isNew = !stateRef.current.alerts.some((a) => a.id === alert.id);
        setState((s) => {
          const existing = s.alerts.some((a) => a.id === alert.id);
          const alerts = (existing ? s.alerts.map((a) => (a.id === alert.id ? alert : a)) : [alert, ...s.alerts]).sort(byNewest);
          const fresh = !existing && live ? new Set([...s.fresh, alert.id]) : s.fresh;
          return { ...s, alerts, fresh, unread: alerts.filter((a) => OPEN.has(a.status)).length, alertEvents: s.alertEvents + 1 };
        });
        const s = stateRef.current;
        if (!s.leads[alert.leadId]) void fetchMissingLeads([alert], s.leads);
        if (isNew && live && OPEN.has(alert.status)) {
          const lead = stateRef.current.leads[alert.leadId];
          alertFeedback(stateRef.current.preferences, {
            title: ALERT_KIND_LABEL[alert.kind] ?? 'New alert',
            body: `${lead ? leadName(lead) : 'A lead'} — ${alert.reasons[0] ?? 'open the inbox for details'}`,
            tag: alert.id,
            url: `/lead?id=${alert.leadId}`,
          });
        }
      } else if (event.type === 'hello') {
        // The hub could not replay everything missed while disconnected: read the lists again.
        if ((event.data as { gap?: boolean } | null)?.gap) void reloadRef.current?.();
      } else if (event.type === 'lead.updated') {
        const lead = unwrap(event.data, 'lead');
        if (isLead(lead)) upsertLeadInto(setState, lead);
      }
    },
    [fetchMissingLeads],
  );

  const reload = useCallback(async () => {
    if (loading.current) return loading.current;
    const run = (async () => {
      setState((s) => ({ ...s, status: s.status === 'ready' ? 'ready' : 'loading', error: null }));
      try {
        const api = session().api;
        const [alerts, hot] = await Promise.all([api.get('/alerts', { query: { limit: 100 } }), api.get('/leads', { query: { temperature: 'hot', limit: 50 } })]);
        const leads: Record<string, Lead> = { ...stateRef.current.leads };
        for (const l of hot.leads) leads[l.id] = l;
        const sorted = [...alerts.alerts].sort(byNewest);
        setState((s) => ({
          ...s,
          status: 'ready',
          error: null,
          alerts: sorted,
          hotLeads: [...hot.leads].sort((a, b) => leadRecency(b).localeCompare(leadRecency(a))),
          leads,
          unread: sorted.filter((a) => OPEN.has(a.status)).length,
          readyAt: s.readyAt ?? performance.now(),
        }));
        void fetchMissingLeads(sorted, leads);
      } catch (err) {
        setState((s) => ({ ...s, status: s.status === 'ready' ? 'ready' : 'error', error: describeError(err) }));
      } finally {
        loading.current = null;
        for (const e of held.current.splice(0)) apply(e, true);
      }
    })();
    loading.current = run;
    return run;
  }, [apply, fetchMissingLeads]);
  reloadRef.current = reload;

  useEffect(() => unlockAudioOnFirstGesture(), []);

  // The socket and the first load, for as long as someone who may read alerts is signed in.
  useEffect(() => {
    if (!enabled) return;
    const socket = new LiveSocket({
      path: '/v1/realtime',
      session: session(),
      resumable: true,
      onMessage: (m) => {
        const event = m as RealtimeEvent;
        if (loading.current) held.current.push(event);
        else apply(event, true);
      },
      // A fresh connection (no replay) may have missed what happened since the last read, or
      // since the read that is in flight was answered: read (again) once it is open.
      onOpen: ({ resumed }) => {
        if (resumed) return;
        if (loading.current) void loading.current.then(() => reload());
        else void reload();
      },
      onStatus: (live, { retryInMs }) => setState((s) => ({ ...s, live, retryInMs })),
    });
    void reload();
    socket.start();
    return () => socket.stop();
  }, [enabled, apply, reload]);

  useEffect(() => {
    if (!enabled || state.live === 'live') return;
    const timer = setInterval(() => void reload(), POLL_WHEN_OFFLINE_MS);
    return () => clearInterval(timer);
  }, [enabled, state.live, reload]);

  // Signed out: forget everything the previous user could see.
  useEffect(() => {
    if (sessionStatus === 'signed-out') setState((s) => ({ ...s, status: 'idle', alerts: [], hotLeads: [], leads: {}, unread: 0, fresh: new Set(), readyAt: null }));
  }, [sessionStatus]);

  const act = useCallback(async (alertId: string, action: AlertAction) => {
    const api = session().api;
    const path = action === 'ack' ? '/alerts/{id}/ack' : action === 'claim' ? '/alerts/{id}/claim' : '/alerts/{id}/dismiss';
    const { alert } = await api.post(path, { path: { id: alertId } });
    setState((s) => {
      const alerts = s.alerts.map((a) => (a.id === alert.id ? alert : a));
      return { ...s, alerts, unread: alerts.filter((a) => OPEN.has(a.status)).length };
    });
    return alert;
  }, []);

  const setPreferences = useCallback((p: Partial<Preferences>) => {
    setState((s) => {
      const preferences = { ...s.preferences, ...p };
      savePreferences(preferences);
      return { ...s, preferences };
    });
  }, []);

  const upsertLead = useCallback((lead: Lead) => upsertLeadInto(setState, lead), []);

  const value = useMemo<InboxApi>(() => ({ ...state, reload, act, setPreferences, upsertLead }), [state, reload, act, setPreferences, upsertLead]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

function upsertLeadInto(setState: (fn: (s: InboxState) => InboxState) => void, lead: Lead) {
  setState((s) => {
    const others = s.hotLeads.filter((l) => l.id !== lead.id);
    const hotLeads = lead.temperature === 'hot' ? [lead, ...others].sort((a, b) => leadRecency(b).localeCompare(leadRecency(a))) : others;
    return { ...s, leads: { ...s.leads, [lead.id]: lead }, hotLeads };
  });
}

export function useInbox(): InboxApi {
  const v = useContext(Ctx);
  if (!v) throw new Error('useInbox outside InboxProvider');
  return v;
}
