/**
 * Writes the history entries of a store's landed writes, coalescing the entries of concurrent writes into
 * BatchWriteItem requests (at most 25 entries each, DynamoDB's limit). A lone entry is one PutItem, as before;
 * while a request is in flight, the entries that arrive wait and go together in the next one. Each caller still
 * resolves only once its own entry is written, and a failed request rejects exactly the callers whose entries it
 * held, with RegistryUnavailableError: the store's guarantee (the entry is written after its item, or the write
 * reports a failure) is unchanged, only the number of requests goes down. History entries are unconditional puts
 * under keys no other writer uses (history.ts), so batching them loses no condition.
 */
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RegistryUnavailableError } from './errors.js';
import type { HistoryEntry } from './history.js';

/** BatchWriteItem's limit, and how unprocessed entries are retried. */
export const HISTORY_BATCH = { maxEntries: 25, maxAttempts: 5, retryBaseMs: 20 } as const;

interface Waiting {
  entry: HistoryEntry;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class HistoryWriter {
  private queue: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Entries per request: 1 = one PutItem each, never a BatchWriteItem. */
    private readonly maxEntries: number = HISTORY_BATCH.maxEntries,
    /** Requests in flight at once; entries arriving meanwhile are coalesced. */
    private readonly maxInFlight = 2,
  ) {}

  write(entry: HistoryEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    // Unbatched, every entry is its own request at once, as the store always wrote them.
    const maxInFlight = this.maxEntries === 1 ? Number.POSITIVE_INFINITY : this.maxInFlight;
    while (this.inFlight < maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, Math.min(this.maxEntries, HISTORY_BATCH.maxEntries));
      this.inFlight++;
      void this.send(batch.map((w) => w.entry))
        .then(
          () => batch.forEach((w) => w.resolve()),
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }

  private async send(entries: readonly HistoryEntry[]): Promise<void> {
    if (entries.length === 1) {
      await this.call('PutItem (history)', () => this.db.send(new PutCommand({ TableName: this.tableName, Item: entries[0] })));
      return;
    }
    let pending = entries.map((entry) => ({ PutRequest: { Item: entry as unknown as Record<string, unknown> } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > HISTORY_BATCH.maxAttempts) {
        throw new RegistryUnavailableError('BatchWriteItem (history)', { cause: new Error(`${pending.length} entries left unprocessed`) });
      }
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, HISTORY_BATCH.retryBaseMs * 2 ** (attempt - 2)));
      const RequestItems = { [this.tableName]: pending };
      const output = await this.call('BatchWriteItem (history)', () => this.db.send(new BatchWriteCommand({ RequestItems })));
      pending = (output.UnprocessedItems?.[this.tableName] ?? []).flatMap((request) =>
        request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
      );
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
