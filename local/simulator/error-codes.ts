/**
 * The one table of error codes the simulator answers with. Huawei's error catalogue could not be retrieved
 * (huawei-meeting-api.md §2), so most USG codes here are invented: `source` says which are documented and
 * which are our assumption, so they can be swapped for real ones in one place.
 */
export type ErrorSource = 'documented' | 'assumed';

export interface ErrorCodeEntry {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly source: ErrorSource;
  readonly note: string;
}

export const ERROR_CODES = {
  invalidToken: {
    status: 401,
    code: 'USG.000000004',
    message: 'The token is invalid or has expired.',
    source: 'documented',
    note: 'Terraform provider relies on it for dead tokens (token/validate); used for every missing, invalid, expired or logged-out token.',
  },
  invalidParameter: {
    status: 400,
    code: 'USG.000000001',
    message: 'Invalid parameter.',
    source: 'assumed',
    note: 'HTTP 400 for invalid parameters is documented; the code is invented.',
  },
  accountAuthFailed: {
    status: 401,
    code: 'USG.000000006',
    message: 'The account or password is incorrect.',
    source: 'assumed',
    note: 'HTTP 401 for failed authentication is documented; the code is invented (client SDKs list 10006 for this).',
  },
  appIdCheckFailed: {
    status: 401,
    code: 'USG.206010025',
    message: 'App ID authentication failed.',
    source: 'assumed',
    note: 'Client-SDK error tables list 206010025 "APPID check failed"; the USG prefix is our guess.',
  },
  appIdSignatureExpired: {
    status: 401,
    code: 'USG.206010057',
    message: 'The App ID authentication has expired.',
    source: 'assumed',
    note: 'Client-SDK error tables list 206010057 "APPID authentication expires"; the USG prefix is our guess.',
  },
  forbidden: {
    status: 403,
    code: 'USG.000000003',
    message: 'Insufficient permissions.',
    source: 'assumed',
    note: 'HTTP 403 for the wrong role is documented; the code is invented.',
  },
  userNotFound: {
    status: 400,
    code: 'USG.201040000',
    message: 'The user does not exist.',
    source: 'documented',
    note: 'Terraform provider handles it as "user not found" (HTTP 400, never 404).',
  },
  corpNotFound: {
    status: 400,
    code: 'USG.201030000',
    message: 'The enterprise does not exist.',
    source: 'assumed',
    note: 'Not-found as 400 is documented practice; the code is invented.',
  },
  resourceNotFound: {
    status: 400,
    code: 'USG.201060001',
    message: 'The resource does not exist.',
    source: 'assumed',
    note: 'Behaviour for unknown resource ids is unconfirmed; we refuse the whole batch with 400.',
  },
  vmrNotFound: {
    status: 400,
    code: 'USG.201050001',
    message: 'The cloud meeting room does not exist or is not assigned to the user.',
    source: 'assumed',
    note: 'Unknown VMR and another user\'s VMR answer the same (unconfirmed whether Huawei says 400 or 403).',
  },
  throttled: {
    status: 429,
    code: 'APIG.0308',
    message: 'The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute',
    source: 'documented',
    note: 'Generic Huawei API Gateway throttling answer; only produced by an injected fault.',
  },
  serverError: {
    status: 500,
    code: 'USG.000000500',
    message: 'Server exception.',
    source: 'assumed',
    note: 'Default code for injected 5xx faults; HTTP 500 is documented, the code is invented.',
  },
  apiNotFound: {
    status: 404,
    code: 'APIG.0101',
    message: 'The API does not exist or has not been published in the environment.',
    source: 'assumed',
    note: 'Unknown path or method: generic API Gateway answer (the only 404 the simulator gives).',
  },
  simulatorBadRequest: {
    status: 400,
    code: 'SIM.000000001',
    message: 'Invalid simulator control request.',
    source: 'assumed',
    note: 'Control plane (/_simulator/) only; not a Huawei code.',
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorKind = keyof typeof ERROR_CODES;

/** A Huawei-shaped error answer: thrown by handlers, turned into `{error_code, error_msg, request_id}`. */
export class HuaweiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(kind: ErrorKind, detail?: string, override?: { status?: number; code?: string }) {
    const entry: ErrorCodeEntry = ERROR_CODES[kind];
    super(detail ?? entry.message);
    this.name = 'HuaweiError';
    this.status = override?.status ?? entry.status;
    this.code = override?.code ?? entry.code;
  }
}

/** Shorthand for the most common answer: 400 naming the field and the rule it broke. */
export function invalidParameter(field: string, rule: string): HuaweiError {
  return new HuaweiError('invalidParameter', `${field}: ${rule}`);
}

/** Default error code for an injected fault status (429 gateway throttling, 401 token, 5xx server...). */
export function defaultCodeForStatus(status: number): string {
  if (status === 429) return ERROR_CODES.throttled.code;
  if (status === 401) return ERROR_CODES.invalidToken.code;
  if (status === 403) return ERROR_CODES.forbidden.code;
  if (status === 404) return ERROR_CODES.apiNotFound.code;
  if (status >= 500) return ERROR_CODES.serverError.code;
  return ERROR_CODES.invalidParameter.code;
}

/** Default error message for an injected fault status. */
export function defaultMessageForStatus(status: number): string {
  if (status === 429) return ERROR_CODES.throttled.message;
  if (status >= 500) return ERROR_CODES.serverError.message;
  return `Injected fault: HTTP ${status}.`;
}
