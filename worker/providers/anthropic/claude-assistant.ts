import Anthropic from '@anthropic-ai/sdk';
import { AssistantFailure } from '../../assistant/fallback';
import type {
  AssistantResult,
  ComposeInput,
  Extraction,
  SellerAssistant,
  UnderstandInput,
} from '../../assistant/types';
import { RECORD_TOOL, RECORD_TOOL_NAME, SellerReplyInput, toExtraction } from './extraction-tool';
import { STATIC_SYSTEM_PROMPT, renderComposeTurn, renderUnderstandTurn } from './prompt';
import { forcedToolInput, messageUsage, reasonForSdkError } from './messages';
import { cleanSms, smsProblem } from './sms-check';

export interface ClaudeAssistantOptions {
  apiKey: string;
  /** ANTHROPIC_BASE_URL; the local stack points it at local/anthropic. */
  baseURL?: string;
  model?: string;
  /**
   * Per HTTP request. Keep it equal to the `withFallback` timeout so the SDK aborts the call at
   * the moment the fallback takes over, instead of leaving it running (and billed) behind it.
   */
  timeoutMs?: number;
  /** 0 (default) or 1. An SMS reply cannot wait out backoff; the fallback is the retry. */
  maxRetries?: 0 | 1;
  fetch?: typeof fetch;
}

export const DEFAULT_CLAUDE_MODEL = 'claude-haiku-4-5';

// Enough for the largest extraction (all four answers, notes, a question) with room to spare;
// a reply cut off by max_tokens is treated as invalid, never half-parsed.
const UNDERSTAND_MAX_TOKENS = 700;
// ~300 characters of SMS is ~80 tokens; the ceiling only stops a runaway answer.
const COMPOSE_MAX_TOKENS = 250;

/**
 * The Claude seller assistant. Both calls share one static prefix (the tool definition and the
 * system prompt, with a cache breakpoint after it), so after the first call in any five minutes,
 * from any tenant, the bulk of every request is a cache read. `understand` forces the
 * `record_seller_reply` tool; `compose` sends the same tools with tool_choice none and asks for
 * plain text. Whatever comes back is validated, and anything that fails throws an
 * `AssistantFailure` whose reason `withFallback` reports.
 */
export class ClaudeAssistant implements SellerAssistant {
  readonly name = 'claude' as const;
  private readonly client: Anthropic;
  private readonly model: string;

  constructor(opts: ClaudeAssistantOptions) {
    if (!opts.apiKey) throw new Error('ClaudeAssistant: apiKey is required');
    this.model = opts.model ?? DEFAULT_CLAUDE_MODEL;
    this.client = new Anthropic({
      apiKey: opts.apiKey,
      baseURL: opts.baseURL,
      timeout: opts.timeoutMs ?? 6000,
      maxRetries: opts.maxRetries ?? 0,
      fetch: opts.fetch,
    });
  }

  private system(): Anthropic.TextBlockParam[] {
    return [{ type: 'text', text: STATIC_SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } }];
  }

  async understand(input: UnderstandInput): Promise<AssistantResult<Extraction>> {
    const message = await this.call('understand', {
      model: this.model,
      max_tokens: UNDERSTAND_MAX_TOKENS,
      system: this.system(),
      tools: [RECORD_TOOL],
      tool_choice: { type: 'tool', name: RECORD_TOOL_NAME, disable_parallel_tool_use: true },
      messages: [{ role: 'user', content: renderUnderstandTurn(input) }],
    });
    const call = forcedToolInput(message, RECORD_TOOL_NAME, SellerReplyInput);
    if (!call.ok) throw invalid(`understand: ${call.problem}`, call.cause);
    return { value: toExtraction(call.input), source: 'claude', usage: usageOf(message) };
  }

  async compose(input: ComposeInput): Promise<AssistantResult<string>> {
    const message = await this.call('compose', {
      model: this.model,
      max_tokens: COMPOSE_MAX_TOKENS,
      system: this.system(),
      // Same tools as `understand` so both calls share the cached prefix; none may be used.
      tools: [RECORD_TOOL],
      tool_choice: { type: 'none' },
      messages: [{ role: 'user', content: renderComposeTurn(input) }],
    });
    if (message.stop_reason !== 'end_turn') throw invalid(`compose: stop_reason ${message.stop_reason}`);
    const raw = message.content
      .filter((b): b is Anthropic.TextBlock => b.type === 'text')
      .map((b) => b.text)
      .join('');
    const text = cleanSms(raw);
    const problem = smsProblem(text, input);
    if (problem) throw invalid(`compose: ${problem}`);
    return { value: text, source: 'claude', usage: usageOf(message) };
  }

  private async call(op: string, params: Anthropic.MessageCreateParamsNonStreaming): Promise<Anthropic.Message> {
    try {
      return await this.client.messages.create(params);
    } catch (err) {
      throw new AssistantFailure(reasonForSdkError(err), `claude ${op}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  }
}

function invalid(message: string, cause?: unknown): AssistantFailure {
  return new AssistantFailure('invalid_output', message, { cause });
}

/**
 * Input tokens include cache writes (billed as input, at 1.25×) so cost tracking never
 * undercounts; cache reads are reported apart because they bill at 0.1×.
 */
function usageOf(message: Anthropic.Message): NonNullable<AssistantResult<unknown>['usage']> {
  const u = messageUsage(message);
  return { inputTokens: u.inputTokens + u.cacheWriteTokens, outputTokens: u.outputTokens, cacheReadTokens: u.cacheReadTokens };
}
