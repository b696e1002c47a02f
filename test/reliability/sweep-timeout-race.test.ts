/**
 * A disable the sweeper sent but got no answer for may still be applied by Huawei later. A renewal recorded in
 * between must still end enabled upstream.
 *
 * When the sweeper's disable gets no answer (functions/sweep/corp-sweep.ts `sendDisableBatch`), it records the
 * items as in doubt (functions/sweep/in-doubt.ts: `inDoubtSince`, re-reading an item a renewal wrote
 * meanwhile) instead of only dropping its claims. The items stay in the due index until the in-doubt hold is
 * over; the first sweep after it reads Huawei's state and pushes the registry's: here the renewal, so the
 * resource that Huawei disabled late is re-enabled. Forced without waiting: Huawei holds the disable at a gate,
 * the sweep's clock (and its Huawei client's deadline timer) is virtual and moved past its budget by the test,
 * and the gate is released after that; the in-doubt hold passes in virtual time too.
 */
import { describe, expect, it } from 'vitest';
import { IN_DOUBT_HOLD_MS } from '../../functions/shared/registry/state.js';
import { ManualClock } from '../support/clock.js';
import { DAY_MS, RESOURCE_PATH, startScenario } from './support/scenario.js';
import { use } from '../support/stack.js';

/** Virtual time the sweep's upstream calls (login, listing, disable) get, as a 6.5 s Lambda would give them. */
const CALL_BUDGET_MS = 1_500;

const run = use(startScenario);

describe('a sweep whose disable times out while a renewal is relayed', () => {
  it('leaves the renewed resource enabled at Huawei once the late disable has landed and the next sweep ran', async () => {
    // Prepare: a due resource; Huawei will hold the sweeper's disable past the sweep's deadline.
    const id = 'late-disable';
    await run.scenario.addUpstream(id, ['SOFT'], Date.now() - DAY_MS);
    expect(await run.scenario.relay([{ id, type: 'SOFT', expireDate: Date.now() - DAY_MS }])).toBe(200);
    const gate = await run.stack.control.addFault({ path: RESOURCE_PATH, method: 'PUT', hold: true, count: 1 });
    const renewedUntil = Date.now() + 30 * DAY_MS;
    const clock = new ManualClock();

    // Act: the sweep sends its disable, the caller renews meanwhile, the sweep's deadline passes with the disable
    // unanswered, the disable lands late, a sweep follows.
    const sweeping = run.scenario.sweepOnClock(clock, CALL_BUDGET_MS);
    await run.scenario.heldPut();
    expect(await run.scenario.relay([{ id, type: 'SOFT', expireDate: renewedUntil }])).toBe(200);
    clock.advance(CALL_BUDGET_MS);
    const first = await sweeping;
    await run.stack.control.release(gate.id);
    await run.scenario.settled();
    const beforeHold = await run.scenario.sweep();
    // The first sweep's clock ran CALL_BUDGET_MS ahead of the real one, so the hold ends that much later.
    const afterHold = await run.scenario.sweepLater(IN_DOUBT_HOLD_MS + CALL_BUDGET_MS + 1_000);

    // Assess
    expect(first.problems.join()).toContain('UpstreamTimeoutError');
    // Within the hold, nothing is pushed yet (a late delivery could still follow); after it, the renewal is.
    expect(beforeHold).toMatchObject({ due: 0, spCalls: 0 });
    expect(afterHold).toMatchObject({ due: 1, reenabled: 1 });
    expect(await run.scenario.upstream(id, 'SOFT')).toMatchObject({ expireDate: renewedUntil, isDisabled: false });
  });
});
