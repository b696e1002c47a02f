/**
 * Brings the registry's items of one resource id in line with what Huawei lists for that id: the one place
 * where Huawei's typed listing meets the registry's typed and type-less items (the type-less seam).
 *
 * Huawei always lists (id, type) pairs. The registry has a typed item per (id, type) it knows, and may have a
 * type-less item (`RES#<id>#*`) that stands for every type of the id it has no typed item of. Here:
 * - a listed type with its own typed item is repaired on that item;
 * - a listed type without one is judged against the type-less item; when Huawei's state for it differs, a typed
 *   item is created from the type-less one with Huawei's state (from then on that type has its own item);
 * - a listed type the registry knows nothing of is adopted as a typed item;
 * - a typed item Huawei does not list is gone; the type-less item is gone once every listed type has its own
 *   item (it stands for nothing any more), and otherwise is repaired like the types it stands for when they all
 *   agree, or else only sealed (its version bumped, so that a relay write that read it before the new typed
 *   items existed fails and re-reads).
 *
 * Pure: the caller pushes the `push` DTOs first, then writes each item conditionally (creates on not existing,
 * replaces on the version read before Huawei was read), the type-less item last.
 */
import type { ModResourceItem, ResourceType } from '../huawei/schemas.js';
import type { ListedResource } from './huawei-listing.js';
import type { RegistryItem } from './model.js';
import { isDue, repairFromHuawei } from './state.js';
import type { Repair, RepairOutcome } from './state.js';
import { adoptedItem, applyRepair, markChecked, markExpiredDisabled, newItem, withInheritedDoubt } from './transitions.js';

export interface PlannedRepair {
  /** The item as read; undefined for a create. */
  before: RegistryItem | undefined;
  after: RegistryItem;
  outcome: RepairOutcome;
  /** To send to Huawei before the write; the write is dropped if Huawei does not accept it. */
  push?: ModResourceItem;
}

export interface RepairPlanOptions {
  now: number;
  /**
   * The sweep: an item Huawei lists as past its expiry and still enabled, which the registry wants disabled,
   * is disabled (confirmed by Huawei). The sync leaves that to the next sweep.
   */
  disableExpired: boolean;
  /** Adopt listed types the registry knows nothing of (the sync); the sweep only repairs what it knows. */
  adopt: boolean;
}

export function planIdRepair(
  corpId: string,
  resourceId: string,
  registered: readonly RegistryItem[],
  listed: readonly ListedResource[],
  options: RepairPlanOptions,
): PlannedRepair[] {
  const { now } = options;
  const typed = new Map<ResourceType, RegistryItem>();
  let typeless: RegistryItem | undefined;
  for (const item of registered) {
    if (item.type === undefined) typeless = item;
    else typed.set(item.type, item);
  }
  const plans: PlannedRepair[] = [];
  const seenTypes = new Set<ResourceType>();
  const standingFor: Repair[] = [];

  for (const seen of listed) {
    if (seen.id !== resourceId || seenTypes.has(seen.type)) continue;
    seenTypes.add(seen.type);
    const ref = { corpId, resourceId, type: seen.type };
    const own = typed.get(seen.type);
    if (own) {
      // A type-less disable of ours in doubt reached this type too while its hold lasts (as the relay's writes
      // carry it: `withInheritedDoubt`): a disabled state seen for it is then ours, not someone else's (issue 15,
      // seed 259286: a relay's typed create from the type-less item read before the sweep recorded its disable).
      const judged = typeless && typeless.status !== 'gone' ? withInheritedDoubt(own, typeless, now) : own;
      const plan = planOne(judged, repairFromHuawei(judged, seen, now), seen, options);
      if (plan) plans.push(plan);
      continue;
    }
    const template = typeless && typeless.status !== 'gone' ? typeless : undefined;
    if (template) {
      const repair = repairFromHuawei(template, seen, now);
      const wouldDisable = options.disableExpired && isDue({ ...template, expireDate: seen.expireDate }, now) && !seen.disabled;
      if (repair.next === undefined && !wouldDisable) {
        standingFor.push(repair); // the type-less item still describes this type
        continue;
      }
      const created = newItem(ref, now, template); // version 0: written as version 1, like the relay's new items
      const plan = planOne(created, repair, seen, options);
      plans.push(plan ? { ...plan, before: undefined } : { before: undefined, after: markChecked(created, { now }), outcome: 'settled' });
      continue;
    }
    if (!options.adopt) continue;
    const repair = repairFromHuawei(undefined, seen, now);
    plans.push({ before: undefined, after: adoptedItem(ref, repair, now), outcome: 'adopted' });
  }

  for (const [type, item] of typed) {
    if (seenTypes.has(type)) continue;
    const plan = planOne(item, repairFromHuawei(item, undefined, now), undefined, options);
    if (plan) plans.push(plan);
  }

  if (typeless && typeless.status !== 'gone') {
    const createdFromIt = plans.some((p) => p.before === undefined && p.after.type !== undefined && !typed.has(p.after.type) && p.outcome !== 'adopted');
    if (standingFor.length === 0) {
      // Every listed type has its own item now (or none is listed): the type-less item stands for nothing.
      const plan = planOne(typeless, repairFromHuawei(typeless, undefined, now), undefined, options);
      if (plan) plans.push(plan);
    } else if (createdFromIt) {
      plans.push({ before: typeless, after: markChecked(typeless, { now }), outcome: 'settled' });
    }
  }
  return plans;
}

function planOne(item: RegistryItem, repair: Repair, seen: ListedResource | undefined, options: RepairPlanOptions): PlannedRepair | undefined {
  const { now } = options;
  const after = repair.next ? applyRepair(item, repair, { now }) : undefined;
  const state = after ?? item;
  if (options.disableExpired && seen && !seen.disabled && item.type !== undefined && isDue(state, now)) {
    // Huawei confirms it is past its expiry and enabled, and the registry wants it disabled.
    return {
      before: item,
      after: markExpiredDisabled(state.version === item.version ? state : { ...state, version: item.version }, { now }),
      outcome: 'disable',
      push: { id: item.resourceId, type: item.type, isDisabled: true },
    };
  }
  if (!after) return undefined;
  const plan: PlannedRepair = { before: item, after, outcome: repair.outcome };
  if (repair.push && item.type !== undefined) plan.push = { id: item.resourceId, type: item.type, isDisabled: repair.push.isDisabled };
  return plan;
}
