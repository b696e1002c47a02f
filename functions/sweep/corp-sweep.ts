/**
 * One enterprise's share of a verified sweep. The registry says which items are due; Huawei says what is true:
 *
 * 1. One SearchResource listing (paged at 100) of what Huawei holds past its expiry and still enabled, in the
 *    window from the oldest due expiry to now (`status=1`, `startExpireDate`, `endExpireDate`).
 * 2. Rounds of at most 100 due entries, oldest first: claim each; disable, in PUTs of at most 100 typed DTOs taken
 *    from Huawei's listing, only the (id, type) pairs Huawei confirms and the registry has due (split in halves
 *    while Huawei answers 400); record each result with a condition on the claim.
 * 3. Items due only because an in-doubt disable's hold is over (the registry wants them enabled) are checked in
 *    bulk against one listing of what Huawei holds disabled with a future expiry (verify-in-doubt.ts).
 * 4. Every other claimed item Huawei did not confirm (and every item due for another reason: an owed re-enable)
 *    is looked up exactly (SearchResource by id, at most `lookupBudget` ids per
 *    sweep) and repaired from Huawei's values with the state model (functions/shared/registry/repair-plan.ts):
 *    renewed elsewhere, disabled elsewhere, gone, or disabled now that Huawei confirms it. Items over the
 *    budget are released for the next sweep (the sync repairs them too).
 *
 * With nothing failing and registry and Huawei agreeing, an enterprise costs ceil(due / 100) PUTs plus the pages
 * of its listing.
 */
import { chunks, packBatches } from '../shared/batches.js';
import type { UpstreamResponse } from '../shared/huawei/client.js';
import type { ModResourceItem } from '../shared/huawei/schemas.js';
import { mapWithConcurrency } from '../shared/registry/concurrency.js';
import { byId, HUAWEI_STATUS_EXPIRED, parseListingPage, readAllPages, SEARCH_PAGE_LIMIT } from '../shared/registry/huawei-listing.js';
import type { ListedResource } from '../shared/registry/huawei-listing.js';
import { isDue } from '../shared/registry/model.js';
import type { DueEntry, RegistryItem } from '../shared/registry/model.js';
import { planIdRepair } from '../shared/registry/repair-plan.js';
import type { PlannedRepair } from '../shared/registry/repair-plan.js';
import { markExpiredDisabled, markRejected } from '../shared/registry/transitions.js';
import { recheckTemplate } from '../shared/registry/typeless-template.js';
import { markDisableInDoubt } from './in-doubt.js';
import { reconcile, reconcileRacedDisables } from './reconcile.js';
import { reportedItem } from './report.js';
import { isSuccess, upstreamErrorOf } from './run.js';
import type { SweepRun } from './run.js';
import { reconcileTypedSiblings } from './typeless-siblings.js';
import { DisabledListing, needsDoubtCheck, verifyInDoubt } from './verify-in-doubt.js';
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
  const now = run.now();
  const wanted = entries.filter((e) => isDue(e, now));
  let expired: Map<string, ListedResource[]> = new Map();
  if (wanted.length) {
    if (!run.canStartWork()) {
      if (!run.stopped) run.problem('time budget ran low; the rest is left for the next sweep');
      return;
    }
    const oldest = Math.min(...wanted.map((e) => e.expireDate ?? now));
    const listing = await expiredAtHuawei(run, corpId, oldest, now);
    if (listing === undefined) return; // Huawei could not be read: nothing is disabled on the registry's word
    expired = byId(listing);
  }
  const disabledListing = new DisabledListing(run, corpId);
  for (const round of chunks(entries)) {
    if (!run.canStartWork()) {
      if (!run.stopped) run.problem('time budget ran low; the rest is left for the next sweep');
      return;
    }
    const claimed = await claimRound(run, round);
    const { units, unconfirmed } = await confirmedUnits(run, claimed, expired);
    const left = await sendDisables(run, corpId, units);
    if (left.halted) {
      await release(run, [...left.unsent.map((u) => u.item), ...unconfirmed]);
      return;
    }
    const now = run.now();
    const toVerify = unconfirmed.filter((item) => needsDoubtCheck(item, now));
    const unsettled = await verifyInDoubt(run, corpId, toVerify, disabledListing);
    await release(run, unsettled);
    await lookUpAndRepair(run, corpId, unconfirmed.filter((item) => !toVerify.includes(item)));
  }
}

/** Huawei's resources of the enterprise past their expiry and not disabled, expiring in [from, to]. */
async function expiredAtHuawei(run: SweepRun, corpId: string, from: number, to: number): Promise<ListedResource[] | undefined> {
  return readAllPages(async (offset) => {
    const query = { status: HUAWEI_STATUS_EXPIRED, startExpireDate: from, endExpireDate: to, offset, limit: SEARCH_PAGE_LIMIT } as const;
    const outcome = await run.callSp(`list expired in ${corpId}`, (opts) => run.spApi.queryResources(corpId, query, opts));
    return pageOf(run, outcome, `list expired in ${corpId}`);
  });
}

/** Exactly the resources with this id (searchKey is a fuzzy match, so others are filtered out). */
async function lookUp(run: SweepRun, corpId: string, resourceId: string): Promise<ListedResource[] | undefined> {
  const listed = await readAllPages(async (offset) => {
    const outcome = await run.callSp(`look up ${corpId}/${resourceId}`, (opts) =>
      run.spApi.queryResources(corpId, { searchKey: resourceId, offset, limit: SEARCH_PAGE_LIMIT }, opts),
    );
    return pageOf(run, outcome, `look up ${corpId}/${resourceId}`);
  });
  run.report.lookups++;
  return listed?.filter((r) => r.id === resourceId);
}

function pageOf(run: SweepRun, outcome: Awaited<ReturnType<SweepRun['callSp']>>, what: string) {
  if (!outcome.answered) return undefined;
  const page = isSuccess(outcome.response) ? parseListingPage(outcome.response.json) : undefined;
  if (page === undefined) run.problem(`${what}: HTTP ${outcome.response.status} ${upstreamErrorOf(outcome.response).errorCode}`);
  return page;
}

/** Claims each entry; an entry renewed or disabled since the index read is settled as skipped. */
async function claimRound(run: SweepRun, entries: readonly DueEntry[]): Promise<RegistryItem[]> {
  const results = await mapWithConcurrency(entries, WRITE_CONCURRENCY, async (entry) => {
    const item = await run.store.claim(entry, { sweepId: run.sweepId, now: run.now(), expiresAt: run.claimExpiresAt });
    if (item) return item;
    const current = await run.store.get(entry);
    run.report.itemsRead++;
    const now = run.now();
    if (current && current.version === entry.version && current.dueAt === entry.dueAt) {
      // Unchanged but claimed by a sweep that crashed: work for a later sweep.
      run.problem('some due items are claimed by an earlier sweep; left until the claims expire');
      return undefined;
    }
    const renewed = current !== undefined && current.status === 'active' && current.expireDate !== undefined && current.expireDate > now;
    if (renewed) run.report.skippedRenewed++;
    else run.report.skippedOther++;
    run.settle(entry);
    return undefined;
  });
  return results.filter((item): item is RegistryItem => item !== undefined);
}

/**
 * Splits the claimed items into disables Huawei confirms (typed DTOs from its listing) and the rest. A typed item
 * is confirmed when Huawei lists its (id, type); a type-less one for each listed type of its id that has no
 * typed item of its own (that item decides for its type).
 */
async function confirmedUnits(
  run: SweepRun,
  claimed: readonly RegistryItem[],
  expired: ReadonlyMap<string, ListedResource[]>,
): Promise<{ units: Unit[]; unconfirmed: RegistryItem[] }> {
  const now = run.now();
  const units: Unit[] = [];
  const unconfirmed: RegistryItem[] = [];
  await mapWithConcurrency(claimed, WRITE_CONCURRENCY, async (item) => {
    const listed = isDue(item, now) ? (expired.get(item.resourceId) ?? []) : [];
    if (item.type !== undefined) {
      if (listed.some((r) => r.type === item.type)) {
        units.push({ item, action: 'disable', upstream: [{ id: item.resourceId, type: item.type, isDisabled: true }], siblings: new Map() });
      } else {
        unconfirmed.push(item);
      }
      return;
    }
    if (listed.length === 0) {
      unconfirmed.push(item);
      return;
    }
    const all = await run.store.listResource(item.corpId, item.resourceId);
    run.report.itemsRead += all.length;
    const typed = all.filter((s) => s.type !== undefined);
    const covered = new Set(typed.map((s) => s.type));
    const upstream = listed.filter((r) => !covered.has(r.type)).map((r) => ({ id: item.resourceId, type: r.type, isDisabled: true }));
    if (upstream.length === 0) unconfirmed.push(item);
    else units.push({ item, action: 'disable', upstream, siblings: new Map(typed.map((s) => [s.sk, s.version])) });
  });
  return { units, unconfirmed };
}

/**
 * Looks each unconfirmed id up exactly and applies the repair plan: pushes first (one PUT per id), then the
 * conditional writes. Ids over the sweep's look-up budget are released for the next sweep.
 */
async function lookUpAndRepair(run: SweepRun, corpId: string, items: readonly RegistryItem[]): Promise<void> {
  const ids = new Map<string, RegistryItem[]>();
  for (const item of items) ids.set(item.resourceId, [...(ids.get(item.resourceId) ?? []), item]);
  const overBudget: RegistryItem[] = [];
  for (const [resourceId, claimed] of ids) {
    if (run.lookupsLeft <= 0 || !run.canStartWork()) {
      overBudget.push(...claimed);
      continue;
    }
    run.lookupsLeft--;
    // Registry first, then Huawei: a write landing in between moves a version, and our conditional write loses.
    const registered = await run.store.listResource(corpId, resourceId);
    run.report.itemsRead += registered.length;
    const listed = await lookUp(run, corpId, resourceId);
    if (listed === undefined) {
      await release(run, claimed);
      for (const item of claimed) run.settle(item);
      continue;
    }
    const plans = planIdRepair(corpId, resourceId, registered, listed, { now: run.now(), disableExpired: true, adopt: false });
    const written = await applyPlans(run, corpId, plans);
    await release(run, claimed.filter((c) => !written.has(c.sk)));
    for (const item of claimed) run.settle(item);
  }
  if (overBudget.length) {
    run.problem('more unconfirmed due items than look-ups allowed per sweep; the rest is left for the next sweep and the sync');
    await release(run, overBudget);
  }
}

/** Returns the keys (sk) of the items it wrote; the caller releases the other claims. */
async function applyPlans(run: SweepRun, corpId: string, planned: readonly PlannedRepair[]): Promise<Set<string>> {
  const written = new Set<string>();
  const typelessPlan = planned.find((p) => p.before !== undefined && p.before.type === undefined);
  // A typed item created from the type-less item's state, judged from Huawei against the registry as read before
  // the look-up, is provisional like the sync's (see functions/shared/registry/typeless-template.ts), and re-checked below.
  // Not the sweep's own disables: their state is the disable this sweep sends.
  const plans = planned.map((p) =>
    typelessPlan && p.before === undefined && p.after.type !== undefined && p.outcome !== 'disable'
      ? { ...p, after: { ...p.after, templateVersion: typelessPlan.before?.version } }
      : p,
  );
  const pushes = plans.flatMap((p) => (p.push ? [p.push] : []));
  let accepted = true;
  let requestId: string | undefined;
  if (pushes.length) {
    const outcome = await run.callSp(`repair ${pushes.length} in ${corpId}`, (opts) => run.spApi.updateResources(corpId, pushes, opts), true);
    accepted = outcome.answered && isSuccess(outcome.response);
    if (outcome.answered) requestId = outcome.response.requestId;
    // Not accepted, but an attempt may still land (no answer, or an earlier attempt of a non-2xx answer): a
    // disable among the pushes is recorded in doubt like any other.
    const mayLand = !accepted && (outcome.answered ? outcome.response.attempts > 1 : outcome.maybeApplied);
    if (mayLand && pushes.some((p) => p.isDisabled)) {
      for (const plan of plans) if (plan.push?.isDisabled && plan.before) await markDisableInDoubt(run, plan.before, [plan.push]);
      // Types the type-less item stands for (their typed items were to be created with the disable): it is the
      // item that carries the mark for them (issue 15, seed 137115).
      const forTypeless = plans.flatMap((p) => (p.push?.isDisabled && p.before === undefined ? [p.push] : []));
      const typeless = plans.find((p) => p.before !== undefined && p.before.type === undefined)?.before;
      if (forTypeless.length && typeless) await markDisableInDoubt(run, typeless, forTypeless);
    }
    if (!accepted && outcome.answered) run.problem(`repair in ${corpId}: HTTP ${outcome.response.status} ${upstreamErrorOf(outcome.response).errorCode}`);
  }
  // Ids where a typed item the plan creates from the type-less item was not created: the type-less item still
  // stands for that type, so it is not recorded gone (the type-less plans come after the typed ones).
  const uncreated = new Set<string>();
  for (const plan of plans) {
    const typedCreate = plan.before === undefined && plan.after.type !== undefined;
    if ((plan.push && !accepted) || (plan.after.type === undefined && plan.after.status === 'gone' && uncreated.has(plan.after.resourceId))) {
      if (typedCreate) uncreated.add(plan.after.resourceId);
      continue;
    }
    // A disable's plan is already in doubt (`markExpiredDisabled`), answered at once or not.
    const after = plan.push ? { ...plan.after, ...(requestId === undefined ? {} : { lastRequestId: requestId }) } : plan.after;
    const ok = plan.before ? await run.store.replace(after, { version: plan.before.version }) : await run.store.create(after);
    if (ok) written.add(after.sk);
    if (!ok) {
      if (typedCreate) uncreated.add(plan.after.resourceId);
      // Another writer won; if we changed Huawei, push the registry's state again.
      // A create that lost (someone created the typed item first) is reconciled on that item just the same.
      if (plan.push) await reconcile(run, plan.before ?? plan.after, plan.push.isDisabled ? 'disable' : 'enable');
      continue;
    }
    countRepair(run, plan);
  }
  const provisional = plans.filter((p) => p.after.templateVersion !== undefined && written.has(p.after.sk));
  if (typelessPlan?.before && provisional.length) {
    const check = {
      corpId,
      resourceId: typelessPlan.before.resourceId,
      created: new Map(provisional.map((p) => [p.after.sk, p.after.version])),
      templateVersion: written.has(typelessPlan.after.sk) ? typelessPlan.after.version : -1,
      readVersion: typelessPlan.before.version,
    };
    const result = await recheckTemplate(run.store, check, run.now);
    run.report.itemsRead += result.reads;
    if (!result.settled) run.problem(`${corpId}/${check.resourceId}: type-less item kept changing; the sync re-plans it`);
  }
  return written;
}

function countRepair(run: SweepRun, plan: PlannedRepair): void {
  const r = run.report;
  switch (plan.outcome) {
    case 'disable':
      r.disabled++;
      break;
    case 'reenable':
    case 'push-again':
      r.reenabled++;
      break;
    case 'expiry-changed':
    case 'enabled-elsewhere':
      r.renewedElsewhere++;
      break;
    case 'disabled-elsewhere':
      r.disabledElsewhere++;
      break;
    case 'gone':
      r.gone++;
      break;
    default:
      r.settledOther++;
  }
}

/** Why a round stopped early: `unsent` units were never sent (their claims are released). */
interface Halt {
  halted: boolean;
  unsent: Unit[];
}

const DONE: Halt = { halted: false, unsent: [] };

/** Sends the disables in PUTs of at most 100 DTOs; stops at the first batch Huawei did not settle. */
async function sendDisables(run: SweepRun, corpId: string, units: readonly Unit[]): Promise<Halt> {
  const batches = packBatches(units, (unit) => unit.upstream.length);

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
    await recordDisabled(run, corpId, units, undefined);
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
    // Recorded in doubt: any attempt of the call may still be delivered (again) later.
    await recordDisabled(run, corpId, units, response.requestId);
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
  if (response.attempts > 1) {
    // An attempt before the one answered got no answer (or a 5xx) and may still be applied: in doubt, as unanswered.
    await mapWithConcurrency(units, WRITE_CONCURRENCY, ({ item, upstream }) => markDisableInDoubt(run, item, upstream));
    return { halted: true, unsent: [] };
  }
  return { halted: true, unsent: units };
}

async function recordDisabled(run: SweepRun, corpId: string, units: readonly Unit[], requestId: string | undefined): Promise<void> {
  const raced: RegistryItem[] = [];
  await mapWithConcurrency(units, WRITE_CONCURRENCY, async ({ item }) => {
    const next = markExpiredDisabled(item, { now: run.now(), requestId });
    if (await run.store.replace(next, { version: item.version, claimedBy: run.sweepId })) run.report.disabled++;
    else raced.push(item);
  });
  // Renewals that landed meanwhile are enabled again in batches, like the disables.
  await reconcileRacedDisables(run, corpId, raced);
  await mapWithConcurrency(units, WRITE_CONCURRENCY, async ({ item, upstream, siblings }) => {
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

/** Drops the claims of work not done, so the next sweep can take it at once. */
async function release(run: SweepRun, items: readonly RegistryItem[]): Promise<void> {
  if (run.now() >= run.deadline) return; // no time left: the claims expire by themselves
  await mapWithConcurrency(items, WRITE_CONCURRENCY, (item) => run.store.releaseClaim(item, run.sweepId));
}
