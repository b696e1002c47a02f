import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { HuaweiError, invalidParameter } from './error-codes.js';

/** Huawei's JSON content type, as in every documented response. */
export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

const MAX_BODY_BYTES = 1024 * 1024;
const REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

export function generateRequestId(): string {
  return randomBytes(16).toString('hex');
}

/** The caller's `X-Request-Id` (any case) when it is sane printable text, else a fresh 32-hex id. */
export function pickRequestId(headers: IncomingHttpHeaders): string {
  const given = headers['x-request-id'];
  const value = Array.isArray(given) ? given[0] : given;
  return value !== undefined && REQUEST_ID_PATTERN.test(value) ? value : generateRequestId();
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw invalidParameter('body', `must not exceed ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON request body; `undefined` when there is none. Any `application/json` variant is accepted. */
export function parseJsonBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw invalidParameter('Content-Type', 'must be application/json for a request with a body');
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw invalidParameter('body', 'must be valid JSON');
  }
}

/** Parses the body for logging only: never throws. */
export function tryParseJson(raw: Buffer): unknown {
  if (raw.length === 0) return null;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

function setCommonHeaders(res: ServerResponse, requestId: string): void {
  res.setHeader('X-Request-Id', requestId);
  res.setHeader('Server', 'api-gateway');
  res.setHeader('Pragma', 'No-cache');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Content-Type', JSON_CONTENT_TYPE);
}

/** Sends a JSON body, or an empty body (Huawei's write APIs) when `body` is undefined. */
export function sendJson(res: ServerResponse, status: number, requestId: string, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  setCommonHeaders(res, requestId);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.statusCode = status;
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  requestId: string,
  status: number,
  code: string,
  message: string,
): void {
  sendJson(res, status, requestId, { error_code: code, error_msg: message, request_id: requestId });
}

export function sendHuaweiError(res: ServerResponse, requestId: string, error: HuaweiError): void {
  sendError(res, requestId, error.status, error.code, error.message);
}
