/** Pure compliance rules for outbound SMS (no I/O): phone numbers, recipient locale, quiet hours, follow-up caps. */
export { normalizePhone, areaCodeOf } from './phone';
export { AREA_CODES, STATE_TIME_ZONES, areaCodeInfo, stateCode, type AreaCodeInfo } from './area-codes';
export {
  SEARCH_HORIZON_DAYS,
  allowedWindow,
  describeQuietHours,
  isSendAllowed,
  nextAllowedSendTime,
  recipientLocale,
  type LocalDate,
  type MinuteWindow,
  type QuietHoursSettings,
  type RecipientLocale,
} from './quiet-hours';
export { followUpCapCheck, type FollowUpCapInput, type FollowUpCapResult } from './caps';
