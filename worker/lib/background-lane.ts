/**
 * A bounded lane for background work in this isolate (GHL deliveries, immediate rescoring),
 * all of it done after the response. Under a burst, unbounded processing would flood the
 * database and starve the acknowledgements themselves (each one a single insert). With the lane, at most
 * MAX_IN_FLIGHT deliveries are processed at once and the rest wait their turn in order; if the
 * isolate goes away first, the rows are still `received` and the redrive job finishes them.
 * Module state is per isolate and holds no I/O objects, only a counter and resolvers.
 */
const MAX_IN_FLIGHT = 4;
let inFlight = 0;
const waiting: Array<() => void> = [];

export async function inProcessingLane<T>(work: () => Promise<T>): Promise<T> {
  if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => waiting.push(resolve));
  inFlight++;
  try {
    return await work();
  } finally {
    inFlight--;
    waiting.shift()?.();
  }
}
