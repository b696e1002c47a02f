/**
 * Turns generated requests into the HTTP API v2 events API Gateway would deliver, and states what an answer to
 * an invalid request must look like.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { expect } from 'vitest';
import type { HttpRoute } from '../../../functions/shared/routes.js';
import { expectedCode, expectedStatus } from '../../support/arbitraries.js';
import type { GeneratedRequest, InvalidRequest } from '../../support/arbitraries.js';
import { httpApiEvent } from '../../support/events.js';

/** The event for `request`; path parameters are handed over exactly as generated (API Gateway decodes them). */
export function eventFor(route: HttpRoute, request: GeneratedRequest): APIGatewayProxyEventV2 {
  const event = httpApiEvent({
    route,
    // A neutral value for building rawPath; the real (possibly unencodable) value is set below.
    pathParameters: Object.fromEntries(Object.keys(request.pathParameters ?? {}).map((name) => [name, 'x'])),
    headers: request.headers,
    keepHeaderCase: request.keepHeaderCase,
    ...(request.body === undefined ? {} : { body: request.body }),
    base64: request.base64,
  });
  if (request.pathParameters === undefined) {
    delete event.pathParameters;
  } else {
    event.pathParameters = { ...request.pathParameters };
    event.rawPath = route.path.replace(/\{([^}]+)\}/g, (_match, name: string) => encodeLoosely(request.pathParameters?.[name] ?? ''));
    event.requestContext.http.path = event.rawPath;
  }
  return event;
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) is left as is. */
function encodeLoosely(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Huawei's error body, parsed and checked to have exactly its three string fields. */
export function huaweiErrorOf(result: APIGatewayProxyStructuredResultV2): { error_code: string; error_msg: string; request_id: string } {
  const body = JSON.parse(String(result.body)) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['error_code', 'error_msg', 'request_id']);
  expect(typeof body.error_code).toBe('string');
  expect(typeof body.error_msg).toBe('string');
  expect(typeof body.request_id).toBe('string');
  return body as { error_code: string; error_msg: string; request_id: string };
}

/** The header value sent under `name` (any case), if any. */
export function headerOf(request: GeneratedRequest, name: string): string | undefined {
  const entry = Object.entries(request.headers).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}

/**
 * The relay refused `request` as its defect demands: the expected 4xx, Huawei's error shape with the expected
 * code, an error_msg naming the field or header, and the request id echoed in the body and the header.
 */
export function expectRefusal(result: APIGatewayProxyStructuredResultV2, request: InvalidRequest): void {
  const { expected } = request;
  const problem = `${expected.defect}: got ${result.statusCode} ${String(result.body).slice(0, 300)}`;
  expect(result.statusCode, problem).toBe(expectedStatus(expected));
  expect(result.statusCode, problem).toBeGreaterThanOrEqual(400);
  expect(result.statusCode, problem).toBeLessThan(500);
  const error = huaweiErrorOf(result);
  expect(error.error_code, problem).toBe(expectedCode(expected));
  expect(error.error_msg, problem).toContain(expected.names);
  expect(result.headers?.['x-request-id']).toBe(error.request_id);
  const sentId = headerOf(request, 'x-request-id');
  if (expected.names !== 'X-Request-Id' && sentId !== undefined && sentId !== '') expect(error.request_id).toBe(sentId);
}

/** Sets a header, replacing it under any case. */
export function setHeader(request: GeneratedRequest, name: string, value: string): void {
  for (const key of Object.keys(request.headers)) if (key.toLowerCase() === name) delete request.headers[key];
  request.headers[request.keepHeaderCase ? name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase()) : name] = value;
}
