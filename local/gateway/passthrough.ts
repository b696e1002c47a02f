/**
 * The emulator's HTTP proxy integration: what API Gateway does on the catch-all routes of the Huawei path prefixes
 * (functions/shared/routes.ts, PASSTHROUGH_PREFIXES). A request goes to the configured origin with its method,
 * path, query, headers and body unchanged, and its answer comes back unchanged, less hop-by-hop headers.
 *
 * Only the origin given here is ever connected to: the socket pool is bound to it, the request target is sent as
 * the path on that pool, and the incoming Host header is replaced by the origin's. Nothing in a request (path,
 * Host, X-Forwarded-*, encoded characters) can name another host.
 */
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { parseHuaweiBaseUrl } from '../../functions/shared/huawei/config.js';
import { jsonMessage } from './http-api-result.js';
import type { HttpAnswer } from './http-api-result.js';

/** API Gateway's integration timeout: the proxy gives the origin no longer. */
export const PASSTHROUGH_TIMEOUT_MS = 30_000;

/**
 * RFC 9110 7.6.1 connection-specific headers, plus what the emulator recomputes: `host` (the origin's),
 * `content-length` (from the body it read) and `expect` (the whole body is already here).
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
const RECOMPUTED_REQUEST_HEADERS = new Set(['host', 'content-length', 'expect']);

/** API Gateway's answer when the HTTP integration cannot be reached or does not answer in time. */
export const INTEGRATION_FAILURE: HttpAnswer = jsonMessage(503, 'Service Unavailable');

export interface PassthroughRequest {
  method: string;
  /** The request target as received: path and query, never an absolute URL (the caller checks the prefix). */
  target: string;
  /** node's `rawHeaders`: name, value, name, value... */
  rawHeaders: readonly string[];
  body: Buffer;
}

export interface Passthrough {
  readonly origin: string;
  forward(request: PassthroughRequest): Promise<HttpAnswer>;
  close(): Promise<void>;
}

/** Header names listed in `Connection` are hop-by-hop for this message too. */
function connectionTokens(rawHeaders: readonly string[]): Set<string> {
  const tokens = new Set<string>();
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    if ((rawHeaders[index] ?? '').toLowerCase() !== 'connection') continue;
    for (const token of (rawHeaders[index + 1] ?? '').split(',')) tokens.add(token.trim().toLowerCase());
  }
  return tokens;
}

/** Request headers to send on: every one the client sent, in order and repeated as sent, less hop-by-hop ones. */
export function forwardedRequestHeaders(rawHeaders: readonly string[]): string[] {
  const dropped = connectionTokens(rawHeaders);
  const kept: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index] ?? '';
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || RECOMPUTED_REQUEST_HEADERS.has(lower) || dropped.has(lower)) continue;
    kept.push(name, rawHeaders[index + 1] ?? '');
  }
  return kept;
}

/** Response headers to return: the origin's, less hop-by-hop ones and content-length (the emulator sets it). */
export function returnedResponseHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string | string[]> {
  const connection = headers.connection;
  const dropped = new Set(
    (Array.isArray(connection) ? connection.join(',') : (connection ?? '')).split(',').map((token) => token.trim().toLowerCase()),
  );
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(lower) || lower === 'content-length' || dropped.has(lower)) continue;
    kept[lower] = value;
  }
  return kept;
}

export function createPassthrough(origin: string, options: { timeoutMs?: number } = {}): Passthrough {
  // An origin only (scheme, host, port): no path, credentials or query can ride along.
  const checkedOrigin = parseHuaweiBaseUrl(origin);
  const timeoutMs = options.timeoutMs ?? PASSTHROUGH_TIMEOUT_MS;
  const pool = new Pool(checkedOrigin, { connections: 32, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return {
    origin: checkedOrigin,
    async forward(request) {
      if (!request.target.startsWith('/')) throw new Error('passthrough target must be a path');
      try {
        const response = await pool.request({
          method: request.method as Dispatcher.HttpMethod,
          path: request.target,
          headers: forwardedRequestHeaders(request.rawHeaders),
          body: request.body.length > 0 ? request.body : null,
        });
        const body = Buffer.from(await response.body.arrayBuffer());
        return { status: response.statusCode, headers: returnedResponseHeaders(response.headers), body };
      } catch {
        return { ...INTEGRATION_FAILURE, headers: { ...INTEGRATION_FAILURE.headers } };
      }
    },
    close: () => pool.close(),
  };
}
