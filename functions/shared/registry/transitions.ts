/**
 * Every state change of a resource item as a pure function from the item read to the item to write. The store
 * writes the result with a condition on the version read, so a change computed from stale data never lands.
 * Each transition bumps `version` once and recomputes the due-index keys, the only place they are derived.
 */
import type { ModResourceItem } from '../huawei/schemas.js';
import { dueShardFor, itemKey } from './keys.js';
import { belongsInDueIndex, dueAtOf } from './model.js';
import type { RegistryItem, ResourceRef, UpstreamError } from './model.js';

export interface WriteContext {
  now: number;
  /** X-Request-Id of the upstream call that made the change, when one did. */
  requestId?: string | undefined;
}

/** A relayed change to one resource: the ModResourceDTO fields that Huawei applies. */
export type ResourceChange = Pick<ModResourceItem, 'expireDate' | 'isDisabled'>;

/** A fresh item for a resource the registry has not seen; `template` is a type-less item whose state it shares. */
export function newItem(ref: ResourceRef, now: number, template?: RegistryItem): RegistryItem {
  const item: RegistryItem = {
    ...itemKey(ref.corpId, ref.resourceId, ref.type),
    corpId: ref.corpId,
    resourceId: ref.resourceId,
    disabled: false,
    createdAt: now,
    updatedAt: now,
    rejections: 0,
    version: 0,
  };
  if (ref.type !== undefined) item.type = ref.type;
  if (template) {
    // Huawei applied the type-less item's updates to this type too: start from that state.
    copyDefined(item, template, ['expireDate', 'disabled', 'disabledReason', 'disabledAt', 'reenablePendingSince']);
  }
  return item;
}

/** Folds one relayed change into an item (without bumping the version: see `finishWrite`). */
export function applyRelayedChange(item: RegistryItem, change: ResourceChange, now: number): RegistryItem {
  const next: RegistryItem = { ...item };
  if (change.expireDate !== undefined) next.expireDate = change.expireDate;
  if (change.isDisabled === true) {
    next.disabled = true;
    next.disabledReason = 'manual';
    next.disabledAt = now;
    delete next.reenablePendingSince;
  } else if (change.isDisabled === false) {
    next.disabled = false;
    delete next.disabledReason;
    delete next.disabledAt;
    delete next.reenablePendingSince;
  }
  // A caller's accepted update is a new state: the sweeper's rejection history no longer applies.
  next.rejections = 0;
  delete next.lastError;
  delete next.failedAt;
  return next;
}

/**
 * The resource should be enabled (renewed) but is still disabled upstream: the next sweep re-enables it. Used
 * by the relay for a type-less renewal it cannot re-enable itself, and by the sweeper when its re-enable failed.
 */
export function markReenablePending(item: RegistryItem, now: number): RegistryItem {
  const next: RegistryItem = { ...item, disabled: false, reenablePendingSince: item.reenablePendingSince ?? now };
  delete next.disabledReason;
  delete next.disabledAt;
  return next;
}

/** Sets the write's bookkeeping: one version bump, timestamps, request id, due-index keys. */
export function finishWrite(before: RegistryItem, after: RegistryItem, ctx: WriteContext): RegistryItem {
  const next: RegistryItem = { ...after, version: before.version + 1, updatedAt: ctx.now };
  if (ctx.requestId !== undefined) next.lastRequestId = ctx.requestId;
  return withDueIndexKeys(next);
}

/** The sweeper's disable was accepted by Huawei. */
export function markExpiredDisabled(item: RegistryItem, ctx: WriteContext): RegistryItem {
  const next: RegistryItem = { ...item, disabled: true, disabledReason: 'expired', disabledAt: ctx.now, rejections: 0 };
  delete next.lastError;
  delete next.reenablePendingSince;
  return finishWrite(item, withoutClaim(next), ctx);
}

/** Huawei rejected the sweeper's disable of this item alone; after `maxRejections` sweeps it is failed. */
export function markRejected(item: RegistryItem, error: UpstreamError, maxRejections: number, ctx: WriteContext): RegistryItem {
  const rejections = item.rejections + 1;
  const next: RegistryItem = { ...item, rejections, lastError: error };
  if (rejections >= maxRejections) next.failedAt = ctx.now;
  // The rejected call changed nothing upstream, so the last changing request id stays.
  return finishWrite(item, withoutClaim(next), { now: ctx.now });
}

/** Huawei accepted the sweeper's re-enable of a renewed resource. */
export function markReenabled(item: RegistryItem, ctx: WriteContext): RegistryItem {
  const next = withoutClaim({ ...item });
  delete next.reenablePendingSince;
  return finishWrite(item, next, ctx);
}

/** The sweeper's re-enable did not go through: the next sweep must try again. */
export function markReenableRetry(item: RegistryItem, ctx: WriteContext): RegistryItem {
  return finishWrite(item, withoutClaim(markReenablePending(item, ctx.now)), { now: ctx.now });
}

export function withoutClaim(item: RegistryItem): RegistryItem {
  const next = { ...item };
  delete next.claimedBy;
  delete next.claimExpiresAt;
  return next;
}

export function withDueIndexKeys(item: RegistryItem): RegistryItem {
  const next = { ...item };
  const dueAt = dueAtOf(next);
  if (belongsInDueIndex(next) && dueAt !== undefined) {
    next.dueShard = dueShardFor(next);
    next.dueAt = dueAt;
  } else {
    delete next.dueShard;
    delete next.dueAt;
  }
  return next;
}

function copyDefined<K extends keyof RegistryItem>(target: RegistryItem, source: RegistryItem, keys: readonly K[]): void {
  for (const key of keys) {
    if (source[key] !== undefined) target[key] = source[key];
  }
}

/**
 * No change of meaning, but a new version: the sweeper seals an upstream call whose result already matches
 * the item, so that a writer who read the item before that call fails its own record and re-checks.
 */
export function markChecked(item: RegistryItem, ctx: WriteContext): RegistryItem {
  return finishWrite(item, withoutClaim(item), ctx);
}
