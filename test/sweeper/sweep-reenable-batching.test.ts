/**
 * Issue 16, finding 5: when recording a disable fails its condition because a renewal landed meanwhile, the
 * sweeper enables those resources again in PUTs of at most 100 per enterprise (like its disables), not one PUT
 * per resource, so the README's call formula holds for re-enables too. The renewals land inside the sweep's
 * first disable PUT (a wrapper around the production SP API relays them before forwarding it): real timing-free
 * ordering, dynalite and the simulator over loopback.
 */
import { describe, expect, it } from 'vitest';
import type { ModResourceItem } from '../../functions/shared/huawei/schemas.js';
import type { SweeperSpApi } from '../../functions/sweep/run.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { DAY_MS, HOUR_MS, key, resources, startSweeperStack, use } from '../support/stack.js';
import type { SweeperStack } from '../support/stack.js';

const CORP = CORP_A.corpId;

describe('re-enables after raced renewals', () => {
  const h = use(startSweeperStack, 'test');

  it('sends the re-enables of 100 raced renewals in one PUT, and records them active and in doubt', async () => {
    // Prepare: 150 due resources; the first disable PUT (100 items) is overtaken by renewals of all its items.
    const due = resources(CORP, 'raced', 150, Date.now() - HOUR_MS);
    await h.register(due);
    const renewedUntil = Date.now() + 30 * DAY_MS;
    const sweepPuts: ModResourceItem[][] = [];
    let renewed: ModResourceItem[] = [];
    const spApi: SweeperSpApi = {
      queryResources: (corpId, query, opts) => h.huawei.spApi.queryResources(corpId, query, opts),
      async updateResources(corpId, items, opts) {
        sweepPuts.push(items);
        if (sweepPuts.length === 1) {
          renewed = items.map((i) => ({ id: i.id, type: i.type, expireDate: renewedUntil }));
          expect((await h.relay(corpId, renewed)).outcome).toBe('recorded');
        }
        return h.huawei.spApi.updateResources(corpId, items, opts);
      },
    };

    // Act
    const report = await h.sweepOnce({ spApi });

    // Assess: the first round's disable PUT, one re-enable PUT for its 100 raced renewals, the second round's PUT.
    expect(sweepPuts.map((items) => [items.length, items.every((i) => i.isDisabled === true), items.every((i) => i.isDisabled === false)])).toEqual([
      [100, true, false],
      [100, false, true],
      [50, true, false],
    ]);
    expect(report).toMatchObject({ disabled: 50, reenabled: 100, unreconciled: [], problems: [] });
    const upstream = await h.huawei.resources(CORP);
    const renewedIds = new Set(renewed.map((i) => i.id));
    for (const r of due) {
      const item = await h.item(r);
      if (renewedIds.has(r.id)) {
        expect(upstream.get(key(r))).toMatchObject({ isDisabled: false, expireDate: renewedUntil });
        expect(item).toMatchObject({ status: 'active', expireDate: renewedUntil, inDoubtSince: expect.any(Number) as unknown });
      } else {
        expect(upstream.get(key(r))?.isDisabled).toBe(true);
        expect(item?.status).toBe('disabled-expired');
      }
    }
  });
});
