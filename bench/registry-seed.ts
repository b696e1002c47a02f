/**
 * Builds the sweep benchmark's registry: `registryItems` resource items of which exactly `due` are past their
 * expiry and still enabled, the rest either active with a future expiry (in the due index, not yet due) or
 * already disabled. Items are made by the registry's own transitions, so keys, versions and due-index
 * attributes are exactly what the relay would have written, and loaded with BatchWriteItem, 25 per request,
 * several requests in flight.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ResourceType } from '../functions/shared/huawei/schemas.js';
import { mapWithConcurrency } from '../functions/shared/registry/concurrency.js';
import type { RegistryItem } from '../functions/shared/registry/model.js';
import { applyRelayedChange, finishWrite, markExpiredDisabled, newItem } from '../functions/shared/registry/transitions.js';

/** DynamoDB's BatchWriteItem limit. */
export const BATCH_WRITE_MAX_ITEMS = 25;
const SEED_CONCURRENCY = 16;
const PROGRESS_EVERY = 100_000;

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Enterprises the not-due items are spread over (they never reach Huawei, so they need not exist there). */
const FILLER_CORPS = 1_000;
/** One in this many not-due items is already disabled (out of the due index). */
const DISABLED_EVERY = 10;
/** Types of the due items: typed, so a disable is one DTO with no read-back of the types from Huawei. */
const DUE_TYPES: readonly ResourceType[] = ['VMR', 'SOFT', 'CONF_CALL', 'HARD_1080P'];

export interface DueResource {
  corpId: string;
  id: string;
  type: ResourceType;
  expireDate: number;
}

/** `due` resources past their expiry, spread round-robin over `corpIds`, the oldest one day overdue. */
export function dueResources(due: number, corpIds: readonly string[], now: number): DueResource[] {
  return Array.from({ length: due }, (_, i) => ({
    corpId: corpIds[i % corpIds.length] as string,
    id: `bench-due-${String(i).padStart(7, '0')}`,
    type: DUE_TYPES[i % DUE_TYPES.length] as ResourceType,
    expireDate: now - MINUTE_MS - Math.floor((i / Math.max(1, due)) * DAY_MS),
  }));
}

/** The registry item of a due resource as the relay recorded it: active, version 1, in the due index. */
export function dueItem(resource: DueResource, now: number): RegistryItem {
  const fresh = newItem({ corpId: resource.corpId, resourceId: resource.id, type: resource.type }, now - 30 * DAY_MS);
  return finishWrite(fresh, applyRelayedChange(fresh, { expireDate: resource.expireDate }, now - 30 * DAY_MS), { now: now - 30 * DAY_MS });
}

/** Not-due item number `index`: active and expiring within a year, or (one in ten) already disabled. */
export function fillerItem(index: number, now: number): RegistryItem {
  const corpId = `9${String(index % FILLER_CORPS).padStart(8, '0')}`;
  const type = DUE_TYPES[index % DUE_TYPES.length] as ResourceType;
  const createdAt = now - 60 * DAY_MS;
  const fresh = newItem({ corpId, resourceId: `bench-${String(index).padStart(7, '0')}`, type }, createdAt);
  if (index % DISABLED_EVERY === 0) {
    const expired = finishWrite(fresh, applyRelayedChange(fresh, { expireDate: now - 7 * DAY_MS }, createdAt), { now: createdAt });
    return markExpiredDisabled(expired, { now: now - 6 * DAY_MS });
  }
  const expireDate = now + DAY_MS + (index % 365) * DAY_MS;
  return finishWrite(fresh, applyRelayedChange(fresh, { expireDate }, createdAt), { now: createdAt });
}

/** Writes items with BatchWriteItem, resending what DynamoDB leaves unprocessed. */
export async function batchPut(db: DynamoDBDocumentClient, tableName: string, items: readonly RegistryItem[]): Promise<void> {
  let pending: Record<string, unknown>[] = items.map((item) => ({ PutRequest: { Item: item } }));
  while (pending.length > 0) {
    const output = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
    pending = (output.UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
  }
}

/** Loads filler items number `from` to `to - 1`, generated batch by batch (a million never sit in memory). */
export async function seedFillers(
  db: DynamoDBDocumentClient,
  tableName: string,
  range: { from: number; to: number },
  now: number,
  onProgress?: (written: number) => void,
): Promise<void> {
  const count = Math.max(0, range.to - range.from);
  const batches = Array.from({ length: Math.ceil(count / BATCH_WRITE_MAX_ITEMS) }, (_, b) => b);
  let written = 0;
  await mapWithConcurrency(batches, SEED_CONCURRENCY, async (batch) => {
    const start = range.from + batch * BATCH_WRITE_MAX_ITEMS;
    const end = Math.min(range.to, start + BATCH_WRITE_MAX_ITEMS);
    const items = Array.from({ length: end - start }, (_, i) => fillerItem(start + i, now));
    await batchPut(db, tableName, items);
    written += items.length;
    if (onProgress && written % PROGRESS_EVERY < BATCH_WRITE_MAX_ITEMS) onProgress(written);
  });
}

/** Writes (or rewrites, to undo a sweep) the given items. */
export async function putItems(db: DynamoDBDocumentClient, tableName: string, items: readonly RegistryItem[]): Promise<void> {
  const batches: RegistryItem[][] = [];
  for (let i = 0; i < items.length; i += BATCH_WRITE_MAX_ITEMS) batches.push(items.slice(i, i + BATCH_WRITE_MAX_ITEMS));
  await mapWithConcurrency(batches, SEED_CONCURRENCY, (batch) => batchPut(db, tableName, batch));
}
