/**
 * Reads and per-item conditional writes on the registry table. No transactions (dynalite has none): every
 * state change is one item written on the condition that nobody changed it since it was read. A failed
 * condition is a result (`false` / `undefined`), never an exception; any other DynamoDB failure throws
 * RegistryUnavailableError.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from './concurrency.js';
import { RegistryUnavailableError } from './errors.js';
import { Expression } from './expression.js';
import { allDueShards, corpPartitionKey, resourceSortKeyPrefix } from './keys.js';
import type { ItemKey } from './keys.js';
import { HISTORY_BATCH, HistoryWriter } from './history-writer.js';
import { historyEntryFor, historyEntrySchema, historyPartitionKey, historySortKeyPrefix } from './history.js';
import type { HistoryEntry, HistorySource } from './history.js';
import { dueEntrySchema, registryItemSchema } from './model.js';
import type { DueEntry, RegistryItem } from './model.js';
import { ATTR, REGISTRY_TABLE } from './table.js';

export interface RegistryStoreOptions {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  /** Who writes through this store, for the history entries; default the relay. See `withSource`. */
  source?: HistorySource;
  /**
   * Coalesce the history entries of concurrent writes into BatchWriteItem requests (history-writer.ts). Only for
   * functions whose role has `dynamodb:BatchWriteItem` (TABLE_ACTIONS.readWrite); off: one PutItem per entry.
   */
  batchHistory?: boolean;
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

/** BatchGetItem's limit of keys per request, and how unprocessed keys are retried. */
export const BATCH_GET = { maxKeys: 100, maxAttempts: 5, retryBaseMs: 20 } as const;

/** The condition of `RegistryStore.replace`. */
export interface ReplaceCondition {
  version: number;
  claimedBy?: string;
  claimAsRead?: string | null;
}

export class RegistryStore {
  readonly tableName: string;
  readonly source: HistorySource;
  private readonly db: DynamoDBDocumentClient;
  private readonly batchHistory: boolean;
  private readonly history: HistoryWriter;

  constructor(options: RegistryStoreOptions) {
    this.db = options.documentClient;
    this.tableName = options.tableName;
    this.source = options.source ?? { kind: 'relay' };
    this.batchHistory = options.batchHistory ?? false;
    this.history = new HistoryWriter(this.db, this.tableName, this.batchHistory ? HISTORY_BATCH.maxEntries : 1);
  }

  /** The same table, with every write's history entry attributed to `source` (one sweep, one sync run). */
  withSource(source: HistorySource): RegistryStore {
    return new RegistryStore({ documentClient: this.db, tableName: this.tableName, source, batchHistory: this.batchHistory });
  }

  /** Strongly consistent read of one item. */
  async get(key: ItemKey): Promise<RegistryItem | undefined> {
    const output = await this.call('GetItem', () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true })),
    );
    return output.Item ? registryItemSchema.parse(output.Item) : undefined;
  }

  /**
   * Strongly consistent reads of many items by key, in as few requests as DynamoDB allows (BatchGetItem, 100 keys
   * a request, requests in parallel). Keys DynamoDB leaves unprocessed are asked for again with a short backoff;
   * keys still unprocessed after `BATCH_GET.maxAttempts` make it a RegistryUnavailableError. Items that do not
   * exist are absent from the result; the order is by key.
   */
  async getMany(keys: readonly ItemKey[]): Promise<RegistryItem[]> {
    const unique = [...new Map(keys.map((key) => [`${key.pk}|${key.sk}`, { pk: key.pk, sk: key.sk }])).values()];
    const chunks: ItemKey[][] = [];
    for (let i = 0; i < unique.length; i += BATCH_GET.maxKeys) chunks.push(unique.slice(i, i + BATCH_GET.maxKeys));
    const read = await mapWithConcurrency(chunks, chunks.length, (chunk) => this.batchGet(chunk));
    return read.flat().sort((a, b) => (a.pk === b.pk ? (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0) : a.pk < b.pk ? -1 : 1));
  }

  private async batchGet(keys: readonly ItemKey[]): Promise<RegistryItem[]> {
    const items: RegistryItem[] = [];
    let pending: Record<string, unknown>[] = keys.map((key) => ({ pk: key.pk, sk: key.sk }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > BATCH_GET.maxAttempts) {
        throw new RegistryUnavailableError('BatchGetItem', { cause: new Error(`${pending.length} key(s) left unprocessed`) });
      }
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, BATCH_GET.retryBaseMs * 2 ** (attempt - 2)));
      const Keys = pending;
      const output = await this.call('BatchGetItem', () =>
        this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys, ConsistentRead: true } } })),
      );
      items.push(...(output.Responses?.[this.tableName] ?? []).map((raw) => registryItemSchema.parse(raw)));
      pending = output.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return items;
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
    const written = await this.conditional('PutItem (create)', () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: registryItemSchema.parse(item),
          ConditionExpression: `attribute_not_exists(${e.name(ATTR.pk)})`,
          ...e.parameters(),
        }),
      ),
    );
    if (written) await this.recordHistory(item);
    return written;
  }

  /**
   * Replaces an item on the condition that it still has the version it was read with (and, for the sweeper's
   * records, is still claimed by this sweep). False when someone wrote it in between.
   *
   * `claimAsRead` (the claim the writer read, `null` for none): a claim does not bump the version, so a writer
   * that read the item before a sweep claimed it would drop that claim unseen; with it, the write fails when a
   * claim other than the one read is on the item now (a released claim still lets it through).
   */
  async replace(item: RegistryItem, expected: ReplaceCondition): Promise<boolean> {
    const e = new Expression();
    const conditions = [`${e.name(ATTR.version)} = ${e.value(expected.version)}`];
    if (expected.claimedBy !== undefined) {
      conditions.push(`${e.name(ATTR.claimedBy)} = ${e.value(expected.claimedBy)}`);
    }
    if (expected.claimAsRead !== undefined) {
      const none = `attribute_not_exists(${e.name(ATTR.claimedBy)})`;
      conditions.push(expected.claimAsRead === null ? none : `(${none} OR ${e.name(ATTR.claimedBy)} = ${e.value(expected.claimAsRead)})`);
    }
    const written = await this.conditional('PutItem (replace)', () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: registryItemSchema.parse(item),
          ConditionExpression: conditions.join(' AND '),
          ...e.parameters(),
        }),
      ),
    );
    if (written) await this.recordHistory(item);
    return written;
  }

  /**
   * The history entry of a write that landed: the one seam where history is kept, so every writer (relay, sweep,
   * sync) records it without knowing. Written after the item (dynalite has no transactions): a failure here is a
   * RegistryUnavailableError like any other, so the caller retries and the retry's write gets its own entry.
   */
  private async recordHistory(item: RegistryItem): Promise<void> {
    // Entries of concurrent writes share BatchWriteItem requests (history-writer.ts); each write still waits for its own.
    await this.history.write(historyEntryFor(item, this.source));
  }

  /** History entries of a resource id (one type, or all of its items), in version order per item; strongly consistent. */
  async listHistory(corpId: string, resourceId: string, type?: string): Promise<{ entries: HistoryEntry[]; itemsRead: number }> {
    const e = new Expression();
    const keyCondition = `${e.name(ATTR.pk)} = ${e.value(historyPartitionKey(corpId, resourceId))}`;
    const { items, itemsRead } = await this.queryAll({
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression:
        type === undefined ? keyCondition : `${keyCondition} AND begins_with(${e.name(ATTR.sk)}, ${e.value(historySortKeyPrefix(type))})`,
      ...e.parameters(),
    });
    return { entries: items.map((raw) => historyEntrySchema.parse(raw)), itemsRead };
  }

  /**
   * One page of an enterprise's resource items, optionally only those of one status (a filter: DynamoDB reads
   * `limit` items and returns the matching ones, so a page may be short while `nextKey` is set).
   */
  async pageCorp(
    corpId: string,
    page: { limit: number; startSortKey?: string; status?: string },
  ): Promise<{ items: RegistryItem[]; nextSortKey: string | undefined; itemsRead: number }> {
    const e = new Expression();
    const pk = corpPartitionKey(corpId);
    const input: QueryCommandInput = {
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression: `${e.name(ATTR.pk)} = ${e.value(pk)}`,
      Limit: page.limit,
      ...(page.startSortKey === undefined ? {} : { ExclusiveStartKey: { pk, sk: page.startSortKey } }),
    };
    if (page.status !== undefined) input.FilterExpression = `${e.name(ATTR.status)} = ${e.value(page.status)}`;
    Object.assign(input, e.parameters());
    const output = await this.call('Query', () => this.db.send(new QueryCommand(input)));
    const last = output.LastEvaluatedKey?.[ATTR.sk];
    return {
      items: (output.Items ?? []).map((raw) => registryItemSchema.parse(raw)),
      nextSortKey: typeof last === 'string' ? last : undefined,
      itemsRead: output.ScannedCount ?? 0,
    };
  }

  /**
   * Due-index entries with `from <= dueAt < to`, all shards, paged to the end: the reads grow with the entries in
   * the window, not with the registry. Eventually consistent, like every index read.
   */
  async queryDueWindow(from: number, to: number): Promise<DueQueryResult> {
    const perShard = await mapWithConcurrency(allDueShards(), REGISTRY_TABLE.dueShardCount, async (shard) => {
      const e = new Expression();
      const { items, itemsRead } = await this.queryAll({
        TableName: this.tableName,
        IndexName: REGISTRY_TABLE.dueIndex.name,
        KeyConditionExpression: `${e.name(ATTR.dueShard)} = ${e.value(shard)} AND ${e.name(ATTR.dueAt)} BETWEEN ${e.value(from)} AND ${e.value(to - 1)}`,
        ...e.parameters(),
      });
      return { entries: items.map((raw) => dueEntrySchema.parse(raw)), itemsRead };
    });
    return {
      entries: perShard.flatMap((r) => r.entries).sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0)),
      itemsRead: perShard.reduce((sum, r) => sum + r.itemsRead, 0),
    };
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
