import { CronExpressionParser } from 'cron-parser';

/**
 * Compressed clock. Virtual time starts equal to real time and then runs `timeScale`
 * times faster, so timestamps in API responses still look like "now" but delays,
 * retry backoff and cron schedules elapse quickly. JWT iat/nbf/exp deliberately do
 * NOT use this clock (the Receiver checks them against the real clock).
 */
export class VirtualClock {
  readonly startReal: number;

  constructor(
    readonly timeScale: number,
    startReal = Date.now(),
  ) {
    if (!Number.isFinite(timeScale) || timeScale <= 0) {
      throw new RangeError(`timeScale must be a positive finite number, got ${timeScale}`);
    }
    this.startReal = startReal;
  }

  /** Virtual epoch milliseconds. */
  now(): number {
    return this.startReal + (Date.now() - this.startReal) * this.timeScale;
  }

  /** Real milliseconds corresponding to a virtual duration. */
  toReal(virtualMs: number): number {
    return Math.max(0, virtualMs) / this.timeScale;
  }
}

export interface TimerHandle {
  /** Virtual epoch ms at which the callback runs. */
  readonly at: number;
  done: boolean;
}

// Node clamps anything above 2^31-1 ms to 1 ms, which would fire long delays instantly.
const MAX_SET_TIMEOUT_MS = 2_147_483_647;

/** Timers keyed on the virtual clock; all cleared at once on close(). */
export class Timers {
  readonly #clock: VirtualClock;
  readonly #onError: (err: unknown) => void;
  readonly #live = new Map<TimerHandle, NodeJS.Timeout>();
  #closed = false;

  constructor(clock: VirtualClock, onError: (err: unknown) => void) {
    this.#clock = clock;
    this.#onError = onError;
  }

  at(virtualTime: number, fn: () => unknown): TimerHandle {
    const handle: TimerHandle = { at: virtualTime, done: false };
    this.#arm(handle, fn);
    return handle;
  }

  after(virtualDelayMs: number, fn: () => unknown): TimerHandle {
    return this.at(this.#clock.now() + virtualDelayMs, fn);
  }

  cancel(handle: TimerHandle | undefined): void {
    if (!handle) return;
    handle.done = true;
    const t = this.#live.get(handle);
    if (t) clearTimeout(t);
    this.#live.delete(handle);
  }

  close(): void {
    this.#closed = true;
    for (const [handle, t] of this.#live) {
      handle.done = true;
      clearTimeout(t);
    }
    this.#live.clear();
  }

  #arm(handle: TimerHandle, fn: () => unknown): void {
    if (this.#closed || handle.done) return;
    const realDelay = this.#clock.toReal(handle.at - this.#clock.now());
    const t = setTimeout(
      () => {
        this.#live.delete(handle);
        if (this.#closed || handle.done) return;
        // setTimeout has 1 ms resolution and may wake slightly early relative to the
        // scaled clock; re-arm rather than firing before the virtual deadline.
        if (this.#clock.toReal(handle.at - this.#clock.now()) > 1) {
          this.#arm(handle, fn);
          return;
        }
        handle.done = true;
        Promise.resolve()
          .then(fn)
          .catch((err: unknown) => this.#onError(err));
      },
      Math.min(Math.ceil(realDelay), MAX_SET_TIMEOUT_MS),
    );
    // The HTTP server keeps the process alive; pending deliveries alone should not.
    t.unref();
    this.#live.set(handle, t);
  }
}

export interface CronSpec {
  /** Exactly what the client sent (returned as-is by GET /v2/schedules/:id). */
  raw: string;
  fields: string;
  tz: string;
}

/**
 * QStash takes standard 5-field cron evaluated in UTC, optionally prefixed with
 * `CRON_TZ=<IANA zone> `. cron-parser would also accept 6-field (seconds) and
 * shortened expressions, so the field count is enforced here to reject what
 * QStash rejects.
 */
export function parseCron(raw: string): CronSpec {
  let rest = raw.trim();
  let tz = 'UTC';
  const tzMatch = /^CRON_TZ=(\S+)\s+(.+)$/.exec(rest);
  if (tzMatch) {
    tz = tzMatch[1]!;
    rest = tzMatch[2]!.trim();
  }
  const fields = rest.split(/\s+/);
  if (rest.length === 0 || fields.length !== 5) {
    throw new Error(`invalid cron expression "${raw}": expected 5 fields (minute hour day-of-month month day-of-week)`);
  }
  try {
    // An unknown zone only surfaces when computing a date, so compute one now.
    CronExpressionParser.parse(rest, { tz, currentDate: new Date() }).next();
  } catch (err) {
    throw new Error(`invalid cron expression "${raw}": ${err instanceof Error ? err.message : String(err)}`);
  }
  return { raw, fields: rest, tz };
}

/** First firing strictly after `afterVirtualMs` (virtual epoch ms). */
export function nextCronTime(spec: CronSpec, afterVirtualMs: number): number {
  return CronExpressionParser.parse(spec.fields, { tz: spec.tz, currentDate: new Date(afterVirtualMs) })
    .next()
    .toDate()
    .getTime();
}
