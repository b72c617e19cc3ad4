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
 * backlog work is `portable`: it opens its own connections rather than using the request's. A
 * drainer stops after DRAIN_BUDGET_MS (waitUntil is not unbounded); what is still queued then is
 * taken by the next request that gets a slot, and anything the isolate loses is still a stored
 * row that its job (the GHL redrive, the scoring job) finishes.
 *
 * Module state is per isolate and holds no I/O objects: a counter and functions that open their own.
 */
const MAX_IN_FLIGHT = 4;
const MAX_BACKLOG = 5_000;
const DRAIN_BUDGET_MS = 10_000;

let inFlight = 0;
const backlog: Array<() => Promise<unknown>> = [];

export interface LaneWork {
  /** Runs in the calling request, with its warm connections, when a slot is free at once. */
  here: () => Promise<unknown>;
  /** The same work able to run in any request of this isolate: it opens and closes its own I/O. */
  portable: () => Promise<unknown>;
  /** Told when the work is neither run nor queued (the backlog is full): its job will pick it up. */
  dropped?: () => void;
}

/** Resolves when this request's part is done: its own work (and some backlog), or the work queued. */
export async function inProcessingLane(work: LaneWork): Promise<void> {
  if (inFlight >= MAX_IN_FLIGHT) {
    if (backlog.length < MAX_BACKLOG) backlog.push(work.portable);
    else work.dropped?.();
    return;
  }
  inFlight++;
  try {
    await settle(work.here);
    const until = Date.now() + DRAIN_BUDGET_MS;
    for (let next = backlog.shift(); next; next = Date.now() < until ? backlog.shift() : undefined) await settle(next);
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
  return { inFlight, queued: backlog.length };
}
