/**
 * A bounded lane for background work in this isolate (GHL deliveries, immediate rescoring),
 * all of it done after the response. Under a burst, unbounded processing would flood the
 * database and starve the acknowledgements themselves (each one a single insert): at most
 * MAX_IN_FLIGHT requests process at once.
 *
 * A request never waits for another request here. On Workers a request whose only pending work
 * is a promise another request will resolve is "hung": the runtime cancels it (and it never runs).
 * So a request that finds the lane full leaves its work in the backlog and returns; the requests
 * holding the slots drain the backlog after their own work, each with its own I/O — which is why
 * backlog work is `portable`: it opens its own connections rather than using the request's.
 * A drainer stops taking bulk work after DRAIN_BUDGET_MS (waitUntil is not unbounded; urgent
 * work it still takes); bulk work still queued then goes to the next request that gets a slot.
 * Work beyond MAX_BACKLOG, or lost with the isolate, is still a stored row that its job (the GHL
 * redrive, the scoring job) finishes.
 *
 * Urgent work (a lead's text waiting for its reply, an alert waiting for its agent) is drained
 * before the rest: a bulk import of contacts must not hold up the answer to an inbound SMS.
 *
 * Module state is per isolate and holds no I/O objects: a counter and functions that open their own.
 */
const MAX_IN_FLIGHT = 4;
const MAX_BACKLOG = 5_000;
const DRAIN_BUDGET_MS = 10_000;

let inFlight = 0;
const urgent: Array<() => Promise<unknown>> = [];
const bulk: Array<() => Promise<unknown>> = [];

export interface LaneWork {
  /** Runs in the calling request, with its warm connections, when a slot is free at once. */
  here: () => Promise<unknown>;
  /** The same work able to run in any request of this isolate: it opens and closes its own I/O. */
  portable: () => Promise<unknown>;
  /** `urgent` is drained before `bulk` (the default); each in arrival order. */
  priority?: 'urgent' | 'bulk';
}

/** Resolves when this request's part is done: its own work (and some backlog), or the work queued. */
export async function inProcessingLane(work: LaneWork): Promise<void> {
  if (inFlight >= MAX_IN_FLIGHT) {
    if (urgent.length + bulk.length < MAX_BACKLOG) (work.priority === 'urgent' ? urgent : bulk).push(work.portable);
    return;
  }
  inFlight++;
  try {
    await settle(work.here);
    const until = Date.now() + DRAIN_BUDGET_MS;
    // Past the budget only urgent work is taken: a queued reply must not wait for the next request.
    const take = () => urgent.shift() ?? (Date.now() < until ? bulk.shift() : undefined);
    for (let next = take(); next; next = take()) await settle(next);
  } finally {
    inFlight--;
  }
}

/** Each piece of work logs its own failures; one failing never stops the drain. */
async function settle(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch {
    // The work's own logging has said what failed; its stored row is retried by its job.
  }
}

/** For tests: how much is queued and running in this isolate. */
export function laneState() {
  return { inFlight, queued: urgent.length + bulk.length };
}
