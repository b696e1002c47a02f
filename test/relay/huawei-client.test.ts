import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { use } from '../support/stack.js';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { HuaweiClient, UpstreamTimeoutError, UpstreamUnavailableError } from '../../functions/shared/huawei/client.js';
import { DEFAULT_HUAWEI_BASE_URL, huaweiBaseUrlFromEnv, parseHuaweiBaseUrl } from '../../functions/shared/huawei/config.js';
import { ENV } from '../../functions/shared/env.js';
import { startScriptedUpstream } from './helpers/scripted-upstream.js';

const PATH = '/v1/usg/dcs/sp/corp/818803911/resource';
const HUAWEI_ERROR = '{"error_code":"USG.000000004","error_msg":"token invalid","request_id":"abc"}';

const upstream = use(startScriptedUpstream);
let client: HuaweiClient;

beforeEach(() => {
  upstream.seen.length = 0;
  upstream.script([], { status: 200 });
  // Short backoff keeps the suite quick; jitter pinned to its midpoint.
  client = new HuaweiClient({ baseUrl: upstream.url, minRetryDelayMs: 20, maxRetryDelayMs: 80, random: () => 0.5 });
});

afterEach(async () => {
  await client.close();
});

describe('HuaweiClient answers', () => {
  it('sends the JSON body, the given headers and the query, and returns status, text, json and request id', async () => {
    upstream.script([{ status: 200, headers: { 'x-request-id': 'up-1' }, body: '{"count":1}' }]);

    const response = await client.request({
      method: 'GET',
      path: PATH,
      query: { offset: 0, searchKey: 'a b', type: undefined },
      headers: { 'X-Access-Token': 'tok', 'X-Request-Id': 'rid-1' },
    });

    expect(response).toMatchObject({ status: 200, text: '{"count":1}', json: { count: 1 }, requestId: 'up-1', attempts: 1 });
    expect(upstream.seen[0]?.url).toBe(`${PATH}?offset=0&searchKey=a+b`);
    expect(upstream.seen[0]?.headers['x-access-token']).toBe('tok');
    expect(upstream.seen[0]?.headers['x-request-id']).toBe('rid-1');
  });

  it('serialises the body as JSON with a JSON content type', async () => {
    await client.request({ method: 'PUT', path: PATH, body: [{ id: 'x', isDisabled: 'false' }] });

    expect(upstream.seen[0]?.body).toBe('[{"id":"x","isDisabled":"false"}]');
    expect(upstream.seen[0]?.headers['content-type']).toBe('application/json;charset=UTF-8');
  });

  it('returns a 400 with Huawei\'s error body without retrying it', async () => {
    upstream.script([{ status: 400, headers: { 'x-request-id': 'abc' }, body: HUAWEI_ERROR }]);

    const response = await client.request({ method: 'PUT', path: PATH, body: [] });

    expect(response).toMatchObject({ status: 400, text: HUAWEI_ERROR, requestId: 'abc', attempts: 1 });
    expect(upstream.seen).toHaveLength(1);
  });

  it.each([[401], [403], [404], [409], [412]])('never retries a %i', async (status) => {
    upstream.script([{ status, body: HUAWEI_ERROR }]);

    const response = await client.request({ method: 'PUT', path: PATH, body: [] });

    expect(response.status).toBe(status);
    expect(upstream.seen).toHaveLength(1);
  });

  it('leaves json undefined for an empty or non-JSON body', async () => {
    upstream.script([{ status: 502, body: '<html>bad gateway</html>' }], { status: 502, body: '<html>bad gateway</html>' });
    const response = await new HuaweiClient({ baseUrl: upstream.url, maxRetries: 0 }).request({ method: 'GET', path: PATH });
    expect(response.json).toBeUndefined();
    expect(response.text).toBe('<html>bad gateway</html>');
  });
});

describe('HuaweiClient retries', () => {
  it('retries a 500 and returns the success, resending the same body', async () => {
    upstream.script([{ status: 500, body: HUAWEI_ERROR }, { status: 200 }]);

    const response = await client.request({ method: 'PUT', path: PATH, body: [{ id: 'r1' }] });

    expect(response).toMatchObject({ status: 200, attempts: 2 });
    expect(upstream.seen.map((request) => request.body)).toEqual(['[{"id":"r1"}]', '[{"id":"r1"}]']);
  });

  it('retries a connection reset and returns the success', async () => {
    upstream.script([{ reset: true }, { status: 200 }]);

    const response = await client.request({ method: 'PUT', path: PATH, body: [{ id: 'r1' }] });

    expect(response).toMatchObject({ status: 200, attempts: 2 });
    expect(upstream.seen).toHaveLength(2);
  });

  it.each([[429], [502], [503], [504]])('retries a %i', async (status) => {
    upstream.script([{ status }, { status: 200 }]);

    const response = await client.request({ method: 'DELETE', path: PATH });

    expect(response).toMatchObject({ status: 200, attempts: 2 });
  });

  it('gives up after the configured retries and returns the last answer with its body', async () => {
    upstream.script([], { status: 503, headers: { 'x-request-id': 'last' }, body: HUAWEI_ERROR });

    const response = await client.request({ method: 'PUT', path: PATH, body: [] });

    expect(response).toMatchObject({ status: 503, text: HUAWEI_ERROR, requestId: 'last', attempts: 4 });
    expect(upstream.seen).toHaveLength(4);
  });

  it('waits at least the Retry-After the server asked for before retrying', async () => {
    upstream.script([{ status: 429, headers: { 'retry-after': '1' } }, { status: 200 }]);

    const response = await client.request({ method: 'PUT', path: PATH, body: [] });

    expect(response.status).toBe(200);
    const [first, second] = upstream.seen;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('returns the 429 at once when Retry-After is longer than it is willing to wait', async () => {
    upstream.script([{ status: 429, headers: { 'retry-after': '120' } }, { status: 200 }]);

    const response = await client.request({ method: 'PUT', path: PATH, body: [] });

    expect(response).toMatchObject({ status: 429, attempts: 1 });
  });

  it('does not retry a POST unless asked to', async () => {
    upstream.script([{ status: 500 }, { status: 500 }, { status: 200 }]);

    const plain = await client.request({ method: 'POST', path: PATH, body: [] });
    const retried = await client.request({ method: 'POST', path: PATH, body: [], retry: true });

    expect([plain.status, plain.attempts]).toEqual([500, 1]);
    expect([retried.status, retried.attempts]).toEqual([200, 2]);
  });

  it('does not retry a PUT when retry is false', async () => {
    upstream.script([{ status: 500 }, { status: 200 }]);

    const response = await client.request({ method: 'PUT', path: PATH, body: [], retry: false });

    expect([response.status, response.attempts]).toEqual([500, 1]);
  });

  it('does not start a retry whose backoff would pass the deadline, returning the last answer', async () => {
    const slowBackoff = new HuaweiClient({ baseUrl: upstream.url, minRetryDelayMs: 5_000, maxRetryDelayMs: 5_000, random: () => 0.5 });
    upstream.script([{ status: 500 }, { status: 200 }]);

    const response = await slowBackoff.request({ method: 'PUT', path: PATH, body: [], deadline: Date.now() + 2_000 });
    await slowBackoff.close();

    expect([response.status, response.attempts]).toEqual([500, 1]);
    expect(upstream.seen).toHaveLength(1);
  });
});

describe('HuaweiClient failures', () => {
  it('throws UpstreamTimeoutError when the deadline passes before an answer', async () => {
    upstream.script([{ status: 200, delayMs: 5_000 }]);

    const call = client.request({ method: 'PUT', path: PATH, body: [], deadline: Date.now() + 300 });

    await expect(call).rejects.toBeInstanceOf(UpstreamTimeoutError);
  });

  it('throws UpstreamTimeoutError without sending anything when the deadline has already passed', async () => {
    await expect(client.request({ method: 'PUT', path: PATH, deadline: Date.now() - 1 })).rejects.toBeInstanceOf(UpstreamTimeoutError);
    expect(upstream.seen).toHaveLength(0);
  });

  it('throws UpstreamTimeoutError when an attempt waits longer than the headers timeout', async () => {
    const impatient = new HuaweiClient({ baseUrl: upstream.url, headersTimeoutMs: 200, maxRetries: 0 });
    upstream.script([{ status: 200, delayMs: 3_000 }]);

    await expect(impatient.request({ method: 'PUT', path: PATH })).rejects.toBeInstanceOf(UpstreamTimeoutError);
    await impatient.close();
  });

  it('throws UpstreamUnavailableError after retrying a refused connection', async () => {
    const port = await closedPort();
    const unreachable = new HuaweiClient({ baseUrl: `http://127.0.0.1:${port}`, minRetryDelayMs: 10, maxRetries: 2 });

    const error = await unreachable.request({ method: 'PUT', path: PATH }).catch((caught: unknown) => caught);
    await unreachable.close();

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect((error as UpstreamUnavailableError).attempts).toBe(3);
  });

  it.each([['a parent segment', '/v1/../acs'], ['a double slash', '//evil.example/x'], ['a query', '/v1/x?a=1'], ['no leading slash', 'v1/x']])(
    'refuses a path with %s without sending anything',
    async (_label, path) => {
      await expect(client.request({ method: 'GET', path })).rejects.toThrow(/unsafe upstream path/);
      expect(upstream.seen).toHaveLength(0);
    },
  );
});

describe('HuaweiClient connections', () => {
  it('reuses one keep-alive connection for consecutive calls', async () => {
    const before = upstream.connections();

    // Spaced like separate invocations (undici frees a socket for reuse on the tick after a response ends).
    for (let call = 0; call < 3; call += 1) {
      await client.request({ method: 'GET', path: PATH });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(upstream.connections() - before).toBe(1);
  });
});

describe('Huawei base URL', () => {
  it('defaults to Huawei\'s production host', () => {
    expect(huaweiBaseUrlFromEnv({})).toBe(DEFAULT_HUAWEI_BASE_URL);
  });

  it('reads HUAWEI_MEETING_BASE_URL', () => {
    expect(huaweiBaseUrlFromEnv({ [ENV.huaweiBaseUrl]: 'https://api-intl.meeting.huaweicloud.com' })).toBe(
      'https://api-intl.meeting.huaweicloud.com',
    );
  });

  it.each([['http://127.0.0.1:3001'], ['http://localhost:3001'], ['https://api.meeting.huaweicloud.com/']])('accepts %s', (url) => {
    expect(() => parseHuaweiBaseUrl(url)).not.toThrow();
  });

  it.each([
    ['plain http to another host', 'http://api.meeting.huaweicloud.com', /must be an https URL/],
    ['a path', 'https://api.meeting.huaweicloud.com/v1', /origin only/],
    ['credentials', 'https://user:pw@api.meeting.huaweicloud.com', /credentials/],
    ['garbage', 'not a url', /not a valid URL/],
    ['another scheme', 'ftp://api.meeting.huaweicloud.com', /must be an https URL/],
  ])('refuses %s', (_label, url, message) => {
    expect(() => parseHuaweiBaseUrl(url)).toThrow(message);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
