/**
 * The registry must record every resource an accepted update changed, or the sweeper never learns its expiry.
 *
 * A type-less update of an id that the registry knows only under some of its types updates those typed items
 * and also the type-less item, created if missing (functions/resources/relay-recording.ts `recordWrites`):
 * Huawei applied the update to every type of the id, and the type-less item stands for the types the registry
 * has no item of. One sweep then disables every type; a type renewed on its own afterwards stays enabled (the
 * sweeper disables the type-less item type by type around it).
 */
import { describe, expect, it } from 'vitest';
import { effectiveRecord } from '../../functions/resources/relay-recording.js';
import { CORP, DAY_MS, startScenario } from './support/scenario.js';
import { use } from '../support/stack.js';

const run = use(startScenario);

describe('recording a type-less update', () => {
  it('records the new expiry for every type Huawei applied it to, so one sweep disables them all', async () => {
    // Prepare: one id with two types upstream; the registry has seen it only as LIVE.
    const id = 'coverage-two-types';
    await run.scenario.addUpstream(id, ['LIVE', 'ROOM'], Date.now() + 30 * DAY_MS);
    expect(await run.scenario.relay([{ id, type: 'LIVE', expireDate: Date.now() + 30 * DAY_MS }])).toBe(200);
    const expired = Date.now() - DAY_MS;

    // Act: a type-less update expires both types at Huawei; then the sweeper runs.
    expect(await run.scenario.relay([{ id, expireDate: expired }])).toBe(200);
    await run.scenario.sweep();

    // Assess
    const records = await run.stack.registry.store.listResource(CORP, id);
    expect(effectiveRecord(records, 'ROOM')?.expireDate).toBe(expired);
    expect(await run.scenario.upstream(id, 'LIVE')).toMatchObject({ isDisabled: true });
    expect(await run.scenario.upstream(id, 'ROOM')).toMatchObject({ isDisabled: true });
  });

  it('leaves a type renewed on its own after the type-less update enabled, and disables the others', async () => {
    // Prepare: the registry knows LIVE only; a type-less update expires both types; then LIVE alone is renewed.
    const id = 'coverage-renewed-type';
    const future = Date.now() + 30 * DAY_MS;
    await run.scenario.addUpstream(id, ['LIVE', 'ROOM'], future);
    expect(await run.scenario.relay([{ id, type: 'LIVE', expireDate: future }])).toBe(200);
    expect(await run.scenario.relay([{ id, expireDate: Date.now() - DAY_MS }])).toBe(200);
    expect(await run.scenario.relay([{ id, type: 'LIVE', expireDate: future }])).toBe(200);

    // Act
    await run.scenario.sweep();

    // Assess
    const records = await run.stack.registry.store.listResource(CORP, id);
    expect(effectiveRecord(records, 'LIVE')).toMatchObject({ status: 'active', expireDate: future });
    expect(effectiveRecord(records, 'ROOM')).toMatchObject({ status: 'disabled-expired' });
    expect(await run.scenario.upstream(id, 'LIVE')).toMatchObject({ isDisabled: false });
    expect(await run.scenario.upstream(id, 'ROOM')).toMatchObject({ isDisabled: true });
  });
});
