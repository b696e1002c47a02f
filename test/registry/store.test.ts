import { beforeEach, describe, expect, it } from 'vitest';
import { RegistryUnavailableError } from '../../functions/shared/registry/errors.js';
import { itemKey } from '../../functions/shared/registry/keys.js';
import type { RegistryItem, ResourceRef } from '../../functions/shared/registry/model.js';
import { RegistryStore } from '../../functions/shared/registry/store.js';
import { applyRelayedChange, finishWrite, markExpiredDisabled, newItem } from '../../functions/shared/registry/transitions.js';
import type { ResourceChange } from '../../functions/shared/registry/transitions.js';
import { CORP_A, CORP_B } from '../../local/simulator/demo-data.js';
import { startRegistry, use } from '../support/stack.js';

const HOUR = 3_600_000;

describe('registry store', () => {
  const registry = use(startRegistry, 'test');
  let now: number;

  beforeEach(() => {
    now = Date.now();
  });

  /** Writes an item as the relay would record it. */
  async function seed(ref: ResourceRef, change: ResourceChange): Promise<RegistryItem> {
    const fresh = newItem(ref, now);
    const item = finishWrite(fresh, applyRelayedChange(fresh, change, now), { now, requestId: 'seed' });
    expect(await registry.store.create(item)).toBe(true);
    return item;
  }

  const ref = (id: string, corpId: string = CORP_A.corpId): ResourceRef => ({ corpId, resourceId: id, type: 'VMR' });

  it('finds exactly the active items expired by now, reading only those', async () => {
    // Prepare
    await seed(ref('due-1'), { expireDate: now - HOUR });
    await seed(ref('due-2', CORP_B.corpId), { expireDate: now - 2 * HOUR });
    await seed(ref('due-now'), { expireDate: now });
    for (let i = 0; i < 40; i++) await seed(ref(`future-${i}`), { expireDate: now + HOUR });
    await seed(ref('manual'), { expireDate: now - HOUR, isDisabled: true });
    await seed(ref('no-expiry'), { isDisabled: false });
    const expired = await seed(ref('swept'), { expireDate: now - HOUR });
    await registry.store.replace(markExpiredDisabled(expired, { now }), { version: expired.version });

    // Act
    const { entries, itemsRead } = await registry.store.queryDue(now);

    // Assess
    expect(entries.map((e) => e.resourceId).sort()).toEqual(['due-1', 'due-2', 'due-now']);
    expect(itemsRead).toBe(3);
    expect(entries.find((e) => e.resourceId === 'due-2')).toMatchObject({ corpId: CORP_B.corpId, type: 'VMR', expireDate: now - 2 * HOUR, version: 1 });
  });

  it('claims a due item once, and not again until the claim expires', async () => {
    // Prepare
    await seed(ref('claim-me'), { expireDate: now - HOUR });
    const [entry] = (await registry.store.queryDue(now)).entries;

    // Act
    const first = await registry.store.claim(entry!, { sweepId: 's1', now, expiresAt: now + 60_000 });
    const second = await registry.store.claim(entry!, { sweepId: 's2', now, expiresAt: now + 60_000 });
    const afterExpiry = await registry.store.claim(entry!, { sweepId: 's3', now: now + 61_000, expiresAt: now + 120_000 });

    // Assess
    expect(first).toMatchObject({ claimedBy: 's1', claimExpiresAt: now + 60_000, version: 1 });
    expect(second).toBeUndefined();
    expect(afterExpiry?.claimedBy).toBe('s3');
  });

  it('refuses the claim of an item renewed or disabled since the index was read', async () => {
    // Prepare
    const renewed = await seed(ref('renewed'), { expireDate: now - HOUR });
    const disabled = await seed(ref('disabled'), { expireDate: now - HOUR });
    const { entries } = await registry.store.queryDue(now);
    await registry.store.replace(finishWrite(renewed, applyRelayedChange(renewed, { expireDate: now + HOUR }, now), { now }), { version: renewed.version });
    await registry.store.replace(finishWrite(disabled, applyRelayedChange(disabled, { isDisabled: true }, now), { now }), { version: disabled.version });

    // Act
    const claims = await Promise.all(entries.map((e) => registry.store.claim(e, { sweepId: 's', now, expiresAt: now + 60_000 })));

    // Assess
    expect(entries).toHaveLength(2);
    expect(claims).toEqual([undefined, undefined]);
  });

  it('refuses a replace when the item has moved on from the version it was read at', async () => {
    // Prepare
    const item = await seed(ref('versioned'), { expireDate: now + HOUR });
    const first = finishWrite(item, applyRelayedChange(item, { expireDate: now + 2 * HOUR }, now), { now });
    const stale = finishWrite(item, applyRelayedChange(item, { expireDate: now + 3 * HOUR }, now), { now });

    // Act
    const firstWritten = await registry.store.replace(first, { version: item.version });
    const staleWritten = await registry.store.replace(stale, { version: item.version });

    // Assess
    expect([firstWritten, staleWritten]).toEqual([true, false]);
    expect((await registry.store.get(itemKey(CORP_A.corpId, 'versioned', 'VMR')))?.expireDate).toBe(now + 2 * HOUR);
  });

  it('refuses a replace conditioned on a claim the item no longer carries', async () => {
    // Prepare
    await seed(ref('claimed'), { expireDate: now - HOUR });
    const [entry] = (await registry.store.queryDue(now)).entries;
    const claimed = (await registry.store.claim(entry!, { sweepId: 'mine', now, expiresAt: now + 60_000 }))!;
    await registry.store.releaseClaim(claimed, 'mine');

    // Act
    const written = await registry.store.replace(markExpiredDisabled(claimed, { now }), { version: claimed.version, claimedBy: 'mine' });

    // Assess
    expect(written).toBe(false);
  });

  it('refuses to create an item that already exists', async () => {
    // Prepare
    const item = await seed(ref('exists'), { expireDate: now + HOUR });

    // Act
    const again = await registry.store.create(item);

    // Assess
    expect(again).toBe(false);
  });

  it('lists every type of one resource id, and only that id', async () => {
    // Prepare
    await seed({ corpId: CORP_A.corpId, resourceId: 'multi', type: 'LIVE' }, { expireDate: now + HOUR });
    await seed({ corpId: CORP_A.corpId, resourceId: 'multi', type: 'ROOM' }, { expireDate: now + HOUR });
    await seed({ corpId: CORP_A.corpId, resourceId: 'multi', type: undefined }, { expireDate: now + HOUR });
    await seed({ corpId: CORP_A.corpId, resourceId: 'multi-2', type: 'LIVE' }, { expireDate: now + HOUR });
    await seed({ corpId: CORP_B.corpId, resourceId: 'multi', type: 'LIVE' }, { expireDate: now + HOUR });

    // Act
    const items = await registry.store.listResource(CORP_A.corpId, 'multi');

    // Assess
    expect(items.map((i) => i.type ?? '*').sort()).toEqual(['*', 'LIVE', 'ROOM']);
  });

  it('throws RegistryUnavailableError when DynamoDB refuses the call', async () => {
    // Prepare
    const missingTable = new RegistryStore({ documentClient: registry.dynamo.documentClient, tableName: 'no-such-table' });

    // Act
    const reading = missingTable.get(itemKey(CORP_A.corpId, 'x', 'VMR'));

    // Assess
    await expect(reading).rejects.toBeInstanceOf(RegistryUnavailableError);
  });
});
