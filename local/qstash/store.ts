import type { DeliveryRecord, MessageState, StoredMessage } from './types';

// All state is process memory. Nothing is persisted: a restart of the stand-in
// forgets pending messages, schedules, the DLQ and deduplication windows.

export interface DlqEntry {
  dlqId: string;
  message: StoredMessage;
  /** Virtual epoch ms when the message was dead-lettered. */
  at: number;
  responseStatus?: number;
  responseHeader?: Record<string, string[]>;
  responseBody?: Buffer;
}

export interface EventEntry {
  time: number;
  state: MessageState;
  messageId: string;
  url: string;
  scheduleId?: string;
  queueName?: string;
  labels: string[];
  nextDeliveryTime?: number;
  error?: string;
  responseStatus?: number;
}

interface DedupEntry {
  messageId: string;
  url: string;
  expiresAt: number;
}

/** QStash keeps deduplication ids for 10 minutes (measured on the virtual clock here). */
export const DEDUP_WINDOW_MS = 10 * 60 * 1000;
const MAX_EVENTS = 10_000;
const MAX_DELIVERY_RECORDS = 10_000;

export class Store {
  /** Messages not yet in a terminal state (QStash forgets delivered messages). */
  readonly messages = new Map<string, StoredMessage>();
  readonly dlq = new Map<string, DlqEntry>();
  readonly events: EventEntry[] = [];
  readonly deliveries: DeliveryRecord[] = [];
  readonly #dedup = new Map<string, DedupEntry>();
  #dlqSeq = 0;

  nextDlqId(virtualNow: number): string {
    // QStash DLQ ids look like "<unix ms>-<seq>" (e.g. 1725323658779-0).
    return `${Math.floor(virtualNow)}-${this.#dlqSeq++}`;
  }

  findDuplicate(key: string, virtualNow: number): DedupEntry | undefined {
    const hit = this.#dedup.get(key);
    if (hit && hit.expiresAt > virtualNow) return hit;
    if (hit) this.#dedup.delete(key);
    return undefined;
  }

  rememberDedup(key: string, messageId: string, url: string, virtualNow: number): void {
    this.#dedup.set(key, { messageId, url, expiresAt: virtualNow + DEDUP_WINDOW_MS });
    if (this.#dedup.size > 10_000) {
      for (const [k, v] of this.#dedup) if (v.expiresAt <= virtualNow) this.#dedup.delete(k);
    }
  }

  addEvent(event: EventEntry): void {
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
  }

  addDelivery(record: DeliveryRecord): void {
    this.deliveries.push(record);
    if (this.deliveries.length > MAX_DELIVERY_RECORDS) {
      this.deliveries.splice(0, this.deliveries.length - MAX_DELIVERY_RECORDS);
    }
  }
}
