/**
 * HTTP client for the Huawei Cloud Meeting API: one keep-alive pool per client (the module-scope singleton from
 * `getHuaweiClient()` serves the whole Lambda), explicit per-attempt timeouts, undici's own RetryHandler with
 * this module's policy (idempotent calls only; connection errors, resets, 429 and 5xx; exponential backoff with
 * jitter; `Retry-After` honoured) and an overall deadline covering every attempt and wait.
 *
 * Non-2xx answers are returned, not thrown: callers pass Huawei's status and error body through. Only a call
 * that never got an answer throws: `UpstreamUnavailableError` (relay 502) or `UpstreamTimeoutError` (504).
 */
// The slim entry, not 'undici': the index loads fetch, WebSocket and every dispatcher (most of a cold start).
import { Pool, interceptors } from './undici-slim.js';
import type { Dispatcher, RetryHandler } from 'undici';
import { logger } from '../observability.js';
import { DEFAULT_HUAWEI_CLIENT_SETTINGS, huaweiBaseUrlFromEnv, parseHuaweiBaseUrl } from './config.js';
import type { HuaweiClientSettings } from './config.js';

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Already validated, e.g. /v1/usg/dcs/sp/corp/818803911/resource. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** X-Access-Token, X-Request-Id, Accept-Language, Authorization... */
  headers?: Record<string, string>;
  /** JSON-serialised when present. */
  body?: unknown;
  /** Absolute epoch ms for the whole call including retries. */
  deadline?: number;
  /** Default: true for idempotent methods (GET/PUT/DELETE), false for POST. */
  retry?: boolean;
}

export interface UpstreamResponse {
  status: number;
  /** Lowercased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Raw body text. */
  text: string;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  json: unknown;
  /** Upstream X-Request-Id. */
  requestId: string | undefined;
  attempts: number;
}

/** No answer from upstream: connection refused or reset, DNS failure, connect timeout, after every retry. */
/** A call that got no answer; `attempts` counts what was sent (each may still have reached Huawei). */
abstract class UpstreamCallError extends Error {
  constructor(
    name: string,
    message: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = name;
  }
}

export class UpstreamUnavailableError extends UpstreamCallError {
  constructor(message: string, attempts: number, options?: { cause?: unknown }) {
    super('UpstreamUnavailableError', message, attempts, options);
  }
}

/** The deadline passed, or an attempt waited too long for headers or body, before any answer arrived. */
export class UpstreamTimeoutError extends UpstreamCallError {
  constructor(message: string, attempts: number, options?: { cause?: unknown }) {
    super('UpstreamTimeoutError', message, attempts, options);
  }
}

export interface HuaweiClientOptions extends Partial<HuaweiClientSettings> {
  /** Origin of the Huawei API (https, or http on loopback for the simulator). */
  baseUrl: string;
  /** Randomness for the backoff jitter (tests pin it). */
  random?: () => number;
  /** Clock (epoch ms) for deadlines. */
  now?: () => number;
  /**
   * Starts a call's deadline timer and returns its cancel; default `setTimeout`. Tests pass a virtual clock's, so
   * a deadline passes when the test moves the clock, not after real seconds.
   */
  setTimer?: (onTimeout: () => void, ms: number) => () => void;
}

function realTimer(onTimeout: () => void, ms: number): () => void {
  const timer = setTimeout(onTimeout, ms);
  return () => clearTimeout(timer);
}

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Errors that mean "no answer yet, try again": refused, reset, unreachable, socket closed, slow connect. */
const RETRYABLE_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Per-attempt timeouts: the upstream was reached (or is too slow to tell); the relay answers 504. */
const TIMEOUT_ERROR_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** A retry is not started unless at least this much time is left before the deadline after the backoff. */
const MIN_ATTEMPT_BUDGET_MS = 100;

const SAFE_PATH = /^\/[A-Za-z0-9_.~\-/]*$/;


interface ErrorWithDetails {
  code?: unknown;
  statusCode?: unknown;
  headers?: Record<string, string | string[] | undefined>;
}

export class HuaweiClient {
  readonly origin: string;
  private readonly settings: HuaweiClientSettings;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly setTimer: (onTimeout: () => void, ms: number) => () => void;
  private readonly pool: Pool;
  private readonly dispatcher: Dispatcher;

  constructor(options: HuaweiClientOptions) {
    const { baseUrl, random, now, setTimer, ...overrides } = options;
    this.origin = parseHuaweiBaseUrl(baseUrl);
    this.settings = { ...DEFAULT_HUAWEI_CLIENT_SETTINGS, ...definedOnly(overrides) };
    this.random = random ?? Math.random;
    this.now = now ?? Date.now;
    this.setTimer = setTimer ?? realTimer;
    this.pool = new Pool(this.origin, {
      connections: this.settings.connections,
      connect: { timeout: this.settings.connectTimeoutMs },
      headersTimeout: this.settings.headersTimeoutMs,
      bodyTimeout: this.settings.bodyTimeoutMs,
      keepAliveTimeout: this.settings.keepAliveTimeoutMs,
      // A server's keep-alive hint may not stretch idle sockets past our own limit.
      keepAliveMaxTimeout: this.settings.keepAliveTimeoutMs,
    });
    // Retry is configured once, per request (request(): its decisions need the call's deadline).
    this.dispatcher = this.pool.compose(interceptors.retry());
  }

  async request(r: UpstreamRequest): Promise<UpstreamResponse> {
    assertSafePath(r.path);
    const startedAt = this.now();
    const deadline = r.deadline ?? startedAt + this.settings.defaultDeadlineMs;
    const retryAllowed = r.retry ?? r.method !== 'POST';
    let attempts = 1;

    const remaining = deadline - startedAt;
    if (remaining <= 0) {
      throw new UpstreamTimeoutError('deadline exceeded before the call started', 0);
    }
    const abort = new AbortController();
    // The Error (and its stack) is built only when the deadline passes: most calls never need it (warm path).
    let deadlinePassed = false;
    const cancelDeadline = this.setTimer(() => {
      deadlinePassed = true;
      abort.abort(new Error('deadline exceeded'));
    }, remaining);

    const retry: RetryHandler.RetryCallback = (err, { state }, callback) => {
      const delayMs = this.retryDelay(err as Error & ErrorWithDetails, state.counter, retryAllowed, deadline);
      if (delayMs === undefined) {
        callback(err);
        return;
      }
      attempts += 1;
      logger.warn('retrying Huawei call', {
        method: r.method,
        path: r.path,
        attempt: attempts,
        delayMs,
        upstreamStatus: (err as ErrorWithDetails).statusCode,
        errorCode: (err as ErrorWithDetails).code,
      });
      setTimeout(() => callback(null), delayMs);
    };

    try {
      const body = r.body === undefined ? undefined : JSON.stringify(r.body);
      const headers: Record<string, string> = { accept: 'application/json', ...lowercaseKeys(r.headers ?? {}) };
      if (body !== undefined && headers['content-type'] === undefined) {
        headers['content-type'] = 'application/json;charset=UTF-8';
      }
      const options: Dispatcher.RequestOptions & { retryOptions: RetryHandler.RetryOptions } = {
        method: r.method,
        path: withQuery(r.path, r.query),
        headers,
        // A string body is replayable, so the RetryHandler can resend it.
        body,
        signal: abort.signal,
        // undici's RetryHandler does the resending; `retry` decides (jitter, Retry-After cap, the call's deadline:
        // undici's own decisions have none of the three). throwOnError false: the last non-2xx answer reaches us.
        retryOptions: { retry, throwOnError: false },
      };
      const response = await this.dispatcher.request(options);
      const text = await response.body.text();
      const responseHeaders = flattenHeaders(response.headers);
      return {
        status: response.statusCode,
        headers: responseHeaders,
        text,
        json: parseJson(text),
        requestId: responseHeaders['x-request-id'],
        attempts,
      };
    } catch (error) {
      throw this.classify(error, deadlinePassed, attempts);
    } finally {
      cancelDeadline();
    }
  }

  /** Closes the pool's sockets (tests and local shutdown; a Lambda simply freezes). */
  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Milliseconds to wait before the next attempt, or undefined when this failure must not be retried. */
  private retryDelay(err: ErrorWithDetails, attemptsSoFar: number, retryAllowed: boolean, deadline: number): number | undefined {
    if (!retryAllowed || attemptsSoFar > this.settings.maxRetries) return undefined;
    const status = typeof err.statusCode === 'number' ? err.statusCode : undefined;
    const code = typeof err.code === 'string' ? err.code : undefined;
    const retryable =
      status !== undefined && code === 'UND_ERR_REQ_RETRY'
        ? RETRYABLE_STATUSES.has(status)
        : code !== undefined && RETRYABLE_ERROR_CODES.has(code);
    if (!retryable) return undefined;

    let delayMs = this.backoff(attemptsSoFar);
    const retryAfterMs = parseRetryAfter(err.headers?.['retry-after'], this.now());
    if (retryAfterMs !== undefined) {
      // Waiting less than the server asked for would only earn another refusal; waiting too long is pointless.
      if (retryAfterMs > this.settings.maxRetryAfterMs) return undefined;
      delayMs = Math.max(delayMs, retryAfterMs);
    }
    if (this.now() + delayMs + MIN_ATTEMPT_BUDGET_MS >= deadline) return undefined;
    return delayMs;
  }

  /** Exponential backoff with "equal jitter": half the step fixed, half random. */
  private backoff(attemptsSoFar: number): number {
    const step = Math.min(this.settings.maxRetryDelayMs, this.settings.minRetryDelayMs * 2 ** (attemptsSoFar - 1));
    return Math.round(step / 2 + (this.random() * step) / 2);
  }

  private classify(error: unknown, deadlinePassed: boolean, attempts: number): Error {
    if (deadlinePassed) {
      return new UpstreamTimeoutError('Huawei did not answer within the deadline', attempts, { cause: error });
    }
    const code = (error as ErrorWithDetails | undefined)?.code;
    if (typeof code === 'string' && TIMEOUT_ERROR_CODES.has(code)) {
      return new UpstreamTimeoutError(`Huawei did not answer in time (${code})`, attempts, { cause: error });
    }
    if (typeof code === 'string' && RETRYABLE_ERROR_CODES.has(code)) {
      return new UpstreamUnavailableError(`Huawei could not be reached (${code})`, attempts, { cause: error });
    }
    // Anything else (a bug, an invalid header value) is not the upstream's fault: let the caller's 500 handle it.
    return error instanceof Error ? error : new Error(String(error));
  }
}

let sharedClient: HuaweiClient | undefined;

/** Module-scope singleton: a warm Lambda reuses its keep-alive sockets across invocations. */
export function getHuaweiClient(): HuaweiClient {
  sharedClient ??= new HuaweiClient({ baseUrl: huaweiBaseUrlFromEnv() });
  return sharedClient;
}

/** Closes and forgets the singleton, so the next `getHuaweiClient()` reads the environment again. */
export async function resetHuaweiClient(): Promise<void> {
  const client = sharedClient;
  sharedClient = undefined;
  await client?.close();
}

function assertSafePath(path: string): void {
  if (!SAFE_PATH.test(path) || path.includes('//') || path.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new Error(`refusing unsafe upstream path ${JSON.stringify(path)}`);
  }
}

function withQuery(path: string, query: UpstreamRequest['query']): string {
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.append(name, String(value));
  }
  const encoded = params.toString();
  return encoded === '' ? path : `${path}?${encoded}`;
}

function lowercaseKeys(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value;
  return result;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms from now. */
function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
