/**
 * Turns what a handler returned into the HTTP answer API Gateway HTTP API (payload format 2.0) would send.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** A handler failure (exception, malformed result): API Gateway answers 500 with this body. */
export const INTERNAL_SERVER_ERROR: HttpAnswer = jsonMessage(500, 'Internal Server Error');
/** The integration did not answer within the function's timeout. */
export const SERVICE_UNAVAILABLE: HttpAnswer = jsonMessage(503, 'Service Unavailable');
export const NOT_FOUND: HttpAnswer = jsonMessage(404, 'Not Found');
export const PAYLOAD_TOO_LARGE: HttpAnswer = jsonMessage(413, 'Request Entity Too Large');

export function jsonMessage(status: number, message: string): HttpAnswer {
  return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ message })) };
}

/**
 * Payload 2.0 rules: an object with `statusCode` is a structured result; anything else (a string, an object
 * without `statusCode`, a number) is "inferred": status 200, content-type application/json, and the value as JSON
 * (a string as is).
 */
export function toHttpAnswer(result: unknown): HttpAnswer {
  if (result === undefined || result === null) {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.alloc(0) };
  }
  if (typeof result === 'object' && !Array.isArray(result) && 'statusCode' in result) {
    return structured(result as APIGatewayProxyStructuredResultV2);
  }
  const body = typeof result === 'string' ? result : JSON.stringify(result);
  return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body, 'utf8') };
}

function structured(result: APIGatewayProxyStructuredResultV2): HttpAnswer {
  const status = result.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return INTERNAL_SERVER_ERROR;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (result.cookies !== undefined && result.cookies.length > 0) headers['set-cookie'] = [...result.cookies];
  const text = result.body ?? '';
  const body = result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { status, headers, body };
}
