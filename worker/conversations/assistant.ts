import { DeterministicAssistant } from '../assistant/deterministic';
import { withFallback } from '../assistant/fallback';
import type { SellerAssistant } from '../assistant/types';
import type { Config } from '../config';
import type { Logger } from '../lib/logger';
import { ClaudeAssistant } from '../providers/anthropic/claude-assistant';

/**
 * Claude when ANTHROPIC_API_KEY is configured, with the deterministic assistant answering on any
 * error or timeout; the deterministic assistant alone otherwise. Chosen by configuration only.
 */
export function sellerAssistantFor(config: Config, logger: Logger): SellerAssistant {
  const deterministic = new DeterministicAssistant();
  if (!config.ANTHROPIC_API_KEY) return deterministic;
  const claude = new ClaudeAssistant({
    apiKey: config.ANTHROPIC_API_KEY,
    baseURL: config.ANTHROPIC_BASE_URL,
    model: config.ANTHROPIC_MODEL,
    timeoutMs: config.ASSISTANT_TIMEOUT_MS,
  });
  return withFallback(claude, deterministic, {
    timeoutMs: config.ASSISTANT_TIMEOUT_MS,
    onFallback: (reason) => logger.warn('seller assistant fell back to deterministic', { reason }),
  });
}
