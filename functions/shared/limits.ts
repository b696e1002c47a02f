/**
 * Every numeric limit and pattern the relay enforces, in one place: the zod schemas, the HTTP pipeline, the
 * client and the docs all refer to these constants. Values come from the seed documents unless a comment says
 * otherwise.
 */

/** Largest request body the relay accepts, in bytes, counted on the raw (base64-decoded) body. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Path parameters (`{id}`, `{corp_id}`): checked before anything is built from them. */
export const PATH_PARAM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const PATH_PARAM_RULE = 'must be 1 to 64 characters of A-Z, a-z, 0-9, _ or -';

/** Modify-resources body: an array of 1 to 100 ModResourceDTO items. */
export const MIN_RESOURCE_ITEMS = 1;
export const MAX_RESOURCE_ITEMS = 100;

/** Resource id inside the body. Huawei gives no length; ids are 32-hex UUIDs, so the path-param rule fits. */
export const RESOURCE_ID_PATTERN = PATH_PARAM_PATTERN;

/** VMR host and guest passwords: 4 to 16 ASCII digits. */
export const PASSWORD_MIN_DIGITS = 4;
export const PASSWORD_MAX_DIGITS = 16;
export const PASSWORD_PATTERN = new RegExp(`^[0-9]{${PASSWORD_MIN_DIGITS},${PASSWORD_MAX_DIGITS}}$`);

/** VMR name length in Unicode characters (code points), as zod and the simulator count them. */
export const VMR_NAME_MIN_LENGTH = 1;
export const VMR_NAME_MAX_LENGTH = 128;

/**
 * `expireDate` is an epoch-millisecond timestamp. Requiring 13 digits (2001-09-09 to 2286-11-20) refuses a
 * value in seconds, which would otherwise set an expiry in January 1970 and get the resource disabled.
 */
export const EXPIRE_DATE_MIN_MS = 1_000_000_000_000;
export const EXPIRE_DATE_MAX_MS = 9_999_999_999_999;

/** `X-Request-Id`: 1 to 128 printable ASCII characters without spaces (a UUID fits). */
export const REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
/**
 * `X-Access-Token`: token characters (RFC 6750's b64token set). Huawei's tokens are about 40 alphanumerics; the set
 * refuses two tokens joined by a comma (API Gateway joins repeated headers) and anything that could break a header.
 */
export const ACCESS_TOKEN_PATTERN = /^[A-Za-z0-9._~+/=-]{1,2048}$/;

/** `Accept-Language` values Huawei documents; anything else is dropped (Huawei then uses zh-CN). */
export const SUPPORTED_LANGUAGES = ['zh-CN', 'en-US'] as const;

/** Cap on a joined `error_msg` listing several problems. */
export const MAX_ERROR_MESSAGE_LENGTH = 1024;

/** API Gateway HTTP API's integration timeout: nothing behind it can answer later. */
export const GATEWAY_INTEGRATION_TIMEOUT_MS = 30_000;
/**
 * The relay functions' timeout: the Lambda's (lib/meeting-relay-stack.ts) and the local gateway emulator's
 * (local/gateway/server.ts). Below the integration timeout with room to spare, so the relay answers 504 itself.
 */
export const RELAY_FUNCTION_TIMEOUT_MS = 25_000;
/** Bound on an upstream call from the gateway's side: its timeout less 2 s for the relay's own work and the answer. */
export const RELAY_DEADLINE_MS = GATEWAY_INTEGRATION_TIMEOUT_MS - 2_000;
/** Time kept back from the Lambda's remaining time, so the relay can still answer 504 before being killed. */
export const LAMBDA_SAFETY_MARGIN_MS = 1_500;
