import { DurableObject } from 'cloudflare:workers';
import { loadConfig } from '../config';
import { createLogger } from '../lib/logger';
import { openSystemContext } from '../services/clients';
import { escalateAlert } from '../services/alerts/escalation';

/** A failed escalation (Postgres down) is tried again this much later. */
const RETRY_MS = 30_000;

/**
 * The SLA ladder of one tenant's alerts (named by tenant id): a timer per alert that nobody has
 * acknowledged yet, in SQLite, with one alarm for the earliest. When a timer fires the alert is
 * handed to the next agent, then to the managers (services/alerts/escalation.ts decides and
 * says what comes next). Acknowledging, claiming or settling an alert removes its timer; if a
 * settle is missed, the escalation finds the alert settled and does nothing.
 *
 * One object per tenant rather than per alert: a tenant has at most a few hundred open alerts,
 * and one alarm per tenant keeps the storage and the wake-ups small.
 */
export class AlertDesk extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(state: DurableObjectState, env: Env) {
    super(state, env);
    this.sql = state.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS timers (alert_id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, level INTEGER NOT NULL, due INTEGER NOT NULL)`);
  }

  /** Starts (or moves) an alert's SLA timer: at `due`, escalate from `level`. */
  async watch(tenantId: string, alertId: string, level: number, due: number): Promise<void> {
    this.sql.exec(`INSERT INTO timers (alert_id, tenant_id, level, due) VALUES (?, ?, ?, ?) ON CONFLICT (alert_id) DO UPDATE SET level = excluded.level, due = excluded.due`, alertId, tenantId, level, due);
    await this.rearm();
  }

  /** The alert was acknowledged, claimed or settled: its SLA is met. */
  async settle(alertId: string): Promise<void> {
    this.sql.exec(`DELETE FROM timers WHERE alert_id = ?`, alertId);
    await this.rearm();
  }

  /** For operators and tests: the timers still running. */
  async pending(): Promise<Array<{ alertId: string; level: number; due: number }>> {
    return this.sql.exec<{ alert_id: string; level: number; due: number }>(`SELECT alert_id, level, due FROM timers ORDER BY due`).toArray().map((r) => ({ alertId: r.alert_id, level: r.level, due: r.due }));
  }

  override async alarm(): Promise<void> {
    const due = this.sql.exec<{ alert_id: string; tenant_id: string; level: number }>(`SELECT alert_id, tenant_id, level FROM timers WHERE due <= ? ORDER BY due LIMIT 50`, Date.now()).toArray();
    const logger = createLogger({ component: 'alert-desk' }, loadConfig(this.env).LOG_LEVEL);
    for (const timer of due) {
      const { ctx, close } = openSystemContext(this.env, timer.tenant_id, logger);
      try {
        const next = await escalateAlert(ctx, timer.alert_id, timer.level);
        if (next) this.sql.exec(`UPDATE timers SET level = ?, due = ? WHERE alert_id = ?`, next.level, next.due.getTime(), timer.alert_id);
        else this.sql.exec(`DELETE FROM timers WHERE alert_id = ?`, timer.alert_id);
      } catch (err) {
        logger.warn('alert escalation failed; retrying', { alertId: timer.alert_id, level: timer.level, error: (err as Error).message });
        this.sql.exec(`UPDATE timers SET due = ? WHERE alert_id = ?`, Date.now() + RETRY_MS, timer.alert_id);
      } finally {
        await close();
      }
    }
    await this.rearm();
  }

  private async rearm(): Promise<void> {
    const [next] = this.sql.exec<{ due: number | null }>(`SELECT min(due) AS due FROM timers`).toArray();
    if (next?.due == null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.max(next.due, Date.now()));
  }
}
