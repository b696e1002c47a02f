/**
 * The registry's state model (functions/shared/registry/state.ts), pure and tested as tables: the transition
 * table cell by cell where a rule says what must (not) happen, and the repair decision for every combination
 * of registry state and what Huawei shows.
 */
import { describe, expect, it } from 'vitest';
import {
  dueAtOf,
  IllegalTransitionError,
  IN_DOUBT_HOLD_MS,
  inDoubtHoldMs,
  ITEM_EVENTS,
  ITEM_STATUSES,
  nextStatus,
  repairFromHuawei,
  TRANSITIONS,
} from '../../functions/shared/registry/state.js';
import type { ItemEvent, ItemStatus, ObservedResource, StateFields } from '../../functions/shared/registry/state.js';
import { DEFAULT_HUAWEI_CLIENT_SETTINGS, longestCallLifeMs } from '../../functions/shared/huawei/config.js';

const NOW = 1_800_000_000_000;
const PAST = NOW - 3_600_000;
const FUTURE = NOW + 30 * 86_400_000;

describe('transition table', () => {
  it('defines every status', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ITEM_STATUSES].sort());
  });

  it.each(ITEM_STATUSES.flatMap((status) => ITEM_EVENTS.map((event) => [status, event] as const)))(
    '%s + %s is either a defined transition or refused',
    (status, event) => {
      const defined = TRANSITIONS[status][event];
      if (defined === undefined) expect(() => nextStatus(status, event)).toThrow(IllegalTransitionError);
      else expect(nextStatus(status, event)).toBe(defined);
    },
  );

  const cells: ReadonlyArray<[ItemStatus, ItemEvent, ItemStatus | 'refused', string]> = [
    ['active', 'sweep-disabled', 'disabled-expired', 'our disable'],
    ['disabled-manual', 'sweep-disabled', 'refused', 'the sweeper never acts on a manual disable'],
    ['disabled-manual', 'reenabled', 'refused', 'a manual disable is never re-enabled by us'],
    ['disabled-manual', 'seen-disabled-by-us', 'disabled-manual', 'a manual disable stays manual whoever disabled it since'],
    ['disabled-expired', 'seen-disabled-elsewhere', 'disabled-expired', 'ours stays ours: a renewal may re-enable it'],
    ['active', 'seen-disabled-elsewhere', 'disabled-manual', 'disabled at Huawei by someone else'],
    ['active', 'seen-absent', 'gone', 'deleted at Huawei'],
    ['gone', 'sweep-disabled', 'refused', 'a gone resource is never swept'],
    ['gone', 'relay-updated', 'active', 'Huawei accepted an update, so it exists again'],
    ['failed', 'relay-updated', 'active', 'a caller\'s update clears the rejection history'],
    ['disabled-expired', 'relay-updated', 'disabled-expired', 'an update without isDisabled keeps the state'],
    ['disabled-manual', 'relay-enabled', 'active', 'only an explicit enable undoes a manual disable'],
  ];
  it.each(cells)('%s + %s -> %s (%s)', (status, event, expected) => {
    if (expected === 'refused') expect(() => nextStatus(status, event)).toThrow(IllegalTransitionError);
    else expect(nextStatus(status, event)).toBe(expected);
  });
});

describe('due index', () => {
  const rows: ReadonlyArray<[string, StateFields, number | undefined]> = [
    ['active with an expiry: at the expiry', { status: 'active', expireDate: FUTURE }, FUTURE],
    ['active without an expiry: never', { status: 'active' }, undefined],
    ['owed re-enable: at once', { status: 'active', expireDate: FUTURE, reenableOwedSince: NOW }, NOW],
    ['disabled for expiry: never', { status: 'disabled-expired', expireDate: PAST }, undefined],
    // A late disable cannot be wrong where the registry wants it disabled: no sweep work for the mark.
    ['disabled, our disable in doubt: never', { status: 'disabled-expired', expireDate: PAST, inDoubtSince: NOW }, undefined],
    ['disabled by a caller, in doubt: never', { status: 'disabled-manual', expireDate: FUTURE, inDoubtSince: NOW }, undefined],
    ['enabled again, in doubt: when the hold ends', { status: 'active', inDoubtSince: NOW }, NOW + IN_DOUBT_HOLD_MS],
    ['renewed, in doubt: when the hold ends', { status: 'active', expireDate: FUTURE, inDoubtSince: NOW }, NOW + IN_DOUBT_HOLD_MS],
    ['expired, in doubt: at its expiry (due now)', { status: 'active', expireDate: PAST, inDoubtSince: NOW }, PAST],
    ['gone: never', { status: 'gone', expireDate: PAST, inDoubtSince: NOW }, undefined],
    ['failed: never', { status: 'failed', expireDate: PAST }, undefined],
  ];
  it.each(rows)('%s', (_label, item, dueAt) => {
    expect(dueAtOf(item)).toBe(dueAt);
  });
});

describe('repair from what Huawei shows', () => {
  const enabled = (expireDate: number): ObservedResource => ({ type: 'VMR', expireDate, disabled: false });
  const disabled = (expireDate: number): ObservedResource => ({ type: 'VMR', expireDate, disabled: true });
  const afterHold = NOW - IN_DOUBT_HOLD_MS - 1;

  type Row = [string, StateFields | undefined, ObservedResource | undefined, { outcome: string; status?: ItemStatus; push?: boolean; inDoubt?: boolean }];
  const rows: readonly Row[] = [
    ['unknown, listed enabled: adopted active', undefined, enabled(PAST), { outcome: 'adopted', status: 'active' }],
    ['unknown, listed disabled: adopted as a manual disable', undefined, disabled(FUTURE), { outcome: 'adopted', status: 'disabled-manual' }],
    ['same state: nothing', { status: 'active', expireDate: FUTURE }, enabled(FUTURE), { outcome: 'unchanged' }],
    ['renewed elsewhere: new expiry, stays active', { status: 'active', expireDate: PAST }, enabled(FUTURE), { outcome: 'expiry-changed', status: 'active' }],
    ['due, still expired and enabled at Huawei: unchanged (the sweep disables it)', { status: 'active', expireDate: PAST }, enabled(PAST), { outcome: 'unchanged' }],
    ['disabled elsewhere, nothing of ours in doubt: manual', { status: 'active', expireDate: PAST }, disabled(PAST), { outcome: 'disabled-elsewhere', status: 'disabled-manual' }],
    ['disabled while our disable is in doubt, still expired: ours', { status: 'active', expireDate: PAST, inDoubtSince: NOW }, disabled(PAST), { outcome: 'disabled-by-us', status: 'disabled-expired', inDoubt: true }],
    ['disabled while ours is in doubt, renewed: push the registry\'s state (enable)', { status: 'active', expireDate: FUTURE, inDoubtSince: afterHold }, disabled(FUTURE), { outcome: 'push-again', status: 'active', push: false, inDoubt: false }],
    ['disabled within the hold, renewed: push, stay in doubt', { status: 'active', expireDate: FUTURE, inDoubtSince: NOW }, disabled(FUTURE), { outcome: 'push-again', status: 'active', push: false, inDoubt: true }],
    ['owed re-enable, renewed: re-enable', { status: 'active', expireDate: FUTURE, reenableOwedSince: NOW }, disabled(FUTURE), { outcome: 'reenable', status: 'active', push: false }],
    ['owed re-enable, already enabled: settled', { status: 'active', expireDate: FUTURE, reenableOwedSince: NOW }, enabled(FUTURE), { outcome: 'settled', status: 'active' }],
    ['ours, renewed at Huawei: re-enable once', { status: 'disabled-expired', expireDate: PAST }, disabled(FUTURE), { outcome: 'reenable', status: 'active', push: false }],
    ['ours, still expired: nothing', { status: 'disabled-expired', expireDate: PAST }, disabled(PAST), { outcome: 'unchanged' }],
    ['ours, enabled elsewhere: active again (swept again if expired)', { status: 'disabled-expired', expireDate: PAST }, enabled(PAST), { outcome: 'enabled-elsewhere', status: 'active' }],
    ['manual, renewed at Huawei: never re-enabled, takes the expiry', { status: 'disabled-manual', expireDate: PAST }, disabled(FUTURE), { outcome: 'expiry-changed', status: 'disabled-manual' }],
    ['manual, enabled elsewhere: active', { status: 'disabled-manual', expireDate: FUTURE }, enabled(FUTURE), { outcome: 'enabled-elsewhere', status: 'active' }],
    ['failed, renewed: active again', { status: 'failed', expireDate: PAST }, enabled(FUTURE), { outcome: 'expiry-changed', status: 'active' }],
    ['failed, disabled elsewhere: manual', { status: 'failed', expireDate: PAST }, disabled(PAST), { outcome: 'disabled-elsewhere', status: 'disabled-manual' }],
    ['absent at Huawei: gone', { status: 'active', expireDate: PAST }, undefined, { outcome: 'gone', status: 'gone' }],
    ['gone and still absent: nothing', { status: 'gone', expireDate: PAST }, undefined, { outcome: 'unchanged' }],
    ['gone, listed again: adopted anew', { status: 'gone', expireDate: PAST }, enabled(FUTURE), { outcome: 'adopted', status: 'active' }],
    ['in doubt after the hold, Huawei right: the mark is cleared', { status: 'active', expireDate: FUTURE, inDoubtSince: afterHold }, enabled(FUTURE), { outcome: 'settled', status: 'active', inDoubt: false }],
    ['in doubt within the hold, Huawei right: nothing yet', { status: 'active', expireDate: FUTURE, inDoubtSince: NOW }, enabled(FUTURE), { outcome: 'unchanged' }],
  ];

  it.each(rows)('%s', (_label, item, seen, expected) => {
    const repair = repairFromHuawei(item, seen, NOW);
    expect(repair.outcome).toBe(expected.outcome);
    if (expected.status === undefined) {
      expect(repair.next).toBeUndefined();
    } else {
      expect(repair.next?.status).toBe(expected.status);
      if (seen) expect(repair.next?.expireDate).toBe(seen.expireDate);
    }
    expect(repair.push?.isDisabled).toBe(expected.push);
    if (expected.inDoubt !== undefined) expect(repair.next?.inDoubt).toBe(expected.inDoubt);
  });

  it('never pushes a disable: only the sweep disables, and only what Huawei confirms', () => {
    for (const [, item, seen] of rows) expect(repairFromHuawei(item, seen, NOW).push?.isDisabled).not.toBe(true);
  });

  it('never re-enables a manual disable, whatever Huawei shows', () => {
    for (const seen of [disabled(FUTURE), disabled(PAST), enabled(FUTURE), undefined]) {
      expect(repairFromHuawei({ status: 'disabled-manual', expireDate: PAST }, seen, NOW).push).toBeUndefined();
    }
  });
});

describe('the in-doubt hold (issue 15, sequence 2: derived from the client, one source of truth)', () => {
  it('is twice the longest client-side life of a call with the settings every function uses', () => {
    // 4 attempts of connect 3 s + headers 10 s + body 10 s, and 3 waits of at most 5 s (Retry-After cap).
    expect(longestCallLifeMs(DEFAULT_HUAWEI_CLIENT_SETTINGS)).toBe(4 * 23_000 + 3 * 5_000);
    expect(IN_DOUBT_HOLD_MS).toBe(inDoubtHoldMs(DEFAULT_HUAWEI_CLIENT_SETTINGS));
    expect(IN_DOUBT_HOLD_MS).toBe(2 * longestCallLifeMs(DEFAULT_HUAWEI_CLIENT_SETTINGS));
  });

  it('follows every timeout, the retry count and the longest wait between attempts', () => {
    const base = inDoubtHoldMs(DEFAULT_HUAWEI_CLIENT_SETTINGS);
    const attempts = DEFAULT_HUAWEI_CLIENT_SETTINGS.maxRetries + 1;
    const slower = (change: Partial<typeof DEFAULT_HUAWEI_CLIENT_SETTINGS>) => inDoubtHoldMs({ ...DEFAULT_HUAWEI_CLIENT_SETTINGS, ...change });
    expect(slower({ connectTimeoutMs: DEFAULT_HUAWEI_CLIENT_SETTINGS.connectTimeoutMs + 1_000 })).toBe(base + 2 * attempts * 1_000);
    expect(slower({ headersTimeoutMs: DEFAULT_HUAWEI_CLIENT_SETTINGS.headersTimeoutMs + 1_000 })).toBe(base + 2 * attempts * 1_000);
    expect(slower({ bodyTimeoutMs: DEFAULT_HUAWEI_CLIENT_SETTINGS.bodyTimeoutMs + 1_000 })).toBe(base + 2 * attempts * 1_000);
    expect(slower({ maxRetries: 0 })).toBe(2 * 23_000);
    expect(slower({ maxRetryAfterMs: 60_000 })).toBe(2 * (attempts * 23_000 + (attempts - 1) * 60_000));
  });

  it('is longer than the 20 s delivery delay of issue 15 and than any call\'s deadline', () => {
    expect(IN_DOUBT_HOLD_MS).toBeGreaterThan(20_000);
    expect(IN_DOUBT_HOLD_MS).toBeGreaterThan(DEFAULT_HUAWEI_CLIENT_SETTINGS.defaultDeadlineMs);
  });
});
