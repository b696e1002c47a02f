/**
 * Issue 15, long form (seed 914469; an id registered `none`): a sync read no item of an id; a caller enabled it
 * without a type after that read (a new type-less item), and the sync, listing Huawei, adopted its types,
 * provisional against "no type-less item". Before the sync's re-check, a caller's typed disable of one type got no
 * answer: its record marked the adoption in doubt (a write that decides nothing, so the adoption stayed
 * provisional). The re-check found the type-less item and rewrote the adoption from it: the type-less item's state
 * and mark (none), so the typed mark was lost. The caller's enable of the type then recorded it without a mark, the
 * held disable landed after it, and the next sync took it for a manual disable.
 *
 * The re-check carries a mark set on the create since into its rewrite (a typed disable reaches its type only,
 * never the type-less item). Dynalite and the simulator over loopback, through the production sync, relay and
 * store; the caller's type-less enable runs inside the sync's listing call and the unanswered typed disable right
 * after the sync's create (wrappers around the production SP API and store), so the order is fixed, not timed.
 * Virtual clock.
 */
import { describe, expect, it } from 'vitest';
import { directRelay } from '../support/direct-relay.js';
import { relayAndRecord } from '../../functions/resources/relay-recording.js';
import { UpstreamTimeoutError } from '../../functions/shared/huawei/client.js';
import type { ModResourceItem } from '../../functions/shared/huawei/schemas.js';
import { IN_DOUBT_HOLD_MS } from '../../functions/shared/registry/state.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { storeWithHook, syncApiRacingFirstListing } from '../support/race-hooks.js';
import { DAY_MS, startSweeperStack, use } from '../support/stack.js';

const CORP = CORP_A.corpId;
const ID = 'recheck-typed-doubt';

describe('the sync’s re-check of an adoption a caller’s typed disable marked in doubt', () => {
  let clock = Date.now();
  const now = () => clock;
  const h = use(() => startSweeperStack({ now }), 'test');
  const relay = directRelay(h, CORP, now);
  const unanswered = (items: ModResourceItem[]) =>
    relayAndRecord({ store: h.registry.store, now, reenableRenewed: true, sleep: async () => undefined }, CORP, items, () =>
      Promise.reject(new UpstreamTimeoutError('Huawei did not answer in time (UND_ERR_HEADERS_TIMEOUT)', 3)),
    );

  it('keeps the typed mark when it rewrites the adoption from the type-less item, so a late disable is undone (seed 914469)', async () => {
    // Prepare: an id with two types a year out at Huawei, disabled; the registry knows nothing of it.
    clock = Date.now();
    const future = clock + 365 * DAY_MS;
    await h.huawei.addResources(CORP, [
      { id: ID, type: 'SOFT', expireDate: future },
      { id: ID, type: 'VMR', expireDate: future },
    ]);
    await h.huawei.spApi.updateResources(CORP, [{ id: ID, isDisabled: true }]);
    const spApi = syncApiRacingFirstListing(h.huawei.spApi, async () => {
      // After the sync's registry read: a caller enables the id without a type (a new type-less item).
      expect((await relay([{ id: ID, isDisabled: false }])).outcome).toBe('recorded');
    });
    let hooked = false;
    const store = storeWithHook(h.registry.store, async (item) => {
      if (item.resourceId !== ID || item.type !== 'SOFT' || hooked) return;
      hooked = true;
      clock += 1_000;
      // Before the sync's re-check: a caller's disable of SOFT gets no answer (it may still land).
      await expect(unanswered([{ id: ID, type: 'SOFT', isDisabled: true }])).rejects.toBeInstanceOf(UpstreamTimeoutError);
    });

    // Act: the sync; the caller enables SOFT again (200), then its held disable lands; after the hold, a sync.
    clock += 1_000;
    const report = await h.syncOnce({ spApi, store, config: { corpIds: [CORP] } });
    const afterSync = await h.item({ corpId: CORP, id: ID, type: 'SOFT' });
    clock += 1_000;
    expect((await relay([{ id: ID, type: 'SOFT', isDisabled: false }])).outcome).toBe('recorded');
    await h.huawei.spApi.updateResources(CORP, [{ id: ID, type: 'SOFT', isDisabled: true }]);
    clock += IN_DOUBT_HOLD_MS + 1_000;
    await h.syncOnce({ config: { corpIds: [CORP] } });

    // Assess: the rewrite took the type-less item's state and kept the caller's mark, so the next sync after the
    // hold pushed the enable again over the late disable instead of taking it for a manual one.
    expect(hooked).toBe(true);
    expect(report.problems).toEqual([]);
    expect((await h.huawei.resources(CORP)).get(`${ID}/SOFT`)).toMatchObject({ isDisabled: false });
    expect(await h.item({ corpId: CORP, id: ID, type: 'SOFT' })).toMatchObject({ status: 'active' });
    expect(afterSync).toMatchObject({ status: 'active', inDoubtSince: expect.any(Number) as unknown });
  });
});
