import type { DeliveryEngine, TerminalOutcome } from './delivery';
import { nextCronTime, type CronSpec, type Timers, type TimerHandle, type VirtualClock } from './scheduler';
import type { HttpMethod, Logger, MessageTemplate, StoredMessage } from './types';
import { bodyFields, pairsToRecord, randomId } from './util';

export interface ScheduleInput {
  scheduleId?: string;
  cron: CronSpec;
  destination: string;
  template: MessageTemplate;
  /** Virtual ms added to every fired message (Upstash-Delay on a schedule). */
  delayMs?: number;
  queueName?: string;
  callerIp?: string;
}

interface StoredSchedule extends ScheduleInput {
  scheduleId: string;
  createdAt: number;
  isPaused: boolean;
  lastScheduleTime?: number;
  nextScheduleTime?: number;
  lastScheduleStates: Record<string, 'IN_PROGRESS' | 'SUCCESS' | 'FAIL'>;
  timer?: TimerHandle;
}

/** JSON shape of GET /v2/schedules/:id (the SDK's Schedule type). */
export interface ScheduleJson {
  scheduleId: string;
  cron: string;
  createdAt: number;
  destination: string;
  method: HttpMethod;
  header: Record<string, string[]>;
  body?: string;
  bodyBase64?: string;
  retries: number;
  delay?: number;
  callback?: string;
  failureCallback?: string;
  callerIp?: string;
  isPaused: boolean;
  queueName?: string;
  retryDelayExpression?: string;
  flowControlKey?: string;
  label?: string;
  labels?: string[];
  lastScheduleTime?: number;
  nextScheduleTime?: number;
  lastScheduleStates?: Record<string, 'IN_PROGRESS' | 'SUCCESS' | 'FAIL'>;
}

/**
 * Cron schedules on the virtual clock. Each firing publishes an ordinary message
 * (own messageId, delivery, retries, DLQ) carrying Upstash-Schedule-Id. Firings missed
 * while the process was stalled are skipped, not replayed in a burst.
 */
export class ScheduleManager {
  readonly #schedules = new Map<string, StoredSchedule>();

  constructor(
    private readonly clock: VirtualClock,
    private readonly timers: Timers,
    private readonly engine: DeliveryEngine,
    private readonly log: Logger,
  ) {}

  /** Create, or replace the schedule with the same Upstash-Schedule-Id (idempotent upsert). */
  upsert(input: ScheduleInput): string {
    const scheduleId = input.scheduleId ?? randomId('scd_');
    const previous = this.#schedules.get(scheduleId);
    if (previous) this.timers.cancel(previous.timer);
    const schedule: StoredSchedule = {
      ...input,
      scheduleId,
      createdAt: previous?.createdAt ?? this.clock.now(),
      isPaused: false,
      lastScheduleTime: previous?.lastScheduleTime,
      lastScheduleStates: previous?.lastScheduleStates ?? {},
    };
    this.#schedules.set(scheduleId, schedule);
    this.#arm(schedule);
    this.log({ event: previous ? 'schedule.update' : 'schedule.create', scheduleId, cron: input.cron.raw, destination: input.destination });
    return scheduleId;
  }

  get(scheduleId: string): ScheduleJson | undefined {
    const s = this.#schedules.get(scheduleId);
    return s && toJson(s);
  }

  list(): ScheduleJson[] {
    return [...this.#schedules.values()].map(toJson);
  }

  delete(scheduleId: string): boolean {
    const s = this.#schedules.get(scheduleId);
    if (!s) return false;
    this.timers.cancel(s.timer);
    this.#schedules.delete(scheduleId);
    this.log({ event: 'schedule.delete', scheduleId });
    return true;
  }

  setPaused(scheduleId: string, paused: boolean): boolean {
    const s = this.#schedules.get(scheduleId);
    if (!s) return false;
    if (s.isPaused === paused) return true;
    s.isPaused = paused;
    if (paused) {
      this.timers.cancel(s.timer);
      s.timer = undefined;
      s.nextScheduleTime = undefined;
    } else {
      this.#arm(s);
    }
    this.log({ event: paused ? 'schedule.pause' : 'schedule.resume', scheduleId });
    return true;
  }

  /** Hooked to the delivery engine so lastScheduleStates reflects the last firing. */
  onTerminal(message: StoredMessage, outcome: TerminalOutcome): void {
    if (!message.scheduleId || message.kind !== 'message') return;
    const s = this.#schedules.get(message.scheduleId);
    if (!s || !(message.messageId in s.lastScheduleStates)) return;
    s.lastScheduleStates[message.messageId] = outcome === 'DELIVERED' ? 'SUCCESS' : 'FAIL';
  }

  #arm(s: StoredSchedule, after = this.clock.now()): void {
    if (s.isPaused) return;
    const next = nextCronTime(s.cron, after);
    s.nextScheduleTime = next;
    s.timer = this.timers.at(next, () => this.#fire(s, next));
  }

  #fire(s: StoredSchedule, occurrence: number): void {
    if (this.#schedules.get(s.scheduleId) !== s || s.isPaused) return;
    const message = this.engine.publish({
      ...s.template,
      kind: 'message',
      notBefore: occurrence + (s.delayMs ?? 0),
      scheduleId: s.scheduleId,
      queueName: s.queueName,
      callerIp: s.callerIp,
    });
    s.lastScheduleTime = occurrence;
    s.lastScheduleStates = { [message.messageId]: 'IN_PROGRESS' };
    this.log({ event: 'schedule.fire', scheduleId: s.scheduleId, messageId: message.messageId, at: new Date(occurrence).toISOString() });
    this.#arm(s, Math.max(occurrence, this.clock.now()));
  }
}

function toJson(s: StoredSchedule): ScheduleJson {
  const t = s.template;
  const header = pairsToRecord(t.forward);
  if (t.contentType) header['Content-Type'] = [t.contentType];
  return {
    scheduleId: s.scheduleId,
    cron: s.cron.raw,
    createdAt: Math.floor(s.createdAt),
    destination: s.destination,
    method: t.method,
    header,
    ...bodyFields(t.body),
    retries: t.maxRetries,
    ...(s.delayMs !== undefined ? { delay: Math.floor(s.delayMs / 1000) } : {}),
    ...(t.callback ? { callback: t.callback.url } : {}),
    ...(t.failureCallback ? { failureCallback: t.failureCallback.url } : {}),
    ...(s.callerIp ? { callerIp: s.callerIp } : {}),
    isPaused: s.isPaused,
    ...(s.queueName ? { queueName: s.queueName } : {}),
    ...(t.retryDelayExpression ? { retryDelayExpression: t.retryDelayExpression } : {}),
    ...(t.flowControlKey ? { flowControlKey: t.flowControlKey } : {}),
    ...(t.labels.length > 0 ? { label: t.labels[0], labels: t.labels } : {}),
    ...(s.lastScheduleTime !== undefined ? { lastScheduleTime: Math.floor(s.lastScheduleTime) } : {}),
    ...(s.nextScheduleTime !== undefined ? { nextScheduleTime: Math.floor(s.nextScheduleTime) } : {}),
    lastScheduleStates: { ...s.lastScheduleStates },
  };
}
