/** Lambda entry for API Gateway's `$default` route: every request no other route takes. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { noRouteResult } from './no-route.js';

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => noRouteResult(event);
