/** Stable error codes of the API. Messages are zh-CN with an English fallback. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_BODY',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  'FORBIDDEN',
  'OUT_OF_SCOPE',
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  'ACCOUNT_DISABLED',
  'TOTP_REQUIRED',
  'INVALID_TOTP',
  'TOTP_ALREADY_ENROLLED',
  'TOTP_NOT_PENDING',
  'WEAK_PASSWORD',
  'WRONG_PASSWORD',
  'INVALID_ID_NUMBER',
  'INVALID_CREDIT_CODE',
  'INVALID_REGION_CODE',
  'INVALID_ORG_PARENT',
  'DUPLICATE',
  'CONFLICT',
  'SEPARATION_OF_DUTIES',
  'RATE_LIMITED',
  'INVALID_ITEM_CODE',
  'INVALID_ITEM',
  'UNKNOWN_SCENARIO',
  'VERSION_NOT_EDITABLE',
  'INVALID_TRANSITION',
  'CARD_READ_REQUIRED',
  'NOT_SHARED',
  'ACCESS_EXPIRED',
  'NO_ACCESS',
  'NOT_READY',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  hint?: string;
  requestId: string;
  details?: unknown;
}
