// Shared shapes for the local QStash stand-in. Everything here lives in memory only:
// restarting the stand-in loses messages, schedules, the DLQ and dedup windows.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** Message lifecycle states, spelled as the SDK's `State` type spells them. */
export type MessageState =
  | 'CREATED'
  | 'ACTIVE'
  | 'RETRY'
  | 'ERROR'
  | 'DELIVERED'
  | 'FAILED'
  | 'CANCELED';

/** What produced a message: a publish/enqueue/schedule, or one of QStash's callback messages. */
export type MessageKind = 'message' | 'callback' | 'failureCallback';

/** Headers kept as ordered [name, value] pairs so repeated forwarded headers survive. */
export type HeaderPairs = Array<[string, string]>;

export interface CallbackSpec {
  url: string;
  method?: HttpMethod;
  retries?: number;
  /** Virtual milliseconds. */
  delayMs?: number;
  /** Real milliseconds (see README: timeouts are not compressed). */
  timeoutMs?: number;
  forward: HeaderPairs;
}

/** Everything a publish / schedule / callback needs to create a message. */
export interface MessageTemplate {
  url: string;
  method: HttpMethod;
  body: Buffer;
  contentType?: string;
  forward: HeaderPairs;
  maxRetries: number;
  retryDelayExpression?: string;
  /** Real milliseconds; undefined = the stand-in's default delivery timeout. */
  timeoutMs?: number;
  callback?: CallbackSpec;
  failureCallback?: CallbackSpec;
  labels: string[];
  flowControlKey?: string;
  flowControlValue?: string;
}

export interface NewMessage extends MessageTemplate {
  kind: MessageKind;
  /** Virtual epoch ms before which the message must not be delivered. */
  notBefore: number;
  scheduleId?: string;
  queueName?: string;
  callerIp?: string;
}

export interface StoredMessage extends NewMessage {
  messageId: string;
  /** Virtual epoch ms. */
  createdAt: number;
  state: MessageState;
  /** How many times delivery has been retried so far (the value sent as Upstash-Retried). */
  retried: number;
}

/** One HTTP delivery attempt made by the stand-in (successful or not). */
export interface DeliveryRecord {
  messageId: string;
  kind: MessageKind;
  url: string;
  method: HttpMethod;
  /** 1-based attempt number (= retried + 1). */
  attempt: number;
  /** Value of the Upstash-Retried header sent with this attempt. */
  retried: number;
  /** HTTP status, or null for a network error / timeout. */
  status: number | null;
  error?: string;
  scheduleId?: string;
  /** Virtual epoch ms when the attempt started (same clock as the API's timestamps). */
  at: number;
  /** Real epoch ms when the attempt started (useful to measure compressed gaps). */
  realAt: number;
}

/** A dead-lettered message, in the JSON shape `GET /v2/dlq` returns (the SDK's DlqMessage). */
export interface DeadLetter extends MessageJson {
  dlqId: string;
  responseStatus?: number;
  responseHeader?: Record<string, string[]>;
  responseBody?: string;
  responseBodyBase64?: string;
}

/** JSON shape of `GET /v2/messages/:id` (the SDK's MessagePayload). */
export interface MessageJson {
  messageId: string;
  url: string;
  method: HttpMethod;
  header: Record<string, string[]>;
  body?: string;
  bodyBase64?: string;
  maxRetries: number;
  retryDelayExpression?: string;
  notBefore: number;
  createdAt: number;
  callback?: string;
  failureCallback?: string;
  queueName?: string;
  scheduleId?: string;
  callerIp?: string;
  flowControlKey?: string;
  label?: string;
  labels?: string[];
}

export type LogEntry = Record<string, unknown>;
export type Logger = (entry: LogEntry) => void;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
