/**
 * Realistic API Gateway HTTP API (payload 2.0) events and Lambda contexts for calling handlers in-process.
 * Built from the captured-shape fixtures beside this file, independently of the local gateway emulator, so the
 * emulator's events can be checked against them.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { routeKey } from '../../functions/shared/routes.js';
import type { HttpRoute } from '../../functions/shared/routes.js';

export type FixtureName = 'http-api-v2-modify-vmr' | 'http-api-v2-modify-resources-form';

export function loadEventFixture(name: FixtureName): APIGatewayProxyEventV2 {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as APIGatewayProxyEventV2;
}

export interface EventOptions {
  route: Pick<HttpRoute, 'method' | 'path'>;
  pathParameters: Record<string, string>;
  /** Header names are lowercased like API Gateway does, unless `keepHeaderCase`. */
  headers?: Record<string, string>;
  keepHeaderCase?: boolean;
  /** Raw body text (sent as is); objects and arrays are JSON-serialised. */
  body?: string | object;
  /** Deliver the body base64-encoded with `isBase64Encoded: true`. */
  base64?: boolean;
  rawQueryString?: string;
  cookies?: string[];
  now?: number;
}

const ENCODE = (value: string) => encodeURIComponent(value);

/** An event for `route` with the fixture's context, filled in for this request. */
export function httpApiEvent(options: EventOptions): APIGatewayProxyEventV2 {
  const template = loadEventFixture('http-api-v2-modify-vmr');
  const now = options.now ?? Date.now();
  const rawPath = options.route.path.replace(/\{([^}]+)\}/g, (_match, name: string) => ENCODE(options.pathParameters[name] ?? ''));
  const bodyText = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    accept: '*/*',
    host: template.requestContext.domainName,
    'user-agent': 'curl/8.5.0',
    'x-amzn-trace-id': `Root=1-${Math.floor(now / 1000).toString(16)}-${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    'x-forwarded-for': template.requestContext.http.sourceIp,
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
  };
  if (bodyText !== undefined) headers['content-length'] = String(Buffer.byteLength(bodyText));
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[options.keepHeaderCase === true ? name : name.toLowerCase()] = value;
  }
  const key = routeKey(options.route);
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: key,
    rawPath,
    rawQueryString: options.rawQueryString ?? '',
    headers,
    requestContext: {
      ...template.requestContext,
      http: { ...template.requestContext.http, method: options.route.method, path: rawPath },
      requestId: randomUUID().replaceAll('-', '').slice(0, 15) + '=',
      routeKey: key,
      time: template.requestContext.time,
      timeEpoch: now,
    },
    pathParameters: { ...options.pathParameters },
    isBase64Encoded: options.base64 === true,
  };
  if (options.cookies !== undefined) event.cookies = [...options.cookies];
  if (bodyText !== undefined) event.body = options.base64 === true ? Buffer.from(bodyText, 'utf8').toString('base64') : bodyText;
  return event;
}

export interface ContextOptions {
  /** Time the function has left at the start (its configured timeout); default 30 s. */
  remainingMs?: number;
  functionName?: string;
}

export function lambdaContext(options: ContextOptions = {}): Context {
  const endsAt = Date.now() + (options.remainingMs ?? 30_000);
  const functionName = options.functionName ?? 'meeting-relay-test';
  const unsupported = () => {
    throw new Error('callback-style completion is not supported');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2026/11/22/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, endsAt - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
