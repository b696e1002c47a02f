/**
 * What reaches Huawei from a client's request: the token, the request id and the language, and nothing else the
 * client sent (its Authorization, Cookie, forwarding and custom headers stay at the relay), on both relay routes.
 * Checked against the simulator's own request log, through the local stack a user runs.
 */
import { describe, expect, it } from 'vitest';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { loginDemo } from '../../local/simulator/demo-login.js';
import { startGatewayStack, use } from '../support/stack.js';

const local = use(startGatewayStack);

/** Headers the HTTP client itself must send; everything else upstream has to be one of the three Huawei headers. */
const TRANSPORT_HEADERS = ['host', 'connection', 'content-length', 'content-type', 'accept'];
const HUAWEI_HEADERS = ['x-access-token', 'x-request-id', 'accept-language'];

/** A client's extra headers, each with a value that must not appear upstream. */
const EXTRA_HEADERS: Record<string, string> = {
  Authorization: 'Basic c3AtYWRtaW46bm90LWZvci1odWF3ZWk=',
  Cookie: 'session=cookie-not-for-huawei; theme=dark',
  'Proxy-Authorization': 'Bearer proxy-not-for-huawei',
  'X-Api-Key': 'api-key-not-for-huawei',
  'X-Forwarded-Host': 'forwarded-not-for-huawei.example',
  'X-Custom-Trace': 'custom-not-for-huawei',
  'User-Agent': 'agent-not-for-huawei/1.0',
  Origin: 'https://origin-not-for-huawei.example',
  Accept: 'text/x-not-for-huawei',
};

const ROUTES = [
  {
    name: 'modify VMR',
    path: `/v1/usg/dcs/member/vmr/${CORP_A.vmrId}`,
    body: '{"vmrName":"headers test"}',
    token: () => loginDemo.alice(local.stack.simulatorUrl ?? ''),
  },
  {
    name: 'modify resources',
    path: `/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource`,
    body: JSON.stringify([{ id: CORP_A.vmrResourceId, type: 'VMR', isDisabled: false }]),
    token: () => Promise.resolve(local.spToken),
  },
];

describe('headers relayed to Huawei', () => {
  it.each(ROUTES)('$name: only the token, request id and language of the client\'s headers reach Huawei', async (route) => {
    // Prepare
    const token = await route.token();
    const requestId = `headers-${route.name.replace(' ', '-')}`;
    await local.control.clearRequests();

    // Act
    const answer = await fetch(`${local.stack.gatewayUrl}${route.path}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'X-Access-Token': token, 'X-Request-Id': requestId, 'Accept-Language': 'en-US', ...EXTRA_HEADERS },
      body: route.body,
    });

    // Assess
    expect(answer.status, await answer.text()).toBe(200);
    const upstream = await local.control.requests({ path: route.path, method: 'PUT' });
    expect(upstream).toHaveLength(1);
    const received = upstream[0]?.headers ?? {};
    for (const name of Object.keys(received)) expect([...TRANSPORT_HEADERS, ...HUAWEI_HEADERS], `header ${name}`).toContain(name);
    expect(received).toMatchObject({ 'x-access-token': '***', 'x-request-id': requestId, 'accept-language': 'en-US', accept: 'application/json' });
    const everything = JSON.stringify(upstream);
    for (const value of Object.values(EXTRA_HEADERS)) expect(everything).not.toContain(value);
  });
});
