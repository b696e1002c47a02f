/**
 * The sync's watermark: one registry item (`SYNC_WATERMARK_KEY`) saying "every change Huawei made before
 * `syncedThrough` is in the registry", plus the enterprises the run that set it listed. An incremental sync reads
 * Huawei's operation records from a little before it (changed-corps.ts).
 *
 * Only a sync over all of the SP's enterprises that ended without a problem moves it, to that sync's start time,
 * with a conditional put that lands only over an older value: two overlapping syncs cannot move it backwards.
 * A conditional PutItem (not UpdateItem) keeps the sync's table access what it was (GetItem, Query, PutItem).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { RegistryUnavailableError } from '../shared/registry/errors.js';
import { Expression } from '../shared/registry/expression.js';
import { ATTR, SYNC_WATERMARK_KEY } from '../shared/registry/table.js';

export interface SyncWatermarkState {
  /** Epoch ms (the sync's clock): the start of the last sync that brought every enterprise in line. */
  syncedThrough: number;
  /** The enterprises that sync listed; undefined when there were too many to keep in one item. */
  corpIds: readonly string[] | undefined;
  syncId: string;
}

/**
 * Enterprises kept in the item: DynamoDB items hold at most 400 KB, and ids are up to 64 characters. Past this,
 * the list is not kept and every sync is a full pass (changed-corps.ts).
 */
export const MAX_TRACKED_CORPS = 5_000;

const itemSchema = z.object({
  [ATTR.syncedThrough]: z.number(),
  [ATTR.syncedCorpIds]: z.optional(z.array(z.string())),
  [ATTR.syncId]: z.string(),
});

/** Reads and advances the watermark item. */
export class SyncWatermark {
  private readonly db: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: { documentClient: DynamoDBDocumentClient; tableName: string }) {
    this.db = options.documentClient;
    this.tableName = options.tableName;
  }

  /** The watermark (strongly consistent), undefined when none was ever set or the item does not parse. */
  async read(): Promise<SyncWatermarkState | undefined> {
    let output;
    try {
      output = await this.db.send(new GetCommand({ TableName: this.tableName, Key: SYNC_WATERMARK_KEY, ConsistentRead: true }));
    } catch (error) {
      throw new RegistryUnavailableError('GetItem (sync watermark)', { cause: error });
    }
    const parsed = itemSchema.safeParse(output.Item);
    if (!parsed.success) return undefined;
    const item = parsed.data;
    return { syncedThrough: item[ATTR.syncedThrough], corpIds: item[ATTR.syncedCorpIds], syncId: item[ATTR.syncId] };
  }

  /** Sets the watermark if it is newer than the stored one; false when a newer (or equal) one stands. */
  async advance(next: { syncedThrough: number; corpIds: readonly string[]; syncId: string }): Promise<boolean> {
    const e = new Expression();
    const corpIds = next.corpIds.length <= MAX_TRACKED_CORPS ? [...next.corpIds] : undefined;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...SYNC_WATERMARK_KEY, [ATTR.syncedThrough]: next.syncedThrough, [ATTR.syncedCorpIds]: corpIds, [ATTR.syncId]: next.syncId },
          ConditionExpression: `attribute_not_exists(${e.name(ATTR.pk)}) OR ${e.name(ATTR.syncedThrough)} < ${e.value(next.syncedThrough)}`,
          ...e.parameters(),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new RegistryUnavailableError('PutItem (sync watermark)', { cause: error });
    }
  }
}
