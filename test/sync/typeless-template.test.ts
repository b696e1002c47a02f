/**
 * Issue 15, seed 7586: a sync reads the registry, then a sweep disables a type-less id and records it (in doubt)
 * while one type is renewed at Huawei, then the sync lists Huawei. From its stale read (active, nothing in doubt)
 * the sync would create the typed items as `disabled-manual`, and the renewal of that type through the relay
 * would then never re-enable it. The sync re-checks the type-less item after its writes and rewrites the typed
 * items it created from the current one. Dynalite and the simulator over loopback; the sweep's writes are made
 * inside the sync's listing call (a wrapper around the production SP API), so the order is fixed, not timed.
 */
import { describe, expect, it } from 'vitest';
import { markExpiredDisabled } from '../../functions/shared/registry/transitions.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { DAY_MS, HOUR_MS, startSweeperStack, use } from '../support/stack.js';
import type { SweeperStack } from '../support/stack.js';
import { syncApiRacingFirstListing } from '../support/race-hooks.js';

const CORP = CORP_A.corpId;
const ID = 'template-race';

describe('sync creating typed items from a type-less item a sweep wrote meanwhile', () => {
  const h = use(startSweeperStack, 'test');

  it('rewrites them from the current type-less item (ours, in doubt), so a renewal of one type re-enables it', async () => {
    // Prepare: an expired id with two types, registered without a type.
    const expired = Date.now() - HOUR_MS;
    await h.huawei.addResources(CORP, [{ id: ID, type: 'VMR', expireDate: expired }, { id: ID, type: 'SOFT', expireDate: expired }]);
    expect((await h.relay(CORP, [{ id: ID, expireDate: expired }])).outcome).toBe('recorded');
    const renewedUntil = Date.now() + 30 * DAY_MS;
    const spApi = syncApiRacingFirstListing(h.huawei.spApi, async () => {
      // The sweep: its disable of both types, SOFT renewed at Huawei meanwhile, then its record.
      await h.huawei.spApi.updateResources(CORP, [{ id: ID, type: 'VMR', isDisabled: true }, { id: ID, type: 'SOFT', isDisabled: true }]);
      await h.huawei.spApi.updateResources(CORP, [{ id: ID, type: 'SOFT', expireDate: renewedUntil }]);
      const typeless = await h.item({ corpId: CORP, id: ID });
      if (!typeless) throw new Error('type-less item missing');
      expect(await h.registry.store.replace(markExpiredDisabled(typeless, { now: Date.now() }), { version: typeless.version })).toBe(true);
    });

    // Act
    const report = await h.syncOnce({ spApi, config: { corpIds: [CORP] } });
    const renewal = await h.relay(CORP, [{ id: ID, type: 'SOFT', expireDate: renewedUntil + 1 }]);

    // Assess: the typed items carry the sweep's state, not a manual disable; the renewal re-enabled SOFT.
    expect(report.problems).toEqual([]);
    const vmr = await h.item({ corpId: CORP, id: ID, type: 'VMR' });
    expect(vmr).toMatchObject({ status: 'disabled-expired', inDoubtSince: expect.any(Number) as unknown });
    expect(renewal.outcome === 'recorded' && renewal.reenabled).toEqual([{ corpId: CORP, resourceId: ID, type: 'SOFT' }]);
    const upstream = await h.huawei.resources(CORP);
    expect(upstream.get(`${ID}/SOFT`)).toMatchObject({ isDisabled: false, expireDate: renewedUntil + 1 });
    expect(upstream.get(`${ID}/VMR`)?.isDisabled).toBe(true);
    expect((await h.item({ corpId: CORP, id: ID, type: 'SOFT' }))?.status).toBe('active');
  });
});
