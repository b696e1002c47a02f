/**
 * API Gateway v2 results the relay returns: Huawei-shaped errors and upstream answers passed through.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { huaweiErrorBody } from './relay-errors.js';
import type { UpstreamResponse } from '../huawei/client.js';

export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** Upstream headers a client of Huawei may rely on; hop-by-hop and server-internal headers stay behind. */
const PASSED_THROUGH_HEADERS = ['content-type', 'retry-after'] as const;

export function errorResult(status: number, code: string, message: string, requestId: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': JSON_CONTENT_TYPE, 'x-request-id': requestId },
    body: JSON.stringify(huaweiErrorBody(code, message, requestId)),
  };
}

/**
 * Huawei's answer as the client would have received it from Huawei: status, body text and X-Request-Id (Huawei's,
 * or the relay's when Huawei sent none).
 */
export function passThroughResult(upstream: UpstreamResponse, requestId: string): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = {};
  for (const name of PASSED_THROUGH_HEADERS) {
    const value = upstream.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  headers['x-request-id'] = upstream.requestId ?? requestId;
  return { statusCode: upstream.status, headers, body: upstream.text };
}
