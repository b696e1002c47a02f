/**
 * Issue 15, fifth round (seed 92558): a sync reads the registry; a sweep then claims an expired item (a claim does
 * not change the item's version) and its disable lands at Huawei; the sync lists Huawei, sees the item disabled
 * with nothing of ours in its read to explain it, and its write, conditioned on the version it read, still lands:
 * the sweep's disable is recorded as a manual one, the sweep's own record fails, and a renewal through the relay
 * no longer re-enables the resource. The sync reads the item again after the listing before recording a disable as
 * someone else's, and leaves an item a sweep holds a live claim on to that sweep. Dynalite and the simulator over
 * loopback, through the production sync, store and relay; the sweep's claim and disable are made inside the
 * sync's listing call (a wrapper around the production SP API), so the order is fixed, not timed. Virtual clock.
 */
import { describe, expect, it } from 'vitest';
import { relayAndRecord } from '../../functions/resources/relay-recording.js';
import { dueEntrySchema } from '../../functions/shared/registry/model.js';
import type { RegistryItem } from '../../functions/shared/registry/model.js';
import { markExpiredDisabled } from '../../functions/shared/registry/transitions.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { DAY_MS, HOUR_MS, startSweeperStack, use } from '../support/stack.js';
import { storeBeforeReplace, syncApiRacingFirstListing } from '../support/race-hooks.js';

const CORP = CORP_A.corpId;
const ID = 'claimed-by-a-sweep';
const SWEEP_ID = 'sweep-in-flight';

describe('a sync that lists Huawei while a sweep holds its claim on a disable in flight', () => {
  let clock = Date.now();
  const now = () => clock;
  const h = use(() => startSweeperStack({ now }), 'test');

  it('does not record the sweep’s disable as manual: the sweep records it, and a renewal re-enables', async () => {
    // Prepare: an expired typed item, registered through the relay.
    clock = Date.now();
    const expired = clock - HOUR_MS;
    await h.register([{ corpId: CORP, id: ID, type: 'VMR', expireDate: expired }]);
    const spApi = syncApiRacingFirstListing(h.huawei.spApi, async () => {
      // After the sync's registry read: a sweep claims the item and its disable lands at Huawei.
      const read = await h.item({ corpId: CORP, id: ID, type: 'VMR' });
      expect(await h.registry.store.claim(dueEntrySchema.parse(read), { sweepId: SWEEP_ID, now: clock, expiresAt: clock + 60_000 })).toBeDefined();
      await h.huawei.spApi.updateResources(CORP, [{ id: ID, type: 'VMR', isDisabled: true }]);
    });

    // Act: the sync, then the sweep's record (on its claim and the version it claimed), then a renewal.
    clock += 1_000;
    const report = await h.syncOnce({ spApi, config: { corpIds: [CORP] } });
    const claimed = await h.item({ corpId: CORP, id: ID, type: 'VMR' });
    if (!claimed) throw new Error('item missing');
    const swept = await h.registry.store.replace(markExpiredDisabled(claimed, { now: clock }), { version: claimed.version, claimedBy: SWEEP_ID });
    clock += 1_000;
    const renewedUntil = clock + 30 * DAY_MS;
    const renewal = await relayAndRecord(
      { store: h.registry.store, now, reenableRenewed: true, sleep: async () => undefined },
      CORP,
      [{ id: ID, type: 'VMR', expireDate: renewedUntil }],
      (planned) => h.huawei.spApi.updateResources(CORP, planned),
    );

    // Assess: the sync left the claimed item to the sweep; the renewal re-enabled it.
    expect(claimed).toMatchObject({ status: 'active', claimedBy: SWEEP_ID });
    expect(report.conflicts).toBe(1);
    expect(swept).toBe(true);
    expect(renewal.outcome === 'recorded' && renewal.reenabled).toEqual([{ corpId: CORP, resourceId: ID, type: 'VMR' }]);
    expect((await h.huawei.resources(CORP)).get(`${ID}/VMR`)).toMatchObject({ isDisabled: false, expireDate: renewedUntil });
    expect(await h.item({ corpId: CORP, id: ID, type: 'VMR' })).toMatchObject({ status: 'active', expireDate: renewedUntil });
  });

  it('does not record the type-less item gone when the typed items it would stand down for were left to the sweep (seed 117896)', async () => {
    // Prepare: an expired id with two types, registered without a type.
    clock = Date.now();
    const expired = clock - HOUR_MS;
    const id = `${ID}-typeless`;
    await h.huawei.addResources(CORP, [{ id, type: 'VMR', expireDate: expired }, { id, type: 'SOFT', expireDate: expired }]);
    expect((await relayAndRecord({ store: h.registry.store, now, reenableRenewed: true }, CORP, [{ id, expireDate: expired }], (planned) => h.huawei.spApi.updateResources(CORP, planned))).outcome).toBe('recorded');
    const spApi = syncApiRacingFirstListing(h.huawei.spApi, async () => {
      // After the sync's registry read: a sweep claims the type-less item, its disable of both types lands.
      const read = await h.item({ corpId: CORP, id });
      expect(await h.registry.store.claim(dueEntrySchema.parse(read), { sweepId: SWEEP_ID, now: clock, expiresAt: clock + 60_000 })).toBeDefined();
      await h.huawei.spApi.updateResources(CORP, [{ id, type: 'VMR', isDisabled: true }, { id, type: 'SOFT', isDisabled: true }]);
    });

    // Act: the sync, then the sweep's record on its claim.
    clock += 1_000;
    await h.syncOnce({ spApi, config: { corpIds: [CORP] } });
    const typeless = await h.item({ corpId: CORP, id });
    if (!typeless) throw new Error('type-less item missing');
    const swept = await h.registry.store.replace(markExpiredDisabled(typeless, { now: clock }), { version: typeless.version, claimedBy: SWEEP_ID });

    // Assess: no typed item was created, the type-less item still stands for both types, and the sweep recorded
    // its disable on it (ours, in doubt), so a renewal re-enables both.
    expect(typeless).toMatchObject({ status: 'active', claimedBy: SWEEP_ID });
    expect(await h.item({ corpId: CORP, id, type: 'VMR' })).toBeUndefined();
    expect(swept).toBe(true);
    expect(await h.item({ corpId: CORP, id })).toMatchObject({ status: 'disabled-expired', inDoubtSince: expect.any(Number) as unknown });
  });

  it('leaves a typed item to the sweep that holds the type-less item’s claim, whose disable reached its type (seed 705828)', async () => {
    // Prepare: an expired id registered without a type, then a typed renewal of VMR (its own typed item, active).
    clock = Date.now();
    const expired = clock - HOUR_MS;
    const id = `${ID}-typed-under-typeless-claim`;
    await h.huawei.addResources(CORP, [{ id, type: 'VMR', expireDate: expired }]);
    const relay = (items: Parameters<typeof relayAndRecord>[2]) =>
      relayAndRecord({ store: h.registry.store, now, reenableRenewed: true }, CORP, items, (planned) => h.huawei.spApi.updateResources(CORP, planned));
    expect((await relay([{ id, expireDate: expired }])).outcome).toBe('recorded');
    const renewedUntil = clock + 30 * DAY_MS;
    expect((await relay([{ id, type: 'VMR', expireDate: renewedUntil }])).outcome).toBe('recorded');
    let raced = false;
    const spApi = syncApiRacingFirstListing(h.huawei.spApi, async () => {
      raced = true;
      // After the sync's registry read: a sweep (which read the id before the typed item was created) claims
      // the type-less item, and its disable of the id's type lands.
      const read = await h.item({ corpId: CORP, id });
      expect(await h.registry.store.claim(dueEntrySchema.parse(read), { sweepId: SWEEP_ID, now: clock, expiresAt: clock + 60_000 })).toBeDefined();
      await h.huawei.spApi.updateResources(CORP, [{ id, type: 'VMR', isDisabled: true }]);
    });

    // Act
    clock += 1_000;
    const report = await h.syncOnce({ spApi, config: { corpIds: [CORP] } });

    // Assess: the typed item is not recorded as disabled by hand; it is left to the sweep and the next sync.
    expect(raced).toBe(true);
    expect(report.conflicts).toBe(1);
    expect(await h.item({ corpId: CORP, id, type: 'VMR' })).toMatchObject({ status: 'active', expireDate: renewedUntil });
  });

  it('does not record a disable it listed over a sweep’s claim taken after its re-read of the item (seed 384141)', async () => {
    // Prepare: an expired typed item, registered through the relay (active), disabled by hand at Huawei.
    clock = Date.now();
    const expired = clock - HOUR_MS;
    const id = `${ID}-stale-listing`;
    await h.register([{ corpId: CORP, id, type: 'VMR', expireDate: expired }]);
    await h.huawei.spApi.updateResources(CORP, [{ id, type: 'VMR', isDisabled: true }]);
    let raced = false;
    let claimed: RegistryItem | undefined;
    const store = storeBeforeReplace(h.registry.store, async (item) => {
      if (item.resourceId !== id || raced) return;
      raced = true;
      // After the sync's listing (the hand's disable) and its re-read of the item (no claim), before its write:
      // the id is enabled by hand again, and a sweep claims the expired item and its disable lands.
      await h.huawei.spApi.updateResources(CORP, [{ id, type: 'VMR', isDisabled: false }]);
      const read = await h.item({ corpId: CORP, id, type: 'VMR' });
      claimed = await h.registry.store.claim(dueEntrySchema.parse(read), { sweepId: SWEEP_ID, now: clock, expiresAt: clock + 60_000 });
      await h.huawei.spApi.updateResources(CORP, [{ id, type: 'VMR', isDisabled: true }]);
    });

    // Act: the sync, then the sweep's record (on its claim and the version it claimed), then a renewal.
    clock += 1_000;
    const report = await h.syncOnce({ store, config: { corpIds: [CORP] } });
    const afterSync = await h.item({ corpId: CORP, id, type: 'VMR' });
    if (!claimed) throw new Error('claim failed');
    const swept = await h.registry.store.replace(markExpiredDisabled(claimed, { now: clock }), { version: claimed.version, claimedBy: SWEEP_ID });
    clock += 1_000;
    const renewedUntil = clock + 30 * DAY_MS;
    const renewal = await relayAndRecord(
      { store: h.registry.store, now, reenableRenewed: true, sleep: async () => undefined },
      CORP,
      [{ id, type: 'VMR', expireDate: renewedUntil }],
      (planned) => h.huawei.spApi.updateResources(CORP, planned),
    );

    // Assess: the sync's write lost to the claim; the sweep recorded its disable (ours); the renewal re-enabled.
    expect(raced).toBe(true);
    expect(afterSync).toMatchObject({ status: 'active', claimedBy: SWEEP_ID });
    expect(report.conflicts).toBe(1);
    expect(swept).toBe(true);
    expect(renewal.outcome === 'recorded' && renewal.reenabled).toEqual([{ corpId: CORP, resourceId: id, type: 'VMR' }]);
    expect((await h.huawei.resources(CORP)).get(`${id}/VMR`)).toMatchObject({ isDisabled: false, expireDate: renewedUntil });
    expect(await h.item({ corpId: CORP, id, type: 'VMR' })).toMatchObject({ status: 'active', expireDate: renewedUntil });
  });
});
