/**
 * `npm start`'s sweeper timer: with SWEEP_INTERVAL_SECONDS=1 a resource made due through the relay is disabled
 * without anyone asking for a sweep.
 */
import { describe, expect, it } from 'vitest';
import { CORP_B } from '../../local/simulator/demo-data.js';
import { HOUR_MS, startGatewayStack, use } from '../support/stack.js';

const local = use(() => startGatewayStack({ sweepIntervalSeconds: 1 }));

/** Polls a condition; the test's own timeout is the hang guard. */
async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('the sweeper timer', () => {
  it('disables a resource made due through the relay without anyone asking for a sweep', async () => {
    const [resource] = await local.newResources(CORP_B.corpId, ['VMR']);
    if (!resource) throw new Error('resource not created');
    const relayed = await local.relay(CORP_B.corpId, [{ id: resource.id, type: 'VMR', expireDate: Date.now() - HOUR_MS }]);

    // Huawei applies the disable just before the sweep records it: wait for both.
    await waitUntil(async () => (await local.upstream(resource))?.status === 2 && (await local.registered(resource))?.status === 'disabled-expired');

    expect(relayed.status).toBe(200);
    expect(await local.registered(resource)).toMatchObject({ status: 'disabled-expired' });
  });

  it('keeps sweeping after a sweep: a second resource made due later is disabled too', async () => {
    const [resource] = await local.newResources(CORP_B.corpId, ['SOFT']);
    if (!resource) throw new Error('resource not created');
    await local.relay(CORP_B.corpId, [{ id: resource.id, type: 'SOFT', expireDate: Date.now() - HOUR_MS }]);

    // Huawei applies the disable just before the sweep records it: wait for both.
    await waitUntil(async () => (await local.upstream(resource))?.status === 2 && (await local.registered(resource))?.status === 'disabled-expired');

    expect(await local.registered(resource)).toMatchObject({ status: 'disabled-expired' });
  });
});
