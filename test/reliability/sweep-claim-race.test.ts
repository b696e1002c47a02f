/**
 * A sweep that gives up on an item releases its claim, so that the next sweep can take it at once.
 *
 * The relay records an item by writing the whole item it read, but without the claim fields
 * (functions/resources/relay-recording.ts `recordWrites` applies `withoutClaim`). So when the relay read
 * the item while a sweep held it and writes after that sweep released it, the released claim does not come back
 * and the next sweep claims and disables the due item at once (instead of one lease later). Dropping a live
 * claim is safe: the relay's version bump already makes the holding sweep's record fail and reconcile. Found by
 * the fault schedules (LONG_TESTS=1, seed -2092684665).
 */
import { describe, expect, it } from 'vitest';
import { itemKey } from '../../functions/shared/registry/keys.js';
import { relayAndRecord } from '../../functions/resources/relay-recording.js';
import { ManualClock } from '../support/clock.js';
import { CORP, DAY_MS, RESOURCE_PATH, startScenario } from './support/scenario.js';
import { use } from '../support/stack.js';

/** Virtual time the sweep's upstream calls (login, listing, disable) get, as a 6.5 s Lambda would give them. */
const CALL_BUDGET_MS = 1_500;

const run = use(startScenario);

describe('a relayed update read while a sweep held the item and recorded after the sweep let go', () => {
  it('leaves the item claimable, so the next sweep disables it if it is due', async () => {
    // Prepare: a due resource; Huawei holds the sweeper's disable at a gate until after the sweep's deadline
    // (virtual: the test moves the sweep's clock), then refuses it (503).
    const id = 'released-claim';
    const expired = Date.now() - DAY_MS;
    await run.scenario.addUpstream(id, ['SOFT'], expired);
    expect(await run.scenario.relay([{ id, type: 'SOFT', expireDate: expired }])).toBe(200);
    const gate = await run.stack.control.addFault({ path: RESOURCE_PATH, method: 'PUT', hold: true, status: 503, count: 1 });
    const stillExpired = expired - 1_000;
    const clock = new ManualClock();

    // Act: the relay reads the item while the sweep holds it; the sweep gives up and releases it; then the relay
    // sends its update (the caller moved the expiry, still in the past) and records it.
    const sweeping = run.scenario.sweepOnClock(clock, CALL_BUDGET_MS);
    await run.scenario.heldPut();
    // Once, however often the relay sends: the sweep's deadline passes, then Huawei answers the held disable.
    let sweepOver: Promise<Awaited<typeof sweeping>> | undefined;
    const sweepGivesUp = async () => {
      clock.advance(CALL_BUDGET_MS);
      const report = await sweeping;
      await run.stack.control.release(gate.id);
      return report;
    };
    const recorded = await relayAndRecord({ store: run.stack.registry.store, now: Date.now, reenableRenewed: true }, CORP, [{ id, type: 'SOFT', expireDate: stillExpired }], async (items) => {
      const first = await (sweepOver ??= sweepGivesUp());
      expect(first.problems.join()).toContain('UpstreamTimeoutError');
      return (await import('../../functions/shared/huawei/sp-api.js')).getSpApi().updateResources(CORP, [...items]);
    });
    await run.scenario.settled();
    await run.scenario.sweep();

    // Assess
    expect(recorded.outcome).toBe('recorded');
    const item = await run.stack.registry.store.get(itemKey(CORP, id, 'SOFT'));
    expect(item?.claimedBy, 'the first sweep\'s released claim').toBeUndefined();
    expect(item).toMatchObject({ status: 'disabled-expired' });
    expect(await run.scenario.upstream(id, 'SOFT')).toMatchObject({ isDisabled: true });
  });
});
