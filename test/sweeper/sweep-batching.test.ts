import { describe, expect, it } from 'vitest';
import { CORP_A, CORP_B, DEMO_RESOURCES } from '../../local/simulator/demo-data.js';
import { pagesFor } from '../../functions/shared/registry/huawei-listing.js';
import { DAY_MS, HOUR_MS, key, resources, startSweeperStack, use } from '../support/stack.js';
import type { SweeperStack } from '../support/stack.js';

describe('sweep batching', () => {
  const h = use(startSweeperStack, 'test');

  it('disables hundreds of due resources across enterprises with ceil(due/100) PUTs plus the listing pages each, and touches nothing else', async () => {
    // Prepare
    const now = Date.now();
    const dueA = resources(CORP_A.corpId, 'due-a', 250, now - HOUR_MS);
    const dueB = resources(CORP_B.corpId, 'due-b', 130, now - 2 * HOUR_MS);
    const laterA = resources(CORP_A.corpId, 'later-a', 30, now + DAY_MS);
    const laterB = resources(CORP_B.corpId, 'later-b', 30, now + DAY_MS);
    await h.register([...dueA, ...dueB, ...laterA, ...laterB]);
    await h.huawei.control.clearRequests();

    // Act
    const report = await h.sweepOnce();

    // Assess
    const puts = await h.huawei.control.requests({ path: '/v1/usg/dcs/sp/corp/', method: 'PUT' });
    expect(puts.map((p) => p.path).sort()).toEqual([
      ...Array<string>(3).fill(`/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource`),
      ...Array<string>(2).fill(`/v1/usg/dcs/sp/corp/${CORP_B.corpId}/resource`),
    ]);
    for (const put of puts) {
      const body = put.body as Array<{ isDisabled: boolean }>;
      expect(body.length).toBeLessThanOrEqual(100);
      expect(body.every((item) => item.isDisabled === true)).toBe(true);
    }
    // The formula: per enterprise with due items, ceil(due/100) PUTs plus the pages of Huawei's expired listing.
    const gets = await h.huawei.control.requests({ path: '/v1/usg/dcs/sp/corp/', method: 'GET' });
    expect(gets.every((g) => g.query.status === '1' && g.query.limit === '100')).toBe(true);
    expect(gets).toHaveLength(pagesFor(250) + pagesFor(130));
    expect(report).toMatchObject({ status: 'completed', due: 380, disabled: 380, spCalls: 3 + 2 + 3 + 2, deferred: 0, failed: 0 });
    // Reads are proportional to the due items: the 60 registered items not yet due are not read.
    expect(report.itemsRead).toBe(380);
    expect(report.oldestLatenessMs).toBeGreaterThanOrEqual(2 * HOUR_MS);

    const upstreamA = await h.huawei.resources(CORP_A.corpId);
    const upstreamB = await h.huawei.resources(CORP_B.corpId);
    const upstream = (r: { corpId: string; id: string; type: string }) =>
      (r.corpId === CORP_A.corpId ? upstreamA : upstreamB).get(key(r as { id: string; type: 'VMR' }));
    for (const r of [...dueA, ...dueB]) expect(upstream(r)?.isDisabled, key(r)).toBe(true);
    for (const r of [...laterA, ...laterB]) expect(upstream(r)?.isDisabled, key(r)).toBe(false);
    for (const demo of DEMO_RESOURCES) expect(upstream(demo)?.isDisabled, key(demo)).toBe(demo.isDisabled);

    const states = await Promise.all([...dueA, ...dueB, ...laterA, ...laterB].map((r) => h.item(r)));
    expect(states.slice(0, 380).map((s) => s && s.status)).toEqual(Array(380).fill('disabled-expired'));
    expect(states.slice(380).map((s) => s && s.status)).toEqual(Array(60).fill('active'));
  });

  it('leaves the due index empty after a sweep, so the next sweep reads and calls nothing', async () => {
    // Prepare
    await h.register(resources(CORP_A.corpId, 'once', 12, Date.now() - HOUR_MS));
    await h.sweepOnce();
    await h.huawei.control.clearRequests();

    // Act
    const second = await h.sweepOnce();

    // Assess
    expect(second).toMatchObject({ status: 'completed', due: 0, disabled: 0, spCalls: 0, itemsRead: 0, oldestLatenessMs: 0 });
    expect(await h.huawei.resourcePuts()).toBe(0);
  });

  it('logs in again once when Huawei has revoked the SP token and still disables everything', async () => {
    // Prepare
    const due = resources(CORP_A.corpId, 'relogin', 5, Date.now() - HOUR_MS);
    await h.register(due);
    await h.huawei.control.expireTokens();
    await h.huawei.control.clearRequests();

    // Act
    const report = await h.sweepOnce();

    // Assess
    expect(report).toMatchObject({ status: 'completed', disabled: 5 });
    const logins = await h.huawei.control.requests({ path: '/v2/usg/acs/auth/appauth' });
    expect(logins).toHaveLength(1);
    const upstream = await h.huawei.resources(CORP_A.corpId);
    for (const r of due) expect(upstream.get(key(r))?.isDisabled).toBe(true);
  });
});
