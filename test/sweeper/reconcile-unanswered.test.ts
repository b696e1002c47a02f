import { describe, expect, it } from 'vitest';
import { UpstreamTimeoutError } from '../../functions/shared/huawei/client.js';
import type { RegistryItem } from '../../functions/shared/registry/model.js';
import { reconcile } from '../../functions/sweep/reconcile.js';
import { emptyReport } from '../../functions/sweep/report.js';
import { SweepRun } from '../../functions/sweep/run.js';
import type { SweeperSpApi } from '../../functions/sweep/run.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { HOUR_MS, key, resources, startSweeperStack, TEST_SWEEP_CONFIG, use } from '../support/stack.js';
import type { TestResource } from '../support/stack.js';

describe('settling a raced item', () => {
  const h = use(startSweeperStack, 'test');

  it('records in doubt a disable it pushed whose answer was lost (issue 15, seed 39518)', async () => {
    // Prepare: a registered item now overdue; the sweep's record of an enable lost a race, so it settles the item.
    const [resource] = resources(CORP_A.corpId, 'raced', 1, Date.now() - HOUR_MS) as [TestResource];
    await h.register([resource]);
    const item = (await h.item(resource)) as RegistryItem;
    // Huawei applies the PUT, but its answer never arrives (the client gives up at its timeout).
    const spApi: SweeperSpApi = {
      queryResources: (corpId, query, opts) => h.huawei.spApi.queryResources(corpId, query, opts),
      async updateResources(corpId, items, opts) {
        await h.huawei.spApi.updateResources(corpId, items, opts);
        throw new UpstreamTimeoutError('Huawei did not answer in time (UND_ERR_HEADERS_TIMEOUT)', 1);
      },
    };
    const now = Date.now();
    const run = new SweepRun({
      sweepId: 'sweep-test',
      store: h.registry.store,
      spApi,
      now: Date.now,
      config: TEST_SWEEP_CONFIG,
      deadline: now + 25_000,
      claimExpiresAt: now + 25_000,
      report: emptyReport('sweep-test', now, false),
    });

    // Act
    await reconcile(run, item, 'enable');

    // Assess: Huawei holds the disable; the registry marks the item in doubt (a sync or sweep then checks Huawei
    // and does not take the disable for a manual one).
    expect((await h.huawei.resources(CORP_A.corpId)).get(key(resource))?.isDisabled).toBe(true);
    const after = (await h.item(resource)) as RegistryItem;
    expect(after.inDoubtSince).toEqual(expect.any(Number));
    expect(after.version).toBeGreaterThan(item.version);
  });
});
