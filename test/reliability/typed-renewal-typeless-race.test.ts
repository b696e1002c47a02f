/**
 * Issue 15, sequence 1 (no faults): a typed renewal of an id registered without a type, racing a sweep.
 *
 * The id is registered through the relay without `type` and is due. The relay reads the type-less item while it
 * is still active (so it adds no `isDisabled: false`); before its PUT reaches Huawei, a whole sweep disables the
 * id (a typed DTO from Huawei's listing) and records the type-less item `disabled-expired`; then the relay's
 * renewal lands (Huawei: disabled, new expiry) and the relay creates the typed item from the type-less state it
 * read. Before the fix that create was conditioned only on the typed item not existing, so the stale template
 * was written: Huawei disabled, registry enabled, and later renewals did not fix it. The sweep runs at the exact
 * point between the relay's read and its PUT, from a hook on the loopback hop to the simulator: no timing.
 */
import { describe, expect, it } from 'vitest';
import { itemKey } from '../../functions/shared/registry/keys.js';
import { useInterposer } from './support/interposer.js';
import { CORP, DAY_MS, startScenario } from './support/scenario.js';
import { use } from '../support/stack.js';

const run = use(startScenario);
const interposed = useInterposer(() => run.stack);

describe('a typed renewal of an id registered without a type, while a sweep disables the id (issue 15, sequence 1)', () => {
  it('ends enabled at Huawei with the new expiry, and the registry agrees', async () => {
    // Prepare: CONF_CALL exists at Huawei, expired; the relay registered the id without a type.
    const id = 'typeless-then-typed';
    await run.scenario.addUpstream(id, ['CONF_CALL'], Date.now() - DAY_MS);
    expect(await run.scenario.relay([{ id, expireDate: Date.now() - DAY_MS }], 'register-typeless')).toBe(200);
    const renewedUntil = Date.now() + 365 * DAY_MS;
    const sweeps: Array<{ disabled: number }> = [];
    interposed.hop.setHook(async (request) => {
      if (request.method !== 'PUT' || request.requestId !== 'typed-renewal' || sweeps.length > 0) return undefined;
      // The relay has read the registry (type-less item still active); a whole sweep runs before its PUT lands.
      sweeps.push(await run.scenario.sweep());
      return undefined;
    });

    // Act
    const status = await run.scenario.relay([{ id, type: 'CONF_CALL', expireDate: renewedUntil }], 'typed-renewal');
    interposed.hop.setHook(undefined);

    // Assess: the sweep did disable the id in between (the race happened), and the renewal won everywhere.
    expect(status).toBe(200);
    expect(sweeps).toMatchObject([{ disabled: 1 }]);
    expect(await run.scenario.upstream(id, 'CONF_CALL')).toMatchObject({ expireDate: renewedUntil, isDisabled: false });
    expect(await run.stack.registry.store.get(itemKey(CORP, id, 'CONF_CALL'))).toMatchObject({ status: 'active', expireDate: renewedUntil });
    // The next sweep has nothing to repair.
    const next = await run.scenario.sweep();
    expect(next).toMatchObject({ disabled: 0, reenabled: 0 });
    expect(await run.scenario.upstream(id, 'CONF_CALL')).toMatchObject({ expireDate: renewedUntil, isDisabled: false });
  });
});
