/**
 * A disable the sweep sent may still be applied by Huawei later (after a renewal relayed meanwhile) when it got
 * no answer, or when its first attempt got none before a retry succeeded. Such an item is recorded in doubt
 * (`inDoubtSince`, see functions/shared/registry/state.ts): it stays in the due index until the hold is over, the
 * relay treats it as possibly disabled by us (a renewal adds `isDisabled: false`), and a disabled state Huawei
 * shows for it is taken as ours. After the hold, a sweep reads Huawei's state for it and pushes the registry's
 * state if they differ.
 */
import type { ModResourceItem } from '../shared/huawei/schemas.js';
import { logger } from '../shared/observability.js';
import type { RegistryItem } from '../shared/registry/model.js';
import { markInDoubt } from '../shared/registry/transitions.js';
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

/** Marks one item in doubt; a write meanwhile is re-read and marked too. */
async function markItemInDoubt(run: SweepRun, read: RegistryItem, claimedBy?: string): Promise<void> {
  let current: RegistryItem | undefined = read;
  let expected: { version: number; claimedBy?: string } =
    claimedBy === undefined ? { version: read.version } : { version: read.version, claimedBy };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (!current || current.status === 'gone') return;
    if (await run.store.replace(markInDoubt(current, { now: run.now() }), expected)) return;
    current = await run.store.get(read);
    run.report.itemsRead++;
    if (current) expected = { version: current.version };
  }
  const reported = reportedItem(read);
  run.report.unreconciled.push(reported);
  logger.error('sweeper could not record an unanswered disable; check it upstream', { resource: reported, sweepId: run.sweepId });
}
