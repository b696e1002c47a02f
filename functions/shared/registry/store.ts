/**
 * Reads and per-item conditional writes on the registry table. No transactions (dynalite has none): every
 * state change is one item written on the condition that nobody changed it since it was read. A failed
 * condition is a result (`false` / `undefined`), never an exception; any other DynamoDB failure throws
 * RegistryUnavailableError.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from './concurrency.js';
import { RegistryUnavailableError } from './errors.js';
import { Expression } from './expression.js';
import { allDueShards, corpPartitionKey, resourceSortKeyPrefix } from './keys.js';
import type { ItemKey } from './keys.js';
import { dueEntrySchema, registryItemSchema } from './model.js';
import type { DueEntry, RegistryItem } from './model.js';
import { ATTR, REGISTRY_TABLE } from './table.js';

export interface RegistryStoreOptions {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
}

export interface DueQueryResult {
  entries: DueEntry[];
  /** Index items DynamoDB read (what the Queries cost), summed over shards and pages. */
  itemsRead: number;
}

export interface ClaimRequest {
  sweepId: string;
  now: number;
  /** Epoch ms after which another sweep may claim the item again. */
  expiresAt: number;
}

export class RegistryStore {
  readonly tableName: string;
  private readonly db: DynamoDBDocumentClient;

  constructor(options: RegistryStoreOptions) {
    this.db = options.documentClient;
    this.tableName = options.tableName;
  }

  /** Strongly consistent read of one item. */
  async get(key: ItemKey): Promise<RegistryItem | undefined> {
    const output = await this.call('GetItem', () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true })),
    );
    return output.Item ? registryItemSchema.parse(output.Item) : undefined;
  }

  /** Every item (each type, and the type-less one) of one resource id in one enterprise; strongly consistent. */
  async listResource(corpId: string, resourceId: string): Promise<RegistryItem[]> {
    const e = new Expression();
    const { items } = await this.queryAll({
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression: `${e.name(ATTR.pk)} = ${e.value(corpPartitionKey(corpId))} AND begins_with(${e.name(ATTR.sk)}, ${e.value(resourceSortKeyPrefix(resourceId))})`,
      ...e.parameters(),
    });
    return items.map((raw) => registryItemSchema.parse(raw));
  }

  /**
   * Every resource item of one enterprise, strongly consistent, paged to the end (the sync reads this before
   * it reads Huawei, so that any write landing meanwhile moves a version and wins over the sync's write).
   */
  async listCorp(corpId: string): Promise<{ items: RegistryItem[]; itemsRead: number }> {
    const e = new Expression();
    const { items, itemsRead } = await this.queryAll({
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression: `${e.name(ATTR.pk)} = ${e.value(corpPartitionKey(corpId))}`,
      ...e.parameters(),
    });
    return { items: items.map((raw) => registryItemSchema.parse(raw)), itemsRead };
  }

  /**
   * Every index entry with `dueAt <= now`, all shards queried in parallel and paged to the end. Reads are
   * proportional to the due items: nothing else is in the range. The index is eventually consistent, so an
   * entry may be stale; claims re-check the item.
   */
  async queryDue(now: number): Promise<DueQueryResult> {
    const perShard = await mapWithConcurrency(allDueShards(), REGISTRY_TABLE.dueShardCount, (shard) =>
      this.queryDueShard(shard, now),
    );
    return {
      entries: perShard.flatMap((r) => r.entries),
      itemsRead: perShard.reduce((sum, r) => sum + r.itemsRead, 0),
    };
  }

  private async queryDueShard(shard: string, now: number): Promise<DueQueryResult> {
    const e = new Expression();
    const { items, itemsRead } = await this.queryAll({
      TableName: this.tableName,
      IndexName: REGISTRY_TABLE.dueIndex.name,
      KeyConditionExpression: `${e.name(ATTR.dueShard)} = ${e.value(shard)} AND ${e.name(ATTR.dueAt)} <= ${e.value(now)}`,
      ...e.parameters(),
    });
    return { entries: items.map((raw) => dueEntrySchema.parse(raw)), itemsRead };
  }

  /** Runs a Query to its last page with the SDK's paginator; `itemsRead` is what DynamoDB read (and bills). */
  private async queryAll(input: QueryCommandInput): Promise<{ items: Record<string, unknown>[]; itemsRead: number }> {
    return this.call('Query', async () => {
      const items: Record<string, unknown>[] = [];
      let itemsRead = 0;
      for await (const page of paginateQuery({ client: this.db }, input)) {
        itemsRead += page.ScannedCount ?? page.Count ?? 0;
        items.push(...(page.Items ?? []));
      }
      return { items, itemsRead };
    });
  }

  /**
   * Claims a due item for one sweep, on the condition that it is still exactly as found in the index (same
   * version and dueAt: nobody wrote it since) and nobody else holds an unexpired claim. Returns the claimed
   * item, or undefined when the condition failed (renewed, disabled, claimed meanwhile).
   *
   * The claim does not bump `version`: the sweeper's later record is conditioned on the version returned here,
   * so any relay write in between makes that record fail, which is what detects the race.
   */
  async claim(entry: DueEntry, request: ClaimRequest): Promise<RegistryItem | undefined> {
    const e = new Expression();
    const condition = [
      `attribute_exists(${e.name(ATTR.pk)})`,
      `${e.name(ATTR.version)} = ${e.value(entry.version)}`,
      `${e.name(ATTR.dueAt)} = ${e.value(entry.dueAt)}`,
      `(attribute_not_exists(${e.name(ATTR.claimExpiresAt)}) OR ${e.name(ATTR.claimExpiresAt)} < ${e.value(request.now)} OR ${e.name(ATTR.claimedBy)} = ${e.value(request.sweepId)})`,
    ].join(' AND ');
    try {
      const output = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: entry.pk, sk: entry.sk },
          UpdateExpression: `SET ${e.name(ATTR.claimedBy)} = ${e.value(request.sweepId)}, ${e.name(ATTR.claimExpiresAt)} = ${e.value(request.expiresAt)}`,
          ConditionExpression: condition,
          ReturnValues: 'ALL_NEW',
          ...e.parameters(),
        }),
      );
      return registryItemSchema.parse(output.Attributes);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw new RegistryUnavailableError('UpdateItem (claim)', { cause: error });
    }
  }

  /** Drops this sweep's claim so the next sweep need not wait for it to expire. False if it was not ours. */
  async releaseClaim(key: ItemKey, sweepId: string): Promise<boolean> {
    const e = new Expression();
    return this.conditional('UpdateItem (release claim)', () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: key.pk, sk: key.sk },
          UpdateExpression: `REMOVE ${e.name(ATTR.claimedBy)}, ${e.name(ATTR.claimExpiresAt)}`,
          ConditionExpression: `${e.name(ATTR.claimedBy)} = ${e.value(sweepId)}`,
          ...e.parameters(),
        }),
      ),
    );
  }

  /** Writes a new item if none exists under its key. False if one appeared meanwhile. */
  async create(item: RegistryItem): Promise<boolean> {
    const e = new Expression();
    return this.conditional('PutItem (create)', () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: registryItemSchema.parse(item),
          ConditionExpression: `attribute_not_exists(${e.name(ATTR.pk)})`,
          ...e.parameters(),
        }),
      ),
    );
  }

  /**
   * Replaces an item on the condition that it still has the version it was read with (and, for the sweeper's
   * records, is still claimed by this sweep). False when someone wrote it in between.
   */
  async replace(item: RegistryItem, expected: { version: number; claimedBy?: string }): Promise<boolean> {
    const e = new Expression();
    const conditions = [`${e.name(ATTR.version)} = ${e.value(expected.version)}`];
    if (expected.claimedBy !== undefined) {
      conditions.push(`${e.name(ATTR.claimedBy)} = ${e.value(expected.claimedBy)}`);
    }
    return this.conditional('PutItem (replace)', () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: registryItemSchema.parse(item),
          ConditionExpression: conditions.join(' AND '),
          ...e.parameters(),
        }),
      ),
    );
  }

  private async conditional(operation: string, send: () => Promise<unknown>): Promise<boolean> {
    try {
      await send();
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new RegistryUnavailableError(operation, { cause: error });
    }
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new RegistryUnavailableError(operation, { cause: error });
    }
  }
}
