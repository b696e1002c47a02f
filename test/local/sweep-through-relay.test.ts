/**
 * The "done when", on the local stack: resources made due through the relay are disabled by
 * `POST /_local/sweep`; renewals through the relay re-enable them; manual disables stay. Everything is real:
 * gateway, handler, registry on dynalite, sweeper, SP App ID login, simulator.
 */
import { describe, expect, it } from 'vitest';
import { CORP_A, CORP_B } from '../../local/simulator/demo-data.js';
import { DAY_MS, HOUR_MS, startGatewayStack, use } from '../support/stack.js';

const local = use(startGatewayStack);

describe('POST /_local/sweep after updates through the relay', () => {
  it('disables every resource the relay made due, one listing page and one PUT per enterprise, and leaves the others alone', async () => {
    const [vmrA, callA, renewedA] = await local.newResources(CORP_A.corpId, ['VMR', 'CONF_CALL', 'SOFT']);
    const [vmrB] = await local.newResources(CORP_B.corpId, ['VMR']);
    if (!vmrA || !callA || !renewedA || !vmrB) throw new Error('resources not created');
    const past = Date.now() - HOUR_MS;
    const future = Date.now() + 30 * DAY_MS;
    const relayedA = await local.relay(CORP_A.corpId, [
      { id: vmrA.id, type: 'VMR', expireDate: past },
      { id: callA.id, type: 'CONF_CALL', expireDate: past - HOUR_MS },
      { id: renewedA.id, type: 'SOFT', expireDate: future },
    ]);
    const relayedB = await local.relay(CORP_B.corpId, [{ id: vmrB.id, type: 'VMR', expireDate: past }]);
    await local.control.clearRequests();

    const { status, report } = await local.sweepNow();

    expect([relayedA.status, relayedB.status]).toEqual([200, 200]);
    expect(status).toBe(200);
    // Per enterprise: one listing page of what Huawei holds expired, one PUT.
    expect(report).toMatchObject({ status: 'completed', due: 3, disabled: 3, failed: 0, deferred: 0, spCalls: 4 });
    expect(report.oldestLatenessMs).toBeGreaterThanOrEqual(2 * HOUR_MS - 60_000);
    for (const resource of [vmrA, callA, vmrB]) {
      expect((await local.upstream(resource))?.status, resource.id).toBe(2);
      expect(await local.registered(resource), resource.id).toMatchObject({ status: 'disabled-expired' });
    }
    expect((await local.upstream(renewedA))?.status).toBe(0);
    expect(await local.registered(renewedA)).toMatchObject({ status: 'active', expireDate: future });
    const putsA = await local.upstreamPuts(CORP_A.corpId);
    expect(putsA).toHaveLength(1);
    expect(putsA[0]?.body).toEqual(
      expect.arrayContaining([
        { id: vmrA.id, type: 'VMR', isDisabled: true },
        { id: callA.id, type: 'CONF_CALL', isDisabled: true },
      ]),
    );
  });

  it('finds nothing due on a second sweep and calls Huawei not at all', async () => {
    const [resource] = await local.newResources(CORP_A.corpId, ['LIVE']);
    if (!resource) throw new Error('resource not created');
    await local.relay(CORP_A.corpId, [{ id: resource.id, type: 'LIVE', expireDate: Date.now() - HOUR_MS }]);
    await local.sweepNow();
    await local.control.clearRequests();

    const { report } = await local.sweepNow();

    expect(report).toMatchObject({ status: 'completed', due: 0, disabled: 0, spCalls: 0 });
    expect(await local.control.requests({ path: '/v1/usg/dcs/sp/corp' })).toEqual([]);
  });
});

describe('renewals and manual disables through the relay', () => {
  it('re-enables a swept resource when the relay renews it, adding isDisabled:false to the relayed body', async () => {
    const [resource] = await local.newResources(CORP_A.corpId, ['HARD_720P']);
    if (!resource) throw new Error('resource not created');
    await local.relay(CORP_A.corpId, [{ id: resource.id, type: 'HARD_720P', expireDate: Date.now() - HOUR_MS }]);
    await local.sweepNow();
    const disabledUpstream = (await local.upstream(resource))?.status;
    const renewedUntil = Date.now() + 30 * DAY_MS;

    const renewal = await local.relay(CORP_A.corpId, [{ id: resource.id, type: 'HARD_720P', expireDate: renewedUntil }], 'renewal-1');

    expect(disabledUpstream).toBe(2);
    expect(renewal.status).toBe(200);
    const relayed = (await local.upstreamPuts(CORP_A.corpId)).filter((put) => put.requestId === 'renewal-1');
    expect(relayed.map((put) => put.body)).toEqual([[{ id: resource.id, type: 'HARD_720P', expireDate: renewedUntil, isDisabled: false }]]);
    expect(await local.upstream(resource)).toMatchObject({ status: 0, expireDate: renewedUntil });
    expect(await local.registered(resource)).toMatchObject({ status: 'active', expireDate: renewedUntil });
  });

  it('keeps a manual disable through a sweep and through a renewal by expireDate alone', async () => {
    const [resource] = await local.newResources(CORP_B.corpId, ['RECORD']);
    if (!resource) throw new Error('resource not created');
    const disable = await local.relay(CORP_B.corpId, [{ id: resource.id, type: 'RECORD', expireDate: Date.now() - HOUR_MS, isDisabled: true }]);
    await local.control.clearRequests();

    const { report } = await local.sweepNow();
    const putsBySweep = await local.upstreamPuts(CORP_B.corpId);
    const renewedUntil = Date.now() + 30 * DAY_MS;
    const renewal = await local.relay(CORP_B.corpId, [{ id: resource.id, type: 'RECORD', expireDate: renewedUntil }], 'renewal-2');

    expect(disable.status).toBe(200);
    expect(report).toMatchObject({ due: 0, disabled: 0 });
    expect(putsBySweep).toEqual([]);
    expect(renewal.status).toBe(200);
    const relayed = (await local.upstreamPuts(CORP_B.corpId)).filter((put) => put.requestId === 'renewal-2');
    expect(relayed.map((put) => put.body)).toEqual([[{ id: resource.id, type: 'RECORD', expireDate: renewedUntil }]]);
    expect(await local.upstream(resource)).toMatchObject({ status: 2, expireDate: renewedUntil });
    expect(await local.registered(resource)).toMatchObject({ status: 'disabled-manual', expireDate: renewedUntil });
  });

  it('re-enables a manual disable only when the caller itself sends isDisabled:false', async () => {
    const [resource] = await local.newResources(CORP_A.corpId, ['ROOM']);
    if (!resource) throw new Error('resource not created');
    await local.relay(CORP_A.corpId, [{ id: resource.id, type: 'ROOM', isDisabled: true }]);

    const enable = await local.relay(CORP_A.corpId, [{ id: resource.id, type: 'ROOM', isDisabled: 'false' }]);

    expect(enable.status).toBe(200);
    expect((await local.upstream(resource))?.status).toBe(0);
    expect(await local.registered(resource)).toMatchObject({ status: 'active' });
  });
});

describe('overlapping sweeps', () => {
  it('answers 409 with the running sweep as leaseHeldBy when a sweep is already running, and sweeps once', async () => {
    const [resource] = await local.newResources(CORP_A.corpId, ['HUAWEI_VISION']);
    if (!resource) throw new Error('resource not created');
    await local.relay(CORP_A.corpId, [{ id: resource.id, type: 'HUAWEI_VISION', expireDate: Date.now() - HOUR_MS }]);
    await local.control.clearRequests();
    // Holds the first sweep inside its upstream PUT while the second one asks for the lease.
    await local.control.addFault({ path: `/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource`, method: 'PUT', delayMs: 1_500, count: 1 });
    const first = local.sweepNow();
    await waitUntil(async () => (await local.upstreamPuts(CORP_A.corpId)).length > 0);

    const second = await local.sweepNow();
    const firstDone = await first;

    expect(second.status).toBe(409);
    expect(second.report).toMatchObject({ status: 'skipped-overlap', due: 0, spCalls: 0, leaseHeldBy: firstDone.report.sweepId });
    expect(firstDone.status).toBe(200);
    expect(firstDone.report).toMatchObject({ status: 'completed', disabled: 1 });
    expect(await local.upstreamPuts(CORP_A.corpId)).toHaveLength(1);
  });
});

/** Polls a condition; the test's own timeout is the hang guard. */
async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}
