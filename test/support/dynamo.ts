/**
 * A registry on a fresh in-process dynalite (real DynamoDB protocol over loopback) for one test file: the
 * store, the lease and a raw scan to compare whole-table states.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamo } from '../../local/dynamo.js';
import type { RunningDynamo } from '../../local/dynamo.js';
import { SweepLease } from '../../functions/shared/registry/lease.js';
import { RegistryStore } from '../../functions/shared/registry/store.js';

export interface TestRegistry {
  dynamo: RunningDynamo;
  store: RegistryStore;
  lease: SweepLease;
  /** Every item of the table, raw, sorted by key. */
  scanAll(): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export async function startTestRegistry(): Promise<TestRegistry> {
  const dynamo = await startDynamo();
  const options = { documentClient: dynamo.documentClient, tableName: dynamo.tableName };
  return {
    dynamo,
    store: new RegistryStore(options),
    lease: new SweepLease(options),
    async scanAll() {
      const items: Record<string, unknown>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await dynamo.documentClient.send(
          new ScanCommand({ TableName: dynamo.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
        );
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return items.sort((a, b) => `${String(a.pk)}|${String(a.sk)}`.localeCompare(`${String(b.pk)}|${String(b.sk)}`));
    },
    stop: () => dynamo.stop(),
  };
}
