/**
 * Verification, in bulk, of items whose disable of ours was in doubt and whose hold is over (issue 15). Such an
 * item is in the due index only while the registry wants it enabled (`dueAtOf`: a later enable or renewal landed
 * within the hold), because a late disable of ours can only be wrong there. So one question settles them all:
 * which resources of the enterprise does Huawei hold **disabled with a future expiry**? One SearchResource
 * listing per enterprise (`status=2`, `startExpireDate=now`, paged at 100): the set is small (manual disables and
 * our wrong ones; it does not grow with the resources that expired long ago), and it is read once per sweep
 * whatever the number of items to verify.
 *
 * Per item: a listed (id, type) the item stands for is our late disable (the hold is over, so nothing of ours is
 * still in flight): the enable is pushed again, in PUTs of at most 100 typed DTOs; then, in both cases, the mark
 * is cleared with a write conditioned on the claim. A disable made by hand within the hold and before this check
 * is taken as ours; one made after the check is never undone (the mark is gone).
 */
import type { ModResourceItem } from '../shared/huawei/schemas.js';
import { packBatches } from '../shared/batches.js';
import { mapWithConcurrency } from '../shared/registry/concurrency.js';
import { byId, HUAWEI_STATUS_DISABLED, parseListingPage, readAllPages, SEARCH_PAGE_LIMIT } from '../shared/registry/huawei-listing.js';
import type { ListedResource } from '../shared/registry/huawei-listing.js';
import { isDue } from '../shared/registry/model.js';
import type { RegistryItem } from '../shared/registry/model.js';
import { doubtHoldOver } from '../shared/registry/state.js';
import { markDoubtSettled } from '../shared/registry/transitions.js';
import { reconcile } from './reconcile.js';
import { isSuccess, upstreamErrorOf } from './run.js';
import type { SweepRun } from './run.js';

const WRITE_CONCURRENCY = 16;

/** Due only because an in-doubt disable's hold is over, with the registry wanting it enabled. */
export function needsDoubtCheck(item: RegistryItem, now: number): boolean {
  return item.status === 'active' && item.reenableOwedSince === undefined && !isDue(item, now) && doubtHoldOver(item, now);
}

/** Huawei's disabled resources of the enterprise with a future expiry, read once per sweep and enterprise. */
export class DisabledListing {
  private listing: Promise<Map<string, ListedResource[]> | undefined> | undefined;
  constructor(
    private readonly run: SweepRun,
    private readonly corpId: string,
  ) {}

  get(): Promise<Map<string, ListedResource[]> | undefined> {
    this.listing ??= this.read();
    return this.listing;
  }

  private async read(): Promise<Map<string, ListedResource[]> | undefined> {
    const { run, corpId } = this;
    const from = run.now();
    const listed = await readAllPages(async (offset) => {
      const what = `list disabled in ${corpId}`;
      const query = { status: HUAWEI_STATUS_DISABLED, startExpireDate: from, offset, limit: SEARCH_PAGE_LIMIT } as const;
      const outcome = await run.callSp(what, (opts) => run.spApi.queryResources(corpId, query, opts));
      if (!outcome.answered) return undefined;
      const page = isSuccess(outcome.response) ? parseListingPage(outcome.response.json) : undefined;
      if (page === undefined) run.problem(`${what}: HTTP ${outcome.response.status} ${upstreamErrorOf(outcome.response).errorCode}`);
      return page;
    });
    return listed && byId(listed);
  }
}

interface Check {
  item: RegistryItem;
  push: ModResourceItem[];
}

/** Verifies claimed items (`needsDoubtCheck`); returns those it could not settle (their claims are the caller's). */
export async function verifyInDoubt(run: SweepRun, corpId: string, items: readonly RegistryItem[], listing: DisabledListing): Promise<RegistryItem[]> {
  if (items.length === 0) return [];
  const disabled = await listing.get();
  if (disabled === undefined) return [...items];
  const checks: Check[] = await mapWithConcurrency(items, WRITE_CONCURRENCY, async (item) => {
    const listed = disabled.get(item.resourceId) ?? [];
    if (listed.length === 0) return { item, push: [] };
    let types = listed.map((r) => r.type);
    if (item.type !== undefined) types = types.filter((t) => t === item.type);
    else {
      // The type-less item stands for the types without a typed item of their own.
      const all = await run.store.listResource(item.corpId, item.resourceId);
      run.report.itemsRead += all.length;
      const covered = new Set(all.flatMap((s) => (s.type === undefined ? [] : [s.type])));
      types = types.filter((t) => !covered.has(t));
    }
    return { item, push: types.map((type) => ({ id: item.resourceId, type, isDisabled: false })) };
  });

  const unsettled: RegistryItem[] = [];
  const pushed = new Map<Check, string | undefined>();
  const withPush = checks.filter((c) => c.push.length > 0);
  for (const batch of packBatches(withPush, (c) => c.push.length)) {
    const dtos = batch.flatMap((c) => c.push);
    const outcome = await run.callSp(`enable again ${dtos.length} in ${corpId}`, (opts) => run.spApi.updateResources(corpId, dtos, opts), true);
    if (outcome.answered && isSuccess(outcome.response)) for (const c of batch) pushed.set(c, outcome.response.requestId);
    else {
      if (outcome.answered) run.problem(`enable again in ${corpId}: HTTP ${outcome.response.status} ${upstreamErrorOf(outcome.response).errorCode}`);
      unsettled.push(...batch.map((c) => c.item));
    }
  }

  await mapWithConcurrency(checks, WRITE_CONCURRENCY, async (check) => {
    const { item } = check;
    if (check.push.length > 0 && !pushed.has(check)) return;
    const next = markDoubtSettled(item, { now: run.now(), requestId: pushed.get(check) });
    if (await run.store.replace(next, { version: item.version, claimedBy: run.sweepId })) {
      if (check.push.length > 0) run.report.reenabled++;
      else run.report.settledOther++;
    } else if (check.push.length > 0) {
      // Another writer won after our enable: push the registry's state again.
      await reconcile(run, item, 'enable');
    }
    run.settle(item);
  });
  return unsettled;
}
