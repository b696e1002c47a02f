/**
 * The sync creates a typed item when Huawei's state for a type differs from the type-less item that stood for it
 * (or adopts one when the id was unknown). Both were decided from the registry as read at the start of the sync,
 * before Huawei's listing. A relay update or a sweep that wrote the type-less item after that read (a disable,
 * recorded in doubt; an enable) reached the type too, but the typed item the sync created does not show it, and
 * from then on the typed item decides for its type: a renewal would not re-enable a disable of ours, a late
 * duplicate would be taken as a manual disable (issue 15, seed 7586 and the "in doubt not carried" seeds).
 *
 * So after its writes, for every id where it created typed items, the sync checks the type-less item: unchanged
 * (its own write landed, or none was needed and none appeared) means the creates stand. Otherwise each typed item
 * the sync created that nobody has written since is rewritten from the type-less item's current state (it stands
 * for the type again, mark included, exactly as before the sync; the next sync re-plans it), and the type-less item
 * is sealed (version + 1, conditioned on the version just read), so that a relay update that read it before the
 * typed items existed fails its record and re-reads. A lost seal repeats the check, a bounded number of times.
 */
import type { RegistryItem } from '../shared/registry/model.js';
import type { RegistryStore } from '../shared/registry/store.js';
import { finishWrite, markChecked, markConfirmed, newItem } from '../shared/registry/transitions.js';

const MAX_ATTEMPTS = 4;

/** Clears the provisional marker of the creates nobody has written since; a write that loses leaves theirs. */
async function confirmCreates(store: RegistryStore, items: readonly RegistryItem[], created: ReadonlyMap<string, number>, now: () => number): Promise<number> {
  let writes = 0;
  for (const [sk, version] of created) {
    const own = items.find((i) => i.sk === sk);
    if (own?.version !== version || own.templateVersion === undefined) continue;
    if (await store.replace(markConfirmed(own, { now: now() }), { version })) writes++;
  }
  return writes;
}

/** Typed items the sync created for one id (sk -> version written), and the type-less item as it read it. */
export interface CreatedFromTemplate {
  corpId: string;
  resourceId: string;
  created: Map<string, number>;
  /** The type-less item's version the sync's plan relied on, or undefined when it had none. */
  templateVersion: number | undefined;
}

/** Returns the registry reads and writes it made, and whether it settled. */
export async function recheckTemplate(
  store: RegistryStore,
  check: CreatedFromTemplate,
  now: () => number,
): Promise<{ reads: number; writes: number; settled: boolean }> {
  let reads = 0;
  let writes = 0;
  const created = new Map(check.created);
  let expected = check.templateVersion;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const items = await store.listResource(check.corpId, check.resourceId);
    reads += items.length;
    const typeless = items.find((i) => i.type === undefined);
    if (typeless === undefined || typeless.status === 'gone' || typeless.version === expected) {
      // Confirmed: nothing was recorded on the type-less item since the sync read it (or it stands for nothing
      // now). The creates still provisional stop being so (one write each; until then a relay takes the
      // type-less item's state for them, which is the same as the sync read).
      const confirmed = await confirmCreates(store, items, created, now);
      return { reads, writes: writes + confirmed, settled: true };
    }
    // Typed items written by someone else since stand as written (that writer saw them).
    for (const [sk, version] of created) if (items.find((i) => i.sk === sk)?.version !== version) created.delete(sk);
    if (created.size === 0) return { reads, writes, settled: true };
    for (const [sk, version] of created) {
      const own = items.find((i) => i.sk === sk) as RegistryItem;
      const fresh = newItem({ corpId: own.corpId, resourceId: own.resourceId, type: own.type }, now(), typeless);
      const rewritten = finishWrite({ ...fresh, version, createdAt: own.createdAt }, { ...fresh, createdAt: own.createdAt }, { now: now() });
      if (await store.replace(rewritten, { version })) {
        writes++;
        created.set(sk, rewritten.version);
      } else {
        created.delete(sk);
      }
    }
    const sealed = markChecked(typeless, { now: now() });
    if (await store.replace(sealed, { version: typeless.version })) {
      writes++;
      return { reads, writes, settled: true };
    }
    expected = undefined;
  }
  return { reads, writes, settled: false };
}
