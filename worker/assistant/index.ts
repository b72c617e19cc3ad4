/** The seller assistant's public API (fallback.ts, the Claude-then-rules wrapper, lives beside it). */
export * from './types';
export { detectComplianceKeyword, type ComplianceKeyword } from './keywords';
export { extractDeterministic } from './extract';
export { classifySeller, formatDollars, type Classification, HOT_MAX_TIMELINE_DAYS, COLD_MIN_TIMELINE_DAYS, HOT_MAX_PRICE_RATIO, COLD_MIN_PRICE_RATIO } from './classify';
export {
  decideTurn,
  initialConversationState,
  type BotState,
  type ConversationState,
  type Stage,
  type TurnDecision,
  type TurnOutcome,
} from './policy';
export { composeTemplate, helpReply, optInConfirmation, optOutConfirmation, SMS_MAX_LENGTH, SMS_TARGET_LENGTH } from './templates';
export { DeterministicAssistant } from './deterministic';
