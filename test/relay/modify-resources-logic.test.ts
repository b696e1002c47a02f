/**
 * The modify-resources logic function and its registry seam, called directly with a real HuaweiClient against
 * the simulator. The recorder here is a plain in-test object; the registry's own recorder is tested in
 * test/registry and, wired into the route, in test/local.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modifyResources } from '../../functions/relay/modify-resources.js';
import type { ResourceUpdateRecorder } from '../../functions/relay/modify-resources.js';
import type { RelayCall } from '../../functions/shared/http/pipeline.js';
import { HuaweiClient } from '../../functions/shared/huawei/client.js';
import type { UpstreamResponse } from '../../functions/shared/huawei/client.js';
import type { ModResourceItem } from '../../functions/shared/huawei/schemas.js';
import { classifyError, errorResultFor } from '../../functions/shared/http/error-mapper.js';
import { RegistryUnavailableError } from '../../functions/shared/registry/errors.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { relayedRequests, useRelaySimulator } from './helpers/simulator.js';

const sim = useRelaySimulator();
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

/** Records what it was given and what Huawei answered; optionally rewrites the items first. */
function recordingRecorder(rewrite: (items: readonly ModResourceItem[]) => ModResourceItem[] = (items) => [...items]) {
  const seen: Array<{ corpId: string; items: readonly ModResourceItem[]; requestId: string; status: number }> = [];
  const recorder: ResourceUpdateRecorder = {
    relayAndRecord: async (corpId, items, relay, context): Promise<UpstreamResponse> => {
      const response = await relay(rewrite(items));
      seen.push({ corpId, items, requestId: context.requestId, status: response.status });
      return response;
    },
  };
  return { recorder, seen };
}

describe('modifyResources', () => {
  it('relays string booleans as real booleans, since the registry records typed values', async () => {
    const { recorder } = recordingRecorder();

    const result = await modifyResources(
      { corpId: CORP_A.corpId, items: [{ id: CORP_A.vmrResourceId, isDisabled: 'false' }] },
      call(sim.tokens.spAdmin),
      { client, recorder },
    );

    const [relayed] = await relayedRequests(sim.control);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['x-request-id']).toBe('logic-1');
    expect(relayed?.body).toEqual([{ id: CORP_A.vmrResourceId, isDisabled: false }]);
  });

  it('hands the recorder normalised items and passes its answer through', async () => {
    const { recorder, seen } = recordingRecorder();

    const result = await modifyResources(
      { corpId: CORP_A.corpId, items: [{ id: CORP_A.vmrResourceId, type: 'VMR', isDisabled: 'true' }] },
      call(sim.tokens.spAdmin),
      { client, recorder },
    );

    expect(result.statusCode).toBe(200);
    expect(seen).toEqual([
      { corpId: CORP_A.corpId, items: [{ id: CORP_A.vmrResourceId, type: 'VMR', isDisabled: true }], requestId: 'logic-1', status: 200 },
    ]);
  });

  it('relays the items the recorder decided on (renewal re-enable seam)', async () => {
    const { recorder } = recordingRecorder((items) => items.map((item) => ({ ...item, isDisabled: false })));

    await modifyResources(
      { corpId: CORP_A.corpId, items: [{ id: CORP_A.vmrResourceId, type: 'VMR', expireDate: 2549030400000 }] },
      call(sim.tokens.spAdmin),
      { client, recorder },
    );

    const [relayed] = await relayedRequests(sim.control);
    expect(relayed?.body).toEqual([{ id: CORP_A.vmrResourceId, type: 'VMR', expireDate: 2549030400000, isDisabled: false }]);
  });

  it('passes Huawei\'s refusal through the recorder to the client', async () => {
    const { recorder, seen } = recordingRecorder();

    const result = await modifyResources(
      { corpId: CORP_A.corpId, items: [{ id: 'doesnotexist0000000000000000000a', type: 'VMR' }] },
      call(sim.tokens.spAdmin),
      { client, recorder },
    );

    expect(result.statusCode).toBe(400);
    expect(seen[0]?.status).toBe(400);
    expect(JSON.parse(String(result.body)).error_code).toMatch(/^USG\./);
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
