/**
 * A type-less disable changes every type of the id upstream, but its record is conditioned only on the
 * type-less item's version. A typed update relayed meanwhile writes the typed item instead, so that race goes
 * unnoticed by the record: Huawei may hold the sweep's disable for that type while the registry holds the
 * relay's state. After the disable is accepted, the id's typed items are re-read; each one the PUT touched
 * that changed or appeared since the plan was made gets the registry's state pushed again (`reconcile`).
 */
import type { ModResourceItem } from '../shared/huawei/schemas.js';
import { mapWithConcurrency } from '../shared/registry/concurrency.js';
import type { RegistryItem } from '../shared/registry/model.js';
import { markChecked, withDisableInDoubt } from '../shared/registry/transitions.js';
import { reconcile } from './reconcile.js';
import type { SweepRun } from './run.js';

const SIBLING_CONCURRENCY = 4;

export async function reconcileTypedSiblings(
  run: SweepRun,
  typeless: RegistryItem,
  sent: readonly ModResourceItem[],
  readVersions: ReadonlyMap<string, number>,
): Promise<void> {
  if (typeless.type !== undefined || sent.length === 0) return;
  const all = await run.store.listResource(typeless.corpId, typeless.resourceId);
  run.report.itemsRead += all.length;
  const touched = touchedTypes(sent);
  const raced = all.filter(
    (s) => s.type !== undefined && (touched === 'all' || touched.has(s.type)) && readVersions.get(s.sk) !== s.version,
  );
  await mapWithConcurrency(raced, SIBLING_CONCURRENCY, async (sibling) => {
    if (sibling.status === 'disabled-expired' || sibling.status === 'disabled-manual') {
      // Both writers disabled it, in whatever order: only seal, so a relay still in flight re-checks.
      // Our disable reached it too: in doubt like the type-less item.
      await run.store.replace(markChecked(withDisableInDoubt(sibling, run.now()), { now: run.now() }), { version: sibling.version });
      return;
    }
    await reconcile(run, sibling, undefined, true);
  });
}

/** The types a PUT changed: a DTO without type changes them all. */
export function touchedTypes(sent: readonly ModResourceItem[]): 'all' | Set<string> {
  if (sent.some((dto) => dto.type === undefined)) return 'all';
  return new Set(sent.map((dto) => dto.type as string));
}
