/**
 * The relay reads an item while a sweep holds its claim; the sweep then gives up on it (Huawei refused its
 * disable) and releases the claim; only then does the relay's PUT go out and its record get written. The relay
 * must record the caller's update with the one PUT it made (a released claim is not a conflicting write), and
 * must not bring the released claim back: the next sweep then disables the item, still expired, at once.
 *
 * Every step is ordered by hooks on the loopback hop to the simulator (the sweep's PUT is held until the relay's
 * PUT arrives; the relay's PUT is held until the sweep has finished), so no timing is involved. The sweep runs
 * through the deployed sweeper handler, the relay through the deployed resource handler.
 */
import { describe, expect, it } from 'vitest';
import { itemKey } from '../../functions/shared/registry/keys.js';
import type { SweepReport } from '../../functions/sweep/report.js';
import { signal, useInterposer } from './support/interposer.js';
import { CORP, DAY_MS, RESOURCE_PATH, startScenario } from './support/scenario.js';
import { use } from '../support/stack.js';

const run = use(startScenario);
const interposed = useInterposer(() => run.stack);

describe('a relayed update read while a sweep held the item and recorded after the sweep released it', () => {
  it('is recorded with its one PUT, and the released claim does not come back', async () => {
    // Prepare: a due resource.
    const id = 'claim-released';
    const expired = Date.now() - DAY_MS;
    await run.scenario.addUpstream(id, ['SOFT'], expired);
    expect((await run.scenario.relayed([{ id, type: 'SOFT', expireDate: expired }], 'prepare-1')).statusCode).toBe(200);
    const stillExpired = expired - 60_000;
    const sweepPutHeld = signal();
    const relayPutArrived = signal();
    const sweepDone = signal<SweepReport>();
    interposed.hop.setHook(async (request) => {
      if (request.method !== 'PUT' || !request.url.startsWith(RESOURCE_PATH)) return undefined;
      if (request.requestId === 'released-1') {
        // The relay read the item while the sweep held it; let the sweep finish (and release) first.
        relayPutArrived.resolve();
        await sweepDone.promise;
        return undefined;
      }
      // The sweep's disable: held until the relay has read the item, then refused, so the sweep releases its claim.
      sweepPutHeld.resolve();
      await relayPutArrived.promise;
      return { answer: { status: 403, errorCode: 'USG.000000010', errorMsg: 'refused by the test' } };
    });

    // Act
    const sweeping = run.scenario.sweep().then((report) => {
      sweepDone.resolve(report);
      return report;
    });
    await sweepPutHeld.promise;
    const relayed = await run.scenario.relayed([{ id, type: 'SOFT', expireDate: stillExpired }], 'released-1');
    const first = await sweeping;
    interposed.hop.setHook(undefined);
    const second = await run.scenario.sweep();

    // Assess
    expect(first).toMatchObject({ status: 'partial', disabled: 0 });
    expect(relayed.statusCode).toBe(200);
    const relayPuts = (await run.stack.control.requests({ path: RESOURCE_PATH, method: 'PUT' })).filter((put) => put.requestId === 'released-1');
    expect(relayPuts.map((put) => put.body)).toEqual([[{ id, type: 'SOFT', expireDate: stillExpired }]]);
    expect(second).toMatchObject({ status: 'completed', due: 1, disabled: 1, problems: [] });
    expect(await run.scenario.upstream(id, 'SOFT')).toMatchObject({ expireDate: stillExpired, isDisabled: true });
    expect(await run.stack.registry.store.get(itemKey(CORP, id, 'SOFT'))).toMatchObject({ expireDate: stillExpired, status: 'disabled-expired' });
  });
});
