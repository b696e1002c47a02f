/**
 * Issue 15, fifth round (seed 198430): a sweep looks up a due type-less id (its listing of the due window missed
 * it) after reading the registry; meanwhile a caller disabled the id through the relay (recorded on the type-less
 * item after the sweep's read), so the look-up sees both types disabled with nothing of ours in its read and
 * creates the typed items `disabled-manual`. The caller's enable, which read the registry before those creates,
 * is recorded on the type-less item only. Without a re-check the typed items kept the stale manual disable, and a
 * late duplicate of the caller's disable then stood. Like the sync's, the look-up's creates from the type-less item
 * are provisional and re-checked: rewritten from the current type-less item (the enable, in doubt).
 * Dynalite and the simulator over loopback, through the production sweep, relay and store; the order is fixed by a
 * wrapper around the SP API's look-up and one around the store's creates, not by timing.
 */
import { describe, expect, it } from 'vitest';
import { relayAndRecord } from '../../functions/resources/relay-recording.js';
import type { ModResourceItem } from '../../functions/shared/huawei/schemas.js';
import type { UpstreamResponse } from '../../functions/shared/huawei/client.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { HOUR_MS, startSweeperStack, use } from '../support/stack.js';
import { storeWithHook } from '../support/race-hooks.js';

const CORP = CORP_A.corpId;
const ID = 'lookup-provisional';

describe('a sweep look-up creating typed items from a type-less item a caller changed meanwhile', () => {
  const h = use(startSweeperStack, 'test');
  const relay = (items: ModResourceItem[], send = (planned: ModResourceItem[]) => h.huawei.spApi.updateResources(CORP, planned)) =>
    relayAndRecord({ store: h.registry.store, now: Date.now, reenableRenewed: true, sleep: async () => undefined }, CORP, items, send);

  it('rewrites them from the current type-less item (the caller’s enable, in doubt), not a manual disable', async () => {
    // Prepare: an overdue id with two types, registered without a type; its expiry moved earlier at Huawei, so the
    // sweep's listing of the due window misses it and the sweep looks it up.
    const registered = Date.now() - HOUR_MS;
    await h.huawei.addResources(CORP, [{ id: ID, type: 'VMR', expireDate: registered }, { id: ID, type: 'SOFT', expireDate: registered }]);
    expect((await relay([{ id: ID, expireDate: registered }])).outcome).toBe('recorded');
    await h.huawei.spApi.updateResources(CORP, [{ id: ID, type: 'VMR', expireDate: registered - HOUR_MS }, { id: ID, type: 'SOFT', expireDate: registered - HOUR_MS }]);
    let releaseEnable = () => undefined as void;
    const enableMayGo = new Promise<void>((resolve) => (releaseEnable = resolve));
    let enabling: Promise<unknown> | undefined;
    const spApi = {
      updateResources: (...args: Parameters<typeof h.huawei.spApi.updateResources>) => h.huawei.spApi.updateResources(...args),
      async queryResources(...args: Parameters<typeof h.huawei.spApi.queryResources>): Promise<UpstreamResponse> {
        if (args[1].searchKey === ID && enabling === undefined) {
          // After the sweep read the id: the caller disables it (recorded), then starts its enable, which reads the
          // registry now and reaches Huawei only after the sweep's first create.
          expect((await relay([{ id: ID, isDisabled: true }])).outcome).toBe('recorded');
          enabling = relay([{ id: ID, isDisabled: false }], async (planned) => {
            await enableMayGo;
            return h.huawei.spApi.updateResources(CORP, planned);
          });
        }
        return h.huawei.spApi.queryResources(...args);
      },
    };
    let hooked = false;
    const store = storeWithHook(h.registry.store, async (item) => {
      if (item.resourceId !== ID || item.type === undefined || hooked) return;
      hooked = true;
      releaseEnable();
      await enabling;
    });

    // Act
    await h.sweepOnce({ spApi, store });

    // Assess: the enable reached both types at Huawei, and the registry's typed items show it (in doubt: the
    // caller's disable may still land again), not a manual disable.
    const upstream = await h.huawei.resources(CORP);
    expect(hooked).toBe(true);
    for (const type of ['VMR', 'SOFT'] as const) {
      expect(upstream.get(`${ID}/${type}`)?.isDisabled).toBe(false);
      const typed = await h.item({ corpId: CORP, id: ID, type });
      expect(typed, type).toMatchObject({ status: 'active', inDoubtSince: expect.any(Number) as unknown });
      expect(typed?.templateVersion, type).toBeUndefined();
    }
  });
});
