/**
 * The history of a resource item: one entry per write that landed, kept in the registry table beside the items
 * (pk `HIST#<corpId>#<resourceId>`, sk `<type|*>#<version, 10 digits>`), so a resource's changes are one Query in
 * version order. Each entry holds what the change was made by (the relay's request id, the sweep's id, the
 * sync's id) and the item's state after it; the state before is the previous version's entry (the API pairs them).
 * Entries expire after HISTORY_RETENTION_DAYS through the table's TTL attribute `purgeAt` (epoch seconds), which
 * no resource item carries. Never holds a token or any other secret: only ids, states and timestamps.
 */
import * as z from 'zod/mini';
import { resourceRowShape } from './model.js';
import type { RegistryItem } from './model.js';
import { ITEM_STATUSES } from './state.js';
import { KEY_PREFIX } from './table.js';

/** How long a history entry is kept (DynamoDB deletes it within a few days after; dynalite never does). */
export const HISTORY_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

export const HISTORY_SOURCES = ['relay', 'sweep', 'sync'] as const;
export type HistorySourceKind = (typeof HISTORY_SOURCES)[number];

/** Who writes through a store: the relay (its id is each write's request id), one sweep or one sync run. */
export type HistorySource = { kind: 'relay' } | { kind: 'sweep' | 'sync'; id: string };

/** The fields of an item a history entry keeps: its meaning, without claims and index keys. */
export const historyStateSchema = z.object({
  status: z.enum(ITEM_STATUSES),
  expireDate: z.optional(z.number().check(z.int())),
  disabledAt: z.optional(z.number().check(z.int())),
  rejections: z.number().check(z.int(), z.nonnegative()),
  lastErrorCode: z.optional(z.string()),
  reenableOwedSince: z.optional(z.number().check(z.int())),
  inDoubtSince: z.optional(z.number().check(z.int())),
  goneAt: z.optional(z.number().check(z.int())),
  failedAt: z.optional(z.number().check(z.int())),
});
export type HistoryState = z.infer<typeof historyStateSchema>;

export const historyEntrySchema = z.object({
  ...resourceRowShape,
  version: z.number().check(z.int(), z.nonnegative()),
  at: z.number().check(z.int()),
  source: z.enum(HISTORY_SOURCES),
  /** The relay's X-Request-Id, the sweep id or the sync id; absent for a relay write without a request id. */
  sourceId: z.optional(z.string()),
  after: historyStateSchema,
  purgeAt: z.number().check(z.int()),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export function historyPartitionKey(corpId: string, resourceId: string): string {
  return `${KEY_PREFIX.history}${corpId}#${resourceId}`;
}

export function historySortKeyPrefix(type: string | undefined): string {
  return `${type ?? KEY_PREFIX.anyType}#`;
}

function stateOf(item: RegistryItem): HistoryState {
  const state: HistoryState = { status: item.status, rejections: item.rejections };
  if (item.expireDate !== undefined) state.expireDate = item.expireDate;
  if (item.disabledAt !== undefined) state.disabledAt = item.disabledAt;
  if (item.lastError !== undefined) state.lastErrorCode = item.lastError.errorCode;
  if (item.reenableOwedSince !== undefined) state.reenableOwedSince = item.reenableOwedSince;
  if (item.inDoubtSince !== undefined) state.inDoubtSince = item.inDoubtSince;
  if (item.goneAt !== undefined) state.goneAt = item.goneAt;
  if (item.failedAt !== undefined) state.failedAt = item.failedAt;
  return state;
}

/** The entry for a write of `item` (as written) by `source`. */
export function historyEntryFor(item: RegistryItem, source: HistorySource): HistoryEntry {
  const entry: HistoryEntry = {
    pk: historyPartitionKey(item.corpId, item.resourceId),
    sk: `${historySortKeyPrefix(item.type)}${String(item.version).padStart(10, '0')}`,
    corpId: item.corpId,
    resourceId: item.resourceId,
    version: item.version,
    at: item.updatedAt,
    source: source.kind,
    after: stateOf(item),
    purgeAt: Math.floor((item.updatedAt + HISTORY_RETENTION_DAYS * DAY_MS) / 1000),
  };
  if (item.type !== undefined) entry.type = item.type;
  // The relay stamps each write with the request's X-Request-Id (transitions.ts, finishWrite).
  const sourceId = source.kind === 'relay' ? item.lastRequestId : source.id;
  if (sourceId !== undefined) entry.sourceId = sourceId;
  return entry;
}
