/**
 * The seller assistant without a model: the rule-based extractor and the templated replies.
 * It answers when no Anthropic key is configured and whenever Claude fails or times out, so it
 * is held to the same labelled message set (npm run assistant:evaluate).
 */
import { extractDeterministic } from './extract';
import { composeTemplate } from './templates';
import type { AssistantResult, ComposeInput, Extraction, SellerAssistant, UnderstandInput } from './types';

export class DeterministicAssistant implements SellerAssistant {
  readonly name = 'deterministic' as const;

  async understand(input: UnderstandInput): Promise<AssistantResult<Extraction>> {
    return { value: extractDeterministic(input), source: 'deterministic' };
  }

  async compose(input: ComposeInput): Promise<AssistantResult<string>> {
    return { value: composeTemplate(input), source: 'deterministic' };
  }
}
