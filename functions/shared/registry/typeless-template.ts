/**
 * The sync creates a typed item when Huawei's state for a type differs from the type-less item that stood for it
 * (or adopts one when the id was unknown). Both were decided from the registry as read at the start of the sync,
 * before Huawei's listing. A relay update or a sweep that wrote the type-less item after that read (a disable,
 * recorded in doubt; an enable) reached the type too, but the typed item the sync created does not show it, and
 * from then on the typed item decides for its type: a renewal would not re-enable a disable of ours, a late
 * duplicate would be taken as a manual disable (issue 15, seed 7586 and the "in doubt not carried" seeds).
 *
 * So the creates are provisional: each records the type-less version it was judged against (`templateVersion`),
 * and a relay that reads one next to a type-less item at another version takes the type-less item's state for it
 * (issue 15, fifth round: relays that built on a stale `disabled-manual`). After its writes, for every id where it
 * created typed items, the sync checks the type-less item here. Unchanged but for the sync's own seal: the creates
 * taken from that version are confirmed (one write each removes the marker). Changed (or appeared, for adopted
 * ids): every create still provisional (written since only by writes that decide nothing, such as a sweep's seal or
 * in-doubt mark, which keep the marker; adopted ones carry `NO_TYPELESS_ITEM`) is rewritten from the type-less item's
 * current state (it stands for the type again, mark included; the next sync re-plans it), keeping a mark set on
 * the create since (a typed disable in doubt, which never reaches the type-less item; seed 914469), provisional against that
 * version, and the type-less item is sealed (version + 1, conditioned on the version just read), so that a relay
 * update that read it before the typed items existed fails its record and re-reads; the next pass confirms them. A
 * writer that decided a state anew removed the marker, and its state stands. Bounded passes; the sweep's look-ups
 * use the same check for the typed items they create from a type-less item.
 */
import type { RegistryStore } from './store.js';
import { finishWrite, markChecked, markConfirmed, newItem, withDisableInDoubt } from './transitions.js';

const MAX_ATTEMPTS = 5;

/**
 * The `templateVersion` of a typed item the sync adopted while its read had no type-less item of the id (stored
 * items start at version 1, so no type-less item is ever at it): a type-less item recorded after that read (a
 * caller's disable, in doubt) reached the type too, so a relay that reads the adoption next to one takes its state
 * (`provisionalIsStale`), and the sync's re-check confirms the adoption or rewrites it (issue 15, seed 300193).
 */
export const NO_TYPELESS_ITEM = 0;

/** Typed items the sync created for one id (sk -> version written), and the type-less item as it read it. */
export interface CreatedFromTemplate {
  corpId: string;
  resourceId: string;
  created: Map<string, number>;
  /** The type-less item's version after the sync's own write of it (or as read when it wrote none); undefined when it had none. */
  templateVersion: number | undefined;
  /** The type-less item's version the sync read and judged the creates against (their `templateVersion`). */
  readVersion?: number | undefined;
}

/** Returns the registry reads and writes it made, and whether it settled. */
export async function recheckTemplate(
  store: RegistryStore,
  check: CreatedFromTemplate,
  now: () => number,
): Promise<{ reads: number; writes: number; settled: boolean }> {
  let reads = 0;
  let writes = 0;
  // The type-less item's version expected now, and the one the provisional creates were last taken from.
  let expected = check.templateVersion;
  let takenFrom = check.readVersion;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const items = await store.listResource(check.corpId, check.resourceId);
    reads += items.length;
    const typeless = items.find((i) => i.type === undefined);
    // The creates still provisional: written since only by writes that decide nothing (a seal, an in-doubt mark),
    // or not at all (creates with no marker). A writer that decided a state anew (the relay from the current
    // type-less item, the sweep from Huawei's listing) dropped the marker, and its state stands.
    const provisional = items.filter((i) => (i.templateVersion !== undefined ? check.created.has(i.sk) : check.created.get(i.sk) === i.version));
    const gone = typeless === undefined || typeless.status === 'gone';
    // Confirmed: taken from the type-less item at a version nothing was recorded on since but the sync's own seal
    // (or it stands for nothing now). One write each ends the provisional state; a write that loses leaves the
    // other writer's. The others are rewritten from it.
    const unchanged = !gone && typeless.version === expected;
    const confirmed = provisional.filter((i) => i.templateVersion !== undefined && (gone || (unchanged && i.templateVersion === takenFrom)));
    for (const own of confirmed) if (await store.replace(markConfirmed(own, { now: now() }), { version: own.version })) writes++;
    const stale = gone ? [] : provisional.filter((i) => !confirmed.includes(i));
    if (stale.length === 0 || typeless === undefined) return { reads, writes, settled: true };
    for (const own of stale) {
      // The type-less item stands for the type again, mark included (the next sync re-plans it); provisional
      // against this version of it until the seal below holds and the next pass confirms it.
      // A mark set on the create since (a caller's typed disable left unanswered) stays: its late delivery
      // reaches this type whatever the type-less item says (issue 15, seed 914469).
      const taken = { ...newItem({ corpId: own.corpId, resourceId: own.resourceId, type: own.type }, now(), typeless), createdAt: own.createdAt };
      const fresh = withDisableInDoubt(taken, own.inDoubtSince);
      const rewritten = { ...finishWrite(own, fresh, { now: now() }), templateVersion: typeless.version };
      if (await store.replace(rewritten, { version: own.version })) writes++;
    }
    const sealed = markChecked(typeless, { now: now() });
    if (await store.replace(sealed, { version: typeless.version })) {
      writes++;
      expected = sealed.version;
      takenFrom = typeless.version;
    } else {
      expected = undefined;
    }
  }
  return { reads, writes, settled: false };
}
