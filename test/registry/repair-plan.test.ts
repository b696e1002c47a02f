/**
 * The type-less seam (functions/shared/registry/repair-plan.ts): Huawei's typed listing of one id against the
 * registry's typed and type-less items. Pure.
 */
import { describe, expect, it } from 'vitest';
import type { ListedResource } from '../../functions/shared/registry/huawei-listing.js';
import type { RegistryItem } from '../../functions/shared/registry/model.js';
import { planIdRepair } from '../../functions/shared/registry/repair-plan.js';
import { finishWrite, newItem } from '../../functions/shared/registry/transitions.js';

const NOW = 1_800_000_000_000;
const PAST = NOW - 3_600_000;
const FUTURE = NOW + 30 * 86_400_000;
const CORP = '818803911';
const ID = 'shared-id';

function item(type: RegistryItem['type'], fields: Partial<RegistryItem>): RegistryItem {
  const base = newItem({ corpId: CORP, resourceId: ID, type }, NOW - 10);
  return finishWrite(base, { ...base, ...fields }, { now: NOW - 10 });
}
const listed = (type: ListedResource['type'], expireDate: number, disabled = false): ListedResource => ({ id: ID, type, expireDate, disabled });

describe('planIdRepair', () => {
  it('sweep: disables each type Huawei lists as expired through typed items created from the due type-less item, which then stands for nothing', () => {
    const typeless = item(undefined, { status: 'active', expireDate: PAST });
    const plans = planIdRepair(CORP, ID, [typeless], [listed('VMR', PAST), listed('ROOM', PAST)], { now: NOW, disableExpired: true, adopt: false });

    expect(plans.map((p) => [p.after.sk, p.outcome, p.before === undefined, p.push])).toEqual([
      [`RES#${ID}#VMR`, 'disable', true, { id: ID, type: 'VMR', isDisabled: true }],
      [`RES#${ID}#ROOM`, 'disable', true, { id: ID, type: 'ROOM', isDisabled: true }],
      [`RES#${ID}#*`, 'gone', false, undefined],
    ]);
    expect(plans.slice(0, 2).map((p) => [p.after.status, p.after.version])).toEqual([
      ['disabled-expired', 1],
      ['disabled-expired', 1],
    ]);
  });

  it('sync: writes nothing while the type-less item still describes every type Huawei lists', () => {
    const typeless = item(undefined, { status: 'active', expireDate: FUTURE });
    expect(planIdRepair(CORP, ID, [typeless], [listed('VMR', FUTURE), listed('ROOM', FUTURE)], { now: NOW, disableExpired: false, adopt: true })).toEqual([]);
  });

  it('sync: gives a type renewed at Huawei its own item and seals the type-less item that still stands for the other', () => {
    const typeless = item(undefined, { status: 'disabled-expired', expireDate: PAST });
    const plans = planIdRepair(CORP, ID, [typeless], [listed('VMR', FUTURE, true), listed('ROOM', PAST, true)], { now: NOW, disableExpired: false, adopt: true });

    expect(plans.map((p) => [p.after.sk, p.outcome, p.after.status])).toEqual([
      [`RES#${ID}#VMR`, 'reenable', 'active'],
      [`RES#${ID}#*`, 'settled', 'disabled-expired'],
    ]);
    expect(plans[0]?.push).toEqual({ id: ID, type: 'VMR', isDisabled: false });
    expect(plans[1]?.after.version).toBe(typeless.version + 1);
  });

  it('judges a typed item by itself and the other types by the type-less item', () => {
    const typed = item('VMR', { status: 'disabled-manual', expireDate: PAST });
    const typeless = item(undefined, { status: 'active', expireDate: FUTURE });
    const plans = planIdRepair(CORP, ID, [typed, typeless], [listed('VMR', PAST, true), listed('ROOM', FUTURE)], { now: NOW, disableExpired: true, adopt: false });
    expect(plans).toEqual([]);
  });

  it('records a typed item Huawei does not list as gone, and adopts a listed type nobody knows only when asked to', () => {
    const typed = item('VMR', { status: 'active', expireDate: FUTURE });
    const seen = [listed('ROOM', FUTURE)];
    const sweep = planIdRepair(CORP, ID, [typed], seen, { now: NOW, disableExpired: true, adopt: false });
    const sync = planIdRepair(CORP, ID, [typed], seen, { now: NOW, disableExpired: false, adopt: true });

    expect(sweep.map((p) => [p.after.sk, p.outcome])).toEqual([[`RES#${ID}#VMR`, 'gone']]);
    expect(sync.map((p) => [p.after.sk, p.outcome, p.after.status])).toEqual([
      [`RES#${ID}#ROOM`, 'adopted', 'active'],
      [`RES#${ID}#VMR`, 'gone', 'gone'],
    ]);
    expect(sync[0]?.after).toMatchObject({ version: 1, adoptedAt: NOW, dueAt: FUTURE });
  });
});
