/**
 * One enterprise's share of a sweep: its due entries, oldest first, in rounds of at most 100. Each round claims
 * its entries, sends the disables in one PUT (split in halves while Huawei answers 400, until the rejected
 * items stand alone), records each result with a condition on the claim, and reconciles any item whose record
 * lost a race. Pending re-enables (renewals whose re-enable must be retried) are handled in the same round.
 *
 * With nothing failing, the PUTs made are exactly ceil(due / 100) for the enterprise.
 */
import { MAX_RESOURCE_ITEMS } from '../shared/limits.js';
import type { UpstreamResponse } from '../shared/huawei/client.js';
import type { ModResourceItem } from '../shared/huawei/schemas.js';
import { mapWithConcurrency } from '../shared/registry/concurrency.js';
import { describeRef, isDue } from '../shared/registry/model.js';
import type { DueEntry, RegistryItem } from '../shared/registry/model.js';
import { markExpiredDisabled, markReenabled, markReenableRetry, markRejected } from '../shared/registry/transitions.js';
import { markDisableInDoubt } from './in-doubt.js';
import { reconcile } from './reconcile.js';
import { reportedItem } from './report.js';
import { isSuccess, upstreamErrorOf } from './run.js';
import type { SweepRun } from './run.js';
import { reconcileTypedSiblings } from './typeless-siblings.js';
import { upstreamPlanFor } from './upstream-items.js';
import type { UpstreamAction } from './upstream-items.js';

/** Registry writes of one round in flight at once. */
const WRITE_CONCURRENCY = 16;

/** A claimed item and the DTOs that act on it upstream. */
interface Unit {
  item: RegistryItem;
  action: UpstreamAction;
  upstream: ModResourceItem[];
  /** Versions of the id's typed items when `upstream` was worked out (type-less items only). */
  siblings: ReadonlyMap<string, number>;
}

export async function sweepCorp(run: SweepRun, corpId: string, entries: readonly DueEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += MAX_RESOURCE_ITEMS) {
    if (!run.canStartWork()) {
      if (!run.stopped) run.problem('time budget ran low; the rest is left for the next sweep');
      return;
    }
    const claimed = await claimRound(run, entries.slice(start, start + MAX_RESOURCE_ITEMS));
    const units = await unitsFor(run, claimed);
    const disables = units.filter((u) => u.action === 'disable');
    const enables = units.filter((u) => u.action === 'enable');
    const left = await sendDisables(run, corpId, disables);
    if (left.halted) {
      await release(run, [...left.unsent, ...enables]);
      return;
    }
    for (const unit of enables) await sendReenable(run, corpId, unit);
  }
}

/** Claims each entry; an entry renewed or disabled since the index read is settled as skipped. */
async function claimRound(run: SweepRun, entries: readonly DueEntry[]): Promise<RegistryItem[]> {
  const results = await mapWithConcurrency(entries, WRITE_CONCURRENCY, async (entry) => {
    const item = await run.store.claim(entry, { sweepId: run.sweepId, now: run.now(), expiresAt: run.claimExpiresAt });
    if (item) return item;
    const current = await run.store.get(entry);
    run.report.itemsRead++;
    const now = run.now();
    if (current && isDue(current, now)) {
      // Still due (claimed by a sweep that crashed, or a stale index entry): work for a later sweep.
      run.problem('some due items are claimed by an earlier sweep; left until the claims expire');
      return undefined;
    }
    const renewed = current !== undefined && !current.disabled && current.expireDate !== undefined && current.expireDate > now;
    if (renewed) run.report.skippedRenewed++;
    else run.report.skippedOther++;
    run.settle(entry);
    return undefined;
  });
  return results.filter((item): item is RegistryItem => item !== undefined);
}

async function unitsFor(run: SweepRun, claimed: readonly RegistryItem[]): Promise<Unit[]> {
  const units = await mapWithConcurrency(claimed, WRITE_CONCURRENCY, async (item): Promise<Unit | undefined> => {
    // A pending re-enable whose resource has expired again is simply due: disabling is right.
    const action: UpstreamAction = item.reenablePendingSince !== undefined && !isDue(item, run.now()) ? 'enable' : 'disable';
    const plan = await upstreamPlanFor(run, item, action);
    if (plan === undefined) {
      await release(run, [{ item, action, upstream: [], siblings: new Map() }]);
      return undefined;
    }
    return { item, action, upstream: plan.items, siblings: plan.siblings };
  });
  return units.filter((u): u is Unit => u !== undefined);
}

/** Why a round stopped early: `unsent` units were never sent (their claims are released). */
interface Halt {
  halted: boolean;
  unsent: Unit[];
}

const DONE: Halt = { halted: false, unsent: [] };

/** Sends the disables in PUTs of at most 100 DTOs; stops at the first batch Huawei did not settle. */
async function sendDisables(run: SweepRun, corpId: string, units: readonly Unit[]): Promise<Halt> {
  const batches: Unit[][] = [];
  let current: Unit[] = [];
  let size = 0;
  for (const unit of units) {
    if (size + unit.upstream.length > MAX_RESOURCE_ITEMS && current.length) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(unit);
    size += unit.upstream.length;
  }
  if (current.length) batches.push(current);

  for (let i = 0; i < batches.length; i++) {
    const left = await sendDisableBatch(run, corpId, batches[i] ?? []);
    if (left.halted) return { halted: true, unsent: [...left.unsent, ...batches.slice(i + 1).flat()] };
  }
  return DONE;
}

/** One PUT; on 400, bisects until each rejected unit stands alone. */
async function sendDisableBatch(run: SweepRun, corpId: string, units: Unit[]): Promise<Halt> {
  if (!run.canStartWork()) {
    if (!run.stopped) run.problem('time budget ran low; the rest is left for the next sweep');
    return { halted: true, unsent: units };
  }
  const items = units.flatMap((u) => u.upstream);
  if (items.length === 0) {
    // Every type of a type-less item must stay enabled: nothing to send, the item is done.
    await recordDisabled(run, units, undefined);
    return DONE;
  }
  const outcome = await run.callSp(`disable ${items.length} in ${corpId}`, (opts) => run.spApi.updateResources(corpId, items, opts));
  if (!outcome.answered) {
    if (!outcome.maybeApplied) return { halted: true, unsent: units };
    // Huawei may still apply this PUT, even after a renewal: the next sweep must push the registry's state.
    await mapWithConcurrency(units, WRITE_CONCURRENCY, ({ item, upstream }) => markDisableInDoubt(run, item, upstream));
    return { halted: true, unsent: [] };
  }
  const { response } = outcome;
  if (isSuccess(response)) {
    await recordDisabled(run, units, response.requestId);
    return DONE;
  }
  if (response.status === 400) {
    if (units.length === 1) {
      await recordRejected(run, units[0] as Unit, response);
      return DONE;
    }
    const middle = Math.ceil(units.length / 2);
    const right = units.slice(middle);
    const leftHalf = await sendDisableBatch(run, corpId, units.slice(0, middle));
    if (leftHalf.halted) return { halted: true, unsent: [...leftHalf.unsent, ...right] };
    return sendDisableBatch(run, corpId, right);
  }
  const error = upstreamErrorOf(response);
  run.problem(`disable in ${corpId}: HTTP ${response.status} ${error.errorCode}`);
  return { halted: true, unsent: units };
}

async function recordDisabled(run: SweepRun, units: readonly Unit[], requestId: string | undefined): Promise<void> {
  await mapWithConcurrency(units, WRITE_CONCURRENCY, async ({ item, upstream, siblings }) => {
    const next = markExpiredDisabled(item, { now: run.now(), requestId });
    if (await run.store.replace(next, { version: item.version, claimedBy: run.sweepId })) run.report.disabled++;
    else await reconcile(run, item, 'disable');
    await reconcileTypedSiblings(run, item, upstream, siblings);
    run.settle(item);
  });
}

async function recordRejected(run: SweepRun, unit: Unit, response: UpstreamResponse): Promise<void> {
  const { item } = unit;
  const error = upstreamErrorOf(response);
  const next = markRejected(item, error, run.config.maxRejections, { now: run.now() });
  // A failed condition means a relayed update changed the item meanwhile; Huawei changed nothing, so it stands.
  if (await run.store.replace(next, { version: item.version, claimedBy: run.sweepId })) {
    const reported = { ...reportedItem(item), ...error, rejections: next.rejections };
    if (next.failedAt !== undefined) {
      run.report.failed++;
      run.report.failedItems.push(reported);
    } else {
      run.report.rejected++;
      run.report.rejectedItems.push(reported);
    }
  } else {
    run.report.skippedOther++;
  }
  run.settle(item);
}

/** Re-enables one renewed resource whose earlier re-enable did not go through. */
async function sendReenable(run: SweepRun, corpId: string, unit: Unit): Promise<void> {
  const { item } = unit;
  let requestId: string | undefined;
  // No DTO means every type of a type-less item must stay disabled: nothing to send.
  if (unit.upstream.length) {
    const outcome = await run.callSp(`enable ${describeRef(item)}`, (opts) => run.spApi.updateResources(corpId, unit.upstream, opts), true);
    if (!outcome.answered || !isSuccess(outcome.response)) {
      if (outcome.answered) run.problem(`enable ${describeRef(item)}: HTTP ${outcome.response.status} ${upstreamErrorOf(outcome.response).errorCode}`);
      // Stays pending (this write drops the claim): the next sweep tries again.
      await run.store.replace(markReenableRetry(item, { now: run.now() }), { version: item.version, claimedBy: run.sweepId });
      return;
    }
    requestId = outcome.response.requestId;
  }
  const next = markReenabled(item, { now: run.now(), requestId });
  if (await run.store.replace(next, { version: item.version, claimedBy: run.sweepId })) run.report.reenabled++;
  else await reconcile(run, item, 'enable');
  run.settle(item);
}

/** Drops the claims of work not done, so the next sweep can take it at once. */
async function release(run: SweepRun, units: readonly Unit[]): Promise<void> {
  if (run.now() >= run.deadline) return; // no time left: the claims expire by themselves
  await mapWithConcurrency(units, WRITE_CONCURRENCY, ({ item }) => run.store.releaseClaim(item, run.sweepId));
}
