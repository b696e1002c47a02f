import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { CORP_A, CORP_B, DEMO_SECRETS } from '../../local/simulator/demo-data.js';
import type { RegistryItem } from '../../functions/shared/registry/model.js';
import { captureOutput } from '../support/capture-output.js';
import { HOUR_MS, key, resources, startSweeperStack, use, waitFor } from '../support/stack.js';
import type { SweeperStack } from '../support/stack.js';

describe('sweep modes', () => {
  const h = use(startSweeperStack, 'test');

  it('does the work once when a second sweep starts while the first holds the lease', async () => {
    // Prepare
    const due = resources(CORP_A.corpId, 'overlap', 150, Date.now() - HOUR_MS);
    await h.register(due);
    await h.huawei.control.clearRequests();
    await h.huawei.control.addFault({ path: '/v1/usg/dcs/sp/corp', method: 'PUT', delayMs: 500, count: 1 });

    // Act
    const firstSweep = h.sweepOnce({ sweepId: 'first' });
    await waitFor(async () => (await h.registry.lease.holder())?.owner === 'first', 'the first lease');
    const second = await h.sweepOnce({ sweepId: 'second' });
    const first = await firstSweep;

    // Assess
    expect(second).toMatchObject({ status: 'skipped-overlap', leaseHeldBy: 'first', due: 0, spCalls: 0 });
    expect(first).toMatchObject({ status: 'completed', disabled: 150 });
    const puts = await h.huawei.control.requests({ path: '/v1/usg/dcs/sp/corp', method: 'PUT' });
    const disabledIds = puts.flatMap((p) => (p.body as Array<{ id: string }>).map((item) => item.id));
    expect(disabledIds.sort()).toEqual(due.map((r) => r.id).sort());
    expect(await h.registry.lease.holder()).toBeUndefined();
  });

  it('changes nothing in a dry run and reports what it would disable', async () => {
    // Prepare
    const due = [...resources(CORP_A.corpId, 'dry-a', 20, Date.now() - HOUR_MS), ...resources(CORP_B.corpId, 'dry-b', 10, Date.now() - HOUR_MS)];
    await h.register(due);
    const registryBefore = await h.registry.scanAll();
    const upstreamBefore = [await h.huawei.resources(CORP_A.corpId), await h.huawei.resources(CORP_B.corpId)];
    await h.huawei.control.clearRequests();

    // Act
    const report = await h.sweepOnce({ config: { dryRun: true } });

    // Assess
    expect(report).toMatchObject({ status: 'dry-run', dryRun: true, due: 30, disabled: 0, spCalls: 0 });
    expect(report.wouldDisable?.map((r) => `${r.corpId}/${key({ id: r.resourceId, type: r.type ?? 'VMR' })}`).sort()).toEqual(
      due.map((r) => `${r.corpId}/${key(r)}`).sort(),
    );
    expect(await h.huawei.control.requests({ path: '/v1/usg/dcs/sp/corp' })).toEqual([]);
    expect(await h.registry.scanAll()).toEqual(registryBefore);
    expect([await h.huawei.resources(CORP_A.corpId), await h.huawei.resources(CORP_B.corpId)]).toEqual(upstreamBefore);
  });

  it('takes over the lease of a crashed sweep once it has expired', async () => {
    // Prepare: a sweep that died holding the lease and a claim.
    const [resource] = resources(CORP_A.corpId, 'crashed', 1, Date.now() - HOUR_MS);
    await h.register([resource!]);
    const crashedAt = Date.now() - 120_000;
    await h.registry.lease.acquire({ owner: 'crashed', now: crashedAt, durationMs: 75_000 });
    const [entry] = (await h.registry.store.queryDue(Date.now())).entries;
    await h.registry.store.claim(entry!, { sweepId: 'crashed', now: crashedAt, expiresAt: crashedAt + 75_000 });

    // Act
    const report = await h.sweepOnce();

    // Assess
    expect(report).toMatchObject({ status: 'completed', disabled: 1 });
    expect(((await h.item(resource!)) as RegistryItem).status).toBe('disabled-expired');
  });

  it('leaves an item claimed by a crashed sweep until that claim expires, reporting it as deferred', async () => {
    // Prepare: the crashed sweep's lease has run out but its claim (longer) still holds.
    const [resource] = resources(CORP_A.corpId, 'still-claimed', 1, Date.now() - HOUR_MS);
    await h.register([resource!]);
    const [entry] = (await h.registry.store.queryDue(Date.now())).entries;
    await h.registry.store.claim(entry!, { sweepId: 'crashed', now: Date.now(), expiresAt: Date.now() + 60_000 });
    await h.huawei.control.clearRequests();

    // Act
    const report = await h.sweepOnce();

    // Assess
    // The listing is read (one call) before the claims; nothing is sent.
    expect(report).toMatchObject({ status: 'partial', due: 1, disabled: 0, deferred: 1, skippedOther: 0, spCalls: 1 });
    expect(await h.huawei.resourcePuts()).toBe(0);
    expect(((await h.item(resource!)) as RegistryItem).status).toBe('active');
  });

  it('ends with one log line carrying the counts and never a token or a secret', async () => {
    // Prepare
    await h.register(resources(CORP_A.corpId, 'logged', 3, Date.now() - HOUR_MS));
    await h.huawei.control.expireTokens();
    const output = captureOutput();
    const logger = new Logger({ serviceName: 'sweeper-test', logLevel: 'INFO' });

    // Act
    let report;
    try {
      report = await h.sweepOnce({ logger });
    } finally {
      output.stop();
    }

    // Assess
    const lines = output
      .text()
      .split('\n')
      .filter((line) => line.includes('"sweep finished"'));
    expect(lines).toHaveLength(1);
    const logged = JSON.parse(lines[0] as string) as { sweep: Record<string, unknown> };
    expect(logged.sweep).toMatchObject({ sweepId: report.sweepId, due: 3, disabled: 3, spCalls: 2 });
    const text = output.text();
    for (const secret of DEMO_SECRETS) expect(text).not.toContain(secret);
    expect(text).not.toContain(await h.huawei.currentToken());
    expect(text).not.toMatch(/x-access-token|authorization/i);
  });

  it('adds every sweep metric with the report values', async () => {
    // Prepare
    await h.register(resources(CORP_A.corpId, 'metric', 4, Date.now() - HOUR_MS));
    const metrics = new Metrics({ namespace: 'SweeperTest', serviceName: 'sweeper-test' });

    // Act
    const report = await h.sweepOnce({ metrics });
    const emf = metrics.serializeMetrics() as unknown as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string; Unit: string }> }> };
    };
    metrics.clearMetrics();

    // Assess
    const names = emf._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name);
    expect(names).toEqual(
      expect.arrayContaining(['due', 'disabled', 'skippedRenewed', 'reenabled', 'failed', 'retried', 'spCalls', 'durationMs', 'oldestLatenessMs', 'itemsRead']),
    );
    expect(emf).toMatchObject({ due: 4, disabled: 4, spCalls: 2, itemsRead: 4, failed: 0, durationMs: report.durationMs });
  });
});
