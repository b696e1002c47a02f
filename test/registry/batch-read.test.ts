import { beforeEach, describe, expect, it } from 'vitest';
import type { ModResourceItem } from '../../functions/shared/huawei/schemas.js';
import { itemKey } from '../../functions/shared/registry/keys.js';
import type { RegistryItem, ResourceRef } from '../../functions/shared/registry/model.js';
import { readRegistered } from '../../functions/resources/relay-recording.js';
import { BATCH_GET } from '../../functions/shared/registry/store.js';
import { applyRelayedChange, finishWrite, newItem } from '../../functions/shared/registry/transitions.js';
import { CORP_A, CORP_B } from '../../local/simulator/demo-data.js';
import { operationsDuring } from '../support/dynamo-operations.js';
import { startRegistry, use } from '../support/stack.js';

const HOUR = 3_600_000;

describe('registry batch reads', () => {
  const registry = use(startRegistry, 'test');
  let now: number;

  beforeEach(() => {
    now = Date.now();
  });

  async function seed(ref: ResourceRef): Promise<RegistryItem> {
    const fresh = newItem(ref, now);
    const item = finishWrite(fresh, applyRelayedChange(fresh, { expireDate: now + HOUR }, now), { now, requestId: 'seed' });
    expect(await registry.store.create(item)).toBe(true);
    return item;
  }

  it('getMany returns the existing items of the keys, by key order, leaving out missing ones and repeats', async () => {
    // Prepare
    const vmr = await seed({ corpId: CORP_A.corpId, resourceId: 'r1', type: 'VMR' });
    const typeless = await seed({ corpId: CORP_A.corpId, resourceId: 'r1', type: undefined });
    const other = await seed({ corpId: CORP_B.corpId, resourceId: 'r2', type: 'ROOM' });

    // Act
    const items = await registry.store.getMany([
      itemKey(CORP_B.corpId, 'r2', 'ROOM'),
      itemKey(CORP_A.corpId, 'r1', undefined),
      itemKey(CORP_A.corpId, 'r1', 'VMR'),
      itemKey(CORP_A.corpId, 'r1', 'VMR'),
      itemKey(CORP_A.corpId, 'missing', 'VMR'),
    ]);

    // Assess
    expect(items).toEqual([typeless, vmr, other].sort((a, b) => (a.pk + a.sk < b.pk + b.sk ? -1 : 1)));
  });

  it(`getMany reads more than ${BATCH_GET.maxKeys} keys in one BatchGetItem per ${BATCH_GET.maxKeys} keys`, async () => {
    // Prepare
    const seeded = [];
    for (let i = 0; i < 30; i++) seeded.push(await seed({ corpId: CORP_A.corpId, resourceId: `many-${i}`, type: 'VMR' }));
    const keys = Array.from({ length: BATCH_GET.maxKeys + 20 }, (_, i) => itemKey(CORP_A.corpId, `many-${i}`, 'VMR'));

    // Act
    let items: RegistryItem[] = [];
    const operations = await operationsDuring(async () => {
      items = await registry.store.getMany(keys);
    });

    // Assess
    expect(items.map((i) => i.resourceId).sort()).toEqual(seeded.map((i) => i.resourceId).sort());
    expect(operations).toEqual(['BatchGetItem', 'BatchGetItem']);
  });

  it('the relay reads an update whose items all name their type in one BatchGetItem, the same items a Query per id finds', async () => {
    // Prepare: typed and type-less items of the ids, and an item of a type the update does not name
    await seed({ corpId: CORP_A.corpId, resourceId: 'a', type: 'VMR' });
    await seed({ corpId: CORP_A.corpId, resourceId: 'a', type: undefined });
    await seed({ corpId: CORP_A.corpId, resourceId: 'b', type: 'ROOM' });
    await seed({ corpId: CORP_A.corpId, resourceId: 'b', type: 'LIVE' });
    const update: ModResourceItem[] = [
      { id: 'a', type: 'VMR', expireDate: now + 2 * HOUR },
      { id: 'a', type: 'SOFT', expireDate: now + 2 * HOUR },
      { id: 'b', type: 'ROOM', expireDate: now + 2 * HOUR },
      { id: 'c', type: 'VMR', expireDate: now + 2 * HOUR },
    ];

    // Act
    let registered = new Map<string, RegistryItem[]>();
    const operations = await operationsDuring(async () => {
      registered = await readRegistered(registry.store, CORP_A.corpId, update);
    });

    // Assess
    expect(operations).toEqual(['BatchGetItem']);
    const byQuery = async (id: string) => (await registry.store.listResource(CORP_A.corpId, id)).map((i) => i.sk);
    expect(registered.get('a')?.map((i) => i.sk)).toEqual(await byQuery('a'));
    // Only the named type of b: the LIVE item plays no part in an update of b's ROOM.
    expect(registered.get('b')?.map((i) => i.sk)).toEqual([itemKey(CORP_A.corpId, 'b', 'ROOM').sk]);
    expect(registered.get('c')).toEqual([]);
  });

  it('the relay reads every item of an id the update names without a type (one Query), the typed ids in one BatchGetItem', async () => {
    // Prepare
    await seed({ corpId: CORP_A.corpId, resourceId: 'all', type: 'VMR' });
    await seed({ corpId: CORP_A.corpId, resourceId: 'all', type: 'LIVE' });
    await seed({ corpId: CORP_A.corpId, resourceId: 'typed', type: 'VMR' });
    const update: ModResourceItem[] = [
      { id: 'all', expireDate: now + 2 * HOUR },
      { id: 'all', type: 'VMR', expireDate: now + 2 * HOUR },
      { id: 'typed', type: 'VMR', expireDate: now + 2 * HOUR },
    ];

    // Act
    let registered = new Map<string, RegistryItem[]>();
    const operations = await operationsDuring(async () => {
      registered = await readRegistered(registry.store, CORP_A.corpId, update);
    });

    // Assess
    expect(operations.sort()).toEqual(['BatchGetItem', 'Query']);
    expect(registered.get('all')?.map((i) => i.type)).toEqual(['LIVE', 'VMR']);
    expect(registered.get('typed')?.map((i) => i.type)).toEqual(['VMR']);
  });
});
