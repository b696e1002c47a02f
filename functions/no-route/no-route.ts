/**
 * The relay's answer to a request no route takes: 404 in Huawei's error shape, with the client's X-Request-Id
 * (or one in Huawei's form), so a Huawei client parses it like any other Huawei error.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { RELAY_ERRORS } from '../shared/http/relay-errors.js';
import { readRequestId } from '../shared/http/request-headers.js';
import { errorResult } from '../shared/http/responses.js';

/** Enough of the path to recognise it; the rest is cut so the message stays short. */
const MAX_PATH_SHOWN = 200;

export function noRouteResult(event: Pick<APIGatewayProxyEventV2, 'headers' | 'rawPath' | 'requestContext'>): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const { requestId } = readRequestId(headers);
  const method = event.requestContext.http.method;
  const path = event.rawPath.length > MAX_PATH_SHOWN ? `${event.rawPath.slice(0, MAX_PATH_SHOWN)}...` : event.rawPath;
  const { status, code } = RELAY_ERRORS.noRoute;
  return errorResult(status, code, `${method} ${path}: no such route`, requestId);
}
