import { describe, expect, it } from 'vitest';
import type { ModResourceItem, ResourceType } from '../../functions/shared/huawei/schemas.js';
import type { RegistryItem } from '../../functions/shared/registry/model.js';
import { IN_DOUBT_HOLD_MS } from '../../functions/shared/registry/state.js';
import { planRelayedUpdate, recordWrites } from '../../functions/resources/relay-recording.js';
import { applyRelayedChange, finishWrite, markExpiredDisabled, newItem } from '../../functions/shared/registry/transitions.js';
import type { ResourceChange } from '../../functions/shared/registry/transitions.js';

const CORP = '818803911';
const NOW = 1_800_000_000_000;
const PAST = NOW - 3_600_000;
const FUTURE = NOW + 30 * 86_400_000;

function item(id: string, type: ResourceType | undefined, change: ResourceChange): RegistryItem {
  const fresh = newItem({ corpId: CORP, resourceId: id, type }, PAST);
  return finishWrite(fresh, applyRelayedChange(fresh, change, PAST), { now: PAST });
}

function sweptForExpiry(id: string, type: ResourceType | undefined): RegistryItem {
  return markExpiredDisabled(item(id, type, { expireDate: PAST }), { now: PAST });
}

function registered(...items: RegistryItem[]): Map<string, RegistryItem[]> {
  const map = new Map<string, RegistryItem[]>();
  for (const i of items) map.set(i.resourceId, [...(map.get(i.resourceId) ?? []), i]);
  return map;
}

function plan(items: ModResourceItem[], reg: Map<string, RegistryItem[]>, reenableRenewed = true) {
  return planRelayedUpdate(CORP, items, reg, { now: NOW, reenableRenewed });
}

describe('renewal re-enable decisions', () => {
  it('adds isDisabled: false to a renewal of a resource the sweeper disabled for expiry', () => {
    const result = plan([{ id: 'r1', type: 'VMR', expireDate: FUTURE }], registered(sweptForExpiry('r1', 'VMR')));
    expect(result.items.map((p) => p.item)).toEqual([{ id: 'r1', type: 'VMR', expireDate: FUTURE, isDisabled: false }]);
    expect(result.reenabled).toEqual([{ corpId: CORP, resourceId: 'r1', type: 'VMR' }]);
  });

  it('leaves the item as the caller wrote it when the caller set isDisabled', () => {
    const items = [{ id: 'r1', type: 'VMR' as const, expireDate: FUTURE, isDisabled: true }];
    expect(plan(items, registered(sweptForExpiry('r1', 'VMR'))).items.map((p) => p.item)).toEqual(items);
  });

  it('never re-enables a manual disable', () => {
    const items = [{ id: 'r1', type: 'VMR' as const, expireDate: FUTURE }];
    const manual = item('r1', 'VMR', { expireDate: PAST, isDisabled: true });
    expect(plan(items, registered(manual)).items.map((p) => p.item)).toEqual(items);
  });

  it('does not re-enable when the new expireDate is not in the future', () => {
    const items = [{ id: 'r1', type: 'VMR' as const, expireDate: NOW - 1 }];
    expect(plan(items, registered(sweptForExpiry('r1', 'VMR'))).items.map((p) => p.item)).toEqual(items);
  });

  it('does not re-enable when renewal re-enable is switched off', () => {
    const items = [{ id: 'r1', type: 'VMR' as const, expireDate: FUTURE }];
    expect(plan(items, registered(sweptForExpiry('r1', 'VMR')), false).items.map((p) => p.item)).toEqual(items);
  });

  it('re-enables a typed renewal through the type-less item that the sweeper disabled', () => {
    const result = plan([{ id: 'r1', type: 'ROOM', expireDate: FUTURE }], registered(sweptForExpiry('r1', undefined)));
    expect(result.items.map((p) => p.item)).toEqual([{ id: 'r1', type: 'ROOM', expireDate: FUTURE, isDisabled: false }]);
  });

  it('adds isDisabled: false to a type-less renewal when no type of the id is manually disabled', () => {
    const reg = registered(sweptForExpiry('r1', 'LIVE'), item('r1', 'ROOM', { expireDate: FUTURE }));
    const result = plan([{ id: 'r1', expireDate: FUTURE }], reg);
    expect(result.items.map((p) => p.item)).toEqual([{ id: 'r1', expireDate: FUTURE, isDisabled: false }]);
    expect(result.reenabled).toEqual([{ corpId: CORP, resourceId: 'r1', type: 'LIVE' }]);
  });

  it('re-enables type by type on a type-less renewal when another type is manually disabled', () => {
    // Prepare
    const reg = registered(
      sweptForExpiry('r1', 'LIVE'),
      item('r1', 'ROOM', { expireDate: PAST, isDisabled: true }),
      sweptForExpiry('r1', undefined),
    );

    // Act
    const result = plan([{ id: 'r1', expireDate: FUTURE }], reg);

    // Assess
    expect(result.items).toEqual([
      { item: { id: 'r1', expireDate: FUTURE }, reenableTypelessLater: true },
      { item: { id: 'r1', type: 'LIVE', expireDate: FUTURE, isDisabled: false } },
    ]);
    expect(result.reenableLater).toEqual([{ corpId: CORP, resourceId: 'r1' }]);
  });
});

describe('recording accepted items', () => {
  const ctx = { now: NOW, requestId: 'upstream-1' };

  it('applies a type-less item to every registered type of the id and to a new type-less item for the others', () => {
    // Prepare
    const reg = registered(item('r1', 'LIVE', { expireDate: PAST }), item('r1', 'ROOM', { expireDate: PAST }));

    // Act
    const writes = recordWrites(CORP, [{ item: { id: 'r1', expireDate: FUTURE } }], reg, ctx);

    // Assess
    expect(writes.map((w) => [w.after.type, w.before?.version, w.after.version, w.after.expireDate])).toEqual([
      ['LIVE', 1, 2, FUTURE],
      ['ROOM', 1, 2, FUTURE],
      [undefined, undefined, 1, FUTURE],
    ]);
    expect(writes[2]?.after.sk).toBe('RES#r1#*');
    expect(writes.every((w) => w.after.lastRequestId === 'upstream-1' && w.after.dueAt === FUTURE)).toBe(true);
  });

  it('leaves a type recorded gone out of a type-less update: Huawei no longer holds it', () => {
    const gone: RegistryItem = { ...item('r1', 'ROOM', { expireDate: PAST }), status: 'gone', goneAt: PAST };
    const writes = recordWrites(CORP, [{ item: { id: 'r1', expireDate: FUTURE } }], registered(item('r1', 'LIVE', { expireDate: PAST }), gone), ctx);

    expect(writes.map((w) => [w.after.type, w.after.status])).toEqual([
      ['LIVE', 'active'],
      [undefined, 'active'],
    ]);
  });

  it('updates the existing type-less item once, next to the typed ones, when a type-less item arrives', () => {
    // Prepare
    const reg = registered(item('r1', undefined, { expireDate: PAST }), item('r1', 'LIVE', { expireDate: PAST }));

    // Act
    const writes = recordWrites(CORP, [{ item: { id: 'r1', expireDate: FUTURE } }], reg, ctx);

    // Assess
    expect(writes.map((w) => [w.after.type, w.before?.version, w.after.version])).toEqual([
      [undefined, 1, 2],
      ['LIVE', 1, 2],
    ]);
  });

  it('drops the claim fields it read, so a claim the sweep has since released does not come back', () => {
    // Prepare: read while a sweep held the item.
    const claimed = { ...item('r1', 'VMR', { expireDate: PAST }), claimedBy: 'sweep-1', claimExpiresAt: NOW + 60_000 };

    // Act
    const [write] = recordWrites(CORP, [{ item: { id: 'r1', type: 'VMR', expireDate: PAST - 1 } }], registered(claimed), ctx);

    // Assess: the version bump alone makes the holding sweep's record fail and reconcile.
    expect(write?.after).toMatchObject({ version: 2, expireDate: PAST - 1, dueAt: PAST - 1 });
    expect(write?.after.claimedBy).toBeUndefined();
    expect(write?.after.claimExpiresAt).toBeUndefined();
  });

  it('records a type-less item as type-less when no type of the id is registered', () => {
    const writes = recordWrites(CORP, [{ item: { id: 'new', expireDate: FUTURE } }], registered(), ctx);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.before).toBeUndefined();
    expect(writes[0]?.after).toMatchObject({ sk: 'RES#new#*', version: 1, expireDate: FUTURE, status: 'active' });
    expect(writes[0]?.after.type).toBeUndefined();
  });

  it('starts a new typed item from the state of the type-less item of the same id', () => {
    // Prepare: the whole id was disabled by hand without a type.
    const reg = registered(item('r1', undefined, { expireDate: PAST, isDisabled: true }));

    // Act
    const writes = recordWrites(CORP, [{ item: { id: 'r1', type: 'VMR', expireDate: FUTURE } }], reg, ctx);

    // Assess: the typed item, and a seal of its template conditioned on the version read, written after it
    // (issue 15, sequence 1: a template that went stale since it was read must not stand).
    const typeless = reg.get('r1')![0]!;
    const typed = writes.find((w) => w.after.type === 'VMR');
    const seal = writes.find((w) => w.after.type === undefined);
    expect(writes).toHaveLength(2);
    expect(typed!.after.status).toBe('disabled-manual');
    expect(typed?.after).toMatchObject({ type: 'VMR', expireDate: FUTURE });
    expect(typed?.after.dueAt).toBeUndefined();
    expect(typed).toMatchObject({ expectedVersion: undefined, templateSk: typeless.sk });
    expect(seal).toMatchObject({ isTemplate: true, expectedVersion: typeless.version });
    expect(seal?.after).toMatchObject({ sk: typeless.sk, status: typeless.status, version: typeless.version + 1 });
  });

  it('rewrites a typed item it created from a template that went stale, from the fresh template, on the version it wrote', () => {
    // Prepare: the type-less item now says disabled by the sweeper; the typed item this update created from its
    // older (active) state is left out of the registered items and named in `recreate`.
    const reg = registered(sweptForExpiry('r1', undefined));

    // Act
    const writes = recordWrites(CORP, [{ item: { id: 'r1', type: 'VMR', expireDate: FUTURE, isDisabled: false } }], reg, ctx, new Map([['RES#r1#VMR', 1]]));
    const typed = writes.find((w) => w.after.type === 'VMR');

    // Assess
    expect(typed).toMatchObject({ expectedVersion: 1, after: { type: 'VMR', status: 'active', expireDate: FUTURE, version: 2 } });
  });

  it('clears a failed item and puts it back in the due index when a caller updates it', () => {
    // Prepare
    const failed = { ...item('r1', 'VMR', { expireDate: PAST }), failedAt: PAST, rejections: 3, lastError: { errorCode: 'USG.1', errorMsg: 'x' } };

    // Act
    const [write] = recordWrites(CORP, [{ item: { id: 'r1', type: 'VMR', expireDate: FUTURE } }], registered(failed), ctx);

    // Assess
    expect(write!.after.status).toBe('active');
    expect(write?.after).toMatchObject({ rejections: 0, dueAt: FUTURE });
    expect(write?.after.lastError).toBeUndefined();
  });

  it('marks the type-less item for a re-enable by the next sweep when the plan says so', () => {
    // Prepare
    const reg = registered(sweptForExpiry('r1', undefined), item('r1', 'ROOM', { expireDate: PAST, isDisabled: true }));

    // Act
    const writes = recordWrites(CORP, [{ item: { id: 'r1', expireDate: FUTURE }, reenableTypelessLater: true }], reg, ctx);

    // Assess
    const typeless = writes.find((w) => w.after.type === undefined)!.after;
    expect(typeless.status).toBe('active');
    // Due at once: the owed re-enable, or the end of the sweep's disable's hold if that came first.
    expect(typeless).toMatchObject({ reenableOwedSince: NOW, dueAt: Math.min(NOW, PAST + IN_DOUBT_HOLD_MS), inDoubtSince: PAST, expireDate: FUTURE });
    expect((writes.find((w) => w.after.type === 'ROOM')!.after).status).toBe('disabled-manual');
  });
});

describe('in-doubt marks (issue 15: a disable we sent may be delivered again later)', () => {
  const ctx = { now: NOW, pushedAt: NOW - 100 };

  it('records every accepted disable in doubt, answered at once or not, in the same write', () => {
    // Prepare
    const reg = registered(item('r1', 'VMR', { expireDate: FUTURE }));

    // Act
    const writes = recordWrites(CORP, [{ item: { id: 'r1', type: 'VMR', isDisabled: true }, inDoubt: true }], reg, ctx);

    // Assess
    expect(writes).toHaveLength(1);
    expect(writes[0]!.after).toMatchObject({ status: 'disabled-manual', inDoubtSince: NOW });
    // A disabled item costs the sweep nothing for its mark: it is not in the due index.
    expect(writes[0]!.after.dueAt).toBeUndefined();
  });

  it('keeps the mark through a later enable inside the hold, and puts the item in the due index at the hold end', () => {
    // Prepare
    const disabled = { ...item('r1', 'VMR', { expireDate: FUTURE, isDisabled: true }), inDoubtSince: NOW - 1_000 };

    // Act
    const writes = recordWrites(CORP, [{ item: { id: 'r1', type: 'VMR', isDisabled: false } }], registered(disabled), ctx);

    // Assess
    expect(writes[0]!.after).toMatchObject({ status: 'active', inDoubtSince: NOW - 1_000, dueAt: NOW - 1_000 + IN_DOUBT_HOLD_MS });
  });

  it('clears the mark with an enable sent after the hold: nothing of ours sent before it can land after it', () => {
    // Prepare
    const disabled = { ...item('r1', 'VMR', { expireDate: FUTURE, isDisabled: true }), inDoubtSince: NOW - IN_DOUBT_HOLD_MS - 200 };

    // Act
    const writes = recordWrites(CORP, [{ item: { id: 'r1', type: 'VMR', isDisabled: false } }], registered(disabled), ctx);

    // Assess
    expect(writes[0]!.after.inDoubtSince).toBeUndefined();
    expect(writes[0]!.after.dueAt).toBe(FUTURE);
  });

  it('carries a type-less mark to a typed item it writes, while the hold lasts (the type-less disable reached that type too)', () => {
    // Prepare: the typed item was created after the type-less disable was recorded, so it has no mark of its own.
    const typeless = { ...item('r1', undefined, { isDisabled: true }), inDoubtSince: NOW - 1_000 };
    const typed = item('r1', 'VMR', { expireDate: FUTURE });

    // Act
    const writes = recordWrites(CORP, [{ item: { id: 'r1', type: 'VMR', expireDate: FUTURE + 1 } }], registered(typeless, typed), ctx);

    // Assess
    expect(writes.find((w) => w.after.type === 'VMR')!.after).toMatchObject({ status: 'active', inDoubtSince: NOW - 1_000 });
  });

  it('does not carry a type-less mark whose hold is over', () => {
    // Prepare
    const typeless = { ...item('r1', undefined, { isDisabled: true }), inDoubtSince: NOW - IN_DOUBT_HOLD_MS - 1 };
    const typed = item('r1', 'VMR', { expireDate: FUTURE });

    // Act
    const writes = recordWrites(CORP, [{ item: { id: 'r1', type: 'VMR', expireDate: FUTURE + 1 } }], registered(typeless, typed), ctx);

    // Assess
    expect(writes.find((w) => w.after.type === 'VMR')!.after.inDoubtSince).toBeUndefined();
  });
});

describe('renewals of items in doubt', () => {
  it('adds isDisabled: false when the item in doubt may be disabled by us (expired, never enabled since)', () => {
    const unanswered = { ...item('r1', 'VMR', { expireDate: PAST }), inDoubtSince: NOW - 1_000 };
    const result = plan([{ id: 'r1', type: 'VMR', expireDate: FUTURE }], registered(unanswered));
    expect(result.items.map((p) => p.item)).toEqual([{ id: 'r1', type: 'VMR', expireDate: FUTURE, isDisabled: false }]);
  });

  it('leaves a renewal as sent when the item was enabled with a future expiry after the disable in doubt (the check after the hold covers a late duplicate)', () => {
    const enabledAgain = { ...item('r1', 'VMR', { expireDate: FUTURE, isDisabled: false }), inDoubtSince: NOW - 1_000 };
    const items = [{ id: 'r1', type: 'VMR' as const, expireDate: FUTURE + 1 }];
    expect(plan(items, registered(enabledAgain)).items.map((p) => p.item)).toEqual(items);
  });
});
