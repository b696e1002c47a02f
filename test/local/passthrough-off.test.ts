/**
 * The local stack with passthrough off (RELAY_PASSTHROUGH=false, as the CDK context `passthrough=false`): only the
 * validated routes answer; Huawei's other paths get the relay's own 404 in Huawei's shape and reach nothing.
 */
import { describe, expect, it } from 'vitest';
import { MODIFY_VMR_ROUTE, fillPath } from '../../functions/shared/routes.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { loginDemo } from '../../local/simulator/demo-login.js';
import { startGatewayStack, use } from '../support/stack.js';

const local = use(() => startGatewayStack({ passthrough: false }));

describe('the local stack with passthrough off', () => {
  it('answers a login on the relay with 404 RELAY.404001 and X-Request-Id, and Huawei sees nothing', async () => {
    await local.control.clearRequests();

    const response = await fetch(`${local.stack.gatewayUrl}/v1/usg/acs/auth/account`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${CORP_A.user.account}:${CORP_A.user.password}`).toString('base64')}` },
      body: JSON.stringify({ account: CORP_A.user.account, clientType: 72 }),
    });
    const body = (await response.json()) as Record<string, string>;

    expect(local.stack.passthrough).toBe(false);
    expect(response.status).toBe(404);
    expect(body).toMatchObject({ error_code: 'RELAY.404001', error_msg: 'POST /v1/usg/acs/auth/account: no such route' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect(body.request_id).toBe(response.headers.get('x-request-id'));
    expect(await local.control.requests()).toEqual([]);
  });

  it('still serves the validated routes', async () => {
    const token = await loginDemo.alice(local.stack.huaweiBaseUrl);

    const response = await fetch(`${local.stack.gatewayUrl}${fillPath(MODIFY_VMR_ROUTE.path, { id: CORP_A.vmrId })}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-access-token': token },
      body: JSON.stringify({ vmrName: 'passthrough off' }),
    });

    expect(response.status).toBe(200);
  });
});
