import { beforeEach, describe, expect, it } from 'vitest';
import type { RegistryItem } from '../../functions/shared/registry/model.js';
import { RegistryStore } from '../../functions/shared/registry/store.js';
import { applyRelayedChange, finishWrite, newItem } from '../../functions/shared/registry/transitions.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { operationsDuring } from '../support/dynamo-operations.js';
import { startRegistry, use } from '../support/stack.js';

const HOUR = 3_600_000;

describe('history entries of concurrent writes', () => {
  const registry = use(startRegistry, 'test');
  let now: number;

  beforeEach(() => {
    now = Date.now();
  });

  const items = (count: number): RegistryItem[] =>
    Array.from({ length: count }, (_, i) => {
      const fresh = newItem({ corpId: CORP_A.corpId, resourceId: `h${i}`, type: 'VMR' }, now);
      return finishWrite(fresh, applyRelayedChange(fresh, { expireDate: now + HOUR }, now), { now, requestId: `req-${i}` });
    });

  it('with batchHistory, share BatchWriteItem requests and each write resolves with its entry written', async () => {
    // Prepare
    const store = new RegistryStore({ documentClient: registry.dynamo.documentClient, tableName: registry.dynamo.tableName, batchHistory: true });
    const written = items(30);

    // Act
    const operations = await operationsDuring(() => Promise.all(written.map((item) => store.create(item))));

    // Assess: every entry is there, in fewer history requests than writes
    for (const item of written) {
      const { entries } = await store.listHistory(CORP_A.corpId, item.resourceId);
      expect(entries.map((e) => [e.version, e.sourceId])).toEqual([[1, item.lastRequestId]]);
    }
    const historyRequests = operations.filter((op) => op === 'BatchWriteItem' || op === 'PutItem').length - written.length;
    expect(historyRequests).toBeLessThan(written.length);
    expect(operations).toContain('BatchWriteItem');
  });

  it('without batchHistory (the sync, whose role has no BatchWriteItem), write one PutItem per entry', async () => {
    // Prepare
    const store = new RegistryStore({ documentClient: registry.dynamo.documentClient, tableName: registry.dynamo.tableName });
    const written = items(10);

    // Act
    const operations = await operationsDuring(() => Promise.all(written.map((item) => store.create(item))));

    // Assess
    expect(operations).not.toContain('BatchWriteItem');
    expect(operations.filter((op) => op === 'PutItem')).toHaveLength(2 * written.length);
  });
});
