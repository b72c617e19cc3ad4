/**
 * Domain errors. Services throw these; `app.onError` turns them into the one error envelope
 * `{ error: { code, message, details?, requestId } }` with the status from ERROR_STATUS.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  payment_required: 402,
  seat_limit_reached: 402,
  plan_feature_required: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  upgrade_required: 426,
  validation_failed: 422,
  rate_limited: 429,
  internal_error: 500,
  misconfigured: 503,
  dependency_unavailable: 503,
  billing_not_configured: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; details?: unknown; requestId: string };
}

export class ServiceError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  /** Seconds a client (or a provider's retry logic) should wait; sent as Retry-After. */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, opts: { details?: unknown; retryAfter?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = opts.details;
    this.retryAfter = opts.retryAfter;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export class BadRequest extends ServiceError {
  constructor(message: string, details?: unknown) {
    super('bad_request', message, { details });
  }
}

export class ValidationFailed extends ServiceError {
  constructor(message: string, details: FieldIssue[]) {
    super('validation_failed', message, { details });
  }
}

export class Unauthorized extends ServiceError {
  constructor(message = 'Authentication required') {
    super('unauthorized', message);
  }
}

export class Forbidden extends ServiceError {
  constructor(message = 'You do not have permission to do this') {
    super('forbidden', message);
  }
}

export class NotFound extends ServiceError {
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}

export class Conflict extends ServiceError {
  constructor(message: string, details?: unknown) {
    super('conflict', message, { details });
  }
}

export class LimitExceeded extends ServiceError {
  constructor(message: string, retryAfter: number) {
    super('rate_limited', message, { retryAfter });
  }
}

export class DependencyUnavailable extends ServiceError {
  constructor(dependency: string, cause?: unknown, retryAfter = 5) {
    super('dependency_unavailable', `${dependency} is unavailable; retry shortly`, { retryAfter, cause, details: { dependency } });
  }
}

export class Misconfigured extends ServiceError {
  constructor(variables: string[]) {
    super('misconfigured', `The service is not configured: ${variables.join(', ')} missing or invalid`, {
      details: { variables },
      retryAfter: 30,
    });
  }
}

/** The plan's seats are all taken: adding a person needs more seats (or a bigger plan). */
export class SeatLimitReached extends ServiceError {
  constructor(seatsUsed: number, seatsAllowed: number, plan: string) {
    super('seat_limit_reached', `All ${seatsAllowed} seats of the ${plan} plan are in use (${seatsUsed} used); add seats or upgrade to add a user`, {
      details: { seatsUsed, seatsAllowed, plan },
    });
  }
}

/**
 * The tenant's plan does not include a paid feature it tried to use (a write or an action; reads
 * of what it already has are never refused). The message names the feature and the plan that has it.
 */
export class PlanFeatureRequired extends ServiceError {
  constructor(message: string, details: { feature: string; plan: string; requiredPlan: string }) {
    super('plan_feature_required', message, { details });
  }
}

/**
 * The tenant's subscription is past due, canceled or unpaid: automation (bot replies, alerts,
 * scoring) is off until it is paid; every read still works. Callers that may run for such a
 * tenant check `automationAllowed` first and skip quietly; this is the backstop.
 */
export class AutomationPaused extends ServiceError {
  constructor(what: string) {
    super('payment_required', `Automation is paused for this account until its subscription is paid (${what})`);
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

/** zod issues → `[{ path: "owner.email", message }]`, the field paths a client can act on. */
export function fieldIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): FieldIssue[] {
  return issues.map((i) => ({
    path: i.path.length ? i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[') : '(root)',
    message: i.message,
  }));
}

/** Postgres SQLSTATEs that mean "the database can't serve you right now", not "your query is wrong". */
const UNAVAILABLE_SQLSTATE = /^(08...|53300|53400|57P01|57P02|57P03)$/;
const UNAVAILABLE_MESSAGE = /connection terminated|too many (clients|connections)|ECONNREFUSED|ECONNRESET|socket hang up|WebSocket (was )?closed|fetch failed|Network connection lost|timeout exceeded when trying to connect/i;

/**
 * An unexpected error that is really a dependency outage (Postgres out of connections or
 * unreachable, Redis/QStash unreachable): the caller gets 503 + Retry-After rather than a 500,
 * because retrying shortly is the right thing to do.
 */
/**
 * Postgres refuses some text a request can carry and zod lets through: the NUL character
 * (`\u0000`) in text or jsonb (22021 / 22P05). That is the client's input, not our failure: 422.
 */
const UNSTORABLE_TEXT_SQLSTATE = new Set(['22021', '22P05']);

export function asUnstorableText(err: unknown): ValidationFailed | null {
  for (let e = err as { code?: unknown; cause?: unknown } | null, depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && UNSTORABLE_TEXT_SQLSTATE.has(e.code)) {
      return new ValidationFailed('A text value contains a character that cannot be stored (the NUL character, \\u0000); remove it and send again', []);
    }
  }
  return null;
}

export function asDependencyFailure(err: unknown): DependencyUnavailable | null {
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; name?: unknown } | null;
  if (!e || typeof e !== 'object') return null;
  if (typeof e.code === 'string' && UNAVAILABLE_SQLSTATE.test(e.code)) return new DependencyUnavailable('The database', err);
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) {
    const name = /redis|upstash/i.test(String(e.name) + e.message) ? 'Redis' : /qstash/i.test(e.message) ? 'The job queue' : 'The database';
    return new DependencyUnavailable(name, err);
  }
  return e.cause && e.cause !== err ? asDependencyFailure(e.cause) : null;
}
