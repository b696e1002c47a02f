/**
 * The fixture's parts take their configuration as arguments, so two stacks run side by side in one process
 * without sharing anything: each has its own dynalite, simulator, Huawei client and clock. And a Lambda stack,
 * which configures the entry modules through process.env as Lambda does, puts the environment back on stop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { ManualClock } from './clock.js';
import { HOUR_MS, key, resources, startLambdaStack, startSweeperStack } from './stack.js';
import type { SweeperStack } from './stack.js';

describe('two sweeper stacks in one process', () => {
  const clockB = new ManualClock(Date.now() + 2 * HOUR_MS);
  let a: SweeperStack;
  let b: SweeperStack;

  beforeAll(async () => {
    [a, b] = await Promise.all([startSweeperStack(), startSweeperStack({ now: clockB.now })]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it('keep their registries, Huawei state, request logs and clocks apart', async () => {
    // Prepare: the same resource registered in both, due in an hour by the real clock.
    const [resource] = resources(CORP_A.corpId, 'apart', 1, Date.now() + HOUR_MS);
    await a.register([resource!]);
    await b.register([resource!]);
    await Promise.all([a.huawei.control.clearRequests(), b.huawei.control.clearRequests()]);

    // Act: A's clock is the real one (not due yet); B's runs two hours ahead (due).
    const reportA = await a.sweepOnce();
    const reportB = await b.sweepOnce();

    // Assess
    expect(a.registry.dynamo.endpoint).not.toBe(b.registry.dynamo.endpoint);
    expect(a.huawei.url).not.toBe(b.huawei.url);
    expect(reportA).toMatchObject({ due: 0, disabled: 0 });
    expect(reportB).toMatchObject({ due: 1, disabled: 1 });
    expect((await a.huawei.resources(CORP_A.corpId)).get(key(resource!))?.isDisabled).toBe(false);
    expect((await b.huawei.resources(CORP_A.corpId)).get(key(resource!))?.isDisabled).toBe(true);
    expect((await a.item(resource!))?.status).toBe('active');
    expect((await b.item(resource!))?.status).toBe('disabled-expired');
    expect(await a.huawei.resourcePuts()).toBe(0);
    expect(await b.huawei.resourcePuts()).toBe(1);
  });
});

describe('a Lambda stack', () => {
  it('sets the environment the entry modules read for its life and restores it on stop', async () => {
    // Prepare
    const names = [ENV.huaweiBaseUrl, ENV.spCredentials, ENV.registryTableName, 'AWS_ENDPOINT_URL_DYNAMODB'];
    const before = names.map((name) => process.env[name]);

    // Act
    const stack = await startLambdaStack();
    const during = names.map((name) => process.env[name]);
    await stack.stop();

    // Assess
    expect(during[0]).toBe(stack.url);
    expect(during[3]).toBe(stack.registry.dynamo.endpoint);
    expect(names.map((name) => process.env[name])).toEqual(before);
  });
});
