import type { StoredMessage } from './types';

export interface QueueJson {
  createdAt: number;
  updatedAt: number;
  name: string;
  parallelism: number;
  lag: number;
  paused: boolean;
}

interface Waiting {
  message: StoredMessage;
  run: () => Promise<void>;
}

interface QueueState {
  name: string;
  parallelism: number;
  paused: boolean;
  createdAt: number;
  updatedAt: number;
  active: number;
  waiting: Waiting[];
}

const TERMINAL = new Set(['DELIVERED', 'FAILED', 'CANCELED']);

/**
 * QStash queues deliver in FIFO order with at most `parallelism` messages in progress.
 * A message occupies its slot for its whole life (first attempt through the last
 * retry), which is what keeps a parallelism-1 queue strictly ordered.
 * Enqueueing to an unknown queue creates it with parallelism 1, as QStash does.
 */
export class QueueRegistry {
  readonly #queues = new Map<string, QueueState>();

  constructor(private readonly now: () => number) {}

  upsert(name: string, opts: { parallelism?: number; paused?: boolean }): QueueState {
    const existing = this.#queues.get(name);
    const t = this.now();
    const q = existing ?? { name, parallelism: 1, paused: false, createdAt: t, updatedAt: t, active: 0, waiting: [] };
    if (opts.parallelism !== undefined) q.parallelism = Math.max(1, Math.floor(opts.parallelism));
    if (opts.paused !== undefined) q.paused = opts.paused;
    q.updatedAt = t;
    this.#queues.set(name, q);
    this.#pump(q);
    return q;
  }

  get(name: string): QueueJson | undefined {
    const q = this.#queues.get(name);
    return q && this.#json(q);
  }

  list(): QueueJson[] {
    return [...this.#queues.values()].map((q) => this.#json(q));
  }

  /** Removes the queue; returns messages still waiting so the caller can cancel them. */
  delete(name: string): StoredMessage[] | undefined {
    const q = this.#queues.get(name);
    if (!q) return undefined;
    this.#queues.delete(name);
    return q.waiting.map((w) => w.message);
  }

  setPaused(name: string, paused: boolean): boolean {
    const q = this.#queues.get(name);
    if (!q) return false;
    q.paused = paused;
    q.updatedAt = this.now();
    this.#pump(q);
    return true;
  }

  /** `run` must resolve once the message reaches a terminal state. */
  submit(name: string, message: StoredMessage, run: () => Promise<void>): void {
    const q = this.#queues.get(name) ?? this.upsert(name, {});
    q.waiting.push({ message, run });
    this.#pump(q);
  }

  #pump(q: QueueState): void {
    while (!q.paused && q.active < q.parallelism && q.waiting.length > 0) {
      const next = q.waiting.shift()!;
      if (TERMINAL.has(next.message.state)) continue;
      q.active++;
      void next.run().finally(() => {
        q.active--;
        this.#pump(q);
      });
    }
  }

  #json(q: QueueState): QueueJson {
    return {
      createdAt: Math.floor(q.createdAt),
      updatedAt: Math.floor(q.updatedAt),
      name: q.name,
      parallelism: q.parallelism,
      lag: q.waiting.length,
      paused: q.paused,
    };
  }
}
