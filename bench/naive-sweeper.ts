/**
 * The baseline the sweeper is compared with: what a first, obvious expiry job would do. It reads the whole
 * table (Scan with a filter on the expiry, so every item is read and paid for), then, for each due resource,
 * asks Huawei whether it is expired and enabled with its own search (`searchKey=<id>`: the naive way to honour
 * "Huawei is the system of record") and disables it with its own SP call, the same client and the same number of calls in flight as the real sweeper, and records
 * each disable with the registry's own transition and conditional write (so the registry ends in the same state
 * and the next run starts from the same data).
 *
 * No lease, no claims, no batching: it is only here to be measured.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mapWithConcurrency } from '../functions/shared/registry/concurrency.js';
import { registryItemSchema } from '../functions/shared/registry/model.js';
import type { RegistryItem } from '../functions/shared/registry/model.js';
import type { RegistryStore } from '../functions/shared/registry/store.js';
import { ATTR } from '../functions/shared/registry/table.js';
import { markExpiredDisabled } from '../functions/shared/registry/transitions.js';
import type { SweeperSpApi } from '../functions/sweep/run.js';

export interface NaiveSweepDeps {
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  store: RegistryStore;
  spApi: SweeperSpApi;
  /** SP calls in flight at once (the real sweeper's SWEEP_CONCURRENCY). */
  concurrency: number;
  now?: () => number;
}

export interface NaiveSweepReport {
  /** Items the Scan read (ScannedCount): the whole table. */
  itemsRead: number;
  /** Scan requests (pages of at most 1 MB). */
  scanPages: number;
  due: number;
  disabled: number;
  spCalls: number;
  /** Disables Huawei did not accept. */
  rejected: number;
}

/** Every enabled, not failed item whose expireDate has passed, found by reading the whole table. */
async function scanDue(
  db: DynamoDBDocumentClient,
  tableName: string,
  now: number,
): Promise<{ items: RegistryItem[]; scanned: number; pages: number }> {
  const items: RegistryItem[] = [];
  let scanned = 0;
  let pages = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#expireDate <= :now AND #status = :active',
        ExpressionAttributeNames: { '#expireDate': ATTR.expireDate, '#status': ATTR.status },
        ExpressionAttributeValues: { ':now': now, ':active': 'active' },
        ExclusiveStartKey: startKey,
      }),
    );
    scanned += page.ScannedCount ?? 0;
    pages++;
    for (const raw of page.Items ?? []) items.push(registryItemSchema.parse(raw));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { items, scanned, pages };
}

export async function naiveSweep(deps: NaiveSweepDeps): Promise<NaiveSweepReport> {
  const now = deps.now ?? Date.now;
  const { items, scanned, pages } = await scanDue(deps.documentClient, deps.tableName, now());
  const report: NaiveSweepReport = { itemsRead: scanned, scanPages: pages, due: items.length, disabled: 0, spCalls: 0, rejected: 0 };
  await mapWithConcurrency(items, deps.concurrency, async (item) => {
    const search = await deps.spApi.queryResources(item.corpId, { searchKey: item.resourceId, limit: 100 });
    report.spCalls++;
    const listed = (search.json as { data?: Array<{ id: string; type: string; status: number }> } | undefined)?.data ?? [];
    if (!listed.some((r) => r.id === item.resourceId && (item.type === undefined || r.type === item.type) && r.status === 1)) return;
    const response = await deps.spApi.updateResources(item.corpId, [
      item.type === undefined ? { id: item.resourceId, isDisabled: true } : { id: item.resourceId, type: item.type, isDisabled: true },
    ]);
    report.spCalls++;
    if (response.status < 200 || response.status >= 300) {
      report.rejected++;
      return;
    }
    if (await deps.store.replace(markExpiredDisabled(item, { now: now(), requestId: response.requestId }), { version: item.version })) {
      report.disabled++;
    }
  });
  return report;
}
