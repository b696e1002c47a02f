/**
 * The registry's state model, in one place and pure: the statuses an item can be in, the events that move it,
 * the transition table, the due-index rule, and the decision table that repairs an item from what Huawei shows.
 *
 * Huawei is the system of record; the registry is the index of when to look. Each stored field has one meaning:
 *
 * - `status`: what the registry believes Huawei holds and why (below);
 * - `expireDate`: Huawei's expiry as last sent or read;
 * - `reenableOwedSince`: our sweeper disabled the resource for expiry, it has been renewed since, and Huawei
 *   still has our disable: a re-enable is owed (status stays `active`, the wanted state);
 * - `inDoubtSince`: a disable of ours (the sweeper's, or a caller's relayed by us) may still land (again) at
 *   Huawei: every disable we send is in doubt from the write that records it, answered or not, because any
 *   attempt may be delivered late or twice. Every later write keeps the mark until the hold is over. Until it is
 *   cleared, a disabled state seen at Huawei is taken as ours, not as a manual disable. It is cleared only after
 *   `IN_DOUBT_HOLD_MS` has passed since the disable, by a read of Huawei's state that is found right, or by a
 *   push of the registry's enabled state sent after the hold (see `dueAtOf`, `clearsDoubtAfterPush`);
 * - `goneAt`: when Huawei was found not to hold the resource any more (status `gone`).
 */
import { DEFAULT_HUAWEI_CLIENT_SETTINGS, longestCallLifeMs } from '../huawei/config.js';
import type { HuaweiClientSettings } from '../huawei/config.js';
import type { ResourceType } from '../huawei/schemas.js';

export const ITEM_STATUSES = ['active', 'disabled-expired', 'disabled-manual', 'failed', 'gone'] as const;

/**
 * - `active`: enabled at Huawei, as far as we know; enforced at its `expireDate`.
 * - `disabled-expired`: disabled by our sweeper because it expired. A renewal re-enables it (relay or sync).
 * - `disabled-manual`: disabled by a caller through the relay, or found disabled at Huawei without a disable of
 *   ours in doubt. Never re-enabled by us.
 * - `failed`: Huawei rejected our disable `SWEEP_MAX_REJECTIONS` sweeps in a row; reported, no longer swept.
 * - `gone`: Huawei does not hold it (deleted there). Never swept, never sent again; an update Huawei accepts
 *   for it, or a sync that finds it again, brings it back.
 */
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const ITEM_EVENTS = [
  /** The relay's accepted update carried `isDisabled: false` (or a renewal re-enable it added). */
  'relay-enabled',
  /** The relay's accepted update carried `isDisabled: true`. */
  'relay-disabled',
  /** The relay's accepted update did not touch the disabled state. */
  'relay-updated',
  /** Our sweeper's disable was accepted. */
  'sweep-disabled',
  /** Huawei rejected our disable for the last allowed time. */
  'sweep-gave-up',
  /** Our re-enable (owed, or a raced renewal) was accepted. */
  'reenabled',
  /** Huawei shows the resource enabled. */
  'seen-enabled',
  /** Huawei shows it disabled, and a disable of ours explains it (in doubt, owed re-enable not yet sent, or ours). */
  'seen-disabled-by-us',
  /** Huawei shows it disabled and nothing of ours explains it. */
  'seen-disabled-elsewhere',
  /** Huawei does not list it. */
  'seen-absent',
] as const;

export type ItemEvent = (typeof ITEM_EVENTS)[number];

/**
 * status x event -> status. A missing entry is a transition that must not happen (the caller has a bug); the
 * table is tested cell by cell.
 */
export const TRANSITIONS: Readonly<Record<ItemStatus, Partial<Record<ItemEvent, ItemStatus>>>> = {
  active: {
    'relay-enabled': 'active',
    'relay-disabled': 'disabled-manual',
    'relay-updated': 'active',
    'sweep-disabled': 'disabled-expired',
    'sweep-gave-up': 'failed',
    reenabled: 'active',
    'seen-enabled': 'active',
    'seen-disabled-by-us': 'disabled-expired',
    'seen-disabled-elsewhere': 'disabled-manual',
    'seen-absent': 'gone',
  },
  'disabled-expired': {
    'relay-enabled': 'active',
    'relay-disabled': 'disabled-manual',
    'relay-updated': 'disabled-expired',
    reenabled: 'active',
    'seen-enabled': 'active',
    'seen-disabled-by-us': 'disabled-expired',
    'seen-disabled-elsewhere': 'disabled-expired',
    'seen-absent': 'gone',
  },
  'disabled-manual': {
    'relay-enabled': 'active',
    'relay-disabled': 'disabled-manual',
    'relay-updated': 'disabled-manual',
    'seen-enabled': 'active',
    'seen-disabled-by-us': 'disabled-manual',
    'seen-disabled-elsewhere': 'disabled-manual',
    'seen-absent': 'gone',
  },
  failed: {
    // Our disable was accepted after all (a raced record re-checked it).
    'sweep-disabled': 'disabled-expired',
    // A caller's accepted update is a new state: the rejection history no longer applies.
    'relay-enabled': 'active',
    'relay-disabled': 'disabled-manual',
    'relay-updated': 'active',
    'seen-enabled': 'failed',
    'seen-disabled-by-us': 'disabled-expired',
    'seen-disabled-elsewhere': 'disabled-manual',
    'seen-absent': 'gone',
  },
  gone: {
    // Huawei accepted an update for it, so it exists again.
    'relay-enabled': 'active',
    'relay-disabled': 'disabled-manual',
    'relay-updated': 'active',
    'seen-enabled': 'active',
    'seen-disabled-by-us': 'disabled-manual',
    'seen-disabled-elsewhere': 'disabled-manual',
    'seen-absent': 'gone',
  },
};

export class IllegalTransitionError extends Error {
  constructor(status: ItemStatus, event: ItemEvent) {
    super(`registry item in status ${status} cannot take event ${event}`);
    this.name = 'IllegalTransitionError';
  }
}

export function nextStatus(status: ItemStatus, event: ItemEvent): ItemStatus {
  const next = TRANSITIONS[status][event];
  if (next === undefined) throw new IllegalTransitionError(status, event);
  return next;
}

/**
 * How long a write of ours that may have reached Huawei without an answer stays in doubt, derived from the
 * client's settings (one source of truth: its connect, headers and body timeouts, retry count and longest wait
 * between attempts): twice the longest client-side life of a call (`longestCallLifeMs`). A request the client
 * gave up on can still be delivered later, by a network path or an upstream proxy that holds it; the factor two
 * allows such a hop to wait as long as our own client would. After the hold, pushing the registry's state
 * again, or reading Huawei and finding it right, is final. Defaults: 2 x (4 x 23 s + 3 x 5 s) = 214 s.
 */
export function inDoubtHoldMs(settings: Readonly<HuaweiClientSettings> = DEFAULT_HUAWEI_CLIENT_SETTINGS): number {
  return 2 * longestCallLifeMs(settings);
}

/** The hold for the client every function uses (`getHuaweiClient()`: the default settings). */
export const IN_DOUBT_HOLD_MS = inDoubtHoldMs();

/** The fields the state model reads. */
export interface StateFields {
  status: ItemStatus;
  expireDate?: number | undefined;
  reenableOwedSince?: number | undefined;
  inDoubtSince?: number | undefined;
}

/** Active with an expiry at or before `now`: what the sweeper must disable. */
export function isDue(item: StateFields, now: number): boolean {
  return item.status === 'active' && item.expireDate !== undefined && item.expireDate <= now;
}

/**
 * Whether Huawei should have the resource disabled, as far as the registry knows; undefined when the registry
 * has no opinion (failed: our disable was refused; gone: nothing to hold).
 */
export function shouldBeDisabled(item: StateFields, now: number): boolean | undefined {
  switch (item.status) {
    case 'disabled-expired':
    case 'disabled-manual':
      return true;
    case 'failed':
    case 'gone':
      return undefined;
    case 'active':
      return isDue(item, now);
  }
}

/** Disabled upstream by our sweeper for expiry, or possibly so (owed re-enable, disable in doubt). */
export function mayBeDisabledByUs(item: StateFields): boolean {
  return item.status === 'disabled-expired' || item.reenableOwedSince !== undefined || item.inDoubtSince !== undefined;
}

/**
 * When the sweep must next look at the item, or undefined when never (it then leaves the due index):
 * - an active item at its expiry, or at once while a re-enable is owed;
 * - an active item with a disable of ours in doubt, once the hold is over (earlier if it expires first). Only
 *   active items: a late disable can only be wrong where the registry wants the resource enabled, so a disabled
 *   item keeps its mark without costing the sweep anything (the next write that enables it brings it here, and
 *   the sync clears marks it finds right).
 */
export function dueAtOf(item: StateFields): number | undefined {
  const candidates: number[] = [];
  if (item.status === 'active') {
    if (item.reenableOwedSince !== undefined) candidates.push(item.reenableOwedSince);
    else if (item.expireDate !== undefined) candidates.push(item.expireDate);
    if (item.inDoubtSince !== undefined) candidates.push(item.inDoubtSince + IN_DOUBT_HOLD_MS);
  }
  return candidates.length ? Math.min(...candidates) : undefined;
}

/** Whether a disable of ours is in doubt and its hold is over at `now`. */
export function doubtHoldOver(item: StateFields, now: number): boolean {
  return item.inDoubtSince !== undefined && now >= item.inDoubtSince + IN_DOUBT_HOLD_MS;
}

/**
 * Whether a push of the registry's enabled state sent at `pushedAt` settles the item's doubt: it was sent after
 * the hold, so nothing of ours sent before it can still land after it.
 */
export function clearsDoubtAfterPush(item: StateFields, pushedAt: number): boolean {
  return doubtHoldOver(item, pushedAt);
}

/** What Huawei shows for one (id, type), read with SearchResource. */
export interface ObservedResource {
  type: ResourceType;
  expireDate: number;
  /** Huawei status 2. */
  disabled: boolean;
}

/** What a repair does to the item, besides writing the new state. */
export type RepairOutcome =
  /** Registry and Huawei agree: nothing is written. */
  | 'unchanged'
  /** They agree, and an owed re-enable or an in-doubt mark whose hold is over is cleared. */
  | 'settled'
  /** Huawei's expiry differs (renewed or shortened elsewhere); the registry takes it. */
  | 'expiry-changed'
  /** Disabled at Huawei by someone else: recorded as a manual disable. */
  | 'disabled-elsewhere'
  /** Enabled at Huawei by someone else. */
  | 'enabled-elsewhere'
  /** Our disable explains Huawei's disabled state: recorded as ours. */
  | 'disabled-by-us'
  /** Renewed at Huawei after our sweeper disabled it, or owed a re-enable: re-enabled now (push). */
  | 'reenable'
  /** Our disable is in doubt and Huawei shows the wrong state: the registry's state is pushed again. */
  | 'push-again'
  /** Expired and enabled at Huawei while the registry wants it disabled: disable (push). */
  | 'disable'
  /** Huawei does not hold it. */
  | 'gone'
  /** Unknown to the registry: recorded from Huawei's state. */
  | 'adopted';

export interface Repair {
  outcome: RepairOutcome;
  /** The item's state afterwards (undefined for `unchanged`). */
  next?: StateAfterRepair;
  /** What to send to Huawei first, when anything: the wanted disabled state. */
  push?: { isDisabled: boolean };
  /** Whether the repair clears an in-doubt mark (the hold is over and the state is settled). */
  clearsDoubt: boolean;
}

export interface StateAfterRepair {
  status: ItemStatus;
  expireDate?: number | undefined;
  /** Left set only while the hold is not over. */
  inDoubt: boolean;
}

/**
 * The decision table: given the registry's item (undefined: unknown to it) and what Huawei shows for the same
 * (id, type) (undefined: absent), what the registry records and what, if anything, is pushed to Huawei.
 *
 * Rules: Huawei's expiry always wins (we never push an expiry). A manual disable is never undone by us. A
 * disabled state seen at Huawei is ours while a disable of ours is in doubt or a re-enable is owed, or when we
 * recorded the disable; otherwise it is someone else's. A resource our sweeper disabled for expiry that Huawei
 * now shows with a future expiry is re-enabled (once: the item is then active, so a later disable is manual).
 */
export function repairFromHuawei(item: StateFields | undefined, seen: ObservedResource | undefined, now: number): Repair {
  if (item === undefined) {
    if (seen === undefined) return { outcome: 'unchanged', clearsDoubt: false };
    return {
      outcome: 'adopted',
      next: { status: seen.disabled ? 'disabled-manual' : 'active', expireDate: seen.expireDate, inDoubt: false },
      clearsDoubt: false,
    };
  }
  const holdOver = item.inDoubtSince === undefined || now >= item.inDoubtSince + IN_DOUBT_HOLD_MS;
  const inDoubt = item.inDoubtSince !== undefined;
  if (seen === undefined) {
    if (item.status === 'gone') return { outcome: 'unchanged', clearsDoubt: false };
    return { outcome: 'gone', next: { status: 'gone', expireDate: item.expireDate, inDoubt: false }, clearsDoubt: inDoubt };
  }
  const expireDate = seen.expireDate;
  const expiryChanged = item.expireDate !== expireDate;
  const renewed = expireDate > now;
  const settle = (outcome: RepairOutcome, status: ItemStatus, push?: boolean): Repair => {
    const repair: Repair = { outcome, next: { status, expireDate, inDoubt: inDoubt && !holdOver }, clearsDoubt: inDoubt && holdOver };
    if (push !== undefined) repair.push = { isDisabled: push };
    return repair;
  };

  if (item.status === 'gone') return settle('adopted', seen.disabled ? 'disabled-manual' : 'active');

  if (!seen.disabled) {
    // Enabled at Huawei.
    switch (item.status) {
      case 'active':
        if (!expiryChanged && item.reenableOwedSince === undefined && !(inDoubt && holdOver)) return { outcome: 'unchanged', clearsDoubt: false };
        return settle(expiryChanged ? 'expiry-changed' : 'settled', 'active');
      case 'failed':
        if (renewed) return settle('expiry-changed', 'active');
        if (!expiryChanged && !(inDoubt && holdOver)) return { outcome: 'unchanged', clearsDoubt: false };
        return settle(expiryChanged ? 'expiry-changed' : 'settled', 'failed');
      case 'disabled-manual':
      case 'disabled-expired':
        // Someone enabled it (with or without renewing it). Past its expiry, the next sweep disables it again.
        if (inDoubt && !holdOver && item.status === 'disabled-expired') return { outcome: 'unchanged', clearsDoubt: false };
        return settle('enabled-elsewhere', 'active');
    }
  }

  // Disabled at Huawei.
  const ours = inDoubt || item.reenableOwedSince !== undefined || item.status === 'disabled-expired';
  switch (item.status) {
    case 'disabled-manual':
      if (!expiryChanged && !(inDoubt && holdOver)) return { outcome: 'unchanged', clearsDoubt: false };
      return settle(expiryChanged ? 'expiry-changed' : 'settled', 'disabled-manual');
    case 'disabled-expired':
      // Renewed at Huawei after our sweeper disabled it: re-enable once.
      if (renewed) return settle('reenable', 'active', false);
      if (!expiryChanged && !(inDoubt && holdOver)) return { outcome: 'unchanged', clearsDoubt: false };
      return settle(expiryChanged ? 'expiry-changed' : 'settled', 'disabled-expired');
    case 'active':
    case 'failed':
      if (!ours) return settle('disabled-elsewhere', 'disabled-manual');
      // Ours is the likelier cause: push the registry's state again (enable when renewed), else record it as ours.
      if (renewed) return settle(item.reenableOwedSince !== undefined && !inDoubt ? 'reenable' : 'push-again', 'active', false);
      return settle('disabled-by-us', 'disabled-expired');
  }
}
