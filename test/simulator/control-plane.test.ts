import { Agent, request } from 'node:http';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SimulatorControl } from '../../local/simulator/control-client.js';
import { CORP_A, DEMO_RESOURCES, DEMO_SECRETS, SP_ADMIN } from '../../local/simulator/demo-data.js';
import { loginDemo } from '../../local/simulator/demo-login.js';
import { startSimulator } from '../../local/simulator/index.js';
import { call, errorCode, errorMsg, useSimulator } from './support.js';

const sim = useSimulator();
let spToken = '';

beforeAll(async () => {
  spToken = await loginDemo.spAdmin(sim.url);
});

beforeEach(async () => {
  await sim.control.reset();
});

const CORP_PATH = `/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource`;
/** Polls the log until the request has arrived (the control plane itself is never delayed). */
async function waitForArrival(control: SimulatorControl, requestId: string): Promise<void> {
  while (!(await control.requests()).some((r) => r.requestId === requestId)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const listCorps = (headers: Record<string, string> = {}) => call(sim.url, 'GET', '/v1/usg/dcs/sp/corp', { token: spToken, headers });

describe('request ids', () => {
  it('echoes the caller\'s X-Request-Id', async () => {
    const answer = await listCorps({ 'X-Request-Id': 'caller-id-123' });
    expect(answer.headers.get('x-request-id')).toBe('caller-id-123');
  });

  it('echoes X-Request-ID spelled as the auth APIs spell it', async () => {
    const answer = await call(sim.url, 'POST', '/v1/usg/acs/token/validate', {
      headers: { 'X-Request-ID': 'auth-style-id' },
      body: { token: spToken, needGenNewToken: false },
    });
    expect(answer.headers.get('x-request-id')).toBe('auth-style-id');
  });

  it('generates a 32-hex id when none is sent, a new one per request', async () => {
    const first = await listCorps();
    const second = await listCorps();
    expect(first.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
  });

  it('puts the request id into error bodies', async () => {
    const answer = await call(sim.url, 'GET', '/v1/usg/dcs/sp/corp', { headers: { 'X-Request-Id': 'err-id' } });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ error_code: 'USG.000000004', error_msg: expect.any(String), request_id: 'err-id' });
  });

  it('answers an unknown path with 404 APIG.0101 in Huawei\'s error shape', async () => {
    const answer = await call(sim.url, 'GET', '/v1/usg/nothing-here', { headers: { 'X-Request-Id': 'nf' } });
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ error_code: 'APIG.0101', request_id: 'nf' });
  });
});

describe('GET /_simulator/requests', () => {
  it('records requests in order with method, path, query, status, requestId and parsed write bodies', async () => {
    // Act
    await call(sim.url, 'GET', `${CORP_PATH}?limit=2&type=VMR`, { token: spToken, headers: { 'X-Request-Id': 'r1' } });
    await call(sim.url, 'PUT', CORP_PATH, { token: spToken, body: [{ id: CORP_A.vmrResourceId, isDisabled: true }], headers: { 'X-Request-Id': 'r2' } });
    await call(sim.url, 'PUT', CORP_PATH, { token: spToken, body: [{ id: 'unknown' }], headers: { 'X-Request-Id': 'r3' } });
    // Assess
    const log = await sim.control.requests();
    expect(log.map((r) => r.requestId)).toEqual(['r1', 'r2', 'r3']);
    expect(log[0]).toMatchObject({ method: 'GET', path: CORP_PATH, query: { limit: '2', type: 'VMR' }, status: 200, body: null });
    expect(log[1]).toMatchObject({ method: 'PUT', status: 200, body: [{ id: CORP_A.vmrResourceId, isDisabled: true }] });
    expect(log[2]?.status).toBe(400);
    expect(typeof log[0]?.at).toBe('number');
  });

  it('never stores tokens, passwords or signatures', async () => {
    // Prepare
    await loginDemo.spAdmin(sim.url);
    await loginDemo.spAdminByAppId(sim.url);
    await call(sim.url, 'POST', '/v1/usg/acs/token/validate', { body: { token: spToken, needGenNewToken: false } });
    // Act
    const text = JSON.stringify(await sim.control.requests());
    // Assess
    expect(text).not.toContain(spToken);
    for (const secret of DEMO_SECRETS) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/stb[A-Za-z0-9]{33}/);
    expect(text).not.toContain('signature');
    expect(text).toContain('"token":"***"');
    expect(text).toContain(SP_ADMIN.account);
  });

  it('does not record control-plane calls', async () => {
    await sim.control.faults();
    await sim.control.clearFaults();
    expect(await sim.control.requests()).toEqual([]);
  });

  it('empties on DELETE /_simulator/requests', async () => {
    await listCorps();
    await sim.control.clearRequests();
    expect(await sim.control.requests()).toEqual([]);
  });

  it('keeps only the newest entries when bounded', async () => {
    // Prepare
    const small = await startSimulator({ maxLoggedRequests: 3 });
    try {
      // Act
      for (let i = 1; i <= 5; i += 1) await call(small.url, 'GET', '/v1/usg/dcs/sp/corp', { headers: { 'X-Request-Id': `b${i}` } });
      // Assess
      const log = await new SimulatorControl(small.url).requests();
      expect(log.map((r) => r.requestId)).toEqual(['b3', 'b4', 'b5']);
    } finally {
      await small.stop();
    }
  });
});

describe('POST /_simulator/faults', () => {
  it('answers a 500 fault in Huawei\'s shape `count` times, then handles normally', async () => {
    // Prepare
    await sim.control.addFault({ path: CORP_PATH, status: 500, count: 2 });
    // Act
    const first = await call(sim.url, 'GET', CORP_PATH, { token: spToken, headers: { 'X-Request-Id': 'f1' } });
    const second = await call(sim.url, 'GET', CORP_PATH, { token: spToken });
    const third = await call(sim.url, 'GET', CORP_PATH, { token: spToken });
    // Assess
    expect(first.status).toBe(500);
    expect(first.json).toEqual({ error_code: 'USG.000000500', error_msg: expect.any(String), request_id: 'f1' });
    expect(second.status).toBe(500);
    expect(third.status).toBe(200);
    expect(await sim.control.faults()).toEqual([]);
    expect((await sim.control.requests()).map((r) => [r.status, r.fault])).toEqual([[500, 'status'], [500, 'status'], [200, undefined]]);
  });

  it('answers 429 with APIG.0308 by default', async () => {
    await sim.control.addFault({ path: '/v1/usg/dcs/sp', status: 429, count: 1 });
    const answer = await listCorps();
    expect(answer.status).toBe(429);
    expect(errorCode(answer)).toBe('APIG.0308');
  });

  it('uses the given errorCode and errorMsg', async () => {
    await sim.control.addFault({ path: '/v1/usg/dcs/sp', status: 503, errorCode: 'USG.999999999', errorMsg: 'down for lunch', count: 1 });
    const answer = await listCorps();
    expect(answer.status).toBe(503);
    expect(answer.json).toMatchObject({ error_code: 'USG.999999999', error_msg: 'down for lunch' });
  });

  it('matches only the given method', async () => {
    // Prepare
    await sim.control.addFault({ path: CORP_PATH, method: 'put', status: 500 });
    // Act
    const read = await call(sim.url, 'GET', CORP_PATH, { token: spToken });
    const write = await call(sim.url, 'PUT', CORP_PATH, { token: spToken, body: [{ id: CORP_A.vmrResourceId, isDisabled: true }] });
    // Assess
    expect(read.status).toBe(200);
    expect(write.status).toBe(500);
  });

  it('does not change state when a write is answered by a fault', async () => {
    await sim.control.addFault({ path: CORP_PATH, method: 'PUT', status: 500, count: 1 });
    await call(sim.url, 'PUT', CORP_PATH, { token: spToken, body: [{ id: CORP_A.vmrResourceId, isDisabled: true }] });
    const page = await call(sim.url, 'GET', `${CORP_PATH}?type=VMR`, { token: spToken });
    expect((page.json as { data: { status: number }[] }).data[0]?.status).toBe(0);
  });

  it('matches by path prefix only', async () => {
    await sim.control.addFault({ path: '/v1/usg/dcs/member', status: 500 });
    const answer = await listCorps();
    expect(answer.status).toBe(200);
  });

  it('never fires with rate 0 and always with rate 1', async () => {
    await sim.control.addFault({ path: '/v1/usg/dcs/sp/corp/', rate: 0, status: 500 });
    await sim.control.addFault({ path: '/v1/usg/dcs/sp/corp', method: 'GET', rate: 1, status: 502 });
    const answers = await Promise.all([1, 2, 3].map(() => listCorps()));
    expect(answers.map((a) => a.status)).toEqual([502, 502, 502]);
    const onResource = await call(sim.url, 'PUT', CORP_PATH, { token: spToken, body: [{ id: CORP_A.vmrResourceId }] });
    expect(onResource.status).toBe(200);
  });

  it('fires the same pattern for the same seed', async () => {
    async function pattern(): Promise<number[]> {
      await sim.control.reset();
      await sim.control.addFault({ path: '/v1/usg/dcs/sp/corp', rate: 0.5, seed: 42, status: 500 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i += 1) statuses.push((await listCorps()).status);
      return statuses;
    }
    const first = await pattern();
    const second = await pattern();
    expect(second).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
  });

  it('destroys the socket without answering for reset', async () => {
    // Prepare
    await sim.control.addFault({ path: '/v1/usg/dcs/sp/corp', reset: true, count: 1 });
    // Act
    const failed = await listCorps().then(
      () => 'answered',
      (error: unknown) => (error instanceof Error ? error.name : 'error'),
    );
    const after = await listCorps();
    // Assess
    expect(failed).toBe('TypeError');
    expect(after.status).toBe(200);
    expect((await sim.control.requests())[0]).toMatchObject({ status: 0, fault: 'reset' });
  });

  it('holds a request for delayMs and then handles it normally', async () => {
    // Prepare
    await sim.control.addFault({ path: '/v1/usg/dcs/sp/corp', delayMs: 1500, count: 1 });
    // Act
    const delayed = listCorps({ 'X-Request-Id': 'slow' });
    await waitForArrival(sim.control, 'slow');
    const other = await call(sim.url, 'GET', CORP_PATH, { token: spToken, headers: { 'X-Request-Id': 'fast' } });
    const whileHeld = await sim.control.requests();
    const answer = await delayed;
    // Assess
    expect(other.status).toBe(200);
    expect(whileHeld.find((r) => r.requestId === 'slow')?.status).toBe(0);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-request-id')).toBe('slow');
  });

  it('combines delayMs with status: waits, then answers the error', async () => {
    await sim.control.addFault({ path: '/v1/usg/dcs/sp/corp', delayMs: 50, status: 504, count: 1 });
    const answer = await listCorps();
    expect(answer.status).toBe(504);
  });

  it('holds a request at a gate until released, while other requests pass, then handles it normally', async () => {
    // Prepare
    const gate = await sim.control.addFault({ path: '/v1/usg/dcs/sp/corp', method: 'GET', hold: true, count: 1 });
    // Act
    const held = listCorps({ 'X-Request-Id': 'gated' });
    await waitForArrival(sim.control, 'gated');
    const other = await call(sim.url, 'GET', CORP_PATH, { token: spToken, headers: { 'X-Request-Id': 'passes' } });
    const whileHeld = await sim.control.requests();
    await sim.control.release(gate.id);
    const answer = await held;
    // Assess
    expect(other.status).toBe(200);
    expect(whileHeld.find((r) => r.requestId === 'gated')?.status).toBe(0);
    expect(answer.status).toBe(200);
    expect((await sim.control.requests()).find((r) => r.requestId === 'gated')?.status).toBe(200);
  });

  it('answers a gated status fault once released, and refuses a second release', async () => {
    const gate = await sim.control.addFault({ path: '/v1/usg/dcs/sp/corp', hold: true, status: 503, count: 1 });
    const held = listCorps({ 'X-Request-Id': 'gated-503' });
    await waitForArrival(sim.control, 'gated-503');
    await sim.control.release(gate.id);
    expect((await held).status).toBe(503);
    const again = await call(sim.url, 'POST', `/_simulator/faults/${gate.id}/release`);
    expect(again.status).toBe(400);
    expect(errorMsg(again)).toContain(gate.id);
  });

  it('releases held requests when the faults are cleared', async () => {
    await sim.control.addFault({ path: '/v1/usg/dcs/sp/corp', hold: true });
    const held = listCorps({ 'X-Request-Id': 'gated-clear' });
    await waitForArrival(sim.control, 'gated-clear');
    await sim.control.clearFaults();
    expect((await held).status).toBe(200);
  });

  it('keeps several faults active and applies them in order', async () => {
    await sim.control.addFault({ path: '/v1/usg/dcs/sp/corp', status: 500, count: 1 });
    await sim.control.addFault({ path: '/v1/usg/dcs/sp/corp', status: 429, count: 1 });
    const statuses = [(await listCorps()).status, (await listCorps()).status, (await listCorps()).status];
    expect(statuses).toEqual([500, 429, 200]);
  });

  it('never faults the control plane', async () => {
    await sim.control.addFault({ path: '/', status: 500 });
    expect(await sim.control.requests()).toEqual([]);
    await sim.control.clearFaults();
    expect((await listCorps()).status).toBe(200);
  });

  it.each([
    ['a missing path', { status: 500 }, 'path'],
    ['a control-plane path', { path: '/_simulator/requests', status: 500 }, 'path'],
    ['no effect', { path: '/v1' }, 'fault'],
    ['status 200', { path: '/v1', status: 200 }, 'status'],
    ['rate 2', { path: '/v1', status: 500, rate: 2 }, 'rate'],
    ['count 0', { path: '/v1', status: 500, count: 0 }, 'count'],
    ['an unknown field', { path: '/v1', status: 500, sttaus: 1 }, 'sttaus'],
    ['a hold that is not a boolean', { path: '/v1', hold: 'yes' }, 'hold'],
  ])('returns 400 for a fault with %s', async (_label, spec, field) => {
    const answer = await call(sim.url, 'POST', '/_simulator/faults', { body: spec });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain(field);
  });

  it('removes every fault on DELETE /_simulator/faults', async () => {
    await sim.control.addFault({ path: '/v1', status: 500 });
    await sim.control.clearFaults();
    expect((await listCorps()).status).toBe(200);
  });
});

describe('POST /_simulator/reset', () => {
  it('restores the seed data, clears faults and the log, and keeps tokens', async () => {
    // Prepare
    await call(sim.url, 'POST', `${CORP_PATH}/delete`, { token: spToken, body: [CORP_A.vmrResourceId] });
    await sim.control.addFault({ path: '/v1/usg/dcs/member', status: 500 });
    // Act
    await sim.control.reset();
    // Assess
    expect(await sim.control.faults()).toEqual([]);
    expect(await sim.control.requests()).toEqual([]);
    const page = await call(sim.url, 'GET', `${CORP_PATH}?limit=100`, { token: spToken });
    expect(page.status).toBe(200);
    expect((page.json as { count: number }).count).toBe(DEMO_RESOURCES.filter((r) => r.corpId === CORP_A.corpId).length);
  });
});

describe('latency and shutdown', () => {
  it('adds latencyMs to Huawei requests but not to the control plane', async () => {
    // Prepare
    const slow = await startSimulator({ latencyMs: 1500 });
    const control = new SimulatorControl(slow.url);
    try {
      // Act
      const pending = call(slow.url, 'GET', '/v1/usg/dcs/sp/corp', { headers: { 'X-Request-Id': 'lat' } });
      await waitForArrival(control, 'lat');
      const inFlight = await control.requests();
      const answer = await pending;
      // Assess
      expect(inFlight[0]).toMatchObject({ requestId: 'lat', status: 0 });
      expect(answer.status).toBe(401);
    } finally {
      await slow.stop();
    }
  });

  it('stops while a keep-alive connection is idle and while a request is held by a delay', async () => {
    // Prepare
    const local = await startSimulator();
    const agent = new Agent({ keepAlive: true });
    const status = await new Promise<number>((resolve, reject) => {
      request(`${local.url}/v1/usg/dcs/sp/corp`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }).on('error', reject).end();
    });
    const control = new SimulatorControl(local.url);
    await control.addFault({ path: '/v1', delayMs: 600_000 });
    const held = call(local.url, 'GET', '/v1/usg/dcs/sp/corp', { headers: { 'X-Request-Id': 'held' } }).catch(() => 'dropped');
    await waitForArrival(control, 'held');
    // Act
    await local.stop();
    // Assess
    expect(status).toBe(401);
    expect(await held).toBe('dropped');
    agent.destroy();
  });
});
