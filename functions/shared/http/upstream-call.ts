/**
 * Sends one validated request to Huawei on the client's behalf and passes the answer through.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HuaweiClient, UpstreamRequest, UpstreamResponse } from '../huawei/client.js';
import type { RelayCall } from './pipeline.js';
import { passThroughResult } from './responses.js';
import { logger } from '../observability.js';

/** Huawei's request headers for this call: the client's token, request id and (supported) language. */
export function upstreamHeaders(call: RelayCall): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Access-Token': call.accessToken,
    'X-Request-Id': call.requestId,
  };
  if (call.language !== undefined) headers['Accept-Language'] = call.language;
  return headers;
}

export async function callUpstream(
  client: HuaweiClient,
  request: Pick<UpstreamRequest, 'method' | 'path' | 'body'>,
  call: RelayCall,
): Promise<UpstreamResponse> {
  const response = await client.request({ ...request, headers: upstreamHeaders(call), deadline: call.deadline });
  logger.info('Huawei answered', {
    method: request.method,
    path: request.path,
    upstreamStatus: response.status,
    upstreamRequestId: response.requestId,
    attempts: response.attempts,
  });
  return response;
}

export function toClientResult(response: UpstreamResponse, call: RelayCall): APIGatewayProxyStructuredResultV2 {
  return passThroughResult(response, call.requestId);
}
