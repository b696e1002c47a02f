/**
 * Issue 15, sequences 2 and 3: a first attempt of a PUT is held by the network, the client gets no answer for
 * it and retries, the retry gets 200, and the held first attempt reaches Huawei after a later update. Huawei's
 * PUT has no condition, so the late attempt undoes that update: Huawei disabled, registry enabled.
 *
 * The hold is a hook on the loopback hop to the simulator: the first attempt's connection is reset with no
 * answer (the production client sees a lost attempt and retries) and the request is delivered to the simulator
 * only when the test says so (`deliverHeld`), after the later update. The in-doubt hold passes in virtual time
 * (`sweepLater`): no real waiting.
 *
 * Sequence 2: the sweeper's own disable (answered after a retry) and a renewal through the relay meanwhile.
 * Sequence 3: the relay's own disable (answered after a retry), then the caller re-enables it. Before the fix the
 * relay did not record its retried write in doubt, so no sweep ever looked at the item again.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { itemKey } from '../../functions/shared/registry/keys.js';
import { IN_DOUBT_HOLD_MS } from '../../functions/shared/registry/state.js';
import { useInterposer } from './support/interposer.js';
import { CORP, DAY_MS, RESOURCE_PATH, startScenario } from './support/scenario.js';
import { use } from '../support/stack.js';

const run = use(startScenario);
const interposed = useInterposer(() => run.stack);
/** PUTs on the resource path still to hold (the next ones to arrive). */
let putsToHold = 0;

beforeAll(() => {
  interposed.hop.setHook(async (request) => {
    if (request.method !== 'PUT' || !request.url.startsWith(RESOURCE_PATH) || putsToHold === 0) return undefined;
    putsToHold -= 1;
    return { hold: true };
  });
});

beforeEach(() => {
  putsToHold = 0;
});

describe('the sweeper\'s disable answered after a retry, a renewal meanwhile, the first attempt landing last (issue 15, sequence 2)', () => {
  it('is repaired by the first sweep after the in-doubt hold, and no sweep before it pushes anything', async () => {
    // Prepare: a due resource; the sweeper's first disable attempt will be held.
    const id = 'sweeper-retried';
    await run.scenario.addUpstream(id, ['SOFT'], Date.now() - DAY_MS);
    expect(await run.scenario.relay([{ id, type: 'SOFT', expireDate: Date.now() - DAY_MS }])).toBe(200);
    const renewedUntil = Date.now() + 30 * DAY_MS;
    putsToHold = 1;

    // Act: sweep (retried, 200); renewal through the relay; the held attempt lands; sweeps follow.
    const first = await run.scenario.sweep();
    expect(await run.scenario.relay([{ id, type: 'SOFT', expireDate: renewedUntil }])).toBe(200);
    expect(await interposed.hop.deliverHeld()).toEqual([200]);
    const disabledLate = await run.scenario.upstream(id, 'SOFT');
    const clean = await run.scenario.sweep();
    const lastWithinHold = await run.scenario.sweepLater(IN_DOUBT_HOLD_MS - 1_000);
    const afterHold = await run.scenario.sweepLater(IN_DOUBT_HOLD_MS + 1_000);

    // Assess: the late attempt did disable the renewed resource; the hold is the whole window.
    expect(first).toMatchObject({ disabled: 1, retried: 1, problems: [] });
    expect(disabledLate).toMatchObject({ expireDate: renewedUntil, isDisabled: true });
    expect(clean).toMatchObject({ due: 0, spCalls: 0 });
    expect(lastWithinHold).toMatchObject({ due: 0, spCalls: 0 });
    expect(afterHold).toMatchObject({ due: 1, reenabled: 1 });
    expect(await run.scenario.upstream(id, 'SOFT')).toMatchObject({ expireDate: renewedUntil, isDisabled: false });
    const item = await run.stack.registry.store.get(itemKey(CORP, id, 'SOFT'));
    expect(item).toMatchObject({ status: 'active', expireDate: renewedUntil });
    expect(item?.inDoubtSince).toBeUndefined();
  });
});

describe('the relay\'s disable answered after a retry, re-enabled, the first attempt landing last (issue 15, sequence 3)', () => {
  it('records the retried write in doubt, and the first sweep after the hold pushes the registry\'s state', async () => {
    // Prepare: an enabled resource, registered through the relay.
    const id = 'relay-retried';
    const until = Date.now() + 30 * DAY_MS;
    await run.scenario.addUpstream(id, ['VMR'], until);
    expect(await run.scenario.relay([{ id, type: 'VMR', expireDate: until }])).toBe(200);
    putsToHold = 1;

    // Act: disable (first attempt held, retry 200); re-enable (200); the held attempt lands; sweeps follow.
    expect(await run.scenario.relay([{ id, type: 'VMR', isDisabled: true }])).toBe(200);
    const afterDisable = await run.stack.registry.store.get(itemKey(CORP, id, 'VMR'));
    expect(await run.scenario.relay([{ id, type: 'VMR', isDisabled: false }])).toBe(200);
    expect(await interposed.hop.deliverHeld()).toEqual([200]);
    const disabledLate = await run.scenario.upstream(id, 'VMR');
    const clean = await run.scenario.sweep();
    const afterHold = await run.scenario.sweepLater(IN_DOUBT_HOLD_MS + 1_000);

    // Assess
    expect(afterDisable).toMatchObject({ status: 'disabled-manual', inDoubtSince: expect.any(Number) as unknown });
    expect(disabledLate).toMatchObject({ isDisabled: true });
    expect(clean).toMatchObject({ due: 0, spCalls: 0 });
    expect(afterHold).toMatchObject({ due: 1, reenabled: 1 });
    expect(await run.scenario.upstream(id, 'VMR')).toMatchObject({ expireDate: until, isDisabled: false });
    const item = await run.stack.registry.store.get(itemKey(CORP, id, 'VMR'));
    expect(item).toMatchObject({ status: 'active', expireDate: until });
    expect(item?.inDoubtSince).toBeUndefined();
  });
});
