/**
 * Behaviours of a sweep pinned through its public entry only (`sweep()`, via the harness's `sweepOnce`), so
 * they hold whatever the sweeper's internals become: PUTs of exactly 100 per enterprise, and the most overdue
 * items first when the time budget runs out. Time is virtual: the sweep's clock is injected and moves only when
 * an upstream PUT is answered.
 */
import { describe, expect, it } from 'vitest';
import type { SpCallOptions } from '../../functions/shared/huawei/sp-api.js';
import type { ModResourceItem } from '../../functions/shared/huawei/schemas.js';
import { CORP_A, CORP_B } from '../../local/simulator/demo-data.js';
import { HOUR_MS, key, resources, startSweeperStack, use, TEST_SWEEP_CONFIG } from '../support/stack.js';
import type { SweeperStack, TestResource } from '../support/stack.js';

const corpPath = (corpId: string) => `/v1/usg/dcs/sp/corp/${corpId}/resource`;

describe('a sweep, through its public entry', () => {
  const h = use(startSweeperStack, 'test');

  it('sends exactly 1 PUT for 100 due items of an enterprise and 2 for 200', async () => {
    // Prepare
    const now = Date.now();
    const dueA = resources(CORP_A.corpId, 'hundred', 100, now - HOUR_MS);
    const dueB = resources(CORP_B.corpId, 'two-hundred', 200, now - HOUR_MS);
    await h.register([...dueA, ...dueB]);
    await h.huawei.control.clearRequests();

    // Act
    const report = await h.sweepOnce();

    // Assess
    const putsA = await h.huawei.control.requests({ path: corpPath(CORP_A.corpId), method: 'PUT' });
    const putsB = await h.huawei.control.requests({ path: corpPath(CORP_B.corpId), method: 'PUT' });
    expect(putsA.map((p) => (p.body as unknown[]).length)).toEqual([100]);
    expect(putsB.map((p) => (p.body as unknown[]).length)).toEqual([100, 100]);
    // The verified sweep's formula: per enterprise ceil(due / 100) PUTs plus the pages of Huawei's expired listing.
    const listingsA = await h.huawei.control.requests({ path: corpPath(CORP_A.corpId), method: 'GET' });
    const listingsB = await h.huawei.control.requests({ path: corpPath(CORP_B.corpId), method: 'GET' });
    expect([listingsA.length, listingsB.length]).toEqual([1, 2]);
    expect(report).toMatchObject({ status: 'completed', due: 300, disabled: 300, spCalls: 6, deferred: 0 });
    const upstreamA = await h.huawei.resources(CORP_A.corpId);
    const upstreamB = await h.huawei.resources(CORP_B.corpId);
    for (const r of dueA) expect(upstreamA.get(key(r))?.isDisabled, key(r)).toBe(true);
    for (const r of dueB) expect(upstreamB.get(key(r))?.isDisabled, key(r)).toBe(true);
  });

  it('disables the most overdue items first when its time budget runs out', async () => {
    // Prepare: 150 due items, 1 to 150 hours overdue, registered in an order unrelated to their due times.
    const startedAt = Date.now();
    const due: TestResource[] = Array.from({ length: 150 }, (_, i) => {
      const hoursOverdue = ((i * 67) % 150) + 1; // a permutation of 1..150
      return { corpId: CORP_A.corpId, id: `overdue-${String(hoursOverdue).padStart(3, '0')}h`, type: i % 2 === 0 ? 'VMR' : 'SOFT', expireDate: startedAt - hoursOverdue * HOUR_MS };
    });
    await h.register(due);
    await h.huawei.control.clearRequests();
    // The sweep's clock stands still until Huawei answers a PUT, then jumps past the sweep's deadline: the budget
    // is enough for exactly one batch, wherever the sweep's checks fall.
    let clock = startedAt;
    const deadline = startedAt + TEST_SWEEP_CONFIG.recordReserveMs + 60_000;
    const spApi = {
      queryResources: h.huawei.spApi.queryResources.bind(h.huawei.spApi),
      async updateResources(corpId: string, items: ModResourceItem[], opts?: SpCallOptions) {
        const response = await h.huawei.spApi.updateResources(corpId, items, opts);
        clock = deadline - TEST_SWEEP_CONFIG.recordReserveMs + 1;
        return response;
      },
    };

    // Act
    const report = await h.sweepOnce({ now: () => clock, deadline, spApi });

    // Assess
    const byOverdue = [...due].sort((a, b) => a.expireDate - b.expireDate);
    const mostOverdue = byOverdue.slice(0, 100);
    const leastOverdue = byOverdue.slice(100);
    const puts = await h.huawei.control.requests({ path: corpPath(CORP_A.corpId), method: 'PUT' });
    expect(puts).toHaveLength(1);
    expect((puts[0]?.body as Array<{ id: string }>).map((item) => item.id).sort()).toEqual(mostOverdue.map((r) => r.id).sort());
    expect(report).toMatchObject({ status: 'partial', due: 150, disabled: 100, deferred: 50 });
    const upstream = await h.huawei.resources(CORP_A.corpId);
    for (const r of mostOverdue) expect(upstream.get(key(r))?.isDisabled, key(r)).toBe(true);
    for (const r of leastOverdue) expect(upstream.get(key(r))?.isDisabled, key(r)).toBe(false);
  });
});
