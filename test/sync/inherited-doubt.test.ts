/**
 * Issue 15, fifth round (seed 259286, no faults): a sweep claimed a type-less id and disabled its type at Huawei; a
 * typed renewal relayed meanwhile reached Huawei first and created the typed item from the type-less item as read
 * (active, no mark) just after the sweep recorded its disable (in doubt) on the type-less item. A sync then judged
 * the typed item on its own: active, nothing of ours in doubt, Huawei disabled: a manual disable, and the renewal
 * stayed switched off. The type-less disable in doubt reached that type too (the relay's writes carry its mark to
 * typed items: `withInheritedDoubt`), so the sync judges a typed item with the type-less item's mark while its hold
 * lasts: the disable is ours, and the renewal is enabled again. Dynalite and the simulator over loopback, through
 * the production relay, store and sync; the sweep's disable and record are made directly. Virtual clock.
 */
import { describe, expect, it } from 'vitest';
import { directRelay } from '../support/direct-relay.js';
import { itemKey } from '../../functions/shared/registry/keys.js';
import { dueEntrySchema } from '../../functions/shared/registry/model.js';
import { markExpiredDisabled, newItem } from '../../functions/shared/registry/transitions.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { DAY_MS, HOUR_MS, startSweeperStack, use } from '../support/stack.js';
import { syncApiRacingFirstListing } from '../support/race-hooks.js';

const CORP = CORP_A.corpId;
const ID = 'inherited-doubt';

describe('a sync judging a typed item next to a type-less item with our disable in doubt', () => {
  let clock = Date.now();
  const now = () => clock;
  const h = use(() => startSweeperStack({ now }), 'test');
  const relay = directRelay(h, CORP, now);

  it('takes the disable Huawei shows for the type as ours and enables the renewal again', async () => {
    // Prepare: an overdue id registered without a type. A typed renewal lands at Huawei, then the sweep's disable
    // of that type; the sweep records it on the type-less item (in doubt); then the renewal's typed item is created
    // from the type-less item as the relay read it (active, no mark).
    clock = Date.now();
    const expired = clock - HOUR_MS;
    const renewed = clock + 30 * DAY_MS;
    await h.huawei.addResources(CORP, [{ id: ID, type: 'VMR', expireDate: expired }]);
    expect((await relay([{ id: ID, expireDate: expired }])).outcome).toBe('recorded');
    const readByRelay = await h.item({ corpId: CORP, id: ID });
    if (!readByRelay) throw new Error('type-less item missing');
    await h.huawei.spApi.updateResources(CORP, [{ id: ID, type: 'VMR', expireDate: renewed }]);
    await h.huawei.spApi.updateResources(CORP, [{ id: ID, type: 'VMR', isDisabled: true }]);
    expect(await h.registry.store.replace(markExpiredDisabled(readByRelay, { now: clock }), { version: readByRelay.version })).toBe(true);
    const stale = { ...newItem({ corpId: CORP, resourceId: ID, type: 'VMR' }, clock, readByRelay), expireDate: renewed, version: 1 };
    expect(await h.registry.store.create(stale)).toBe(true);

    // Act
    clock += 1_000;
    const report = await h.syncOnce({ config: { corpIds: [CORP] } });

    // Assess: enabled again at Huawei with the renewal, recorded active and in doubt (not a manual disable).
    expect(report.problems).toEqual([]);
    expect((await h.huawei.resources(CORP)).get(`${ID}/VMR`)).toMatchObject({ isDisabled: false, expireDate: renewed });
    expect(await h.registry.store.get(itemKey(CORP, ID, 'VMR'))).toMatchObject({ status: 'active', expireDate: renewed, inDoubtSince: expect.any(Number) as unknown });
  });

  it('does not record a typed item’s disable as manual when our disable was recorded on the type-less item after its read (seed 449674)', async () => {
    // Prepare: an overdue id with two types registered without a type; a typed renewal of SOFT (its own item,
    // active, from the type-less item as it stood).
    clock = Date.now();
    const expired = clock - HOUR_MS;
    const renewed = clock + 30 * DAY_MS;
    const id = `${ID}-after-read`;
    await h.huawei.addResources(CORP, [{ id, type: 'VMR', expireDate: expired }, { id, type: 'SOFT', expireDate: expired }]);
    expect((await relay([{ id, expireDate: expired }])).outcome).toBe('recorded');
    expect((await relay([{ id, type: 'SOFT', expireDate: renewed }])).outcome).toBe('recorded');
    const spApi = syncApiRacingFirstListing(h.huawei.spApi, async () => {
      // After the sync's registry read: a sweep (which read the id before SOFT had its own item) claims the
      // type-less item, its disable of the id lands, and it records it there (in doubt; the claim released).
      const read = await h.item({ corpId: CORP, id });
      const claimed = await h.registry.store.claim(dueEntrySchema.parse(read), { sweepId: 'sweep-after-read', now: clock, expiresAt: clock + 60_000 });
      if (!claimed) throw new Error('claim failed');
      await h.huawei.spApi.updateResources(CORP, [{ id, isDisabled: true }]);
      expect(await h.registry.store.replace(markExpiredDisabled(claimed, { now: clock }), { version: claimed.version, claimedBy: 'sweep-after-read' })).toBe(true);
    });

    // Act: the racing sync, then the next sync (within the hold).
    clock += 1_000;
    const racing = await h.syncOnce({ spApi, config: { corpIds: [CORP] } });
    const afterRacing = await h.registry.store.get(itemKey(CORP, id, 'SOFT'));
    clock += 1_000;
    const next = await h.syncOnce({ config: { corpIds: [CORP] } });

    // Assess: the racing sync left SOFT (its judgement rested on the type-less item as it read it); the next one
    // took the disable as ours (the type-less item's mark) and enabled the renewal again.
    expect(afterRacing).toMatchObject({ status: 'active', expireDate: renewed });
    expect(racing.conflicts).toBeGreaterThan(0);
    expect(next.problems).toEqual([]);
    expect((await h.huawei.resources(CORP)).get(`${id}/SOFT`)).toMatchObject({ isDisabled: false, expireDate: renewed });
    expect(await h.registry.store.get(itemKey(CORP, id, 'SOFT'))).toMatchObject({ status: 'active', expireDate: renewed });
  });
});
