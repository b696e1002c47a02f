import { describe, expect, it } from 'vitest';
import { CORP_A } from '../../local/simulator/demo-data.js';
import type { RegistryItem } from '../../functions/shared/registry/model.js';
import { IN_DOUBT_HOLD_MS } from '../../functions/shared/registry/state.js';
import { DAY_MS, HOUR_MS, key, resources, startSweeperStack, use } from '../support/stack.js';
import type { SweeperStack, TestResource } from '../support/stack.js';

const RESOURCE_PATH = `/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource`;

describe('sweep races with relayed updates', () => {
  const h = use(startSweeperStack, 'test');

  /**
   * Starts a sweep whose disable PUT Huawei holds at a gate, and resolves once the item is claimed and that PUT is
   * waiting inside the simulator; `release()` lets the PUT go on. No real time passes: the order is forced.
   */
  async function sweepHeldAfterClaim(resource: TestResource) {
    await h.huawei.control.clearRequests();
    const gate = await h.huawei.gate(RESOURCE_PATH, 'PUT');
    const sweeping = h.sweepOnce();
    await h.huawei.waitHeld(RESOURCE_PATH, 'PUT');
    expect((await h.item(resource))?.claimedBy).toBeDefined();
    // Wrapped: an async function returning the promise itself would make its caller wait for the whole sweep.
    return { sweeping, release: gate.release };
  }

  it('re-enables a resource renewed between its claim and the disable reaching Huawei', async () => {
    // Prepare
    const [resource] = resources(CORP_A.corpId, 'renewed', 1, Date.now() - HOUR_MS) as [TestResource];
    await h.register([resource]);
    const renewedUntil = Date.now() + 30 * DAY_MS;

    // Act
    const { sweeping, release } = await sweepHeldAfterClaim(resource);
    const renewal = await h.relay(CORP_A.corpId, [{ id: resource.id, type: resource.type, expireDate: renewedUntil }]);
    await release();
    const report = await sweeping;

    // Assess
    expect(renewal.outcome).toBe('recorded');
    expect(report).toMatchObject({ disabled: 0, reenabled: 1, unreconciled: [] });
    const upstream = (await h.huawei.resources(CORP_A.corpId)).get(key(resource));
    expect(upstream).toMatchObject({ isDisabled: false, expireDate: renewedUntil });
    const item = (await h.item(resource)) as RegistryItem;
    expect(item.status).toBe('active');
    // The disable the sweep sent may still be delivered again: in doubt, checked when the hold ends.
    expect(item).toMatchObject({ expireDate: renewedUntil, inDoubtSince: expect.any(Number) as unknown });
    expect(item.dueAt).toBe((item.inDoubtSince as number) + IN_DOUBT_HOLD_MS);
    expect(item.claimedBy).toBeUndefined();
  });

  it('ends enabled when the sweeper disables and records between the relay reading the registry and recording a renewal', async () => {
    // Prepare
    const [resource] = resources(CORP_A.corpId, 'relay-race', 1, Date.now() - HOUR_MS) as [TestResource];
    await h.register([resource]);
    const renewedUntil = Date.now() + 30 * DAY_MS;
    const relayedBodies: unknown[] = [];
    let sweepReport: Awaited<ReturnType<SweeperStack['sweepOnce']>> | undefined;

    // Act: the relay has read "active" (no re-enable needed); a whole sweep runs before its PUT and record.
    const { relayAndRecord } = await import('../../functions/resources/relay-recording.js');
    const result = await relayAndRecord(
      { store: h.registry.store, now: Date.now, reenableRenewed: true },
      CORP_A.corpId,
      [{ id: resource.id, type: resource.type, expireDate: renewedUntil }],
      async (items) => {
        if (sweepReport === undefined) sweepReport = await h.sweepOnce();
        relayedBodies.push(items);
        return h.huawei.spApi.updateResources(CORP_A.corpId, items);
      },
    );

    // Assess
    expect(sweepReport).toMatchObject({ disabled: 1 });
    expect(result.outcome).toBe('recorded');
    expect(relayedBodies).toEqual([
      [{ id: resource.id, type: resource.type, expireDate: renewedUntil }],
      [{ id: resource.id, type: resource.type, expireDate: renewedUntil, isDisabled: false }],
    ]);
    expect((await h.huawei.resources(CORP_A.corpId)).get(key(resource))).toMatchObject({ isDisabled: false, expireDate: renewedUntil });
    expect(((await h.item(resource)) as RegistryItem).status).toBe('active');
  });

  it('keeps a manual disable made between the claim and the record, and a later renewal does not undo it', async () => {
    // Prepare
    const [resource] = resources(CORP_A.corpId, 'manual', 1, Date.now() - HOUR_MS) as [TestResource];
    await h.register([resource]);

    // Act
    const { sweeping, release } = await sweepHeldAfterClaim(resource);
    await h.relay(CORP_A.corpId, [{ id: resource.id, type: resource.type, isDisabled: true }]);
    await release();
    const report = await sweeping;
    await h.relay(CORP_A.corpId, [{ id: resource.id, type: resource.type, expireDate: Date.now() + DAY_MS }]);

    // Assess
    expect(report).toMatchObject({ disabled: 0, reenabled: 0, unreconciled: [] });
    const item = (await h.item(resource)) as RegistryItem;
    expect(item.status).toBe('disabled-manual');
    expect((await h.huawei.resources(CORP_A.corpId)).get(key(resource))?.isDisabled).toBe(true);
  });

  it('leaves a refused re-enable pending in the due index and the next sweep completes it', async () => {
    // Prepare
    const [resource] = resources(CORP_A.corpId, 'pending', 1, Date.now() - HOUR_MS) as [TestResource];
    await h.register([resource]);
    const renewedUntil = Date.now() + 30 * DAY_MS;
    const { sweeping, release } = await sweepHeldAfterClaim(resource);
    await h.relay(CORP_A.corpId, [{ id: resource.id, type: resource.type, expireDate: renewedUntil }]);
    // The sweeper's re-enable (the next PUT) meets a 500 on every attempt.
    await h.huawei.control.addFault({ path: RESOURCE_PATH, method: 'PUT', status: 500, count: 50 });
    await release();
    const first = await sweeping;
    const pending = (await h.item(resource)) as RegistryItem;
    await h.huawei.control.clearFaults();

    // Act
    const second = await h.sweepOnce();

    // Assess
    expect(first.reenabled).toBe(0);
    expect(first.problems.join()).toContain('left for the next sweep');
    expect(pending.reenableOwedSince).toBeDefined();
    expect(pending.dueAt).toBe(pending.reenableOwedSince);
    expect(second).toMatchObject({ due: 1, reenabled: 1, disabled: 0 });
    expect((await h.huawei.resources(CORP_A.corpId)).get(key(resource))).toMatchObject({ isDisabled: false, expireDate: renewedUntil });
    const done = (await h.item(resource)) as RegistryItem;
    expect(done.reenableOwedSince).toBeUndefined();
    // In doubt since the first sweep's disable: the sweep checks it again when the hold ends.
    expect(done.dueAt).toBe((done.inDoubtSince as number) + IN_DOUBT_HOLD_MS);
  });

  it('disables a due type-less item type by type when one of its types was renewed on its own', async () => {
    // Prepare: id "shared" exists upstream as VMR and ROOM; an update without type recorded it type-less.
    const id = 'shared-0001';
    const past = Date.now() - HOUR_MS;
    await h.huawei.addResources(CORP_A.corpId, [
      { id, type: 'VMR', expireDate: past },
      { id, type: 'ROOM', expireDate: past },
    ]);
    await h.relay(CORP_A.corpId, [{ id, expireDate: past }]);
    await h.relay(CORP_A.corpId, [{ id, type: 'ROOM', expireDate: Date.now() + DAY_MS }]);
    await h.huawei.control.clearRequests();

    // Act
    const report = await h.sweepOnce();

    // Assess
    const puts = await h.huawei.control.requests({ path: RESOURCE_PATH, method: 'PUT' });
    expect(puts.map((p) => p.body)).toEqual([[{ id, type: 'VMR', isDisabled: true }]]);
    expect(report).toMatchObject({ due: 1, disabled: 1 });
    const upstream = await h.huawei.resources(CORP_A.corpId);
    expect(upstream.get(`${id}/VMR`)?.isDisabled).toBe(true);
    expect(upstream.get(`${id}/ROOM`)?.isDisabled).toBe(false);
    expect(((await h.item({ corpId: CORP_A.corpId, id })) as RegistryItem).status).toBe('disabled-expired');
    expect(((await h.item({ corpId: CORP_A.corpId, id, type: 'ROOM' })) as RegistryItem).status).toBe('active');
  });

  // Rewritten for the verified sweep (issue 11): the PUT names the types Huawei listed as expired and enabled,
  // instead of a type-less DTO that would also touch types Huawei did not confirm.
  it('disables a due type-less item with one PUT of the typed pairs Huawei confirms when no type of it was renewed', async () => {
    // Prepare
    const id = 'typeless-0001';
    const past = Date.now() - HOUR_MS;
    await h.huawei.addResources(CORP_A.corpId, [
      { id, type: 'LIVE', expireDate: past },
      { id, type: 'ROOM', expireDate: past },
    ]);
    await h.relay(CORP_A.corpId, [{ id, expireDate: past }]);
    await h.huawei.control.clearRequests();

    // Act
    const report = await h.sweepOnce();

    // Assess
    const puts = await h.huawei.control.requests({ path: RESOURCE_PATH, method: 'PUT' });
    expect(puts.map((p) => p.body)).toEqual([
      [
        { id, type: 'LIVE', isDisabled: true },
        { id, type: 'ROOM', isDisabled: true },
      ],
    ]);
    // One listing page and one PUT.
    expect(report).toMatchObject({ disabled: 1, spCalls: 2 });
    const upstream = await h.huawei.resources(CORP_A.corpId);
    expect(upstream.get(`${id}/LIVE`)?.isDisabled).toBe(true);
    expect(upstream.get(`${id}/ROOM`)?.isDisabled).toBe(true);
  });
});
