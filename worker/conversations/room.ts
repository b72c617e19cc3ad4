import { DurableObject } from 'cloudflare:workers';
import { loadConfig } from '../config';
import { createLogger, type Logger } from '../lib/logger';
import { openSystemContext } from '../services/clients';
import type { ServiceContext } from '../services/context';
import { leadView, messageView } from '../services/leads/view';
import { sellerAssistantFor } from './assistant';
import { handleDeferredDelivery, handleFirstTouch, handleFollowUp, handleInbound, type InboundInput, type LiveEvent, type RoomPorts, type TurnSummary } from './engine';
import { deliverMessage } from './outbound';
import { loadLead, loadMessage, loadTenantProfile, updateLead } from './store';

/** What an RPC caller gets back: Durable Object RPC loses error classes, so failures are values. */
export type RoomResult<T> = { ok: true; value: T } | { ok: false; code: 'not_found' | 'conflict'; message: string };

interface Task {
  id: string;
  kind: 'follow_up' | 'deliver' | 'first_touch';
  ref: string;
  due: number;
  attempt: number;
}

/**
 * One lead's conversation (named `<tenantId>:<leadId>`). It serialises the lead's turns — a
 * webhook, an agent's reply, a follow-up alarm never interleave — dedupes redelivered messages,
 * keeps the follow-up and deferred-send schedule in its SQLite storage with one alarm, and pushes
 * live updates to agents watching the lead over hibernating WebSockets. Every business fact is
 * written through to Postgres; losing this object loses only its schedule, which the Postgres
 * rows (deferred messages, the lead's state) are enough to rebuild.
 */
export class ConversationRoom extends DurableObject<Env> {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly sql: SqlStorage;

  constructor(state: DurableObjectState, env: Env) {
    super(state, env);
    this.sql = state.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS processed (key TEXT PRIMARY KEY, at INTEGER NOT NULL)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL, due INTEGER NOT NULL, attempt INTEGER NOT NULL DEFAULT 0)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS identity (k TEXT PRIMARY KEY, v TEXT NOT NULL)`);
  }

  // ── RPC ──────────────────────────────────────────────────────────────────────────────────

  /** A lead's inbound message (already stored in Postgres by the webhook processor). */
  async inbound(tenantId: string, input: InboundInput): Promise<TurnSummary & { duplicate?: boolean }> {
    return this.serial(tenantId, input.leadId, async (ctx, logger) => {
      if (this.wasProcessed(`in:${input.messageId}`)) return { handled: 'ignored', duplicate: true };
      // Agents watching the lead see the text arrive, before the bot's answer to it.
      const received = await loadMessage(ctx, input.messageId);
      if (received) this.broadcast({ type: 'message.created', data: messageView(received) });
      const summary = await handleInbound(ctx, this.ports(), sellerAssistantFor(ctx.config, logger), input);
      this.markProcessed(`in:${input.messageId}`);
      logger.info('conversation turn', { leadId: input.leadId, ...summary, turnMs: Date.now() - input.receivedAt });
      return summary;
    });
  }

  /** A new contact who has not written yet: schedule the (proactive) first touch now. */
  async firstTouch(tenantId: string, leadId: string): Promise<void> {
    return this.serial(tenantId, leadId, async () => {
      await this.putTask({ id: 'first_touch', kind: 'first_touch', ref: leadId, due: Date.now(), attempt: 1 });
    });
  }

  async agentReply(tenantId: string, leadId: string, input: { userId: string; body: string; idempotencyKey: string }): Promise<RoomResult<ReturnType<typeof messageView>>> {
    return this.serial(tenantId, leadId, async (ctx) => {
      const lead = await loadLead(ctx, leadId);
      if (!lead || lead.deletedAt) return { ok: false, code: 'not_found', message: 'Lead not found' };
      if (lead.optedOut) return { ok: false, code: 'conflict', message: 'This lead opted out of texts; nothing can be sent until they text START' };
      const tenant = await loadTenantProfile(ctx);
      const result = await deliverMessage(ctx, tenant, lead, { kind: 'agent', body: input.body, idempotencyKey: `agent:${input.idempotencyKey}`, sender: 'agent', senderUserId: input.userId });
      if (result.outcome === 'suppressed') return { ok: false, code: 'conflict', message: `Not sent: ${result.message.error ?? 'blocked by the contact rules'}` };
      this.broadcast({ type: 'message.created', data: messageView(result.message) });
      if (result.outcome === 'sent') this.broadcast({ type: 'lead.updated', data: leadView(result.lead) });
      if (result.outcome === 'deferred') await this.putTask({ id: `deliver:${result.message.id}`, kind: 'deliver', ref: result.message.id, due: result.until.getTime(), attempt: 1 });
      return { ok: true, value: messageView(result.message) };
    });
  }

  /** An agent takes the conversation: the bot goes silent for this lead until released. */
  async takeover(tenantId: string, leadId: string, userId: string | null): Promise<RoomResult<ReturnType<typeof leadView>>> {
    return this.serial(tenantId, leadId, async (ctx) => {
      const lead = await loadLead(ctx, leadId);
      if (!lead || lead.deletedAt) return { ok: false, code: 'not_found', message: 'Lead not found' };
      const updated = await updateLead(ctx, leadId, { botState: 'human', takenOverBy: userId, assignedAgentId: lead.assignedAgentId ?? userId, assignedAt: lead.assignedAt ?? new Date() });
      this.deleteTask('follow_up');
      await this.rearm();
      this.broadcast({ type: 'lead.updated', data: leadView(updated) });
      return { ok: true, value: leadView(updated) };
    });
  }

  /** Hands the conversation back to the bot; it speaks again on the lead's next message. */
  async release(tenantId: string, leadId: string): Promise<RoomResult<ReturnType<typeof leadView>>> {
    return this.serial(tenantId, leadId, async (ctx) => {
      const lead = await loadLead(ctx, leadId);
      if (!lead || lead.deletedAt) return { ok: false, code: 'not_found', message: 'Lead not found' };
      const botState = lead.botState === 'human' || lead.botState === 'paused' ? 'active' : lead.botState;
      const updated = await updateLead(ctx, leadId, { botState, takenOverBy: null });
      this.broadcast({ type: 'lead.updated', data: leadView(updated) });
      return { ok: true, value: leadView(updated) };
    });
  }

  /** The lead changed outside a turn (contact update, DND, deletion): tell watchers, stop if needed. */
  async leadChanged(tenantId: string, leadId: string): Promise<void> {
    return this.serial(tenantId, leadId, async (ctx) => {
      const lead = await loadLead(ctx, leadId);
      if (!lead) return;
      if (lead.deletedAt || lead.optedOut || lead.dnd) {
        this.deleteTask('follow_up');
        this.deleteTask('first_touch');
        await this.rearm();
      }
      this.broadcast({ type: 'lead.updated', data: leadView(lead) });
    });
  }

  /** Pending schedule, for the API and tests. */
  async schedule(): Promise<Task[]> {
    return this.sql.exec<Record<string, string | number>>(`SELECT id, kind, ref, due, attempt FROM tasks ORDER BY due`).toArray() as unknown as Task[];
  }

  // ── Alarms ───────────────────────────────────────────────────────────────────────────────

  override async alarm(): Promise<void> {
    const tenantId = this.identity('tenantId');
    const leadId = this.identity('leadId');
    if (!tenantId || !leadId) return;
    await this.serial(tenantId, leadId, async (ctx, logger) => {
      const due = this.sql.exec<Record<string, string | number>>(`SELECT id, kind, ref, due, attempt FROM tasks WHERE due <= ? ORDER BY due`, Date.now()).toArray() as unknown as Task[];
      const assistant = sellerAssistantFor(ctx.config, logger);
      for (const task of due) {
        this.deleteTask(task.id);
        try {
          if (task.kind === 'follow_up') await handleFollowUp(ctx, this.ports(), assistant, leadId, task.attempt);
          else if (task.kind === 'first_touch') await handleFirstTouch(ctx, this.ports(), assistant, leadId);
          else await handleDeferredDelivery(ctx, this.ports(), assistant, task.ref);
        } catch (err) {
          // Put it back a minute later: a Postgres or GHL outage must not drop a due message.
          logger.error('conversation task failed; retrying in 60 s', { task: task.id, error: err });
          await this.putTask({ ...task, due: Date.now() + 60_000 });
        }
      }
    });
  }

  // ── Live view (WebSocket Hibernation) ────────────────────────────────────────────────────

  /** Upgrade requests arrive here already authenticated by the Worker (routes/v1/leads/live.ts). */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return new Response('Expected a WebSocket upgrade', { status: 426 });
    const pair = new WebSocketPair();
    const userId = request.headers.get('x-leadpulse-user') ?? 'unknown';
    this.ctx.acceptWebSocket(pair[1], [userId]);
    pair[1].send(JSON.stringify({ type: 'hello', data: { leadId: this.identity('leadId') } }));
    const protocol = request.headers.get('x-leadpulse-protocol');
    return new Response(null, { status: 101, webSocket: pair[0], headers: protocol ? { 'Sec-WebSocket-Protocol': protocol } : {} });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (message === 'ping') ws.send('pong');
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // 1005/1006 carry no code a peer may send back (closing with them throws).
    if (code !== 1005 && code !== 1006) ws.close(code, reason);
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────

  private ports(): RoomPorts {
    return {
      scheduleFollowUp: async (at, attempt) => {
        if (at) await this.putTask({ id: 'follow_up', kind: 'follow_up', ref: 'lead', due: at.getTime(), attempt });
        else {
          this.deleteTask('follow_up');
          await this.rearm();
        }
      },
      scheduleDelivery: async (messageId, at) => {
        await this.putTask({ id: `deliver:${messageId}`, kind: 'deliver', ref: messageId, due: at.getTime(), attempt: 1 });
      },
      broadcast: (event) => this.broadcast(event),
    };
  }

  private broadcast(event: LiveEvent) {
    const payload = JSON.stringify(event);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(payload);
      } catch {
        // A socket closing under us; hibernation cleans it up.
      }
    }
  }

  /**
   * Runs `fn` after every earlier call on this room has finished. Durable Objects interleave
   * calls at each await on I/O; a lead's turns must not (two replies to one burst of texts).
   */
  private serial<T>(tenantId: string, leadId: string, fn: (ctx: ServiceContext, logger: Logger) => Promise<T>): Promise<T> {
    const run = async () => {
      this.remember(tenantId, leadId);
      const logger = createLogger({ room: leadId }, loadConfig(this.env).LOG_LEVEL);
      const { ctx, close } = openSystemContext(this.env, tenantId, logger);
      try {
        return await fn(ctx, logger);
      } finally {
        await close();
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => {});
    return result;
  }

  private remember(tenantId: string, leadId: string) {
    if (this.identity('tenantId')) return;
    this.sql.exec(`INSERT OR REPLACE INTO identity (k, v) VALUES ('tenantId', ?), ('leadId', ?)`, tenantId, leadId);
  }

  private identity(k: 'tenantId' | 'leadId'): string | null {
    const row = this.sql.exec<{ v: string }>(`SELECT v FROM identity WHERE k = ?`, k).toArray()[0];
    return row?.v ?? null;
  }

  private wasProcessed(key: string): boolean {
    return this.sql.exec(`SELECT 1 FROM processed WHERE key = ?`, key).toArray().length > 0;
  }

  private markProcessed(key: string) {
    this.sql.exec(`INSERT OR IGNORE INTO processed (key, at) VALUES (?, ?)`, key, Date.now());
    // Redeliveries come within days (GHL retries for ~1 h, our redrive within minutes).
    this.sql.exec(`DELETE FROM processed WHERE at < ?`, Date.now() - 30 * 86_400_000);
  }

  private async putTask(task: Task) {
    this.sql.exec(`INSERT OR REPLACE INTO tasks (id, kind, ref, due, attempt) VALUES (?, ?, ?, ?, ?)`, task.id, task.kind, task.ref, task.due, task.attempt);
    await this.rearm();
  }

  private deleteTask(id: string) {
    this.sql.exec(`DELETE FROM tasks WHERE id = ?`, id);
  }

  private async rearm() {
    const next = this.sql.exec<{ due: number | null }>(`SELECT MIN(due) AS due FROM tasks`).toArray()[0]?.due;
    if (next == null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.max(next, Date.now()));
  }
}
