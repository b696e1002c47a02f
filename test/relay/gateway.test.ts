/**
 * The local API Gateway emulator: event and context shapes (checked against the captured-shape fixtures), route
 * matching, and result mapping. Handlers here are local routes that record what they receive.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { startGateway } from '../../local/gateway/index.js';
import type { RunningGateway } from '../../local/gateway/index.js';
import { captureOutput } from '../support/capture-output.js';
import { loadEventFixture } from '../support/events.js';
import { send } from './helpers/http.js';

interface Invocation {
  event: APIGatewayProxyEventV2;
  context: Context;
  remainingAtStart: number;
}

const invocations: Invocation[] = [];
let nextResult: unknown = { statusCode: 200 };
let gateway: RunningGateway;
const FUNCTION_TIMEOUT_MS = 1_500;

function record(result: () => unknown) {
  return async (event: APIGatewayProxyEventV2, context: Context) => {
    invocations.push({ event, context, remainingAtStart: context.getRemainingTimeInMillis() });
    return result();
  };
}

beforeAll(async () => {
  gateway = await startGateway({
    port: 0,
    routes: [],
    functionTimeoutMs: FUNCTION_TIMEOUT_MS,
    maxPayloadBytes: 4_096,
    extraRoutes: [
      { id: 'vmr', method: 'PUT', path: '/v1/usg/dcs/member/vmr/{id}', handler: record(() => nextResult) },
      { id: 'resources', method: 'PUT', path: '/v1/usg/dcs/sp/corp/{corp_id}/resource', handler: record(() => nextResult) },
      {
        id: 'throws',
        method: 'POST',
        path: '/_local/throws',
        handler: record(() => {
          throw new Error('boom');
        }),
      },
      { id: 'slow', method: 'POST', path: '/_local/slow', handler: record(() => new Promise((resolve) => setTimeout(resolve, 5_000).unref())) },
    ],
  });
});

afterAll(async () => {
  await gateway.stop();
});

beforeEach(() => {
  invocations.length = 0;
  nextResult = { statusCode: 200 };
});

function lastEvent(): APIGatewayProxyEventV2 {
  const invocation = invocations.at(-1);
  if (invocation === undefined) throw new Error('handler was not invoked');
  return invocation.event;
}

const sortedKeys = (value: object | undefined) => Object.keys(value ?? {}).sort();

describe('HTTP API v2 event', () => {
  it('has the same keys as the captured event, at the top, in requestContext and in requestContext.http', async () => {
    const captured = loadEventFixture('http-api-v2-modify-vmr');

    await send(`${gateway.url}/v1/usg/dcs/member/vmr/ff80808167ef1edf0167f33d650c0662`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-access-token': 'tok' },
      body: '{"vmrName":"test"}',
    });

    const event = lastEvent();
    expect(sortedKeys(event)).toEqual(sortedKeys(captured));
    expect(sortedKeys(event.requestContext)).toEqual(sortedKeys(captured.requestContext));
    expect(sortedKeys(event.requestContext.http)).toEqual(sortedKeys(captured.requestContext.http));
  });

  it('fills route, path, stage, time and ids in API Gateway\'s formats', async () => {
    await send(`${gateway.url}/v1/usg/dcs/member/vmr/ff80808167ef1edf0167f33d650c0662`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'user-agent': 'curl/8.5.0' },
      body: '{}',
    });

    const event = lastEvent();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'PUT /v1/usg/dcs/member/vmr/{id}',
      rawPath: '/v1/usg/dcs/member/vmr/ff80808167ef1edf0167f33d650c0662',
      rawQueryString: '',
      pathParameters: { id: 'ff80808167ef1edf0167f33d650c0662' },
      isBase64Encoded: false,
      body: '{}',
    });
    expect(event.requestContext).toMatchObject({
      routeKey: 'PUT /v1/usg/dcs/member/vmr/{id}',
      stage: '$default',
      http: { method: 'PUT', path: '/v1/usg/dcs/member/vmr/ff80808167ef1edf0167f33d650c0662', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'curl/8.5.0' },
    });
    expect(event.requestContext.requestId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(typeof event.requestContext.timeEpoch).toBe('number');
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.cookies).toBeUndefined();
  });

  it('lowercases header names and joins repeated headers with a comma', async () => {
    await send(`${gateway.url}/v1/usg/dcs/member/vmr/abc`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'X-Access-Token': ['one', 'two'], 'X-Request-Id': 'Rid-1' },
      body: '{}',
    });

    const { headers } = lastEvent();
    expect(headers['x-access-token']).toBe('one,two');
    expect(headers['x-request-id']).toBe('Rid-1');
    expect(headers['content-type']).toBe('application/json');
    expect(Object.keys(headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('moves cookies out of the headers into cookies', async () => {
    await send(`${gateway.url}/v1/usg/dcs/member/vmr/abc`, { method: 'PUT', headers: { cookie: 'a=1; b=2' } });

    const event = lastEvent();
    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect(event.headers.cookie).toBeUndefined();
  });

  it('keeps the raw query string and decodes parameters, joining repeated ones with a comma', async () => {
    await send(`${gateway.url}/v1/usg/dcs/member/vmr/abc?tag=a&tag=b&name=x%20y`, { method: 'PUT' });

    const event = lastEvent();
    expect(event.rawQueryString).toBe('tag=a&tag=b&name=x%20y');
    expect(event.queryStringParameters).toEqual({ tag: 'a,b', name: 'x y' });
  });

  it('decodes path parameters but keeps rawPath as sent', async () => {
    await send(`${gateway.url}/v1/usg/dcs/member/vmr/a%2Fb`, { method: 'PUT' });

    const event = lastEvent();
    expect(event.rawPath).toBe('/v1/usg/dcs/member/vmr/a%2Fb');
    expect(event.pathParameters).toEqual({ id: 'a/b' });
  });

  it.each([['application/octet-stream'], ['application/x-www-form-urlencoded'], [undefined]])(
    'base64-encodes a body sent as %s',
    async (contentType) => {
      const body = Buffer.from([0x5b, 0x7b, 0x7d, 0x5d, 0xff]);

      await send(`${gateway.url}/v1/usg/dcs/sp/corp/818803911/resource`, {
        method: 'PUT',
        headers: contentType === undefined ? {} : { 'content-type': contentType },
        body,
      });

      const event = lastEvent();
      expect(event.isBase64Encoded).toBe(true);
      expect(Buffer.from(event.body ?? '', 'base64')).toEqual(body);
    },
  );

  it('base64-encodes a JSON body whose bytes are not UTF-8, so the handler sees the bytes sent', async () => {
    const body = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]); // {"a":"<latin1 é>"}

    await send(`${gateway.url}/v1/usg/dcs/sp/corp/818803911/resource`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json; charset=latin1' },
      body,
    });

    const event = lastEvent();
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(body);
  });

  it('leaves body out when the request has none', async () => {
    await send(`${gateway.url}/v1/usg/dcs/member/vmr/abc`, { method: 'PUT' });

    expect('body' in lastEvent()).toBe(false);
  });
});

describe('Lambda context', () => {
  it('counts remaining time down from the function timeout and names the function', async () => {
    await send(`${gateway.url}/v1/usg/dcs/member/vmr/abc`, { method: 'PUT' });

    const invocation = invocations.at(-1);
    expect(invocation?.remainingAtStart).toBeGreaterThan(0);
    expect(invocation?.remainingAtStart).toBeLessThanOrEqual(FUNCTION_TIMEOUT_MS);
    expect(invocation?.context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(invocation?.context.functionName).toBe('meeting-relay-vmr');
  });
});

describe('result mapping', () => {
  it('sends a structured result\'s status, headers, body and cookies', async () => {
    nextResult = { statusCode: 418, headers: { 'X-Request-Id': 'r1', 'content-type': 'text/plain' }, body: 'teapot', cookies: ['c=1'] };

    const answer = await send(`${gateway.url}/v1/usg/dcs/member/vmr/abc`, { method: 'PUT' });

    expect(answer.status).toBe(418);
    expect(answer.text).toBe('teapot');
    expect(answer.headers['x-request-id']).toBe('r1');
    expect(answer.headers['set-cookie']).toEqual(['c=1']);
    expect(answer.headers['apigw-requestid']).toBe(lastEvent().requestContext.requestId);
  });

  it('decodes a base64 result body', async () => {
    nextResult = { statusCode: 200, body: Buffer.from('binary').toString('base64'), isBase64Encoded: true };

    const answer = await send(`${gateway.url}/v1/usg/dcs/member/vmr/abc`, { method: 'PUT' });

    expect(answer.text).toBe('binary');
  });

  it('infers 200 and JSON for a plain object without statusCode', async () => {
    nextResult = { hello: 'world' };

    const answer = await send(`${gateway.url}/v1/usg/dcs/member/vmr/abc`, { method: 'PUT' });

    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.json).toEqual({ hello: 'world' });
  });

  it('infers 200 and sends a returned string as the body', async () => {
    nextResult = 'Hello from Lambda!';

    const answer = await send(`${gateway.url}/v1/usg/dcs/member/vmr/abc`, { method: 'PUT' });

    expect([answer.status, answer.text]).toEqual([200, 'Hello from Lambda!']);
  });

  it('answers 500 {"message":"Internal Server Error"} when the handler throws, and names the route and error on stderr', async () => {
    const output = captureOutput();
    let answer: Awaited<ReturnType<typeof send>>;
    try {
      answer = await send(`${gateway.url}/_local/throws`, { method: 'POST' });
    } finally {
      output.stop();
    }

    expect([answer.status, answer.json]).toEqual([500, { message: 'Internal Server Error' }]);
    expect(output.text()).toContain('[gateway] throws failed: Error: boom');
  });

  it('answers 503 {"message":"Service Unavailable"} when the handler outlives the function timeout', async () => {
    const answer = await send(`${gateway.url}/_local/slow`, { method: 'POST' });

    expect([answer.status, answer.json]).toEqual([503, { message: 'Service Unavailable' }]);
  });

  it('answers 500 for a structured result with an impossible status', async () => {
    nextResult = { statusCode: 42 };

    const answer = await send(`${gateway.url}/v1/usg/dcs/member/vmr/abc`, { method: 'PUT' });

    expect(answer.status).toBe(500);
  });
});

describe('routing', () => {
  it.each([
    ['an unknown path', 'PUT', '/v1/usg/dcs/member/vmrs/abc'],
    ['a wrong method', 'POST', '/v1/usg/dcs/member/vmr/abc'],
    ['an empty path parameter', 'PUT', '/v1/usg/dcs/member/vmr/'],
    ['an extra segment', 'PUT', '/v1/usg/dcs/member/vmr/abc/def'],
  ])('answers 404 {"message":"Not Found"} for %s without invoking a handler', async (_label, method, path) => {
    const answer = await send(`${gateway.url}${path}`, { method });

    expect([answer.status, answer.json]).toEqual([404, { message: 'Not Found' }]);
    expect(invocations).toHaveLength(0);
  });

  it('answers 413 when the payload exceeds the gateway limit, without invoking a handler', async () => {
    const answer = await send(`${gateway.url}/v1/usg/dcs/member/vmr/abc`, { method: 'PUT', body: 'x'.repeat(4_097) });

    expect([answer.status, answer.json]).toEqual([413, { message: 'Request Entity Too Large' }]);
    expect(invocations).toHaveLength(0);
  });
});
