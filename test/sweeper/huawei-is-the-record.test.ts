/**
 * Huawei is the system of record (issue 11): the registry only says when to look. Each case changes Huawei
 * directly (the SP console, a billing system: here the SP API called without the relay), then runs the real
 * verified sweep and sync against the simulator and dynalite.
 */
import { describe, expect, it } from 'vitest';
import { CORP_A, CORP_B } from '../../local/simulator/demo-data.js';
import { DAY_MS, HOUR_MS, key, startSweeperStack, use } from '../support/stack.js';
import type { SweeperStack, TestResource } from '../support/stack.js';

describe('Huawei is the system of record', () => {
  const h = use(startSweeperStack, 'test');

  const resource = (id: string, expireDate: number, type: TestResource['type'] = 'SOFT'): TestResource => ({ corpId: CORP_A.corpId, id, type, expireDate });
  const upstream = async (r: TestResource) => (await h.huawei.resources(r.corpId)).get(key(r));
  /** Sweeps as if `laterMs` had passed (virtual time: the registry's expiry passes, Huawei's clock does not move). */
  const sweepLater = (laterMs: number) => h.sweepOnce({ now: () => Date.now() + laterMs, deadline: Date.now() + laterMs + 25_000 });

  it('leaves enabled a resource renewed directly at Huawei whose registered expiry passed, and records the new expiry', async () => {
    // Prepare: registered through the relay with an expiry an hour away, then renewed at Huawei for 30 days.
    const r = resource('renewed-at-huawei', Date.now() + HOUR_MS);
    await h.register([r]);
    const renewedUntil = Date.now() + 30 * DAY_MS;
    expect((await h.huawei.spApi.updateResources(r.corpId, [{ id: r.id, type: r.type, expireDate: renewedUntil }])).status).toBe(200);
    await h.huawei.control.clearRequests();

    // Act: the registered expiry passes; a sweep runs.
    const report = await sweepLater(2 * HOUR_MS);

    // Assess
    expect(report).toMatchObject({ due: 1, disabled: 0, renewedElsewhere: 1, lookups: 1, status: 'completed' });
    expect(await h.huawei.resourcePuts()).toBe(0);
    expect(await upstream(r)).toMatchObject({ isDisabled: false, expireDate: renewedUntil });
    expect(await h.item(r)).toMatchObject({ status: 'active', expireDate: renewedUntil, dueAt: renewedUntil });
  });

  it('records a resource disabled directly at Huawei as a manual disable that neither a sync nor a renewal undoes', async () => {
    // Prepare
    const r = resource('disabled-at-huawei', Date.now() - HOUR_MS);
    await h.register([r]);
    await h.syncOnce({ config: { corpIds: [r.corpId] } }); // its enterprise's demo fleet first, so the counts below are this resource's alone
    await h.huawei.spApi.updateResources(r.corpId, [{ id: r.id, type: r.type, isDisabled: true }]);

    // Act
    const report = await h.sweepOnce();
    const synced = await h.syncOnce({ config: { corpIds: [r.corpId] } });
    const renewal = await h.relay(r.corpId, [{ id: r.id, type: r.type, expireDate: Date.now() + 30 * DAY_MS }]);
    const afterRenewal = await h.syncOnce({ config: { corpIds: [r.corpId] } });

    // Assess
    expect(report).toMatchObject({ due: 1, disabled: 0, disabledElsewhere: 1 });
    expect(synced).toMatchObject({ reenabled: 0, registryWrites: 0 });
    expect(renewal.outcome).toBe('recorded');
    expect(afterRenewal).toMatchObject({ reenabled: 0 });
    expect(await upstream(r)).toMatchObject({ isDisabled: true });
    expect(await h.item(r)).toMatchObject({ status: 'disabled-manual' });
  });

  it('records a resource deleted at Huawei as gone and never calls Huawei for it again', async () => {
    // Prepare
    const r = resource('deleted-at-huawei', Date.now() - HOUR_MS);
    await h.register([r]);
    await h.syncOnce({ config: { corpIds: [r.corpId] } }); // its enterprise's demo fleet first, so the counts below are this resource's alone
    await h.huawei.deleteResources(r.corpId, [r.id]);

    // Act
    const first = await h.sweepOnce();
    await h.huawei.control.clearRequests();
    const second = await h.sweepOnce();
    const synced = await h.syncOnce({ config: { corpIds: [r.corpId] } });

    // Assess
    expect(first).toMatchObject({ due: 1, disabled: 0, gone: 1, rejected: 0 });
    expect(await h.item(r)).toMatchObject({ status: 'gone' });
    expect((await h.item(r))?.dueAt).toBeUndefined();
    expect(second).toMatchObject({ due: 0, spCalls: 0 });
    expect(synced).toMatchObject({ gone: 0, registryWrites: 0 });
    const calls = await h.huawei.control.requests({ path: `/v1/usg/dcs/sp/corp/${r.corpId}/resource` });
    expect(calls.filter((c) => c.method !== 'GET' || String(c.query.searchKey ?? '') === r.id)).toEqual([]);
  });

  it('adopts a resource created at Huawei with a past expiry, and the next sweep disables it', async () => {
    // Prepare: never seen by the relay.
    const r = resource('created-at-huawei', Date.now() - HOUR_MS, 'HARD_720P');
    await h.huawei.addResources(r.corpId, [r]);

    // Act (enterprise B's demo data holds expired resources of its own: only this enterprise is synced)
    const synced = await h.syncOnce({ config: { corpIds: [r.corpId] } });
    const swept = await h.sweepOnce();

    // Assess
    expect(synced.adopted).toBeGreaterThanOrEqual(1);
    expect(swept).toMatchObject({ disabled: 1 });
    expect(await upstream(r)).toMatchObject({ isDisabled: true });
    expect(await h.item(r)).toMatchObject({ status: 'disabled-expired', adoptedAt: expect.any(Number) });
  });

  it('re-enables once, by the sync, a resource renewed at Huawei after our sweep disabled it', async () => {
    // Prepare: our sweep disables it for expiry; then it is renewed at Huawei (not through the relay).
    const r = resource('renewed-after-sweep', Date.now() - HOUR_MS);
    await h.register([r]);
    await h.syncOnce({ config: { corpIds: [r.corpId] } }); // its enterprise's demo fleet first, so the counts below are this resource's alone
    expect(await h.sweepOnce()).toMatchObject({ disabled: 1 });
    const renewedUntil = Date.now() + 30 * DAY_MS;
    await h.huawei.spApi.updateResources(r.corpId, [{ id: r.id, type: r.type, expireDate: renewedUntil }]);
    await h.huawei.control.clearRequests();

    // Act
    const first = await h.syncOnce({ config: { corpIds: [r.corpId] } });
    const second = await h.syncOnce({ config: { corpIds: [r.corpId] } });

    // Assess
    expect(first).toMatchObject({ reenabled: 1, registryWrites: 1 });
    expect(second).toMatchObject({ reenabled: 0, registryWrites: 0 });
    const puts = await h.huawei.control.requests({ method: 'PUT' });
    expect(puts.map((p) => p.body)).toEqual([[{ id: r.id, type: r.type, isDisabled: false }]]);
    expect(await upstream(r)).toMatchObject({ isDisabled: false, expireDate: renewedUntil });
    expect(await h.item(r)).toMatchObject({ status: 'active', expireDate: renewedUntil });
  });

  it('writes nothing and pushes nothing when syncing a fleet that has not changed', async () => {
    // Prepare: the demo fleet of both enterprises adopted once.
    await h.syncOnce();
    await h.huawei.control.clearRequests();

    // Act
    const again = await h.syncOnce();

    // Assess
    expect(again).toMatchObject({ status: 'completed', registryWrites: 0, adopted: 0, repaired: 0, gone: 0 });
    expect(again.enterprises).toBeGreaterThanOrEqual(2);
    expect(await h.huawei.control.requests({ method: 'PUT' })).toEqual([]);
    expect(await h.item({ corpId: CORP_B.corpId, id: 'b2d1e0f3a4c5469e8b1c2d3e4f5a6b01', type: 'VMR' })).toMatchObject({ status: 'active' });
  });

  it('reports what it would adopt in a dry run and writes nothing', async () => {
    const dry = await h.syncOnce({ config: { dryRun: true } });
    expect(dry.status).toBe('dry-run');
    expect(dry.adopted).toBeGreaterThan(0);
    expect(dry.registryWrites).toBe(0);
    expect(await h.item({ corpId: CORP_B.corpId, id: 'b2d1e0f3a4c5469e8b1c2d3e4f5a6b01', type: 'VMR' })).toBeUndefined();
  });
});
