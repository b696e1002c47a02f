/**
 * Huawei takes at most `MAX_RESOURCE_ITEMS` DTOs per PUT: how every writer (relay, sweep, sync) splits its work.
 */
import { MAX_RESOURCE_ITEMS } from './limits.js';

/**
 * Packs entries, in order, into batches whose DTO counts (`sizeOf`) sum to at most `max`; an entry larger than
 * `max` on its own still gets a batch (Huawei's answer then says what is wrong, as for any refused PUT).
 */
export function packBatches<T>(entries: readonly T[], sizeOf: (entry: T) => number, max = MAX_RESOURCE_ITEMS): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const entry of entries) {
    const entrySize = sizeOf(entry);
    if (current.length > 0 && size + entrySize > max) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += entrySize;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Batches of at most `max` entries of one DTO each. */
export function chunks<T>(values: readonly T[], max = MAX_RESOURCE_ITEMS): T[][] {
  return packBatches(values, () => 1, max);
}
