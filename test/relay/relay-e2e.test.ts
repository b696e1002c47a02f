/**
 * End to end: HTTP client -> local API Gateway emulator -> the deployed handler modules -> Huawei client ->
 * simulator, all over loopback HTTP. The simulator's request log proves what was (and was not) relayed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ENV } from '../../functions/shared/env.js';
import { resetHuaweiClient } from '../../functions/shared/huawei/client.js';
import { startGateway } from '../../local/gateway/index.js';
import type { RunningGateway } from '../../local/gateway/index.js';
import { CORP_A, CORP_B, DEMO_SECRETS } from '../../local/simulator/demo-data.js';
import { captureOutput, type OutputCapture } from '../support/capture-output.js';
import { send } from './helpers/http.js';
import type { RawAnswer } from './helpers/http.js';
import { relayedRequests, startLambdaStack, use } from '../support/stack.js';

// One test reads the handlers' log lines: the level is set before the logger is built, at import; the whole
// file's output is captured (and dropped) so the lines stay out of the run's output.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
});

// Before the gateways start: they load the resource route, which builds its registry recorder at cold start.
const sim = use(startLambdaStack);
let gateway: RunningGateway;
/** Same handlers with a 3 s function timeout: the relay's deadline is then 1.5 s. */
let shortGateway: RunningGateway;

const VMR_PATH = `/v1/usg/dcs/member/vmr/${CORP_A.vmrId}`;
const RESOURCE_PATH = `/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource`;

// The seed documents' bodies, byte for byte.
const SEED_VMR_EXAMPLE = `{
    "vmrName": "test's cloud meeting room",
    "chairPwd": "123456",
    "gustPwd": "654321",
    "allowGustFirst": false
}`;
const SEED_VMR_CURL = '{"vmrName":"test","chairPwd":"123456","gustPwd":"654321","allowGustFirst":"false"}';
const SEED_RESOURCES_EXAMPLE = `[
    {
        "expireDate": 2549030400000,
        "id": "733ff391f2a14360af3b93bd1325f9f9",
        "isDisabled": false,
        "type": "VMR"
    }
]`;
const SEED_RESOURCES_CURL = '[{"expireDate": 2549030400000,"id": "733ff391f2a14360af3b93bd1325f9f9","isDisabled": false,"type": "VMR"}]';

let fileOutput: OutputCapture;

beforeAll(async () => {
  fileOutput = captureOutput();
  gateway = await startGateway({ port: 0 });
  shortGateway = await startGateway({ port: 0, functionTimeoutMs: 3_000 });
});

afterAll(async () => {
  await gateway.stop();
  await shortGateway.stop();
  fileOutput.stop();
});

beforeEach(async () => {
  await sim.control.reset();
});

function put(path: string, options: { token?: string; body?: string; headers?: Record<string, string>; via?: RunningGateway } = {}): Promise<RawAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token !== undefined) headers['X-Access-Token'] = options.token;
  return send(`${(options.via ?? gateway).url}${path}`, { method: 'PUT', headers, body: options.body });
}

async function readVmr(token: string, id: string): Promise<Record<string, unknown> | undefined> {
  const answer = await send(`${sim.url}/v1/usg/dcs/member/vmr?limit=100`, { headers: { 'X-Access-Token': token } });
  return (answer.json as { data: Array<Record<string, unknown>> }).data.find((vmr) => vmr.id === id);
}

async function readResource(id: string): Promise<Record<string, unknown> | undefined> {
  const answer = await send(`${sim.url}${RESOURCE_PATH}?searchKey=${id}&limit=100`, { headers: { 'X-Access-Token': sim.tokens.spAdmin } });
  return (answer.json as { data: Array<Record<string, unknown>> }).data.find((resource) => resource.id === id && resource.type === 'VMR');
}

describe('the seeds, verbatim', () => {
  it('modify-VMR example request succeeds and the simulator shows the change', async () => {
    const answer = await put(VMR_PATH, { token: sim.tokens.alice, body: SEED_VMR_EXAMPLE });

    expect(answer.status).toBe(200);
    expect(await readVmr(sim.tokens.alice, CORP_A.vmrId)).toMatchObject({
      vmrName: "test's cloud meeting room",
      chairPwd: '123456',
      gustPwd: '654321',
      allowGustFirst: false,
    });
  });

  it('modify-VMR cURL command (allowGustFirst as the string "false") succeeds and is applied', async () => {
    const answer = await put(VMR_PATH, { token: sim.tokens.alice, body: SEED_VMR_CURL });

    expect(answer.status).toBe(200);
    expect(await readVmr(sim.tokens.alice, CORP_A.vmrId)).toMatchObject({ vmrName: 'test', allowGustFirst: false });
    const [relayed] = await relayedRequests(sim.control);
    expect(relayed?.body).toMatchObject({ vmrName: 'test', allowGustFirst: 'false' });
  });

  it('modify-resources example request succeeds and the simulator shows the new expiry', async () => {
    const answer = await put(RESOURCE_PATH, { token: sim.tokens.spAdmin, body: SEED_RESOURCES_EXAMPLE });

    expect(answer.status).toBe(200);
    expect(await readResource(CORP_A.vmrResourceId)).toMatchObject({ expireDate: 2549030400000, status: 0 });
  });

  it('modify-resources cURL command succeeds', async () => {
    const answer = await put(RESOURCE_PATH, { token: sim.tokens.spAdmin, body: SEED_RESOURCES_CURL });

    expect(answer.status).toBe(200);
    expect((await relayedRequests(sim.control)).map((request) => [request.method, request.path, request.status])).toEqual([
      ['PUT', RESOURCE_PATH, 200],
    ]);
  });
});

describe('refusals: Huawei\'s error shape, the field and rule named, nothing relayed', () => {
  const cases: Array<{
    name: string;
    path: string;
    body: string;
    headers?: Record<string, string>;
    noToken?: boolean;
    status: number;
    code: string;
    message: string | RegExp;
  }> = [
    { name: 'a missing X-Access-Token', path: VMR_PATH, body: SEED_VMR_CURL, noToken: true, status: 401, code: 'RELAY.401001', message: 'X-Access-Token: required' },
    { name: 'chairPwd with letters', path: VMR_PATH, body: '{"chairPwd":"12ab56"}', status: 400, code: 'RELAY.400001', message: 'chairPwd: must be 4 to 16 digits' },
    { name: 'an item without id', path: RESOURCE_PATH, body: '[{"id":"a1"},{"type":"VMR"}]', status: 400, code: 'RELAY.400001', message: '[1].id: required' },
    { name: '101 items', path: RESOURCE_PATH, body: JSON.stringify(Array.from({ length: 101 }, () => ({ id: 'a1' }))), status: 400, code: 'RELAY.400001', message: 'body: must be a JSON array of 1 to 100 resources' },
    { name: 'an invalid corp_id', path: '/v1/usg/dcs/sp/corp/8188.3911/resource', body: SEED_RESOURCES_CURL, status: 400, code: 'RELAY.400002', message: 'corp_id: must be 1 to 64 characters of A-Z, a-z, 0-9, _ or -' },
    { name: 'an encoded slash in the VMR id', path: '/v1/usg/dcs/member/vmr/..%2F..%2Facs', body: SEED_VMR_CURL, status: 400, code: 'RELAY.400002', message: /^id: / },
    { name: 'malformed JSON', path: VMR_PATH, body: '{"vmrName": "x"', status: 400, code: 'RELAY.400003', message: 'body: must be valid JSON' },
    { name: 'an invalid X-Request-Id', path: VMR_PATH, body: SEED_VMR_CURL, headers: { 'X-Request-Id': 'x'.repeat(129) }, status: 400, code: 'RELAY.400004', message: /^X-Request-Id: / },
    { name: 'a body over 64 KiB', path: VMR_PATH, body: `{"vmrName":"${'x'.repeat(65_536)}"}`, status: 413, code: 'RELAY.413001', message: /^body: must be at most 65536 bytes/ },
    { name: 'a text/plain content type', path: VMR_PATH, body: SEED_VMR_CURL, headers: { 'content-type': 'text/plain' }, status: 415, code: 'RELAY.415001', message: 'Content-Type: must be application/json' },
  ];

  it.each(cases)('answers $status $code for $name', async (testCase) => {
    const token = testCase.path.startsWith('/v1/usg/dcs/sp') ? sim.tokens.spAdmin : sim.tokens.alice;

    const answer = await put(testCase.path, {
      token: testCase.noToken === true ? undefined : token,
      body: testCase.body,
      headers: testCase.headers,
    });

    const body = answer.json as { error_code: string; error_msg: string; request_id: string };
    expect(answer.status).toBe(testCase.status);
    expect(Object.keys(body).sort()).toEqual(['error_code', 'error_msg', 'request_id']);
    expect(body.error_code).toBe(testCase.code);
    if (typeof testCase.message === 'string') expect(body.error_msg).toBe(testCase.message);
    else expect(body.error_msg).toMatch(testCase.message);
    expect(answer.headers['x-request-id']).toBe(body.request_id);
    expect(await relayedRequests(sim.control)).toEqual([]);
  });
});

describe('Huawei\'s answers, passed through', () => {
  it.each([
    ['400 for a VMR that is not the caller\'s', () => ({ path: `/v1/usg/dcs/member/vmr/${CORP_B.vmrId}`, token: sim.tokens.alice }), 400],
    ['401 for an invalid token', () => ({ path: VMR_PATH, token: 'stbNotARealToken0000000000000000000' }), 401],
    ['403 for an SP administrator modifying a user\'s VMR', () => ({ path: VMR_PATH, token: sim.tokens.spAdmin }), 403],
  ])('passes %s through with Huawei\'s body and request id', async (_label, target, status) => {
    const { path, token } = target();

    const answer = await put(path, { token, body: SEED_VMR_CURL, headers: { 'X-Request-Id': 'e2e-pass-through-1' } });

    const [relayed] = await relayedRequests(sim.control);
    const body = answer.json as { error_code: string; error_msg: string; request_id: string };
    expect(answer.status).toBe(status);
    expect(relayed?.status).toBe(status);
    expect(body.error_code).toMatch(/^USG\./);
    expect(body.request_id).toBe('e2e-pass-through-1');
    expect(answer.headers['x-request-id']).toBe('e2e-pass-through-1');
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
  });

  it('answers 401 with Huawei\'s USG.000000004 for an expired token', async () => {
    await sim.control.expireTokens();

    const answer = await put(VMR_PATH, { token: sim.tokens.alice, body: SEED_VMR_CURL });
    await sim.relogin();

    expect(answer.status).toBe(401);
    expect((answer.json as { error_code: string }).error_code).toBe('USG.000000004');
  });
});

describe('resilience', () => {
  it('retries one upstream 500 and answers the success', async () => {
    await sim.control.addFault({ path: RESOURCE_PATH, method: 'PUT', status: 500, count: 1 });

    const answer = await put(RESOURCE_PATH, { token: sim.tokens.spAdmin, body: SEED_RESOURCES_CURL });

    expect(answer.status).toBe(200);
    expect((await relayedRequests(sim.control)).map((request) => request.status)).toEqual([500, 200]);
    expect(await readResource(CORP_A.vmrResourceId)).toMatchObject({ expireDate: 2549030400000 });
  });

  it('retries one connection reset and answers the success', async () => {
    await sim.control.addFault({ path: VMR_PATH, method: 'PUT', reset: true, count: 1 });

    const answer = await put(VMR_PATH, { token: sim.tokens.alice, body: SEED_VMR_CURL });

    expect(answer.status).toBe(200);
    expect((await relayedRequests(sim.control)).map((request) => [request.status, request.fault])).toEqual([
      [0, 'reset'],
      [200, undefined],
    ]);
  });

  it('answers 504 RELAY.504001 in Huawei\'s shape when Huawei is slower than the deadline', async () => {
    await sim.control.addFault({ path: VMR_PATH, delayMs: 10_000 });

    const answer = await put(VMR_PATH, { token: sim.tokens.alice, body: SEED_VMR_CURL, via: shortGateway, headers: { 'X-Request-Id': 'slow-1' } });

    expect(answer.status).toBe(504);
    expect(answer.json).toEqual({
      error_code: 'RELAY.504001',
      error_msg: 'Huawei Cloud Meeting did not answer within the deadline',
      request_id: 'slow-1',
    });
  });

  it('answers 502 RELAY.502001 when Huawei cannot be reached at all', async () => {
    const simulatorUrl = sim.url;
    process.env[ENV.huaweiBaseUrl] = 'http://127.0.0.1:1';
    await resetHuaweiClient();
    try {
      const answer = await put(VMR_PATH, { token: sim.tokens.alice, body: SEED_VMR_CURL });

      expect(answer.status).toBe(502);
      expect((answer.json as { error_code: string; error_msg: string }).error_code).toBe('RELAY.502001');
      expect((answer.json as { error_msg: string }).error_msg).toMatch(/could not be reached \(4 attempts\)/);
    } finally {
      process.env[ENV.huaweiBaseUrl] = simulatorUrl;
      await resetHuaweiClient();
    }
  });
});

describe('request ids and secrets', () => {
  it('carries X-Request-Id from the client to Huawei and back', async () => {
    const answer = await put(VMR_PATH, { token: sim.tokens.alice, body: SEED_VMR_CURL, headers: { 'X-Request-Id': 'e2e-request-id-42' } });

    const [relayed] = await relayedRequests(sim.control);
    expect(relayed?.requestId).toBe('e2e-request-id-42');
    expect(answer.headers['x-request-id']).toBe('e2e-request-id-42');
  });

  it('generates a request id when the client sends none and uses it upstream and in the answer', async () => {
    const answer = await put(VMR_PATH, { token: sim.tokens.alice, body: SEED_VMR_CURL });

    const [relayed] = await relayedRequests(sim.control);
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/); // Huawei's form
    expect(relayed?.requestId).toBe(answer.headers['x-request-id']);
  });

  it('never writes an access token or a demo secret to the logs', async () => {
    const output = captureOutput();
    try {
      await put(VMR_PATH, { token: sim.tokens.alice, body: SEED_VMR_CURL });
      await put(VMR_PATH, { token: sim.tokens.alice, body: '{"chairPwd":"12ab"}' });
      await put(RESOURCE_PATH, { token: sim.tokens.alice, body: SEED_RESOURCES_CURL });
      await put(VMR_PATH, { token: 'stbNotARealToken0000000000000000000', body: SEED_VMR_CURL });
      await sim.control.addFault({ path: VMR_PATH, status: 503 });
      await put(VMR_PATH, { token: sim.tokens.alice, body: SEED_VMR_CURL });
    } finally {
      output.stop();
    }

    const logs = output.text();
    expect(logs).toContain('request finished');
    for (const secret of [sim.tokens.alice, 'stbNotARealToken0000000000000000000', ...DEMO_SECRETS]) {
      expect(logs).not.toContain(secret);
    }
  });
});
