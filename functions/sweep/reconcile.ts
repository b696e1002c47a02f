/**
 * After one of the sweep's upstream calls for an item was accepted but recording it lost a race (the item's
 * version moved: a renewal, a manual disable or another relayed update landed in between), Huawei may now hold
 * the sweep's state while the registry holds the other writer's. Re-read the item, make Huawei match what the
 * registry says (re-enable a renewal; re-disable a manual disable the sweep may have undone), and seal it with
 * a write conditioned on the version just read. Losing again repeats the cycle, a bounded number of times.
 */
import { logger } from '../shared/observability.js';
import type { ItemKey } from '../shared/registry/keys.js';
import { describeRef, shouldBeDisabled } from '../shared/registry/model.js';
import type { RegistryItem } from '../shared/registry/model.js';
import { markChecked, markExpiredDisabled, markReenabled, markReenableRetry, withDisableInDoubt } from '../shared/registry/transitions.js';
import { packBatches } from '../shared/batches.js';
import type { ModResourceItem } from '../shared/huawei/schemas.js';
import { mapWithConcurrency } from '../shared/registry/concurrency.js';
import { markDisableInDoubt } from './in-doubt.js';
import { isSuccess } from './run.js';
import type { SweepRun } from './run.js';
import { reportedItem } from './report.js';
import { upstreamItemsFor } from './upstream-items.js';
import type { UpstreamAction } from './upstream-items.js';

const MAX_RECONCILE_ATTEMPTS = 4;

/**
 * `pushed` undefined: Huawei's state is unknown, so the registry's state is pushed whatever it is.
 * `disableSent`: a disable of ours reached the item (a type-less one, for a typed sibling), so it is in doubt.
 */
export async function reconcile(run: SweepRun, item: RegistryItem, pushed: UpstreamAction | undefined, disableSent = pushed === 'disable'): Promise<void> {
  const key: ItemKey = { pk: item.pk, sk: item.sk };
  let lastPushed = pushed;
  let lastRequestId: string | undefined;
  let pushedAt: number | undefined;
  // A disable we sent (the caller's, or one here) may be delivered again later, whatever is recorded after it:
  // every write here carries the mark from then (its own record may be the one that lost the race).
  let disableSentAt: number | undefined = disableSent ? run.now() : undefined;
  for (let attempt = 1; attempt <= MAX_RECONCILE_ATTEMPTS; attempt++) {
    const current = await run.store.get(key);
    run.report.itemsRead++;
    if (!current || current.status === 'gone') return;
    const disabledNow = current.status === 'disabled-expired' || current.status === 'disabled-manual';
    const now = run.now();
    // A failed item had its disable accepted after all: it counts as disabled like a due one.
    const desired: UpstreamAction = shouldBeDisabled(current, now) === false ? 'enable' : 'disable';

    if (desired !== lastPushed) {
      const items = await upstreamItemsFor(run, current, desired);
      const outcome =
        items === undefined || items.length === 0
          ? undefined
          : await run.callSp(`${desired} ${describeRef(current)}`, (opts) => run.spApi.updateResources(current.corpId, items, opts), true);
      const accepted = items?.length === 0 || (outcome?.answered === true && isSuccess(outcome.response));
      if (!accepted) {
        if (desired === 'enable') {
          // Durable: the item re-enters the due index and the next sweep re-enables it.
          if (await run.store.replace(markReenableRetry(withDisableInDoubt(current, disableSentAt), { now }), { version: current.version })) {
            run.problem(`re-enable of ${describeRef(current)} left for the next sweep`);
            return;
          }
          continue;
        }
        // A disable that got no answer (or a non-2xx only after unanswered attempts) may still land, later than
        // anything after it: recorded in doubt like the sweep's other unanswered disables (issue 15, seed 39518).
        const mayLand = outcome !== undefined && (outcome.answered ? outcome.response.attempts > 1 : outcome.maybeApplied);
        if (mayLand && items) await markDisableInDoubt(run, current, items);
        break;
      }
      lastPushed = desired;
      pushedAt = now;
      if (desired === 'disable') disableSentAt = now;
      if (outcome?.answered) lastRequestId = outcome.response.requestId;
    }

    const ctx = { now, requestId: lastRequestId, pushedAt };
    const marked = withDisableInDoubt(current, disableSentAt);
    const next =
      desired === 'enable' ? markReenabled(marked, ctx) : disabledNow ? markChecked(marked, { now }) : markExpiredDisabled(marked, ctx);
    if (await run.store.replace(next, { version: current.version })) {
      if (desired === 'enable') run.report.reenabled++;
      else if (!disabledNow) run.report.disabled++;
      else run.report.skippedOther++;
      return;
    }
  }
  const reported = reportedItem(item);
  run.report.unreconciled.push(reported);
  logger.error('sweeper could not settle a raced resource; check it upstream', { resource: reported, sweepId: run.sweepId });
}

/** Registry writes in flight at once while settling raced disables. */
const RACED_CONCURRENCY = 16;

interface RacedEnable {
  item: RegistryItem;
  current: RegistryItem;
  dtos: ModResourceItem[];
}

/**
 * The batch form of `reconcile(run, item, 'disable')` for the items of one enterprise whose disable Huawei
 * accepted but whose record lost a race (issue 16, finding 5): each is re-read; those the registry now wants
 * enabled (a renewal landed) are enabled again in PUTs of at most 100 DTOs, like the disables, so the README's
 * call formula holds for re-enables too; every write carries the in-doubt mark of the disable just sent. The rest
 * (and any item that loses a second race) go through `reconcile` one by one.
 */
export async function reconcileRacedDisables(run: SweepRun, corpId: string, items: readonly RegistryItem[]): Promise<void> {
  if (items.length === 0) return;
  const sentAt = run.now();
  const enables: RacedEnable[] = [];
  const others: RegistryItem[] = [];
  await mapWithConcurrency(items, RACED_CONCURRENCY, async (item) => {
    const current = await run.store.get(item);
    run.report.itemsRead++;
    if (!current || current.status === 'gone') return;
    if (shouldBeDisabled(current, run.now()) !== false) {
      others.push(item);
      return;
    }
    const dtos = await upstreamItemsFor(run, current, 'enable');
    if (dtos === undefined) others.push(item);
    else enables.push({ item, current, dtos });
  });
  await mapWithConcurrency(others, RACED_CONCURRENCY, (item) => reconcile(run, item, 'disable'));

  for (const batch of packBatches(enables, (e) => e.dtos.length)) {
    const dtos = batch.flatMap((e) => e.dtos);
    const pushedAt = run.now();
    const outcome = dtos.length
      ? await run.callSp(`enable ${dtos.length} in ${corpId}`, (opts) => run.spApi.updateResources(corpId, dtos, opts), true)
      : undefined;
    const accepted = dtos.length === 0 || (outcome?.answered === true && isSuccess(outcome.response));
    const requestId = outcome?.answered ? outcome.response.requestId : undefined;
    await mapWithConcurrency(batch, RACED_CONCURRENCY, async ({ item, current }) => {
      const now = run.now();
      const marked = withDisableInDoubt(current, sentAt);
      if (!accepted) {
        // Durable: the item re-enters the due index and the next sweep re-enables it.
        if (await run.store.replace(markReenableRetry(marked, { now }), { version: current.version })) {
          run.problem(`re-enable of ${describeRef(current)} left for the next sweep`);
        } else {
          await reconcile(run, item, 'disable');
        }
        return;
      }
      if (await run.store.replace(markReenabled(marked, { now, requestId, pushedAt }), { version: current.version })) run.report.reenabled++;
      else await reconcile(run, item, 'enable', true);
    });
  }
}
