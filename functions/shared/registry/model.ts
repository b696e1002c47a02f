/**
 * The shape of a stored resource item, parsed on every read so that a malformed item fails loudly instead of
 * steering a sweep. Never holds a token or any other secret.
 */
import * as z from 'zod/mini';
import { RESOURCE_TYPES } from '../huawei/schemas.js';
import type { ResourceType } from '../huawei/schemas.js';
import { ITEM_STATUSES } from './state.js';
import { ATTR, DUE_INDEX_ATTRIBUTES } from './table.js';

// zod's mini API (tree-shaken: a few KiB instead of the classic API's 440 KiB; docs/performance.md).
const integer = () => z.number().check(z.int());
const count = () => z.number().check(z.int(), z.nonnegative());

export const upstreamErrorSchema = z.object({ errorCode: z.string(), errorMsg: z.string() });
export type UpstreamError = z.infer<typeof upstreamErrorSchema>;

/** The fields that say which resource item a row is about: items and their history entries both carry them. */
export const resourceRowShape = {
  pk: z.string(),
  sk: z.string(),
  corpId: z.string(),
  resourceId: z.string(),
  type: z.optional(z.enum(RESOURCE_TYPES)),
};

export const registryItemSchema = z.object({
  ...resourceRowShape,
  /** See state.ts for the meaning of each status and flag. */
  status: z.enum(ITEM_STATUSES),
  expireDate: z.optional(integer()),
  disabledAt: z.optional(integer()),
  createdAt: integer(),
  updatedAt: integer(),
  lastRequestId: z.optional(z.string()),
  rejections: count(),
  lastError: z.optional(upstreamErrorSchema),
  failedAt: z.optional(integer()),
  goneAt: z.optional(integer()),
  /** Set when the item was first recorded by a sync (adopted from Huawei) rather than the relay. */
  adoptedAt: z.optional(integer()),
  version: count(),
  reenableOwedSince: z.optional(integer()),
  inDoubtSince: z.optional(integer()),
  /**
   * Set on a typed item a sync (or a relay) created from the type-less item's state: the type-less item's version
   * it was judged against. Provisional until that sync's re-check (the relay's seal) confirms it and clears this:
   * a relay that reads the type-less item at another version takes its state instead (`provisionalIsStale`).
   * 0 (`NO_TYPELESS_ITEM`): a sync adopted it while the id had no type-less item, so any type-less item makes it stale.
   */
  templateVersion: z.optional(count()),
  claimedBy: z.optional(z.string()),
  claimExpiresAt: z.optional(integer()),
  dueShard: z.optional(z.string()),
  dueAt: z.optional(integer()),
});

export type RegistryItem = z.infer<typeof registryItemSchema>;

/** The fields of a due-index entry: the table's and the index's keys, and what the index projects (table.ts). */
const DUE_ENTRY_FIELDS = [ATTR.pk, ATTR.sk, ATTR.dueShard, ATTR.dueAt, ...DUE_INDEX_ATTRIBUTES] as const;
type DueEntryField = (typeof DUE_ENTRY_FIELDS)[number];

/** What the due index projects: enough to claim an item and put it into a batch. */
export const dueEntrySchema = z.pick(
  registryItemSchema,
  Object.fromEntries(DUE_ENTRY_FIELDS.map((field) => [field, true])) as { [K in DueEntryField]: true },
);

export type DueEntry = z.infer<typeof dueEntrySchema>;

export { dueAtOf, isDue, mayBeDisabledByUs, shouldBeDisabled } from './state.js';
export type { ItemStatus } from './state.js';

export interface ResourceRef {
  corpId: string;
  resourceId: string;
  type?: ResourceType | undefined;
}

export function describeRef(ref: ResourceRef): string {
  return `${ref.corpId}/${ref.resourceId}/${ref.type ?? '*'}`;
}
