import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ENV } from '../env.js';
import { envInteger } from '../env-values.js';
import { getHuaweiClient, type HuaweiClient, type UpstreamResponse } from '../huawei/client.js';
import { logger, metrics } from '../observability.js';
import { credentialsSourceFromEnv, type SpCredentialsSource } from './credentials-source.js';
import { SpAuthError } from './errors.js';
import { huaweiErrorDetails, loginSpAdmin, type SpToken } from './login.js';

/** Huawei's error_code for an invalid, expired or revoked token. */
export const TOKEN_REJECTED_CODE = 'USG.000000004';

export const DEFAULT_RENEW_MARGIN_SECONDS = 300;
const MAX_RENEW_MARGIN_SECONDS = 43_200;
/** Upper bound for one login, retries included. */
const DEFAULT_LOGIN_TIMEOUT_MS = 10_000;

export interface SpTokenProviderOptions {
  client: HuaweiClient;
  credentials: SpCredentialsSource;
  /** Renew this many seconds before the token's expiry. */
  renewMarginSeconds?: number;
  /** Clock for expiry and signatures; tests share one with the simulator. */
  now?: () => number;
  loginTimeoutMs?: number;
}

export function isTokenRejected(response: UpstreamResponse): boolean {
  return response.status === 401 && huaweiErrorDetails(response).errorCode === TOKEN_REJECTED_CODE;
}

/**
 * The SP administrator's access token: logged in on first use, reused until shortly before it expires, shared
 * by concurrent callers (one login in flight at a time), replaced once when Huawei rejects it.
 */
export class SpTokenProvider {
  private readonly client: HuaweiClient;
  private readonly credentials: SpCredentialsSource;
  private readonly renewMarginMs: number;
  private readonly now: () => number;
  private readonly loginTimeoutMs: number;
  private cached: SpToken | undefined;
  private inFlight: Promise<SpToken> | undefined;

  constructor(options: SpTokenProviderOptions) {
    this.client = options.client;
    this.credentials = options.credentials;
    this.renewMarginMs = (options.renewMarginSeconds ?? DEFAULT_RENEW_MARGIN_SECONDS) * 1000;
    this.now = options.now ?? Date.now;
    this.loginTimeoutMs = options.loginTimeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
  }

  async getToken(): Promise<string> {
    const cached = this.cached;
    if (cached && this.now() < this.renewAt(cached)) return cached.accessToken;
    return (await this.login()).accessToken;
  }

  /**
   * Runs an SP call with the token. A 401 USG.000000004 means Huawei did not act on the call, so it is safe to
   * log in again and retry it once, whatever its method. A second rejection fails with SpAuthError.
   */
  async withToken<T extends UpstreamResponse>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.getToken();
    const first = await call(token);
    if (!isTokenRejected(first)) return first;

    logger.warn('SP token rejected by Huawei; logging in again', { upstreamRequestId: first.requestId });
    this.invalidate(token);
    const fresh = await this.getToken();
    const second = await call(fresh);
    if (!isTokenRejected(second)) return second;

    this.invalidate(fresh);
    const details = huaweiErrorDetails(second);
    logger.error('SP token rejected again after a fresh login', { upstreamRequestId: details.requestId });
    throw new SpAuthError(
      'token-rejected',
      `Huawei rejected a newly issued SP token (401 ${TOKEN_REJECTED_CODE}): tokens of this SP identity are being revoked, ` +
        'for example by logouts elsewhere or by more than 64 concurrent logins evicting the oldest token',
      details,
    );
  }

  /**
   * Drops the cached token, but only if it is still the one the caller used: when 50 calls holding the same
   * token are rejected together, the first one's re-login must not be thrown away by the other 49.
   */
  invalidate(accessToken: string): void {
    if (this.cached?.accessToken === accessToken) this.cached = undefined;
  }

  private renewAt(token: SpToken): number {
    // Never renew earlier than half-way through a token's life, or short-lived tokens would log in on every call.
    const margin = Math.min(this.renewMarginMs, (token.expiresAtMs - token.issuedAtMs) / 2);
    return token.expiresAtMs - margin;
  }

  private login(): Promise<SpToken> {
    this.inFlight ??= this.performLogin().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async performLogin(): Promise<SpToken> {
    // Whatever happens next, the previous token is not to be used again.
    this.cached = undefined;
    try {
      const credentials = await this.credentials.load();
      const token = await loginSpAdmin(this.client, credentials, {
        now: this.now,
        deadline: Date.now() + this.loginTimeoutMs,
        origin: this.credentials.origin,
      });
      this.cached = token;
      metrics.addMetric('SpLogin', MetricUnit.Count, 1);
      logger.info('SP login succeeded', { credentialType: credentials.type, tokenExpiresAt: new Date(token.expiresAtMs).toISOString() });
      return token;
    } catch (error) {
      if (error instanceof SpAuthError) {
        metrics.addMetric('SpLoginFailed', MetricUnit.Count, 1);
        logger.error('SP login failed', { reason: error.reason, status: error.status, errorCode: error.errorCode, upstreamRequestId: error.requestId });
        // The key may have been rotated since we cached it: read the store again next time.
        if (error.reason === 'login-refused') this.credentials.invalidate();
      } else if (error instanceof Error) {
        // Name and message only: a network error's cause is not ours to print.
        logger.warn('SP login did not complete', { error: error.name, detail: error.message });
      }
      throw error;
    }
  }
}

/** Reads ENV.tokenRenewMarginSeconds; a bad value is a deployment error, reported by name. */
export function renewMarginFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return envInteger(env, ENV.tokenRenewMarginSeconds, {
    fallback: DEFAULT_RENEW_MARGIN_SECONDS,
    min: 0,
    max: MAX_RENEW_MARGIN_SECONDS,
    rule: `must be a whole number of seconds from 0 to ${MAX_RENEW_MARGIN_SECONDS}`,
  });
}

let singleton: SpTokenProvider | undefined;

/** Module-scope provider: a warm Lambda reuses the token across invocations. */
export function getSpTokenProvider(): SpTokenProvider {
  singleton ??= new SpTokenProvider({
    client: getHuaweiClient(),
    credentials: credentialsSourceFromEnv(),
    renewMarginSeconds: renewMarginFromEnv(),
  });
  return singleton;
}
