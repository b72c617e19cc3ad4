/**
 * The background lane never makes a request wait on another (workerd cancels such a request as
 * hung): past four in flight, work is queued and returned from at once, and the slot holders run
 * it — the portable form, in order — after their own.
 */
import { describe, expect, it } from 'vitest';
import { inProcessingLane, laneState } from './background-lane';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

/** Files share this isolate (isolate: false): let background work a previous file started finish. */
async function idle() {
  for (let i = 0; i < 400 && (laneState().inFlight || laneState().queued); i++) await new Promise((r) => setTimeout(r, 25));
  expect(laneState()).toEqual({ inFlight: 0, queued: 0 });
}

describe('background lane', () => {
  it('queues the fifth piece of work instead of waiting, and a slot holder runs its portable form after its own', async () => {
    await idle();
    const ran: string[] = [];
    const gates = Array.from({ length: 4 }, gate);
    const holders = gates.map((g, i) =>
      inProcessingLane({
        here: async () => {
          await g.opened;
          ran.push(`here ${i}`);
        },
        portable: async () => ran.push(`portable ${i}`),
      }),
    );
    expect(laneState()).toEqual({ inFlight: 4, queued: 0 });

    let queuedReturned = false;
    const queued = ['a', 'b'].map((k) =>
      inProcessingLane({ here: async () => ran.push(`here ${k}`), portable: async () => ran.push(`portable ${k}`) }).then(() => (queuedReturned = true)),
    );
    await Promise.all(queued);
    expect(queuedReturned).toBe(true); // returned while every slot was still held
    expect(laneState()).toEqual({ inFlight: 4, queued: 2 });
    expect(ran).toEqual([]);

    gates[2]!.open();
    await holders[2];
    // Holder 2 did its own work, then drained the backlog in order, with the portable forms.
    expect(ran).toEqual(['here 2', 'portable a', 'portable b']);
    expect(laneState()).toEqual({ inFlight: 3, queued: 0 });

    for (const g of gates) g.open();
    await Promise.all(holders);
    expect(laneState()).toEqual({ inFlight: 0, queued: 0 });
    expect(ran.filter((r) => r.startsWith('here'))).toHaveLength(4);
  });

  it('drains urgent work before bulk work, each in arrival order', async () => {
    await idle();
    const ran: string[] = [];
    const gates = Array.from({ length: 4 }, gate);
    const holders = gates.map((g) => inProcessingLane({ here: () => g.opened, portable: async () => undefined }));
    for (const [k, priority] of [['contact 1', 'bulk'], ['sms 1', 'urgent'], ['contact 2', undefined], ['sms 2', 'urgent']] as const) {
      await inProcessingLane({ here: async () => ran.push(`here ${k}`), portable: async () => ran.push(k), priority });
    }
    gates[0]!.open();
    await holders[0];
    expect(ran).toEqual(['sms 1', 'sms 2', 'contact 1', 'contact 2']);
    for (const g of gates) g.open();
    await Promise.all(holders);
  });

  it('a failing piece of work neither stops the drain nor leaks its slot', async () => {
    await idle();
    const gates = Array.from({ length: 4 }, gate);
    const ran: string[] = [];
    const holders = gates.map((g, i) => inProcessingLane({ here: () => g.opened.then(() => { if (i === 0) throw new Error('boom'); }), portable: async () => undefined }));
    await inProcessingLane({ here: async () => undefined, portable: () => Promise.reject(new Error('portable boom')) });
    await inProcessingLane({ here: async () => undefined, portable: async () => ran.push('after the failure') });
    gates[0]!.open();
    await holders[0];
    expect(ran).toEqual(['after the failure']);
    for (const g of gates) g.open();
    await Promise.all(holders);
    expect(laneState()).toEqual({ inFlight: 0, queued: 0 });
  });
});
