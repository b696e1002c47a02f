/**
 * Issue 15, long form (seed 563012): a sweep disabled an expired id registered without a type and recorded it (in
 * doubt); the id was then renewed at Huawei directly. A sync planned the re-enable of its type as a typed item
 * created from the type-less item, and the type-less item `gone` (every listed type would have its own item).
 * Huawei refused the re-enable, so the typed create was not written, but the type-less item was recorded gone: the
 * sweep's disable, with its mark, stood for nothing, and the next sync took the disabled type for a manual disable.
 *
 * The type-less item is not recorded gone when a typed item the plan creates from it was not created, whatever
 * kept it from being written (a refused push too). Dynalite and the simulator over loopback (the refusal is a
 * simulator fault), through the production sweep, sync and store. Virtual clock.
 */
import { describe, expect, it } from 'vitest';
import { relayAndRecord } from '../../functions/resources/relay-recording.js';
import { itemKey } from '../../functions/shared/registry/keys.js';
import { IN_DOUBT_HOLD_MS } from '../../functions/shared/registry/state.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { DAY_MS, HOUR_MS, startSweeperStack, use } from '../support/stack.js';

const CORP = CORP_A.corpId;
const ID = 'refused-reenable';

describe('a sync whose re-enable of a type the type-less item stands for is refused', () => {
  let clock = Date.now();
  const now = () => clock;
  const h = use(() => startSweeperStack({ now }), 'test');

  it('keeps the type-less item with our disable, so the next sync enables the renewal', async () => {
    // Prepare: an overdue id registered without a type, disabled by a sweep (recorded in doubt), then renewed at
    // Huawei directly.
    clock = Date.now();
    const expired = clock - HOUR_MS;
    const renewed = clock + 30 * DAY_MS;
    await h.huawei.addResources(CORP, [{ id: ID, type: 'VMR', expireDate: expired }]);
    const registered = await relayAndRecord({ store: h.registry.store, now, reenableRenewed: true }, CORP, [{ id: ID, expireDate: expired }], (planned) =>
      h.huawei.spApi.updateResources(CORP, planned),
    );
    expect(registered.outcome).toBe('recorded');
    await h.sweepOnce();
    expect(await h.item({ corpId: CORP, id: ID })).toMatchObject({ status: 'disabled-expired', inDoubtSince: expect.any(Number) as unknown });
    await h.huawei.spApi.updateResources(CORP, [{ id: ID, expireDate: renewed }]);

    // Act: a sync whose re-enable Huawei refuses; after the hold, the next sync.
    await h.huawei.control.addFault({ path: '/v1/usg/dcs/sp/corp', method: 'PUT', status: 400, count: 1 });
    clock += 1_000;
    const refused = await h.syncOnce({ config: { corpIds: [CORP] } });
    const afterRefused = await h.item({ corpId: CORP, id: ID });
    const typedAfterRefused = await h.registry.store.get(itemKey(CORP, ID, 'VMR'));
    clock += IN_DOUBT_HOLD_MS + 1_000;
    const next = await h.syncOnce({ config: { corpIds: [CORP] } });

    // Assess: the type-less item kept our disable (not gone); the next sync re-enabled the renewal.
    expect(refused.reenabled).toBe(0);
    expect(afterRefused).toMatchObject({ status: 'disabled-expired' });
    expect(typedAfterRefused).toBeUndefined();
    expect(next.reenabled).toBe(1);
    expect((await h.huawei.resources(CORP)).get(`${ID}/VMR`)).toMatchObject({ isDisabled: false, expireDate: renewed });
    expect(await h.registry.store.get(itemKey(CORP, ID, 'VMR'))).toMatchObject({ status: 'active', expireDate: renewed });
  });
});
