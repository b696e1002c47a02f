/**
 * Issue 15: every disable we send is in doubt (a duplicate of an attempt answered at once can land later), and
 * the doubt is settled after the hold by reading Huawei: in bulk by the sweep (one listing of what Huawei holds
 * disabled with a future expiry per enterprise, never one look-up per item), or by the sync's full listing.
 * Dynalite and the simulator over loopback; the hold passes on an injected clock. A duplicate landing late is
 * played by sending the same disable again straight to Huawei after the renewal.
 */
import { describe, expect, it } from 'vitest';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { IN_DOUBT_HOLD_MS } from '../../functions/shared/registry/state.js';
import { DAY_MS, HOUR_MS, key, resources, startSweeperStack, use } from '../support/stack.js';
import type { SweeperStack, TestResource } from '../support/stack.js';

const CORP = CORP_A.corpId;

describe('in-doubt disables after the hold', () => {
  const h = use(startSweeperStack, 'test');

  /** Due resources disabled by a sweep (answered at once), then renewed through the relay within the hold. */
  async function disabledThenRenewed(prefix: string, count: number): Promise<{ due: TestResource[]; renewedUntil: number }> {
    const due = resources(CORP, prefix, count, Date.now() - HOUR_MS);
    await h.register(due);
    const swept = await h.sweepOnce();
    expect(swept).toMatchObject({ disabled: count, retried: 0 });
    const renewedUntil = Date.now() + 30 * DAY_MS;
    for (const r of due) expect((await h.relay(CORP, [{ id: r.id, type: r.type, expireDate: renewedUntil }])).outcome).toBe('recorded');
    return { due, renewedUntil };
  }

  /** The clock and budget of a run `ms` from now (the hold passes in virtual time). */
  const later = (ms: number) => ({ now: () => Date.now() + ms, deadline: Date.now() + ms + 25_000 });

  it('sweep: enables again, in one PUT, what a late duplicate of its disable switched off, reading Huawei once per enterprise', async () => {
    // Prepare: three renewals within the hold; a duplicate of the sweep's disable lands after them.
    const { due, renewedUntil } = await disabledThenRenewed('dup', 3);
    await h.huawei.spApi.updateResources(CORP, due.map((r) => ({ id: r.id, type: r.type, isDisabled: true })));
    await h.huawei.control.clearRequests();

    // Act
    const withinHold = await h.sweepOnce(later(IN_DOUBT_HOLD_MS - 5_000));
    const afterHold = await h.sweepOnce(later(IN_DOUBT_HOLD_MS + 5_000));
    const next = await h.sweepOnce(later(IN_DOUBT_HOLD_MS + 10_000));

    // Assess
    expect(withinHold).toMatchObject({ due: 0, spCalls: 0 });
    expect(afterHold).toMatchObject({ due: 3, reenabled: 3, lookups: 0, spCalls: 2, problems: [] });
    const gets = await h.huawei.control.requests({ path: '/v1/usg/dcs/sp/corp/', method: 'GET' });
    expect(gets).toHaveLength(1);
    expect(gets[0]?.query).toMatchObject({ status: '2', limit: '100' });
    const puts = await h.huawei.control.requests({ path: '/v1/usg/dcs/sp/corp/', method: 'PUT' });
    expect(puts).toHaveLength(1);
    const sent = [...(puts[0]?.body as { id: string }[])].sort((a, b) => a.id.localeCompare(b.id));
    expect(sent).toEqual(due.map((r) => ({ id: r.id, type: r.type, isDisabled: false })));
    const upstream = await h.huawei.resources(CORP);
    for (const r of due) {
      expect(upstream.get(key(r))).toMatchObject({ isDisabled: false, expireDate: renewedUntil });
      const item = await h.item(r);
      expect(item?.status).toBe('active');
      expect(item?.inDoubtSince).toBeUndefined();
      expect(item?.dueAt).toBe(renewedUntil);
    }
    expect(next).toMatchObject({ due: 0, spCalls: 0 });
  });

  it('sweep: finds Huawei right after the hold, pushes nothing and clears the marks', async () => {
    // Prepare: no duplicate lands.
    const { due } = await disabledThenRenewed('right', 2);
    await h.huawei.control.clearRequests();

    // Act
    const afterHold = await h.sweepOnce(later(IN_DOUBT_HOLD_MS + 5_000));

    // Assess
    expect(afterHold).toMatchObject({ due: 2, reenabled: 0, settledOther: 2, lookups: 0, spCalls: 1 });
    expect(await h.huawei.resourcePuts()).toBe(0);
    for (const r of due) expect((await h.item(r))?.inDoubtSince).toBeUndefined();
  });

  it('sweep: leaves a disable made by hand after the marks were cleared alone', async () => {
    // Prepare
    const { due } = await disabledThenRenewed('manual-after', 1);
    await h.sweepOnce(later(IN_DOUBT_HOLD_MS + 5_000));
    const [r] = due as [TestResource];
    await h.huawei.spApi.updateResources(CORP, [{ id: r.id, type: r.type, isDisabled: true }]);
    await h.huawei.control.clearRequests();

    // Act
    const sweep = await h.sweepOnce(later(IN_DOUBT_HOLD_MS + 10_000));
    const sync = await h.syncOnce({ config: { corpIds: [CORP] }, ...later(IN_DOUBT_HOLD_MS + 15_000) });

    // Assess: the sweep has nothing to look at; the sync records the manual disable and pushes nothing.
    expect(sweep).toMatchObject({ due: 0, spCalls: 0 });
    expect(sync.reenabled).toBe(0);
    expect(await h.huawei.resourcePuts()).toBe(0);
    expect((await h.huawei.resources(CORP)).get(key(r))?.isDisabled).toBe(true);
    expect((await h.item(r))?.status).toBe('disabled-manual');
  });

  it('sync after the hold: pushes the enable again where Huawei is wrong, clears the mark where it is right, then writes nothing', async () => {
    // Prepare: two renewed items in doubt; a duplicate disable lands on the first only.
    const { due, renewedUntil } = await disabledThenRenewed('sync', 2);
    const [wrong, right] = due as [TestResource, TestResource];
    await h.huawei.spApi.updateResources(CORP, [{ id: wrong.id, type: wrong.type, isDisabled: true }]);
    await h.huawei.control.clearRequests();

    // Act
    const first = await h.syncOnce({ config: { corpIds: [CORP] }, ...later(IN_DOUBT_HOLD_MS + 5_000) });
    const second = await h.syncOnce({ config: { corpIds: [CORP] }, ...later(IN_DOUBT_HOLD_MS + 10_000) });

    // Assess
    expect(first).toMatchObject({ reenabled: 1, conflicts: 0, problems: [] });
    const puts = await h.huawei.control.requests({ path: '/v1/usg/dcs/sp/corp/', method: 'PUT' });
    expect(puts.map((p) => p.body)).toEqual([[{ id: wrong.id, type: wrong.type, isDisabled: false }]]);
    expect((await h.huawei.resources(CORP)).get(key(wrong))).toMatchObject({ isDisabled: false, expireDate: renewedUntil });
    for (const r of [wrong, right]) {
      const item = await h.item(r);
      expect(item).toMatchObject({ status: 'active', expireDate: renewedUntil });
      expect(item?.inDoubtSince).toBeUndefined();
    }
    expect(second).toMatchObject({ registryWrites: 0, reenabled: 0, repaired: 0 });
  });

  it('sync within the hold: pushes the enable again but keeps the mark, so the sweep checks once more after the hold', async () => {
    // Prepare
    const { due } = await disabledThenRenewed('sync-early', 1);
    const [r] = due as [TestResource];
    await h.huawei.spApi.updateResources(CORP, [{ id: r.id, type: r.type, isDisabled: true }]);

    // Act
    const sync = await h.syncOnce({ config: { corpIds: [CORP] }, ...later(60_000) });

    // Assess
    expect(sync.reenabled).toBe(1);
    expect((await h.huawei.resources(CORP)).get(key(r))?.isDisabled).toBe(false);
    const item = await h.item(r);
    expect(item?.inDoubtSince).toBeDefined();
    expect(item?.dueAt).toBe((item?.inDoubtSince as number) + IN_DOUBT_HOLD_MS);
  });
});
