/**
 * A 200 from the resource route means "relayed and recorded". When the registry write fails after Huawei
 * accepted the update, the route answers 503 RELAY.503001 in Huawei's shape, and the client's retry, once the
 * registry is back, records the update. The outage is real: the registry table is deleted from the stack's
 * dynalite while the relay waits on Huawei, and created again for the recovery.
 */
import { DeleteTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createRegistryTable } from '../../local/dynamo.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { DAY_MS, startGatewayStack, use } from '../support/stack.js';

const local = use(startGatewayStack);

async function deleteRegistryTable(): Promise<void> {
  const { client, tableName } = local.stack.dynamo;
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  // dynalite takes a moment to drop a table; until then it may still answer.
  for (;;) {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return;
      throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('resource route when the registry write fails', () => {
  it('answers 503 RELAY.503001 in Huawei\'s shape after Huawei applied the update, and the retry after recovery records it', async () => {
    const [resource] = await local.newResources(CORP_A.corpId, ['VMR']);
    if (!resource) throw new Error('resource not created');
    const expireDate = Date.now() + 90 * DAY_MS;
    const items = [{ id: resource.id, type: resource.type, expireDate }];
    await local.control.clearRequests();
    // Holds the update upstream long enough to take the registry away between the relay's read and its write.
    await local.control.addFault({ path: `/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource`, method: 'PUT', delayMs: 1_000, count: 1 });
    const pending = local.relay(CORP_A.corpId, items, 'outage-1');
    await waitUntil(async () => (await local.upstreamPuts(CORP_A.corpId)).length > 0);
    await deleteRegistryTable();

    const failed = await pending;
    const appliedUpstream = await local.upstream(resource);
    await createRegistryTable(local.stack.dynamo.client, local.stack.dynamo.tableName);
    const retried = await local.relay(CORP_A.corpId, items, 'outage-2');

    expect(failed.status).toBe(503);
    expect(failed.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(failed.headers.get('x-request-id')).toBe('outage-1');
    expect(failed.json).toEqual({
      error_code: 'RELAY.503001',
      error_msg: 'The resource registry is unavailable; retry the request',
      request_id: 'outage-1',
    });
    expect(appliedUpstream?.expireDate).toBe(expireDate);
    expect(retried.status).toBe(200);
    expect(await local.registered(resource)).toMatchObject({ expireDate, status: 'active', lastRequestId: 'outage-2' });
  });

  it('answers 503 and relays nothing while the registry cannot be read', async () => {
    const [resource] = await local.newResources(CORP_A.corpId, ['SOFT']);
    if (!resource) throw new Error('resource not created');
    await deleteRegistryTable();
    await local.control.clearRequests();

    const answer = await local.relay(CORP_A.corpId, [{ id: resource.id, type: resource.type, isDisabled: true }]);
    const relayed = await local.upstreamPuts(CORP_A.corpId);
    await createRegistryTable(local.stack.dynamo.client, local.stack.dynamo.tableName);

    expect(answer.status).toBe(503);
    expect((answer.json as { error_code: string }).error_code).toBe('RELAY.503001');
    expect(relayed).toEqual([]);
    expect((await local.upstream(resource))?.status).toBe(0);
  });
});

/** Polls a condition; the test's own timeout is the hang guard. */
async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}
