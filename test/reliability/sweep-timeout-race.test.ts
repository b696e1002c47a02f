/**
 * A disable the sweeper sent but got no answer for may still be applied by Huawei later. A renewal recorded in
 * between must still end enabled upstream.
 *
 * When the sweeper's disable gets no answer (functions/sweep/corp-sweep.ts `sendDisableBatch`), it records the
 * items as in doubt (functions/sweep/in-doubt.ts: `inDoubtSince`, re-reading an item a renewal wrote
 * meanwhile) instead of only dropping its claims. The items stay in the due index until the in-doubt hold is
 * over; the first sweep after it reads Huawei's state and pushes the registry's: here the renewal, so the
 * resource that Huawei disabled late is re-enabled. Reproduced with a simulator delay longer than the sweep's
 * time budget; the hold passes in virtual time.
 */
import { describe, expect, it } from 'vitest';
import { IN_DOUBT_HOLD_MS } from '../../functions/shared/registry/state.js';
import { DAY_MS, RESOURCE_PATH, startScenario } from './support/scenario.js';
import { use } from '../support/stack.js';

/** The sweep gets 6.5 s from its Lambda: its upstream calls (login, listing, disable) must end within 1.5 s. */
const SHORT_SWEEP_MS = 6_500;
const LATE_BY_MS = 2_500;

const run = use(startScenario);

describe('a sweep whose disable times out while a renewal is relayed', () => {
  it('leaves the renewed resource enabled at Huawei once the late disable has landed and the next sweep ran', async () => {
    // Prepare: a due resource; Huawei will hold the sweeper's disable past the sweep's deadline.
    const id = 'late-disable';
    await run.scenario.addUpstream(id, ['SOFT'], Date.now() - DAY_MS);
    expect(await run.scenario.relay([{ id, type: 'SOFT', expireDate: Date.now() - DAY_MS }])).toBe(200);
    await run.stack.control.addFault({ path: RESOURCE_PATH, method: 'PUT', delayMs: LATE_BY_MS, count: 1 });
    const renewedUntil = Date.now() + 30 * DAY_MS;

    // Act: the sweep sends its disable, the caller renews meanwhile, the disable lands late, a sweep follows.
    const sweeping = run.scenario.sweep(SHORT_SWEEP_MS);
    await run.scenario.heldPut();
    expect(await run.scenario.relay([{ id, type: 'SOFT', expireDate: renewedUntil }])).toBe(200);
    const first = await sweeping;
    await run.scenario.settled();
    const beforeHold = await run.scenario.sweep();
    const afterHold = await run.scenario.sweepLater(IN_DOUBT_HOLD_MS + 1_000);

    // Assess
    expect(first.problems.join()).toContain('UpstreamTimeoutError');
    // Within the hold, nothing is pushed yet (a late delivery could still follow); after it, the renewal is.
    expect(beforeHold).toMatchObject({ due: 0, spCalls: 0 });
    expect(afterHold).toMatchObject({ due: 1, reenabled: 1 });
    expect(await run.scenario.upstream(id, 'SOFT')).toMatchObject({ expireDate: renewedUntil, isDisabled: false });
  });
});
