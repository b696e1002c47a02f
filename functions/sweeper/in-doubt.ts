/**
 * A disable the sweep sent but got no answer for (timeout, reset) may still be applied by Huawei later, after a
 * renewal relayed meanwhile. Releasing the claim would leave the item "active" and out of the sweep's sight,
 * so such an item is recorded as in doubt instead: `reenablePendingSince` is set, which keeps it in the due
 * index (due at once) and tells the relay to re-enable on renewal. The next sweep then pushes the registry's
 * state: disable if still due, re-enable if renewed.
 */
import type { ModResourceItem } from '../shared/huawei/schemas.js';
import { logger } from '../shared/observability.js';
import { itemState } from '../shared/registry/model.js';
import type { RegistryItem } from '../shared/registry/model.js';
import { markReenableRetry } from '../shared/registry/transitions.js';
import { reportedItem } from './report.js';
import type { SweepRun } from './run.js';
import { touchedTypes } from './typeless-siblings.js';

const MAX_ATTEMPTS = 4;

/**
 * Marks an item whose disable went unanswered in doubt. For a type-less item, the typed items of the id that
 * the PUT touched are marked too: a late type-less disable would undo their own renewals just as well.
 */
export async function markDisableInDoubt(run: SweepRun, claimed: RegistryItem, sent: readonly ModResourceItem[]): Promise<void> {
  await markItemInDoubt(run, claimed, run.sweepId);
  if (claimed.type !== undefined) return;
  const all = await run.store.listResource(claimed.corpId, claimed.resourceId);
  run.report.itemsRead += all.length;
  const touched = touchedTypes(sent);
  for (const sibling of all) {
    if (sibling.type !== undefined && (touched === 'all' || touched.has(sibling.type))) await markItemInDoubt(run, sibling);
  }
}

/** Marks one item in doubt; a write meanwhile is re-read and marked too, unless the item is now disabled. */
async function markItemInDoubt(run: SweepRun, read: RegistryItem, claimedBy?: string): Promise<void> {
  let current: RegistryItem | undefined = read;
  let expected: { version: number; claimedBy?: string } =
    claimedBy === undefined ? { version: read.version } : { version: read.version, claimedBy };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // Disabled (by hand) or gone: a late disable agrees with the registry, nothing to repair.
    if (!current || itemState(current) !== 'active') return;
    // For an active item this only adds `reenablePendingSince` (and drops the claim).
    if (await run.store.replace(markReenableRetry(current, { now: run.now() }), expected)) return;
    current = await run.store.get(read);
    run.report.itemsRead++;
    if (current) expected = { version: current.version };
  }
  const reported = reportedItem(read);
  run.report.unreconciled.push(reported);
  logger.error('sweeper could not record an unanswered disable; check it upstream', { resource: reported, sweepId: run.sweepId });
}
