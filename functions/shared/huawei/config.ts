/**
 * Where the Huawei client connects and how patiently. The base URL is the only source of the upstream host:
 * nothing from an incoming request ever chooses it.
 */
import { ENV } from '../env.js';
import { envText } from '../env-values.js';
import { RELAY_DEADLINE_MS } from '../limits.js';

export const DEFAULT_HUAWEI_BASE_URL = 'https://api.meeting.huaweicloud.com';

/** Plain http is allowed only for a simulator on this machine. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class HuaweiConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HuaweiConfigError';
  }
}

/**
 * Parses and checks a base URL: https (or http on loopback), an origin only (no credentials, path, query or
 * fragment). Returns the origin, e.g. `https://api.meeting.huaweicloud.com`.
 */
export function parseHuaweiBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HuaweiConfigError(`${ENV.huaweiBaseUrl} is not a valid URL`);
  }
  const isLoopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !isLoopbackHttp) {
    throw new HuaweiConfigError(`${ENV.huaweiBaseUrl} must be an https URL (http only for 127.0.0.1 or localhost)`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new HuaweiConfigError(`${ENV.huaweiBaseUrl} must not carry credentials`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new HuaweiConfigError(`${ENV.huaweiBaseUrl} must be an origin only, without path, query or fragment`);
  }
  return url.origin;
}

/** Base URL from `HUAWEI_MEETING_BASE_URL`, defaulting to Huawei's production host. */
export function huaweiBaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return parseHuaweiBaseUrl(envText(env, ENV.huaweiBaseUrl) ?? DEFAULT_HUAWEI_BASE_URL);
}

/** Connection and retry settings. Defaults fit a Lambda behind API Gateway's 30 s limit. */
export interface HuaweiClientSettings {
  /** TCP + TLS connect timeout per attempt. */
  connectTimeoutMs: number;
  /** Time to wait for response headers per attempt. */
  headersTimeoutMs: number;
  /** Longest gap between body chunks per attempt. */
  bodyTimeoutMs: number;
  /**
   * Idle keep-alive sockets are closed after this long. Shorter than typical servers' 5 s+ so a socket the server
   * has already dropped (or one left over from before a Lambda freeze) is not reused.
   */
  keepAliveTimeoutMs: number;
  /** Retries after the first attempt (idempotent requests only). */
  maxRetries: number;
  /** First backoff step; doubles each retry, with jitter. */
  minRetryDelayMs: number;
  /** Cap on one backoff step. */
  maxRetryDelayMs: number;
  /** Longest `Retry-After` the client waits for; a longer one ends the retries and the answer is returned. */
  maxRetryAfterMs: number;
  /** Deadline for a call that gives none, relative to its start. */
  defaultDeadlineMs: number;
  /** Upper bound on upstream sockets per origin. */
  connections: number;
}

export const DEFAULT_HUAWEI_CLIENT_SETTINGS: Readonly<HuaweiClientSettings> = {
  connectTimeoutMs: 3_000,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  keepAliveTimeoutMs: 4_000,
  maxRetries: 3,
  minRetryDelayMs: 200,
  maxRetryDelayMs: 2_000,
  maxRetryAfterMs: 5_000,
  defaultDeadlineMs: RELAY_DEADLINE_MS,
  connections: 64,
};
