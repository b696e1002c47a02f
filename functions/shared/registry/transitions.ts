/**
 * Every write of a resource item as a pure function from the item read to the item to write. The status moves
 * only through the transition table in state.ts; the store writes the result with a condition on the version
 * read, so a change computed from stale data never lands. Each transition bumps `version` once and recomputes
 * the due-index keys, the only place they are derived.
 */
import type { ModResourceItem } from '../huawei/schemas.js';
import { dueShardFor, itemKey } from './keys.js';
import type { RegistryItem, ResourceRef, UpstreamError } from './model.js';
import { clearsDoubtAfterPush, doubtHoldOver, dueAtOf, nextStatus } from './state.js';
import type { ItemEvent, Repair } from './state.js';

export interface WriteContext {
  now: number;
  /** X-Request-Id of the upstream call that made the change, when one did. */
  requestId?: string | undefined;
  /**
   * When the upstream call that made the change was sent (before `now`). An enabled state pushed after an
   * in-doubt disable's hold settles the doubt (`clearsDoubtAfterPush`).
   */
  pushedAt?: number | undefined;
}

/** A relayed change to one resource: the ModResourceDTO fields that Huawei applies. */
export type ResourceChange = Pick<ModResourceItem, 'expireDate' | 'isDisabled'>;

/** A fresh item for a resource the registry has not seen; `template` is a type-less item whose state it shares. */
export function newItem(ref: ResourceRef, now: number, template?: RegistryItem): RegistryItem {
  const item: RegistryItem = {
    ...itemKey(ref.corpId, ref.resourceId, ref.type),
    corpId: ref.corpId,
    resourceId: ref.resourceId,
    status: 'active',
    createdAt: now,
    updatedAt: now,
    rejections: 0,
    version: 0,
  };
  if (ref.type !== undefined) item.type = ref.type;
  if (template) {
    // Huawei applied the type-less item's updates to this type too: start from that state.
    copyDefined(item, template, ['status', 'expireDate', 'disabledAt', 'goneAt', 'reenableOwedSince', 'inDoubtSince']);
  }
  return item;
}

/** Moves the status by `event` and keeps the timestamps that belong to the status in step. */
function withStatus(item: RegistryItem, event: ItemEvent, now: number): RegistryItem {
  const status = nextStatus(item.status, event);
  const next: RegistryItem = { ...item, status };
  if (status === 'disabled-expired' || status === 'disabled-manual') {
    if (item.status !== status) next.disabledAt = now;
  } else {
    delete next.disabledAt;
  }
  if (status !== 'failed') delete next.failedAt;
  else next.failedAt ??= now;
  if (status !== 'gone') delete next.goneAt;
  else next.goneAt ??= now;
  if (status !== 'active') delete next.reenableOwedSince;
  return next;
}

/**
 * Folds one relayed change into an item (without bumping the version: see `finishWrite`). `pushedAt`: when the
 * change was sent upstream; an enable sent after an in-doubt disable's hold settles the doubt.
 */
export function applyRelayedChange(item: RegistryItem, change: ResourceChange, now: number, pushedAt?: number): RegistryItem {
  const event: ItemEvent = change.isDisabled === true ? 'relay-disabled' : change.isDisabled === false ? 'relay-enabled' : 'relay-updated';
  const next = withStatus(item, event, now);
  if (change.expireDate !== undefined) next.expireDate = change.expireDate;
  // An explicit disabled state from a caller settles any owed re-enable; a disable of ours in doubt stays in
  // doubt (it can still land after this update) unless this enable was sent after the hold.
  if (change.isDisabled !== undefined) delete next.reenableOwedSince;
  if (change.isDisabled === false && pushedAt !== undefined && clearsDoubtAfterPush(item, pushedAt)) delete next.inDoubtSince;
  // A caller's accepted update is a new state: the sweeper's rejection history no longer applies.
  next.rejections = 0;
  delete next.lastError;
  return next;
}

/**
 * The resource should be enabled (renewed) but our expiry disable is still in place upstream: the next sweep
 * re-enables it. Used by the relay for a type-less renewal it cannot re-enable itself, and by the sweeper when
 * its re-enable failed.
 */
export function markReenableOwed(item: RegistryItem, now: number): RegistryItem {
  const next: RegistryItem = { ...withStatus(item, item.status === 'active' ? 'reenabled' : 'relay-enabled', now) };
  next.reenableOwedSince = item.reenableOwedSince ?? now;
  return next;
}

/**
 * Sets the write's bookkeeping: one version bump, timestamps, request id, due-index keys. A write decides the
 * item's state anew, so it is no longer a provisional create (`templateVersion`; the sync, a sweep's look-up and
 * the relay set it on their creates; `markInDoubt` and `markChecked`, which decide nothing, keep it).
 */
export function finishWrite(before: RegistryItem, after: RegistryItem, ctx: WriteContext): RegistryItem {
  const next: RegistryItem = { ...after, version: before.version + 1, updatedAt: ctx.now };
  delete next.templateVersion;
  if (ctx.requestId !== undefined) next.lastRequestId = ctx.requestId;
  return withDueIndexKeys(next);
}

/**
 * The sweeper's disable was accepted by Huawei. Any attempt of it (answered or not) may be delivered again
 * later, after a renewal: the item is (again) in doubt from now, in this same write (no extra write).
 */
export function markExpiredDisabled(item: RegistryItem, ctx: WriteContext): RegistryItem {
  const next: RegistryItem = { ...withStatus(item, 'sweep-disabled', ctx.now), rejections: 0, inDoubtSince: ctx.now };
  delete next.lastError;
  return finishWrite(item, withoutClaim(next), ctx);
}

/**
 * A disable of ours sent at `sentAt` (undefined: none) reached the item: it is in doubt from then, unless it
 * already is from later. Folded into whatever write records the item next, so no extra write is needed.
 */
export function withDisableInDoubt(item: RegistryItem, sentAt: number | undefined): RegistryItem {
  if (sentAt === undefined || (item.inDoubtSince !== undefined && item.inDoubtSince >= sentAt)) return item;
  return { ...item, inDoubtSince: sentAt };
}

/**
 * A typed item next to a type-less one in doubt: the type-less disable reached this type too, so while its hold
 * lasts the typed item is in doubt from then as well (a later mark of its own stands).
 */
export function withInheritedDoubt(typed: RegistryItem, typeless: RegistryItem, now: number): RegistryItem {
  const since = typeless.inDoubtSince;
  if (since === undefined || typeless.status === 'gone' || doubtHoldOver(typeless, now)) return typed;
  return withDisableInDoubt(typed, since);
}

/**
 * After the hold, Huawei was read (and, if it showed our disable where the registry wants the resource enabled,
 * the enable pushed again): the doubt is settled, nothing else changes.
 */
export function markDoubtSettled(item: RegistryItem, ctx: WriteContext): RegistryItem {
  const next = withoutClaim(item);
  delete next.inDoubtSince;
  return finishWrite(item, next, ctx);
}

/** A disable of ours got no answer: Huawei may apply it later. The item stays as it is, in doubt from now. */
export function markInDoubt(item: RegistryItem, ctx: WriteContext): RegistryItem {
  // Only a mark: a sync's provisional create stays provisional.
  return keepProvisional(item, finishWrite(item, withoutClaim({ ...item, inDoubtSince: ctx.now }), { now: ctx.now }));
}

/**
 * A typed item a sync created from the type-less item's state (`templateVersion`), not yet confirmed by that
 * sync's re-check, next to a type-less item that has been written since the sync read it: a disable of ours (or
 * an enable) recorded there meanwhile reached this type too, and the sync's judgement (a disable it saw at Huawei
 * taken as manual, say) may rest on a registry read that predates it. A writer that reads it takes the type-less
 * item's state instead, as if the typed item did not exist yet (issue 15, fifth round).
 */
export function provisionalIsStale(typed: RegistryItem, typeless: RegistryItem | undefined): boolean {
  if (typed.type === undefined || typed.templateVersion === undefined) return false;
  return typeless !== undefined && typeless.status !== 'gone' && typeless.version !== typed.templateVersion;
}

/** The sync's re-check found the type-less item unchanged: its provisional create stands (marker cleared). */
export function markConfirmed(item: RegistryItem, ctx: WriteContext): RegistryItem {
  return finishWrite(item, item, { now: ctx.now });
}

/** Huawei rejected the sweeper's disable of this item alone; after `maxRejections` sweeps it is failed. */
export function markRejected(item: RegistryItem, error: UpstreamError, maxRejections: number, ctx: WriteContext): RegistryItem {
  const rejections = item.rejections + 1;
  const base = rejections >= maxRejections ? withStatus(item, 'sweep-gave-up', ctx.now) : item;
  const next: RegistryItem = { ...base, rejections, lastError: error };
  // The rejected call changed nothing upstream, so the last changing request id stays.
  return finishWrite(item, withoutClaim(next), { now: ctx.now });
}

/** Huawei accepted the sweeper's re-enable of a renewed resource (sent at `ctx.pushedAt`). */
export function markReenabled(item: RegistryItem, ctx: WriteContext): RegistryItem {
  const next = withoutClaim(withStatus(item, 'reenabled', ctx.now));
  delete next.reenableOwedSince;
  if (ctx.pushedAt !== undefined && clearsDoubtAfterPush(item, ctx.pushedAt)) delete next.inDoubtSince;
  return finishWrite(item, next, ctx);
}

/** The sweeper's re-enable did not go through: the next sweep must try again. */
export function markReenableRetry(item: RegistryItem, ctx: WriteContext): RegistryItem {
  return finishWrite(item, withoutClaim(markReenableOwed(item, ctx.now)), { now: ctx.now });
}

/**
 * Applies a repair decided from Huawei's state (`repairFromHuawei` in state.ts) to a known item, after its push
 * (if any) was accepted. Pure; the caller writes it conditioned on the version read before Huawei was read.
 */
export function applyRepair(item: RegistryItem, repair: Repair, ctx: WriteContext): RegistryItem {
  const wanted = repair.next;
  if (wanted === undefined) return item;
  const next: RegistryItem = withoutClaim({ ...item, status: wanted.status });
  if (wanted.expireDate !== undefined) next.expireDate = wanted.expireDate;
  if (item.status !== wanted.status) {
    if (wanted.status === 'disabled-expired' || wanted.status === 'disabled-manual') next.disabledAt = ctx.now;
    if (wanted.status === 'failed') next.failedAt = ctx.now;
    if (wanted.status === 'gone') next.goneAt = ctx.now;
  }
  if (wanted.status !== 'disabled-expired' && wanted.status !== 'disabled-manual') delete next.disabledAt;
  if (wanted.status !== 'failed') delete next.failedAt;
  if (wanted.status !== 'gone') delete next.goneAt;
  // Huawei's state is now known: an owed re-enable is either done (pushed) or moot.
  delete next.reenableOwedSince;
  if (!wanted.inDoubt) delete next.inDoubtSince;
  if (wanted.status === 'active' && item.status !== 'active') next.rejections = 0;
  return finishWrite(item, next, ctx);
}

/** A resource the registry did not know, recorded from Huawei's listing by a sync. */
export function adoptedItem(ref: ResourceRef, repair: Repair, now: number): RegistryItem {
  const item = newItem(ref, now);
  item.adoptedAt = now;
  return applyRepair(item, repair, { now });
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
  if (dueAt !== undefined) {
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
  return keepProvisional(item, finishWrite(item, withoutClaim(item), ctx));
}

/** A write that decides nothing about the item's state keeps a sync's provisional create provisional. */
function keepProvisional(item: RegistryItem, next: RegistryItem): RegistryItem {
  if (item.templateVersion !== undefined) next.templateVersion = item.templateVersion;
  return next;
}
