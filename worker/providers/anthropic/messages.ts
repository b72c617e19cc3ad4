/**
 * What every Claude call here shares: reading the one tool call a `tool_choice: { type: 'tool' }`
 * request forces, the token usage as Anthropic bills it, and a short reason for an SDK error.
 * The seller assistant (claude-assistant.ts) and the coaching narrator (coaching-narrator.ts)
 * throw their own failure types around these.
 */
import Anthropic, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import type { z } from 'zod';

/** Tokens of one response: cache writes and reads apart from plain input, as they bill differently. */
export interface MessageUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export function messageUsage(message: Anthropic.Message): MessageUsage {
  const u = message.usage;
  return { inputTokens: u.input_tokens, outputTokens: u.output_tokens, cacheReadTokens: u.cache_read_input_tokens ?? 0, cacheWriteTokens: u.cache_creation_input_tokens ?? 0 };
}

/**
 * The forced tool call's input, validated; otherwise why not, in words safe to log (paths and
 * codes only: zod's issue messages can quote what the model copied from a lead's text).
 */
export function forcedToolInput<S extends z.ZodType>(
  message: Anthropic.Message,
  toolName: string,
  schema: S,
): { ok: true; input: z.output<S> } | { ok: false; problem: string; cause?: z.ZodError } {
  if (message.stop_reason === 'max_tokens') return { ok: false, problem: 'tool input cut off by max_tokens' };
  const block = message.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use' && b.name === toolName);
  if (!block) return { ok: false, problem: `no ${toolName} call (stop_reason ${message.stop_reason})` };
  const parsed = schema.safeParse(block.input);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}:${i.code}`).join(', ');
    return { ok: false, problem: `tool input does not match the schema (${where})`, cause: parsed.error };
  }
  return { ok: true, input: parsed.data };
}

/** SDK error → a short, stable reason for logs and metrics ('api_error:overloaded_error', 'timeout'…). */
export function reasonForSdkError(err: unknown): string {
  if (err instanceof APIConnectionTimeoutError) return 'timeout';
  if (err instanceof APIUserAbortError) return 'aborted';
  if (err instanceof APIConnectionError) return 'connection_error';
  if (err instanceof APIError) return `api_error:${err.type ?? `http_${err.status ?? 'unknown'}`}`;
  return 'error';
}
