import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod/mini';
import { UpstreamUnavailableError, type HuaweiClient, type UpstreamRequest, type UpstreamResponse } from '../huawei/client.js';
import { logger } from '../observability.js';
import { API_CLIENT_TYPE, buildSpAdminAppAuth } from './app-signature.js';
import type { SpCredentials } from './credentials.js';
import { SpAuthError, type HuaweiErrorDetails } from './errors.js';

/** Huawei's login paths for the SP administrator. */
export const APP_AUTH_PATH = '/v2/usg/acs/auth/appauth';
export const ACCOUNT_AUTH_PATH = '/v1/usg/acs/auth/account';

/**
 * Login attempts per login. Retries are done here, not by the client (`retry: false`): every attempt needs a
 * fresh nonce and signature, because Huawei may refuse a resent nonce as a replay and we would then report a
 * transient fault as a wrong key. A duplicate login is harmless otherwise: clientType 72 allows 64 live tokens.
 */
export const MAX_LOGIN_ATTEMPTS = 2;
const LOGIN_RETRY_DELAY_MS = 200;

export interface SpToken {
  accessToken: string;
  /** Local epoch ms at which the token stops being valid. */
  expiresAtMs: number;
  /** Local epoch ms at which the login started: with expiresAtMs, the token's lifetime. */
  issuedAtMs: number;
}

export interface LoginOptions {
  /** Clock for the signature and the token's expiry (tests inject one shared with the simulator). */
  now: () => number;
  /** Absolute epoch ms (wall clock) by which the whole login must finish. */
  deadline: number;
  /** Where the credentials came from, for error messages. */
  origin: string;
}

const TokenResponseSchema = z.object({
  accessToken: z.string().check(z.minLength(1)),
  /** Epoch seconds. */
  expireTime: z.number().check(z.int(), z.positive()),
  /** Remaining seconds. */
  validPeriod: z.nullable(z.optional(z.number().check(z.int(), z.positive()))),
});

/** Statuses Huawei documents for a login it will not grant; retrying cannot help. */
const REFUSAL_HINTS: Record<number, (credentials: SpCredentials, origin: string) => string> = {
  401: (credentials, origin) =>
    credentials.type === 'appId'
      ? `check the appId and appKey in ${origin} (and that this machine's clock is right: the signature is time-limited)`
      : `check the account and password in ${origin}`,
  403: (credentials) =>
    credentials.type === 'appId'
      ? 'this App ID may not log in as the SP administrator (is it an SP-mode App ID?)'
      : 'this account may not log in as the SP administrator',
  412: () => 'the SP account or App ID is disabled',
  423: () => 'the SP account is locked',
};

export async function loginSpAdmin(client: HuaweiClient, credentials: SpCredentials, options: LoginOptions): Promise<SpToken> {
  for (let attempt = 1; ; attempt += 1) {
    const issuedAtMs = options.now();
    const canRetry = attempt < MAX_LOGIN_ATTEMPTS && Date.now() + LOGIN_RETRY_DELAY_MS < options.deadline;
    let response: UpstreamResponse;
    try {
      response = await client.request(buildLoginRequest(credentials, issuedAtMs, options.deadline));
    } catch (error) {
      if (error instanceof UpstreamUnavailableError && canRetry) {
        logger.warn('SP login could not reach Huawei; retrying with a new signature', { attempt });
        await sleep(LOGIN_RETRY_DELAY_MS);
        continue;
      }
      throw error;
    }
    if (response.status >= 200 && response.status < 300) return readToken(response, issuedAtMs);
    if ((response.status === 429 || response.status >= 500) && canRetry) {
      logger.warn('SP login answered with a transient error; retrying with a new signature', {
        attempt,
        status: response.status,
        upstreamRequestId: response.requestId,
      });
      await sleep(LOGIN_RETRY_DELAY_MS);
      continue;
    }
    throw loginError(response, credentials, options.origin);
  }
}

function buildLoginRequest(credentials: SpCredentials, nowMs: number, deadline: number): UpstreamRequest {
  if (credentials.type === 'appId') {
    const { headers, body } = buildSpAdminAppAuth(credentials, nowMs);
    return { method: 'POST', path: APP_AUTH_PATH, headers, body, deadline, retry: false };
  }
  const basic = Buffer.from(`${credentials.account}:${credentials.password}`, 'utf8').toString('base64');
  return {
    method: 'POST',
    path: ACCOUNT_AUTH_PATH,
    headers: { Authorization: `Basic ${basic}` },
    body: { account: credentials.account, clientType: API_CLIENT_TYPE },
    deadline,
    retry: false,
  };
}

function readToken(response: UpstreamResponse, issuedAtMs: number): SpToken {
  const parsed = TokenResponseSchema.safeParse(response.json);
  if (!parsed.success) {
    // Never quote the body: it may hold a token.
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.')))].join(', ');
    throw new SpAuthError('login-failed', `SP login answered ${response.status} without a usable token (bad or missing: ${fields})`, {
      status: response.status,
      requestId: response.requestId,
    });
  }
  const { accessToken, expireTime, validPeriod } = parsed.data;
  let expiresAtMs = expireTime * 1000;
  // validPeriod is relative, so it is immune to clock skew between us and Huawei: trust whichever ends first.
  if (validPeriod) expiresAtMs = Math.min(expiresAtMs, issuedAtMs + validPeriod * 1000);
  return { accessToken, expiresAtMs, issuedAtMs };
}

export function huaweiErrorDetails(response: UpstreamResponse): HuaweiErrorDetails {
  const body = typeof response.json === 'object' && response.json !== null ? (response.json as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    status: response.status,
    errorCode: text(body.error_code),
    errorMsg: text(body.error_msg),
    requestId: response.requestId ?? text(body.request_id),
  };
}

/** Removes any credential value Huawei might echo in error_msg. */
function mask(message: string | undefined, credentials: SpCredentials): string | undefined {
  if (message === undefined) return undefined;
  const secrets = credentials.type === 'appId' ? [credentials.appKey] : [credentials.password];
  return secrets.reduce((masked, secret) => masked.split(secret).join('***'), message);
}

function loginError(response: UpstreamResponse, credentials: SpCredentials, origin: string): SpAuthError {
  const details = huaweiErrorDetails(response);
  details.errorMsg = mask(details.errorMsg, credentials);
  const cause = [response.status, details.errorCode].filter((part) => part !== undefined).join(' ');
  const said = details.errorMsg ? ` "${details.errorMsg}"` : '';
  const hint = REFUSAL_HINTS[response.status];
  if (hint) return new SpAuthError('login-refused', `SP login refused by Huawei (${cause})${said}: ${hint(credentials, origin)}`, details);
  return new SpAuthError('login-failed', `SP login failed (${cause})${said}`, details);
}
