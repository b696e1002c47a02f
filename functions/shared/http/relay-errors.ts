/**
 * Huawei's error shape and the relay's own error table. Every refusal the relay makes, and every upstream
 * failure it cannot pass through, is answered in Huawei's shape with one of these stable codes, so a client
 * written for Huawei parses the relay's errors unchanged.
 */

/** Huawei's error body: `{"error_code","error_msg","request_id"}`. */
export interface HuaweiErrorBody {
  error_code: string;
  error_msg: string;
  request_id: string;
}

export interface RelayErrorDefinition {
  readonly status: number;
  readonly code: string;
  /** What the code means; the docs' table and the default `error_msg` use it. */
  readonly meaning: string;
}

/** The relay's error codes. Stable: clients may match on them. Documented in docs/relay.md. */
export const RELAY_ERRORS = {
  invalidBody: { status: 400, code: 'RELAY.400001', meaning: 'A body field breaks a rule' },
  invalidPathParameter: { status: 400, code: 'RELAY.400002', meaning: 'A path parameter breaks its rule' },
  malformedJson: { status: 400, code: 'RELAY.400003', meaning: 'The body is not valid JSON in UTF-8' },
  invalidHeader: { status: 400, code: 'RELAY.400004', meaning: 'A header breaks its rule' },
  invalidQueryParameter: { status: 400, code: 'RELAY.400005', meaning: 'A query parameter breaks its rule (registry API)' },
  missingAccessToken: { status: 401, code: 'RELAY.401001', meaning: 'X-Access-Token is missing' },
  noRoute: { status: 404, code: 'RELAY.404001', meaning: 'No route for this method and path' },
  bodyTooLarge: { status: 413, code: 'RELAY.413001', meaning: 'The body is larger than the limit' },
  unsupportedContentType: { status: 415, code: 'RELAY.415001', meaning: 'Content-Type is missing, not application/json, or names a charset other than UTF-8' },
  internal: { status: 500, code: 'RELAY.500001', meaning: 'Internal error' },
  upstreamUnavailable: { status: 502, code: 'RELAY.502001', meaning: 'Huawei Cloud Meeting could not be reached, retries included' },
  registryUnavailable: {
    status: 503,
    code: 'RELAY.503001',
    meaning: 'The registry is unavailable, or concurrent updates of the resource did not settle: nothing is confirmed, retry',
  },
  upstreamTimeout: { status: 504, code: 'RELAY.504001', meaning: 'Huawei Cloud Meeting did not answer within the deadline' },
} as const satisfies Record<string, RelayErrorDefinition>;

export type RelayErrorKind = keyof typeof RELAY_ERRORS;

/**
 * A refusal or failure the relay answers itself. `message` becomes `error_msg`, so it must name the field and
 * the rule and must never carry a secret or an internal detail.
 */
export class RelayError extends Error {
  readonly kind: RelayErrorKind;
  readonly status: number;
  readonly code: string;

  constructor(kind: RelayErrorKind, message?: string, options?: { cause?: unknown }) {
    const definition = RELAY_ERRORS[kind];
    super(message ?? definition.meaning, options);
    this.name = 'RelayError';
    this.kind = kind;
    this.status = definition.status;
    this.code = definition.code;
  }
}

export function huaweiErrorBody(code: string, message: string, requestId: string): HuaweiErrorBody {
  return { error_code: code, error_msg: message, request_id: requestId };
}

/** True for a parsed body in Huawei's error shape (used to recognise upstream errors in tests and logs). */
export function isHuaweiErrorBody(value: unknown): value is HuaweiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.error_code === 'string' && typeof candidate.error_msg === 'string';
}
