import type { AssistantResult, SellerAssistant } from './types';

/**
 * A provider's failure with a short, stable reason ('timeout', 'invalid_output',
 * 'api_error:overloaded_error'…) for logs and metrics. The message may carry detail for the
 * log; neither carries message bodies.
 */
export class AssistantFailure extends Error {
  readonly reason: string;

  constructor(reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AssistantFailure';
    this.reason = reason;
  }
}

export interface FallbackOptions {
  /** How long the primary gets per call before the fallback answers instead. */
  timeoutMs: number;
  /** Called once per fallback, before the fallback runs; for logging and metrics. */
  onFallback?: (reason: string, error: unknown) => void;
}

function reasonOf(err: unknown): string {
  if (err instanceof AssistantFailure) return err.reason;
  if (typeof err === 'object' && err !== null && typeof (err as { reason?: unknown }).reason === 'string') {
    return (err as { reason: string }).reason;
  }
  return 'error';
}

/**
 * The primary assistant, answered for by `fallback` whenever it throws or takes longer than
 * `timeoutMs`. The result then carries `fallbackReason`. A lead's reply must never wait on, or
 * be lost to, a provider outage; a failing fallback is the only error that propagates.
 */
export function withFallback(primary: SellerAssistant, fallback: SellerAssistant, opts: FallbackOptions): SellerAssistant {
  async function run<T>(op: 'understand' | 'compose', first: () => Promise<AssistantResult<T>>, second: () => Promise<AssistantResult<T>>) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AssistantFailure('timeout', `${primary.name} ${op} took longer than ${opts.timeoutMs} ms`)),
        opts.timeoutMs,
      );
    });
    try {
      // The async wrapper turns a synchronous throw into a rejection like any other.
      return await Promise.race([(async () => first())(), deadline]);
    } catch (err) {
      const reason = reasonOf(err);
      try {
        opts.onFallback?.(reason, err);
      } catch {
        // A broken logger must not cost the lead their reply.
      }
      const result = await second();
      return { ...result, fallbackReason: reason };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    name: primary.name,
    understand: (input) => run('understand', () => primary.understand(input), () => fallback.understand(input)),
    compose: (input) => run('compose', () => primary.compose(input), () => fallback.compose(input)),
  };
}
