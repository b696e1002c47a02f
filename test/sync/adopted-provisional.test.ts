/**
 * Issue 15, long form (seeds 300193, 881013, 925913; ids registered `none`): a sync read no item of an id; a
 * caller's type-less disable (answered, then delivered again late) was recorded after that read as a new type-less
 * item in doubt, and the caller's enable after it; the late duplicate disabled the id again, and the sync, listing
 * Huawei, adopted the type `disabled-manual` without the mark. Such an adoption had no template, so it was not
 * provisional: a typed renewal read it before the sync's re-check and built on it (a renewal does not re-enable a
 * manual disable), the re-check then left it, and the duplicate stood.
 *
 * A typed item the sync adopts while its read had no type-less item is provisional too (`templateVersion` of "no
 * type-less item"): a relay that reads it next to a type-less item takes the type-less item's state, and the
 * sync's re-check confirms it (no type-less item appeared) or rewrites it. Dynalite and the simulator over
 * loopback, through the production sync, relay and store; the caller's updates run inside the sync's listing call
 * and the renewal right after the sync's create (wrappers around the production SP API and store), so the order is
 * fixed, not timed. Virtual clock.
 */
import { describe, expect, it } from 'vitest';
import { directRelay } from '../support/direct-relay.js';
import { IN_DOUBT_HOLD_MS } from '../../functions/shared/registry/state.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { DAY_MS, startSweeperStack, use } from '../support/stack.js';
import { storeWithHook, syncApiRacingFirstListing } from '../support/race-hooks.js';

const CORP = CORP_A.corpId;
const ID = 'adopted-provisional';

describe('a sync that adopts a type of an id it read no item of', () => {
  let clock = Date.now();
  const now = () => clock;
  const h = use(() => startSweeperStack({ now }), 'test');
  const relay = directRelay(h, CORP, now);

  it('lets a renewal that reads the adoption next to a caller’s type-less item take that item’s state (seed 300193)', async () => {
    // Prepare: an id with one type a year out at Huawei, enabled; the registry knows nothing of it.
    clock = Date.now();
    const future = clock + 365 * DAY_MS;
    await h.huawei.addResources(CORP, [{ id: ID, type: 'SOFT', expireDate: future }]);
    const spApi = syncApiRacingFirstListing(h.huawei.spApi, async () => {
      // After the sync's registry read: a caller disables the id without a type, then enables it again (both
      // recorded on a new type-less item, in doubt); then the disable's first attempt is delivered again, late.
      expect((await relay([{ id: ID, isDisabled: true }])).outcome).toBe('recorded');
      expect((await relay([{ id: ID, isDisabled: false }])).outcome).toBe('recorded');
      await h.huawei.spApi.updateResources(CORP, [{ id: ID, isDisabled: true }]);
    });
    let renewal: Awaited<ReturnType<typeof relay>> | undefined;
    let hooked = false;
    const store = storeWithHook(h.registry.store, async (item) => {
      if (item.resourceId !== ID || item.type !== 'SOFT' || hooked) return;
      hooked = true;
      clock += 1_000;
      // A typed renewal reads the sync's adoption before the sync's re-check.
      renewal = await relay([{ id: ID, type: 'SOFT', expireDate: future + DAY_MS }]);
    });

    // Act: the sync; then, after the in-doubt hold, the next sync.
    clock += 1_000;
    const report = await h.syncOnce({ spApi, store, config: { corpIds: [CORP] } });
    const afterSync = await h.item({ corpId: CORP, id: ID, type: 'SOFT' });
    clock += IN_DOUBT_HOLD_MS + 1_000;
    await h.syncOnce({ config: { corpIds: [CORP] } });

    // Assess: the renewal took the type-less item's state (enabled, the caller's disable in doubt), not a manual
    // disable, so the next sync after the hold pushed the enable again over the late duplicate.
    expect(renewal?.outcome).toBe('recorded');
    expect(afterSync).toMatchObject({ status: 'active', expireDate: future + DAY_MS, inDoubtSince: expect.any(Number) as unknown });
    expect(afterSync?.templateVersion).toBeUndefined();
    expect(report.problems).toEqual([]);
    expect((await h.huawei.resources(CORP)).get(`${ID}/SOFT`)).toMatchObject({ isDisabled: false, expireDate: future + DAY_MS });
    expect(await h.item({ corpId: CORP, id: ID, type: 'SOFT' })).toMatchObject({ status: 'active', expireDate: future + DAY_MS });
  });

  it('rewrites an adoption nobody wrote since from a type-less item recorded after its read, and confirms it', async () => {
    // Prepare: as above, but no renewal reads the adoption before the sync's re-check.
    clock = Date.now();
    const future = clock + 365 * DAY_MS;
    const id = `${ID}-rewritten`;
    await h.huawei.addResources(CORP, [{ id, type: 'SOFT', expireDate: future }]);
    const spApi = syncApiRacingFirstListing(h.huawei.spApi, async () => {
      expect((await relay([{ id, isDisabled: true }])).outcome).toBe('recorded');
      expect((await relay([{ id, isDisabled: false }])).outcome).toBe('recorded');
      await h.huawei.spApi.updateResources(CORP, [{ id, isDisabled: true }]);
    });

    // Act
    clock += 1_000;
    const report = await h.syncOnce({ spApi, config: { corpIds: [CORP] } });

    // Assess: the type carries the type-less item's state (enabled, in doubt) and is no longer provisional.
    const typed = await h.item({ corpId: CORP, id, type: 'SOFT' });
    expect(typed).toMatchObject({ status: 'active', inDoubtSince: expect.any(Number) as unknown });
    expect(typed?.templateVersion).toBeUndefined();
    expect(report.problems).toEqual([]);
  });

  it('confirms an adoption when no type-less item appeared', async () => {
    // Prepare: an id the registry knows nothing of, disabled by hand at Huawei.
    clock = Date.now();
    const future = clock + 365 * DAY_MS;
    const id = `${ID}-confirmed`;
    await h.huawei.addResources(CORP, [{ id, type: 'SOFT', expireDate: future }, { id, type: 'VMR', expireDate: future }]);
    await h.huawei.spApi.updateResources(CORP, [{ id, type: 'SOFT', isDisabled: true }]);

    // Act
    clock += 1_000;
    const report = await h.syncOnce({ config: { corpIds: [CORP] } });

    // Assess: both adopted as Huawei shows them, confirmed (no marker left).
    expect(report.problems).toEqual([]);
    const soft = await h.item({ corpId: CORP, id, type: 'SOFT' });
    const vmr = await h.item({ corpId: CORP, id, type: 'VMR' });
    expect(soft).toMatchObject({ status: 'disabled-manual' });
    expect(vmr).toMatchObject({ status: 'active' });
    expect(soft?.templateVersion).toBeUndefined();
    expect(vmr?.templateVersion).toBeUndefined();
  });
});
