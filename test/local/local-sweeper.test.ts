/**
 * Stopping the local runtime's sweeper waits for (or abandons) a running sweep and refuses new ones, and
 * SWEEP_INTERVAL_SECONDS is checked. Separate LocalSweeper instances over a timer-less stack's registry and SP
 * API, so that stopping them leaves the stack running. (The timer itself: sweeper-timer.test.ts.)
 */
import { LOCAL_ENV } from '../../local/env.js';
import { describe, expect, it } from 'vitest';
import { getSpApi } from '../../functions/shared/huawei/sp-api.js';
import { SweepLease } from '../../functions/shared/registry/lease.js';
import { sweepSettingsFromEnv } from '../../functions/sweep/config.js';
import { LocalSweeper } from '../../local/local-sweeper.js';
import { LocalJobStoppedError } from '../../local/running-jobs.js';
import { CORP_B } from '../../local/simulator/demo-data.js';
import { DEFAULT_SWEEP_INTERVAL_SECONDS, readSweepInterval } from '../../local/settings.js';
import { localSweepRoute } from '../../local/job-routes.js';
import { lambdaContext } from '../support/events.js';
import { HOUR_MS, startGatewayStack, use } from '../support/stack.js';

const local = use(startGatewayStack);
const CORP_B_RESOURCES = `/v1/usg/dcs/sp/corp/${CORP_B.corpId}/resource`;

function separateSweeper(stopGraceMs: number): LocalSweeper {
  const { documentClient, tableName } = local.stack.dynamo;
  return new LocalSweeper({
    store: local.store,
    lease: new SweepLease({ documentClient, tableName }),
    spApi: getSpApi(),
    settings: sweepSettingsFromEnv(),
    intervalSeconds: 0,
    stopGraceMs,
    log: () => {},
  });
}

/** Makes one resource due through the relay; returns it. */
async function dueResource(type: 'SOFT' | 'LIVE') {
  const [resource] = await local.newResources(CORP_B.corpId, [type]);
  if (!resource) throw new Error('resource not created');
  const answer = await local.relay(CORP_B.corpId, [{ id: resource.id, type, expireDate: Date.now() - HOUR_MS }]);
  if (answer.status !== 200) throw new Error(`relay answered ${answer.status}`);
  return resource;
}

/** Polls a condition; the test's own timeout is the hang guard. */
async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('stopping the sweeper', () => {
  it('waits for a running sweep to finish, then refuses new sweeps (POST /_local/sweep answers 503)', async () => {
    const resource = await dueResource('SOFT');
    const sweeper = separateSweeper(10_000);
    await local.control.addFault({ path: CORP_B_RESOURCES, method: 'PUT', delayMs: 500, count: 1 });
    const running = sweeper.runNow();
    let finished = false;
    void running.then(() => (finished = true));
    await waitUntil(async () => (await local.control.requests({ path: CORP_B_RESOURCES, method: 'PUT' })).length > 0);

    const stopped = await sweeper.stop();
    const finishedWhenStopReturned = finished;
    const answer = await localSweepRoute(sweeper).handler({} as never, lambdaContext());

    expect(stopped).toEqual({ abandoned: 0 });
    expect(finishedWhenStopReturned).toBe(true);
    expect(await running).toMatchObject({ disabled: 1 });
    expect((await local.upstream(resource))?.status).toBe(2);
    await expect(sweeper.runNow()).rejects.toBeInstanceOf(LocalJobStoppedError);
    expect(answer).toMatchObject({ statusCode: 503 });
  });

  it('abandons a sweep still running after the grace period, and that sweep still ends on its own', async () => {
    const resource = await dueResource('LIVE');
    const sweeper = separateSweeper(50);
    await local.control.addFault({ path: CORP_B_RESOURCES, method: 'PUT', delayMs: 1_000, count: 1 });
    const running = sweeper.runNow();
    await waitUntil(async () => (await local.control.requests({ path: CORP_B_RESOURCES, method: 'PUT' })).length > 0);

    const stopped = await sweeper.stop();

    expect(stopped).toEqual({ abandoned: 1 });
    expect(await running).toMatchObject({ status: 'completed', disabled: 1 });
    expect((await local.upstream(resource))?.status).toBe(2);
  });
});

describe('SWEEP_INTERVAL_SECONDS', () => {
  it.each([
    ['unset', undefined, DEFAULT_SWEEP_INTERVAL_SECONDS],
    ['blank', ' ', DEFAULT_SWEEP_INTERVAL_SECONDS],
    ['0 (timer off)', '0', 0],
    ['30', '30', 30],
  ])('reads %s as %d', (_name, raw, expected) => {
    expect(readSweepInterval(raw === undefined ? {} : { [LOCAL_ENV.sweepIntervalSeconds]: raw })).toBe(expected);
  });

  it.each(['-1', '1.5', 'abc', '1e3', '86401'])('refuses "%s", naming the variable and the rule', (raw) => {
    expect(() => readSweepInterval({ [LOCAL_ENV.sweepIntervalSeconds]: raw })).toThrow(
      `${LOCAL_ENV.sweepIntervalSeconds} must be a whole number of seconds from 0 (no timer) to 86400 (got "${raw}")`,
    );
  });
});
