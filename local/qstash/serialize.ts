import type { DlqEntry, EventEntry } from './store';
import type { DeadLetter, MessageJson, StoredMessage } from './types';
import { bodyFields, pairsToRecord } from './util';

/** GET /v2/messages/:id. `header` holds what reaches the destination (Content-Type + forwarded). */
export function messageJson(m: StoredMessage): MessageJson {
  const header = pairsToRecord(m.forward);
  if (m.contentType) header['Content-Type'] = [m.contentType];
  return {
    messageId: m.messageId,
    url: m.url,
    method: m.method,
    header,
    ...bodyFields(m.body),
    maxRetries: m.maxRetries,
    ...(m.retryDelayExpression ? { retryDelayExpression: m.retryDelayExpression } : {}),
    notBefore: Math.floor(m.notBefore),
    createdAt: Math.floor(m.createdAt),
    ...(m.callback ? { callback: m.callback.url } : {}),
    ...(m.failureCallback ? { failureCallback: m.failureCallback.url } : {}),
    ...(m.queueName ? { queueName: m.queueName } : {}),
    ...(m.scheduleId ? { scheduleId: m.scheduleId } : {}),
    ...(m.callerIp ? { callerIp: m.callerIp } : {}),
    ...(m.flowControlKey ? { flowControlKey: m.flowControlKey } : {}),
    ...(m.labels.length > 0 ? { label: m.labels[0], labels: m.labels } : {}),
  };
}

export function deadLetterJson(e: DlqEntry): DeadLetter {
  const response = e.responseBody ? bodyFields(e.responseBody) : {};
  return {
    ...messageJson(e.message),
    dlqId: e.dlqId,
    ...(e.responseStatus !== undefined ? { responseStatus: e.responseStatus } : {}),
    ...(e.responseHeader ? { responseHeader: e.responseHeader } : {}),
    ...(response.body !== undefined ? { responseBody: response.body } : {}),
    ...(response.bodyBase64 !== undefined ? { responseBodyBase64: response.bodyBase64 } : {}),
  };
}

export function eventJson(e: EventEntry): Record<string, unknown> {
  return {
    time: e.time,
    state: e.state,
    messageId: e.messageId,
    url: e.url,
    ...(e.scheduleId ? { scheduleId: e.scheduleId } : {}),
    ...(e.queueName ? { queueName: e.queueName } : {}),
    ...(e.labels.length > 0 ? { label: e.labels[0], labels: e.labels } : {}),
    ...(e.nextDeliveryTime !== undefined ? { nextDeliveryTime: e.nextDeliveryTime } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(e.responseStatus !== undefined ? { responseStatus: e.responseStatus } : {}),
  };
}
