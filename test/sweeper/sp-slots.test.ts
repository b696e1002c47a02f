import { describe, expect, it } from 'vitest';
import type { UpstreamResponse } from '../../functions/shared/huawei/client.js';
import type { RegistryStore } from '../../functions/shared/registry/store.js';
import { emptyReport } from '../../functions/sweep/report.js';
import { SweepRun } from '../../functions/sweep/run.js';

const OK = { status: 200, attempts: 1, json: {}, text: '{}', requestId: 'r', headers: {} } as unknown as UpstreamResponse;

describe('SP calls of one sweep', () => {
  it('are never more than SWEEP_CONCURRENCY in flight, however many enterprises wait, and all get their answer', async () => {
    // Prepare: calls that end only when the test lets them
    const concurrency = 3;
    let inFlight = 0;
    let most = 0;
    const pending: Array<() => void> = [];
    const spApi = {
      updateResources: () => Promise.resolve(OK),
      queryResources: () =>
        new Promise<UpstreamResponse>((resolve) => {
          inFlight++;
          most = Math.max(most, inFlight);
          pending.push(() => {
            inFlight--;
            resolve(OK);
          });
        }),
    };
    const config = { dryRun: false, maxRejections: 3, concurrency, leaseMs: 60_000, recordReserveMs: 2_000 };
    const run = new SweepRun({
      sweepId: 's',
      store: {} as RegistryStore,
      spApi,
      now: () => 0,
      config,
      deadline: 60_000,
      claimExpiresAt: 60_000,
      report: emptyReport('s', 0, false),
    });

    // Act
    let answered = 0;
    const calls = Array.from({ length: 10 }, (_, i) =>
      run.callSp(`list ${i}`, () => spApi.queryResources()).then((outcome) => {
        answered++;
        return outcome;
      }),
    );
    // Ends one call at a time, letting the waiting ones take the freed slot in between.
    while (answered < calls.length) {
      await new Promise((resolve) => setImmediate(resolve));
      pending.shift()?.();
    }
    const outcomes = await Promise.all(calls);

    // Assess
    expect(most).toBe(concurrency);
    expect(outcomes.every((o) => o.answered)).toBe(true);
    expect(run.report.spCalls).toBe(10);
  });
});
