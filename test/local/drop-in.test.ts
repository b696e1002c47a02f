/**
 * The relay as a drop-in: a client that knows only the relay's URL, as Huawei's SDKs do once their endpoint is
 * switched, over the relay's https listener with certificate verification off (as the Python SDK is set up
 * against `npm start`). Each step is sent once through the relay and once to the simulator directly, and the two
 * answers must agree in status and body (token strings and times, which differ per login, aside). The validated
 * routes still refuse bad input without calling Huawei.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODIFY_RESOURCES_ROUTE, MODIFY_VMR_ROUTE, fillPath } from '../../functions/shared/routes.js';
import { CORP_A, SP_APP } from '../../local/simulator/demo-data.js';
import { startGatewayStack, use } from '../support/stack.js';

const local = use(() => startGatewayStack({ httpsPort: 0 }));
/** What an SDK does with verification off: TLS, but any certificate. */
const insecure = new Agent({ connect: { rejectUnauthorized: false } });

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

async function call(baseUrl: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  const init: Parameters<typeof fetch>[1] = { method, headers: { 'User-Agent': 'huaweicloud-usdk-python/3.0', ...headers }, dispatcher: insecure };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'Content-Type': 'application/json;charset=UTF-8', ...init.headers };
  }
  const response = await fetch(`${baseUrl}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers as unknown as Headers, text, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** Token fields that differ between two logins (the strings and the clock), replaced by their type. */
const VOLATILE_TOKEN_FIELDS = ['accessToken', 'refreshToken', 'createTime', 'expireTime', 'validPeriod', 'refreshCreateTime', 'refreshExpireTime', 'refreshValidPeriod'];

function stable(tokenBody: unknown): unknown {
  const copy = { ...(tokenBody as Record<string, unknown>) };
  for (const field of VOLATILE_TOKEN_FIELDS) if (field in copy) copy[field] = typeof copy[field];
  return copy;
}

function accountLogin(account: string, password: string) {
  return {
    headers: { Authorization: `Basic ${Buffer.from(`${account}:${password}`).toString('base64')}` },
    body: { account, clientType: 72 },
  };
}

/** Huawei's SP-mode App ID login as the SDK signs it (upper-case hex, `,access=`), with a fresh nonce each time. */
function appIdLogin() {
  const expireTime = Math.floor(Date.now() / 1000) + 600;
  const nonce = randomBytes(24).toString('hex');
  const signature = createHmac('sha256', SP_APP.appKey).update(`${SP_APP.appId}:::${expireTime}:${nonce}`).digest('hex').toUpperCase();
  return {
    headers: { Authorization: `HMAC-SHA256 signature=${signature},access=${Buffer.from(SP_APP.appId).toString('base64')}` },
    body: { appId: SP_APP.appId, clientType: 72, expireTime, nonce },
  };
}

const VMR_PATH = fillPath(MODIFY_VMR_ROUTE.path, { id: CORP_A.vmrId });
const RESOURCE_PATH = fillPath(MODIFY_RESOURCES_ROUTE.path, { corp_id: CORP_A.corpId });
/** The seed documents' own examples. */
const SEED_VMR_BODY = { vmrName: 'test', chairPwd: '123456', gustPwd: '654321', allowGustFirst: 'false' };
const SEED_RESOURCE_BODY = [{ expireDate: 2549030400000, id: CORP_A.vmrResourceId, isDisabled: false, type: 'VMR' }];

let relay: string;
let huawei: string;
/** Tokens got through the relay, and directly, for the user and the SP administrator. */
const tokens = { relayUser: '', directUser: '', relaySp: '', directSp: '' };

beforeAll(() => {
  relay = local.stack.gatewayHttpsUrl ?? '';
  huawei = local.stack.huaweiBaseUrl;
  expect(relay).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
});

afterAll(async () => {
  await insecure.close();
});

describe('an SDK pointed at the relay', () => {
  it('logs in with account and password as it would at Huawei', async () => {
    const login = accountLogin(CORP_A.user.account, CORP_A.user.password);
    const [viaRelay, direct] = [await call(relay, 'POST', '/v1/usg/acs/auth/account', login.headers, login.body), await call(huawei, 'POST', '/v1/usg/acs/auth/account', login.headers, login.body)];

    expect(viaRelay.status).toBe(200);
    expect(stable(viaRelay.json)).toEqual(stable(direct.json));
    expect(viaRelay.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    tokens.relayUser = (viaRelay.json as { accessToken: string }).accessToken;
    tokens.directUser = (direct.json as { accessToken: string }).accessToken;
  });

  it('logs in with an SP-mode App ID as it would at Huawei', async () => {
    const [relayLogin, directLogin] = [appIdLogin(), appIdLogin()];
    const viaRelay = await call(relay, 'POST', '/v2/usg/acs/auth/appauth', relayLogin.headers, relayLogin.body);
    const direct = await call(huawei, 'POST', '/v2/usg/acs/auth/appauth', directLogin.headers, directLogin.body);

    expect(viaRelay.status).toBe(200);
    expect(stable(viaRelay.json)).toEqual(stable(direct.json));
    tokens.relaySp = (viaRelay.json as { accessToken: string }).accessToken;
    tokens.directSp = (direct.json as { accessToken: string }).accessToken;
  });

  it('updates the seed VMR through the validated route, answered as Huawei answers it', async () => {
    const requestId = randomBytes(16).toString('hex');
    const viaRelay = await call(relay, 'PUT', VMR_PATH, { 'X-Access-Token': tokens.relayUser, 'X-Request-Id': requestId }, SEED_VMR_BODY);
    const direct = await call(huawei, 'PUT', VMR_PATH, { 'X-Access-Token': tokens.directUser }, SEED_VMR_BODY);

    expect([viaRelay.status, viaRelay.text]).toEqual([direct.status, direct.text]);
    expect(viaRelay.status).toBe(200);
    expect((await local.control.requests({ path: VMR_PATH, method: 'PUT' })).map((r) => r.requestId)).toContain(requestId);
  });

  it('lists the user\'s VMRs through the passthrough, with the same body as Huawei\'s', async () => {
    const viaRelay = await call(relay, 'GET', '/v1/usg/dcs/member/vmr?offset=0&limit=10', { 'X-Access-Token': tokens.relayUser });
    const direct = await call(huawei, 'GET', '/v1/usg/dcs/member/vmr?offset=0&limit=10', { 'X-Access-Token': tokens.directUser });

    expect(viaRelay.status).toBe(200);
    expect(viaRelay.json).toEqual(direct.json);
    expect(viaRelay.json).toMatchObject({ data: expect.arrayContaining([expect.objectContaining({ id: CORP_A.vmrId, vmrName: 'test', chairPwd: '123456' })]) });
  });

  it('searches the enterprise\'s resources through the passthrough, with the same body as Huawei\'s', async () => {
    const query = `?offset=0&limit=100&searchKey=${CORP_A.vmrResourceId}`;
    const viaRelay = await call(relay, 'GET', `${RESOURCE_PATH}${query}`, { 'X-Access-Token': tokens.relaySp });
    const direct = await call(huawei, 'GET', `${RESOURCE_PATH}${query}`, { 'X-Access-Token': tokens.directSp });

    expect(viaRelay.status).toBe(200);
    expect(viaRelay.json).toEqual(direct.json);
  });

  it('updates enterprise resources through the validated route, answered as Huawei answers it, and records them', async () => {
    const viaRelay = await call(relay, 'PUT', RESOURCE_PATH, { 'X-Access-Token': tokens.relaySp }, SEED_RESOURCE_BODY);
    const direct = await call(huawei, 'PUT', RESOURCE_PATH, { 'X-Access-Token': tokens.directSp }, SEED_RESOURCE_BODY);

    expect([viaRelay.status, viaRelay.text]).toEqual([direct.status, direct.text]);
    expect(viaRelay.status).toBe(200);
    expect(await local.registered({ corpId: CORP_A.corpId, id: CORP_A.vmrResourceId, type: 'VMR' })).toMatchObject({ expireDate: 2549030400000 });
  });

  it('refreshes its token through the passthrough, answered as Huawei answers it', async () => {
    const viaRelay = await call(relay, 'PUT', '/v1/usg/acs/token', { 'X-Access-Token': tokens.relayUser });
    const direct = await call(huawei, 'PUT', '/v1/usg/acs/token', { 'X-Access-Token': tokens.directUser });

    expect(viaRelay.status).toBe(200);
    expect(stable(viaRelay.json)).toEqual(stable(direct.json));
    expect((viaRelay.json as { accessToken: string }).accessToken).toBe(tokens.relayUser);
  });

  it('gets Huawei\'s own error for a dead token, unchanged', async () => {
    const viaRelay = await call(relay, 'GET', '/v1/usg/dcs/member/vmr', { 'X-Access-Token': 'stbDeadToken0000000000000000000000000' });
    const direct = await call(huawei, 'GET', '/v1/usg/dcs/member/vmr', { 'X-Access-Token': 'stbDeadToken0000000000000000000000000' });

    expect(viaRelay.status).toBe(401);
    expect({ ...(viaRelay.json as object), request_id: 'x' }).toEqual({ ...(direct.json as object), request_id: 'x' });
  });
});

describe('the validated routes, behind the same URL', () => {
  it.each([
    ['a VMR password with letters', 'PUT', VMR_PATH, { chairPwd: 'abc123' }, 'RELAY.400001'],
    ['an empty resource list', 'PUT', RESOURCE_PATH, [], 'RELAY.400001'],
    ['a resource expiry in seconds', 'PUT', RESOURCE_PATH, [{ id: CORP_A.vmrResourceId, expireDate: 2549030400 }], 'RELAY.400001'],
  ])('refuse %s without calling Huawei', async (_label, method, path, body, code) => {
    await local.control.clearRequests();
    const token = path === VMR_PATH ? tokens.relayUser : tokens.relaySp;

    const answer = await call(relay, method, path, { 'X-Access-Token': token }, body);

    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error_code: code });
    expect(await local.control.requests({ path })).toEqual([]);
  });
});
