/**
 * The emulator's passthrough (the HTTP proxy integration on Huawei's path prefixes), over real loopback HTTP: what
 * it forwards is the request as sent, less hop-by-hop headers; what it returns is the origin's answer, less
 * hop-by-hop headers; and nothing in a request (path, encoded characters, Host, X-Forwarded-*, an absolute-URL
 * request target) makes it connect anywhere but the configured origin: a second loopback server, the decoy, is
 * never hit. Paths outside Huawei's prefixes, and everything when passthrough is off, get the relay's own 404 in
 * Huawei's shape.
 */
import { createHash } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PASSTHROUGH_PREFIXES } from '../../functions/shared/routes.js';
import { startGateway } from '../../local/gateway/index.js';
import type { RunningGateway } from '../../local/gateway/index.js';
import { HTTP_API_MAX_PAYLOAD_BYTES } from '../../local/gateway/server.js';
import { listenOnLoopback } from '../support/stack.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  bodyLength: number;
  bodySha: string;
}

interface TestServer {
  url: string;
  host: string;
  seen: Seen[];
  stop(): Promise<void>;
}

/** A loopback server that records each request and answers with a fixed set of headers, some hop-by-hop. */
async function startRecorder(): Promise<TestServer> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        bodyLength: body.length,
        bodySha: createHash('sha256').update(body).digest('hex'),
      });
      res.writeHead(201, [
        ['content-type', 'application/json;charset=UTF-8'],
        ['x-request-id', 'f90fbd8714328398fcbedddde0f1303c'],
        ['set-cookie', 'a=1'],
        ['set-cookie', 'b=2'],
        ['connection', 'keep-alive, x-origin-hop'],
        ['x-origin-hop', 'dropped'],
        ['keep-alive', 'timeout=5'],
        ['x-envoy-upstream-service-time', '7'],
      ]);
      res.end('{"answer":"from origin"}');
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
    seen,
  };
}

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  text: string;
}

/** One request whose request line carries `target` verbatim (node's http.request sends `path` as given). */
function sendRaw(gateway: RunningGateway, method: string, target: string, headers: OutgoingHttpHeaders = {}, body?: Buffer | string): Promise<RawAnswer> {
  const relay = new URL(gateway.url);
  // node frames a DELETE body only when told its length.
  const framed = body === undefined ? headers : { 'content-length': Buffer.byteLength(body), ...headers };
  return new Promise((resolve, reject) => {
    const req = request({ host: relay.hostname, port: relay.port, method, path: target, headers: framed }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

let origin: TestServer;
let decoy: TestServer;
let gateway: RunningGateway;
let closedGateway: RunningGateway;

beforeAll(async () => {
  origin = await startRecorder();
  decoy = await startRecorder();
  gateway = await startGateway({ port: 0, routes: [], defaultRoute: true, passthroughOrigin: origin.url });
  closedGateway = await startGateway({ port: 0, routes: [], defaultRoute: true });
});

afterAll(async () => {
  await gateway?.stop();
  await closedGateway?.stop();
  await origin?.stop();
  await decoy?.stop();
});

beforeEach(() => {
  origin.seen.length = 0;
  decoy.seen.length = 0;
});

describe('what passes through', () => {
  it('sends method, path, query, headers and body unchanged, less hop-by-hop headers, with the origin as Host', async () => {
    const body = Buffer.from('{"account":"alice@818803911","clientType":72}');
    const answer = await sendRaw(
      gateway,
      'POST',
      '/v1/usg/acs/auth/account?b=2&a=%2F&a=3',
      {
        authorization: 'Basic YWxpY2U6cHc=',
        'content-type': 'application/json;charset=UTF-8',
        'x-request-id': 'client-chosen-id',
        'accept-language': 'en-US',
        'x-custom': ['one', 'two'],
        connection: 'keep-alive, x-client-hop',
        'x-client-hop': 'dropped',
        te: 'trailers',
        'proxy-authorization': 'Basic cHJveHk6cHc=',
        'x-forwarded-host': decoy.host,
      },
      body,
    );

    expect(answer.status).toBe(201);
    const [seen] = origin.seen;
    expect(seen).toMatchObject({
      method: 'POST',
      url: '/v1/usg/acs/auth/account?b=2&a=%2F&a=3',
      bodyLength: body.length,
      bodySha: createHash('sha256').update(body).digest('hex'),
    });
    expect(seen?.headers).toMatchObject({
      host: origin.host,
      authorization: 'Basic YWxpY2U6cHc=',
      'content-type': 'application/json;charset=UTF-8',
      'x-request-id': 'client-chosen-id',
      'accept-language': 'en-US',
      'x-custom': 'one, two',
      'x-forwarded-host': decoy.host,
      'content-length': String(body.length),
    });
    for (const hop of ['x-client-hop', 'te', 'proxy-authorization']) expect(seen?.headers[hop], hop).toBeUndefined();
    expect(decoy.seen).toEqual([]);
  });

  it('returns status, headers and body unchanged, less hop-by-hop headers', async () => {
    const answer = await sendRaw(gateway, 'GET', '/v1/usg/dcs/member/vmr?offset=0&limit=10', { 'x-access-token': 'tok' });

    expect(answer.status).toBe(201);
    expect(answer.text).toBe('{"answer":"from origin"}');
    expect(answer.headers).toMatchObject({
      'content-type': 'application/json;charset=UTF-8',
      'x-request-id': 'f90fbd8714328398fcbedddde0f1303c',
      'set-cookie': ['a=1', 'b=2'],
      'x-envoy-upstream-service-time': '7',
    });
    expect(answer.headers['x-origin-hop']).toBeUndefined();
    expect(answer.headers['apigw-requestid']).toMatch(/^[A-Za-z0-9+/]{15}=$/);
  });

  it.each(PASSTHROUGH_PREFIXES.flatMap((prefix) => ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].map((method) => [prefix, method] as const)))(
    'passes %s with %s',
    async (prefix, method) => {
      const answer = await sendRaw(gateway, method, `${prefix}some/path?q=1`, { 'x-access-token': 'tok' }, method === 'GET' ? undefined : '{}');

      expect(answer.status).toBe(201);
      expect(origin.seen.map((seen) => `${seen.method} ${seen.url}`)).toEqual([`${method} ${prefix}some/path?q=1`]);
    },
  );

  it(`refuses a body over API Gateway's ${HTTP_API_MAX_PAYLOAD_BYTES} bytes with 413 without calling the origin, and passes one at the limit`, async () => {
    const over = await sendRaw(gateway, 'POST', '/v1/usg/dcs/corp/member', { 'content-type': 'application/json' }, Buffer.alloc(HTTP_API_MAX_PAYLOAD_BYTES + 1, 0x20));
    expect(over.status).toBe(413);
    expect(origin.seen).toEqual([]);

    const atLimit = await sendRaw(gateway, 'POST', '/v1/usg/dcs/corp/member', { 'content-type': 'application/json' }, Buffer.alloc(HTTP_API_MAX_PAYLOAD_BYTES, 0x20));
    expect(atLimit.status).toBe(201);
    expect(origin.seen.map((seen) => seen.bodyLength)).toEqual([HTTP_API_MAX_PAYLOAD_BYTES]);
  });
});

describe('where it connects', () => {
  it('reaches only the origin whatever the path or its encoding says: the target is sent to the origin as received', async () => {
    const targets = [
      `/v1/usg/%2F%2F${decoy.host}/x`,
      `/v1/usg/..%2F..%2F${decoy.host}`,
      '/v1/usg/../../_simulator/requests',
      '/v1/usg/%2E%2E/%2E%2E/v1/mmc/x',
      '/v1/usg/%2e%2e%2f%2e%2e%2fx',
      `/v1/usg//${decoy.host}/x`,
      `/v1/usg/x@${decoy.host}/y`,
      `/v1/usg/${decoy.url}/y`,
      `/v1/usg/x?next=${encodeURIComponent(decoy.url)}&host=${decoy.host}`,
      '/v1/usg/%5C%5Cevil.example/x',
    ];
    for (const target of targets) {
      const answer = await sendRaw(gateway, 'GET', target, { 'x-access-token': 'tok' });
      expect(answer.status, target).toBe(201);
    }

    expect(origin.seen.map((seen) => seen.url)).toEqual(targets);
    expect(origin.seen.every((seen) => seen.headers.host === origin.host)).toBe(true);
    expect(decoy.seen).toEqual([]);
  });

  it('reaches only the origin whatever Host, X-Forwarded-* and Forwarded say', async () => {
    const answer = await sendRaw(gateway, 'PUT', '/v1/usg/acs/token', {
      host: decoy.host,
      'x-forwarded-host': decoy.host,
      'x-forwarded-proto': 'http',
      'x-forwarded-port': decoy.host.split(':')[1],
      'x-forwarded-for': '127.0.0.1',
      'x-original-url': `${decoy.url}/v1/usg/acs/token`,
      forwarded: `host=${decoy.host};proto=http`,
      'x-access-token': 'tok',
    });

    expect(answer.status).toBe(201);
    expect(origin.seen.map((seen) => seen.headers.host)).toEqual([origin.host]);
    expect(decoy.seen).toEqual([]);
  });

  it.each([
    ['an absolute-URL request target', () => `${decoy.url}/v1/usg/acs/auth/account`],
    ['a request target starting with //host', () => `//${decoy.host}/v1/usg/acs/auth/account`],
    ['a prefix without anything after it', () => '/v1/usg/'],
    ['a prefix in another case', () => '/V1/USG/acs/auth/account'],
    ['the simulator\'s control plane', () => '/_simulator/requests'],
    ['an unknown API version', () => '/v3/usg/acs/auth/account'],
  ])('answers %s itself: 404 RELAY.404001 in Huawei\'s shape with an X-Request-Id, nothing forwarded', async (_label, target) => {
    const answer = await sendRaw(gateway, 'POST', target(), { 'content-type': 'application/json' }, '{}');

    expect(answer.status).toBe(404);
    const body = JSON.parse(answer.text) as Record<string, string>;
    expect(body).toMatchObject({ error_code: 'RELAY.404001' });
    expect(body.error_msg).toContain('no such route');
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(body.request_id).toBe(answer.headers['x-request-id']);
    expect(origin.seen).toEqual([]);
    expect(decoy.seen).toEqual([]);
  });

  it('keeps the client\'s X-Request-Id on its own 404', async () => {
    const answer = await sendRaw(gateway, 'GET', '/nowhere', { 'x-request-id': 'a1b2c3' });

    expect([answer.status, answer.headers['x-request-id'], (JSON.parse(answer.text) as { request_id: string }).request_id]).toEqual([404, 'a1b2c3', 'a1b2c3']);
  });

  it('with passthrough off, answers Huawei\'s login path itself with 404 RELAY.404001 and forwards nothing', async () => {
    const answer = await sendRaw(closedGateway, 'POST', '/v1/usg/acs/auth/account', { 'content-type': 'application/json' }, '{}');

    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toMatchObject({ error_code: 'RELAY.404001' });
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(origin.seen).toEqual([]);
  });

  it('answers 503 like API Gateway when the origin cannot be reached, and tries nowhere else', async () => {
    const down = await startRecorder();
    await down.stop();
    const orphan = await startGateway({ port: 0, routes: [], defaultRoute: true, passthroughOrigin: down.url });
    try {
      const answer = await sendRaw(orphan, 'GET', '/v1/usg/dcs/member/vmr');
      expect([answer.status, JSON.parse(answer.text)]).toEqual([503, { message: 'Service Unavailable' }]);
    } finally {
      await orphan.stop();
    }
    expect(decoy.seen).toEqual([]);
  });

  it('refuses an origin with a path, credentials or a non-loopback http URL at start', async () => {
    await expect(startGateway({ port: 0, routes: [], passthroughOrigin: `${origin.url}/v1` })).rejects.toThrow(/origin only/);
    await expect(startGateway({ port: 0, routes: [], passthroughOrigin: 'http://user:pw@127.0.0.1:1' })).rejects.toThrow(/credentials/);
    await expect(startGateway({ port: 0, routes: [], passthroughOrigin: 'http://evil.example' })).rejects.toThrow(/https/);
  });
});
