/**
 * Issue 15, fifth round (seeds 22643, 23536, 24311, 41641, ...): a sync reads the registry, then a disable of ours
 * is recorded on the type-less item (here the sweeper's, in doubt), then the sync lists Huawei, sees the id
 * disabled and, from its stale read (active, nothing in doubt), creates the typed items `disabled-manual`. Its
 * template re-check rewrites the creates from the current type-less item, but only those nobody has written since:
 * a relay renewal that read a create before the re-check built on it (no re-enable for a manual disable) and wrote
 * it first, so the disable stood as manual and the renewed type stayed disabled at Huawei.
 *
 * A typed item the sync creates from the type-less item is provisional until its re-check confirms it: it records
 * the type-less version it was judged against, and a relay that reads it next to a type-less item at another
 * version takes the type-less item's state instead. Dynalite and the simulator over loopback, through the
 * production sync and relay; the sweep's record is made inside the sync's listing call and the renewal right after
 * the sync's create (a wrapper around the production store), so the order is fixed, not timed. Virtual clock.
 */
import { describe, expect, it } from 'vitest';
import { relayAndRecord } from '../../functions/resources/relay-recording.js';
import type { ModResourceItem } from '../../functions/shared/huawei/schemas.js';
import { markChecked, markExpiredDisabled, withDisableInDoubt } from '../../functions/shared/registry/transitions.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { DAY_MS, HOUR_MS, startSweeperStack, use } from '../support/stack.js';
import type { SweeperStack } from '../support/stack.js';
import { storeWithHook, syncApiRacingFirstListing } from '../support/race-hooks.js';

const CORP = CORP_A.corpId;
const ID = 'provisional';

describe('a relay update that reads a typed item the sync has just created', () => {
  let clock = Date.now();
  const now = () => clock;
  const h = use(() => startSweeperStack({ now }), 'test');
  const relay = (stack: SweeperStack, items: ModResourceItem[]) =>
    relayAndRecord({ store: stack.registry.store, now, reenableRenewed: true, sleep: async () => undefined }, CORP, items, (planned) =>
      stack.huawei.spApi.updateResources(CORP, planned),
    );

  it('takes the type-less item that changed since the sync read it (our disable), so a renewal re-enables', async () => {
    // Prepare: an expired id with two types, registered without a type.
    clock = Date.now();
    const expired = clock - HOUR_MS;
    await h.huawei.addResources(CORP, [{ id: ID, type: 'VMR', expireDate: expired }, { id: ID, type: 'SOFT', expireDate: expired }]);
    expect((await relay(h, [{ id: ID, expireDate: expired }])).outcome).toBe('recorded');
    const renewedUntil = clock + 30 * DAY_MS;
    const spApi = syncApiRacingFirstListing(h.huawei.spApi, async () => {
      // After the sync's registry read: the sweep disables both types and records it (in doubt).
      await h.huawei.spApi.updateResources(CORP, [{ id: ID, type: 'VMR', isDisabled: true }, { id: ID, type: 'SOFT', isDisabled: true }]);
      const typeless = await h.item({ corpId: CORP, id: ID });
      if (!typeless) throw new Error('type-less item missing');
      expect(await h.registry.store.replace(markExpiredDisabled(typeless, { now: clock }), { version: typeless.version })).toBe(true);
    });
    let renewal: Awaited<ReturnType<typeof relay>> | undefined;
    let hooked = false;
    const store = storeWithHook(h.registry.store, async (item) => {
      if (item.resourceId !== ID || item.type !== 'VMR' || hooked) return;
      hooked = true;
      clock += 1_000;
      // A typed renewal of VMR through the relay reads the sync's create before the sync's re-check.
      renewal = await relay(h, [{ id: ID, type: 'VMR', expireDate: renewedUntil }]);
    });

    // Act
    clock += 1_000;
    const report = await h.syncOnce({ spApi, store, config: { corpIds: [CORP] } });

    // Assess: the renewal re-enabled VMR (our sweep disabled it), and the registry agrees with Huawei.
    expect(renewal?.outcome === 'recorded' && renewal.reenabled).toEqual([{ corpId: CORP, resourceId: ID, type: 'VMR' }]);
    const upstream = await h.huawei.resources(CORP);
    expect(upstream.get(`${ID}/VMR`)).toMatchObject({ isDisabled: false, expireDate: renewedUntil });
    expect(await h.item({ corpId: CORP, id: ID, type: 'VMR' })).toMatchObject({ status: 'active', expireDate: renewedUntil });
    // SOFT, not renewed, carries the sweep's disable (in doubt), not a manual one.
    expect(upstream.get(`${ID}/SOFT`)?.isDisabled).toBe(true);
    expect(await h.item({ corpId: CORP, id: ID, type: 'SOFT' })).toMatchObject({ status: 'disabled-expired', inDoubtSince: expect.any(Number) as unknown });
    expect(report.problems).toEqual([]);
  });

  it('rewrites a create a sweep only sealed meanwhile (a write that decides nothing) from the changed type-less item (seed 67779)', async () => {
    // Prepare: an expired id with two types, registered without a type.
    clock = Date.now();
    const expired = clock - HOUR_MS;
    await h.huawei.addResources(CORP, [{ id: ID, type: 'VMR', expireDate: expired }, { id: ID, type: 'SOFT', expireDate: expired }]);
    expect((await relay(h, [{ id: ID, expireDate: expired }])).outcome).toBe('recorded');
    const spApi = syncApiRacingFirstListing(h.huawei.spApi, async () => {
      // After the sync's registry read: the sweep disables both types and records it (in doubt).
      await h.huawei.spApi.updateResources(CORP, [{ id: ID, type: 'VMR', isDisabled: true }, { id: ID, type: 'SOFT', isDisabled: true }]);
      const typeless = await h.item({ corpId: CORP, id: ID });
      if (!typeless) throw new Error('type-less item missing');
      expect(await h.registry.store.replace(markExpiredDisabled(typeless, { now: clock }), { version: typeless.version })).toBe(true);
    });
    let hooked = false;
    const store = storeWithHook(h.registry.store, async (item) => {
      if (item.resourceId !== ID || item.type !== 'VMR' || hooked) return;
      hooked = true;
      // The sweep's check of the type-less item's typed siblings finds the sync's create disabled: it only seals
      // it, with the sweep's in-doubt mark (functions/sweep/typeless-siblings.ts).
      const created = await h.item({ corpId: CORP, id: ID, type: 'VMR' });
      if (!created) throw new Error('typed item missing');
      expect(await h.registry.store.replace(markChecked(withDisableInDoubt(created, clock), { now: clock }), { version: created.version })).toBe(true);
    });

    // Act
    clock += 1_000;
    const report = await h.syncOnce({ spApi, store, config: { corpIds: [CORP] } });

    // Assess: both typed items carry the sweep's disable (in doubt), not a manual one, and are confirmed.
    for (const type of ['VMR', 'SOFT'] as const) {
      const typed = await h.item({ corpId: CORP, id: ID, type });
      expect(typed).toMatchObject({ status: 'disabled-expired', inDoubtSince: expect.any(Number) as unknown });
      expect(typed?.templateVersion).toBeUndefined();
    }
    expect(report.problems).toEqual([]);
  });

  it('keeps a typed item judged against the current type-less item: a disable made by hand is not undone', async () => {
    // Prepare: an id with two types a year out, registered without a type; VMR disabled by hand at Huawei.
    clock = Date.now();
    const future = clock + 365 * DAY_MS;
    await h.huawei.addResources(CORP, [{ id: ID, type: 'VMR', expireDate: future }, { id: ID, type: 'SOFT', expireDate: future }]);
    expect((await relay(h, [{ id: ID, expireDate: future }])).outcome).toBe('recorded');
    await h.huawei.spApi.updateResources(CORP, [{ id: ID, type: 'VMR', isDisabled: true }]);
    let renewal: Awaited<ReturnType<typeof relay>> | undefined;
    let hooked = false;
    const store = storeWithHook(h.registry.store, async (item) => {
      if (item.resourceId !== ID || item.type !== 'VMR' || hooked) return;
      hooked = true;
      clock += 1_000;
      renewal = await relay(h, [{ id: ID, type: 'VMR', expireDate: future + DAY_MS }]);
    });

    // Act
    clock += 1_000;
    const report = await h.syncOnce({ store, config: { corpIds: [CORP] } });

    // Assess: the manual disable stands, at Huawei and in the registry.
    expect(renewal?.outcome === 'recorded' && renewal.reenabled).toEqual([]);
    expect((await h.huawei.resources(CORP)).get(`${ID}/VMR`)).toMatchObject({ isDisabled: true, expireDate: future + DAY_MS });
    expect(await h.item({ corpId: CORP, id: ID, type: 'VMR' })).toMatchObject({ status: 'disabled-manual', expireDate: future + DAY_MS });
    expect(report.problems).toEqual([]);
  });
});
