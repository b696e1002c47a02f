/**
 * The sweeper disables a type-less registry item with a type-less PUT (every type of the id). A typed update
 * relayed meanwhile for one of those types must not be silently undone.
 *
 * The sweeper's record of a type-less disable is conditioned only on the type-less item's version, while a typed
 * update writes the typed item. So after a type-less disable is accepted, the sweeper re-reads the id's typed
 * items (functions/sweep/typeless-siblings.ts, called from corp-sweep.ts `recordDisabled`) and pushes the
 * registry's state again for each type its PUT touched that changed or appeared since it planned the PUT. Here
 * the type is still expired, so it is disabled again and recorded disabled-expired; its later renewal is then
 * re-enabled by the relay. Found by the fault schedules (seed 2039297950).
 */
import { describe, expect, it } from 'vitest';
import { DAY_MS, RESOURCE_PATH, startScenario } from './support/scenario.js';
import { use } from '../support/stack.js';

const run = use(startScenario);

describe('a type-less sweep disable racing a typed update of the same id', () => {
  it('ends with a later renewal of that type enabled at Huawei', async () => {
    // Prepare: an expired id with two types, known to the registry type-less (due).
    const id = 'typeless-race';
    const expired = Date.now() - DAY_MS;
    await run.scenario.addUpstream(id, ['HARD_1080P', 'VMR'], expired);
    expect(await run.scenario.relay([{ id, expireDate: expired }])).toBe(200);
    // Held long enough for the typed update below to be relayed and recorded first, even on a busy machine.
    await run.stack.control.addFault({ path: RESOURCE_PATH, method: 'PUT', delayMs: 2_000, count: 1 });
    const renewedUntil = Date.now() + 30 * DAY_MS;

    // Act: the sweep's type-less disable is held; a typed enable of one type is relayed and recorded meanwhile;
    // the disable lands; then that type is renewed and a sweep runs.
    const sweeping = run.scenario.sweep();
    await run.scenario.heldPut();
    expect(await run.scenario.relay([{ id, type: 'HARD_1080P', isDisabled: false }])).toBe(200);
    await sweeping;
    expect(await run.scenario.relay([{ id, type: 'HARD_1080P', expireDate: renewedUntil }])).toBe(200);
    await run.scenario.sweep();

    // Assess
    expect(await run.scenario.upstream(id, 'HARD_1080P')).toMatchObject({ expireDate: renewedUntil, isDisabled: false });
  });
});
