/**
 * The modify-resources route's logic called directly: a real HuaweiClient against the simulator and a real
 * registry on dynalite (both over loopback), the same parts the Lambda entry wires at cold start.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modifyResources } from '../../functions/resources/modify-resources.js';
import type { RelayCall } from '../../functions/shared/http/pipeline.js';
import { HuaweiClient } from '../../functions/shared/huawei/client.js';
import { classifyError, errorResultFor } from '../../functions/shared/http/error-mapper.js';
import { RegistryUnavailableError } from '../../functions/shared/registry/errors.js';
import { itemKey } from '../../functions/shared/registry/keys.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { relayedRequests, startLambdaStack, use } from '../support/stack.js';

const sim = use(startLambdaStack);
let client: HuaweiClient;

beforeEach(async () => {
  await sim.control.reset();
  client = new HuaweiClient({ baseUrl: sim.url });
});

afterEach(async () => {
  await client.close();
});

function call(token: string): RelayCall {
  return { requestId: 'logic-1', accessToken: token, language: undefined, deadline: Date.now() + 10_000 };
}

function deps() {
  return { client, store: sim.registry.store, reenableRenewed: true };
}

describe('modifyResources', () => {
  it('relays string booleans as real booleans, since the registry records typed values', async () => {
    const result = await modifyResources(
      { corpId: CORP_A.corpId, items: [{ id: CORP_A.vmrResourceId, isDisabled: 'false' }] },
      call(sim.tokens.spAdmin),
      deps(),
    );

    const [relayed] = await relayedRequests(sim.control);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['x-request-id']).toBe('logic-1');
    expect(relayed?.body).toEqual([{ id: CORP_A.vmrResourceId, isDisabled: false }]);
  });

  it('records what Huawei accepted before answering 200', async () => {
    const expireDate = 2549030400000;

    const result = await modifyResources(
      { corpId: CORP_A.corpId, items: [{ id: CORP_A.vmrResourceId, type: 'VMR', expireDate, isDisabled: 'true' }] },
      call(sim.tokens.spAdmin),
      deps(),
    );

    expect(result.statusCode).toBe(200);
    expect(await sim.registry.store.get(itemKey(CORP_A.corpId, CORP_A.vmrResourceId, 'VMR'))).toMatchObject({
      expireDate,
      status: 'disabled-manual',
    });
  });

  it('passes Huawei\'s refusal through to the client and records nothing', async () => {
    const missing = 'doesnotexist0000000000000000000a';

    const result = await modifyResources(
      { corpId: CORP_A.corpId, items: [{ id: missing, type: 'VMR' }] },
      call(sim.tokens.spAdmin),
      deps(),
    );

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(String(result.body)).error_code).toMatch(/^USG\./);
    expect(await sim.registry.store.get(itemKey(CORP_A.corpId, missing, 'VMR'))).toBeUndefined();
  });

  it('maps a registry outage to 503 RELAY.503001 without internals', () => {
    const result = errorResultFor(classifyError(new RegistryUnavailableError('GetItem', { cause: new Error('table meeting-relay-registry') })), 'rid');

    expect(result.statusCode).toBe(503);
    expect(JSON.parse(String(result.body))).toEqual({
      error_code: 'RELAY.503001',
      error_msg: 'The resource registry is unavailable; retry the request',
      request_id: 'rid',
    });
  });
});
