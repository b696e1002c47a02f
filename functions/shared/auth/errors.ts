/**
 * Why the relay could not act as the SP administrator. Callers (the sweeper) stop on any of these: retrying
 * cannot help until someone fixes the credentials or the account.
 *
 * Messages and fields carry only HTTP status and Huawei's error_code / error_msg / request_id: never a
 * credential, token, signature, header or request body.
 */
export type SpAuthFailure =
  /** The credentials document is missing, unreadable or does not match the format. */
  | 'credentials-invalid'
  /** The credentials could not be fetched (Secrets Manager error, missing configuration). */
  | 'credentials-unavailable'
  /** Huawei refused the login: wrong key or password, disabled or locked account (401/403/412/423). */
  | 'login-refused'
  /** Huawei answered the login with something other than a token or a refusal. */
  | 'login-failed'
  /** A token Huawei had just issued was rejected again on the retried call. */
  | 'token-rejected';

export interface HuaweiErrorDetails {
  status?: number | undefined;
  errorCode?: string | undefined;
  errorMsg?: string | undefined;
  requestId?: string | undefined;
}

export class SpAuthError extends Error {
  override readonly name: string = 'SpAuthError';
  readonly reason: SpAuthFailure;
  readonly status: number | undefined;
  readonly errorCode: string | undefined;
  readonly errorMsg: string | undefined;
  readonly requestId: string | undefined;

  constructor(reason: SpAuthFailure, message: string, details: HuaweiErrorDetails = {}, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.errorMsg = details.errorMsg;
    this.requestId = details.requestId;
  }
}

/** The credentials document is invalid. `fields` lists the offending fields (names only, never values). */
export class SpCredentialsError extends SpAuthError {
  override readonly name: string = 'SpCredentialsError';
  readonly fields: readonly string[];

  constructor(message: string, fields: readonly string[]) {
    super('credentials-invalid', message);
    this.fields = fields;
  }
}
