/**
 * A fast in-memory registry for the simulation: the same public operations as `RegistryStore` and `SweepLease`
 * (functions/shared/registry/store.ts, lease.ts), with the same conditions, each applied atomically. Every
 * operation goes through `gate`, which is where the simulation's scheduler decides when it happens.
 * `memory-registry-contract.test.ts` runs generated operation sequences against this and against the real
 * store on dynalite and requires identical results, conditional failures included.
 *
 * Differences from DynamoDB by design: the due index is strongly consistent here (DynamoDB's GSI is
 * eventually consistent; the sweep's claims re-check the item, so a stale entry only fails a claim), and a
 * Query's pages are read in one step.
 */
import { allDueShards, corpPartitionKey, resourceSortKeyPrefix } from '../../../functions/shared/registry/keys.js';
import type { ItemKey } from '../../../functions/shared/registry/keys.js';
import type { LeaseResult, SweepLease } from '../../../functions/shared/registry/lease.js';
import type { DueEntry, RegistryItem } from '../../../functions/shared/registry/model.js';
import type { ClaimRequest, DueQueryResult, RegistryStore, ReplaceCondition } from '../../../functions/shared/registry/store.js';

/**
 * `touches`: the footprint keys (scheduler.ts, `Footprint`) of what the op reads or, with `write`, may change:
 * `reg:<id>:<type>` (one item, `-` for the type-less one), `reg:<id>:*` (every item of an id), `reg:*`, `lease`.
 */
export type Gate = <T>(label: string, effect: () => T, touches?: { keys: readonly string[]; write: boolean }) => Promise<T>;
export const immediateGate: Gate = async (_label, effect) => effect();

const DUE_FIELDS = [
  'pk', 'sk', 'corpId', 'resourceId', 'type', 'status', 'expireDate', 'version', 'rejections', 'claimedBy',
  'claimExpiresAt', 'reenableOwedSince', 'inDoubtSince', 'dueShard', 'dueAt',
] as const;

/** What DynamoDB stores: no undefined attributes, and nothing shared with the writer's object. */
function stored(item: RegistryItem): RegistryItem {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (value === undefined) continue;
    copy[key] = typeof value === 'object' && value !== null ? { ...value } : value;
  }
  return copy as RegistryItem;
}

function readCopy(item: RegistryItem): RegistryItem {
  return stored(item);
}

/** The resource id in a sort key `RES#<id>#<type>`. */
function idOfSk(sk: string): string {
  return sk.split('#')[1] ?? sk;
}

/** Footprint key of one item: `reg:<id>:<type>`, `-` for the type-less item (`*` would mean every type). */
function itemTouch(sk: string): string {
  const [, id, type] = sk.split('#');
  return `reg:${id ?? sk}:${type === undefined || type === '*' ? '-' : type}`;
}

interface Lease {
  owner: string;
  acquiredAt: number;
  expiresAt: number;
}

/** The table's contents. */
export class MemoryTable {
  readonly items = new Map<string, RegistryItem>();
  lease: Lease | undefined;

  static keyOf(key: ItemKey): string {
    return `${key.pk}|${key.sk}`;
  }

  all(): RegistryItem[] {
    return [...this.items.values()].map(readCopy);
  }
}

/** `RegistryStore`'s operations on a `MemoryTable`. */
export class MemoryRegistryStore {
  readonly tableName = 'memory';
  constructor(
    private readonly table: MemoryTable,
    private readonly gate: Gate = immediateGate,
  ) {}

  /** As `RegistryStore` for the production functions (the class has private members, so it is cast). */
  asStore(): RegistryStore {
    return this as unknown as RegistryStore;
  }

  /**
   * The production store writes a history entry per landed write, attributed to this source; the simulation keeps
   * no history (it checks item state only), so every source shares this one store.
   */
  withSource(): RegistryStore {
    return this.asStore();
  }

  get(key: ItemKey): Promise<RegistryItem | undefined> {
    return this.gate(`get ${key.sk}`, () => {
      const item = this.table.items.get(MemoryTable.keyOf(key));
      return item ? readCopy(item) : undefined;
    }, { keys: [itemTouch(key.sk)], write: false });
  }

  /** BatchGetItem: one step for all keys (the relay's read of typed updates); missing keys left out, by key order. */
  getMany(keys: readonly ItemKey[]): Promise<RegistryItem[]> {
    const ids = [...new Set(keys.map((key) => idOfSk(key.sk)))];
    return this.gate(`read ${ids.join(',')}`, () => {
      const found = new Map<string, RegistryItem>();
      for (const key of keys) {
        const item = this.table.items.get(MemoryTable.keyOf(key));
        if (item) found.set(MemoryTable.keyOf(key), item);
      }
      return [...found.values()].sort((a, b) => (a.pk + a.sk < b.pk + b.sk ? -1 : a.pk + a.sk > b.pk + b.sk ? 1 : 0)).map(readCopy);
    }, { keys: keys.map((key) => itemTouch(key.sk)), write: false });
  }

  listResource(corpId: string, resourceId: string): Promise<RegistryItem[]> {
    return this.gate(`read ${resourceId}`, () => this.query(corpPartitionKey(corpId), resourceSortKeyPrefix(resourceId)), { keys: [`reg:${resourceId}:*`], write: false });
  }

  listCorp(corpId: string): Promise<{ items: RegistryItem[]; itemsRead: number }> {
    return this.gate(`read enterprise ${corpId}`, () => {
      const items = this.query(corpPartitionKey(corpId), '');
      return { items, itemsRead: items.length };
    }, { keys: ['reg:*'], write: false });
  }

  private query(pk: string, skPrefix: string): RegistryItem[] {
    return [...this.table.items.values()]
      .filter((i) => i.pk === pk && i.sk.startsWith(skPrefix))
      .sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0))
      .map(readCopy);
  }

  queryDue(now: number): Promise<DueQueryResult> {
    return this.gate('query due index', () => {
      const entries: DueEntry[] = [];
      for (const shard of allDueShards()) {
        const inShard = [...this.table.items.values()]
          .filter((i) => i.dueShard === shard && i.dueAt !== undefined && i.dueAt <= now)
          .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0) || (a.pk + a.sk < b.pk + b.sk ? -1 : 1));
        for (const item of inShard) {
          const entry: Record<string, unknown> = {};
          for (const field of DUE_FIELDS) if (item[field] !== undefined) entry[field] = item[field];
          entries.push(entry as DueEntry);
        }
      }
      return { entries, itemsRead: entries.length };
    }, { keys: ['reg:*'], write: false });
  }

  claim(entry: DueEntry, request: ClaimRequest): Promise<RegistryItem | undefined> {
    return this.gate(`claim ${entry.sk}`, () => {
      const item = this.table.items.get(MemoryTable.keyOf(entry));
      if (!item || item.version !== entry.version || item.dueAt !== entry.dueAt) return undefined;
      const free = item.claimExpiresAt === undefined || item.claimExpiresAt < request.now || item.claimedBy === request.sweepId;
      if (!free) return undefined;
      const next = { ...item, claimedBy: request.sweepId, claimExpiresAt: request.expiresAt };
      this.table.items.set(MemoryTable.keyOf(entry), next);
      return readCopy(next);
    }, { keys: [itemTouch(entry.sk)], write: true });
  }

  releaseClaim(key: ItemKey, sweepId: string): Promise<boolean> {
    return this.gate(`release claim ${key.sk}`, () => {
      const item = this.table.items.get(MemoryTable.keyOf(key));
      if (!item || item.claimedBy !== sweepId) return false;
      const next = { ...item };
      delete next.claimedBy;
      delete next.claimExpiresAt;
      this.table.items.set(MemoryTable.keyOf(key), next);
      return true;
    }, { keys: [itemTouch(key.sk)], write: true });
  }

  create(item: RegistryItem): Promise<boolean> {
    return this.gate(`create ${item.sk} ${describe(item)}`, () => {
      if (this.table.items.has(MemoryTable.keyOf(item))) return false;
      this.table.items.set(MemoryTable.keyOf(item), stored(item));
      return true;
    }, { keys: [itemTouch(item.sk)], write: true });
  }

  replace(item: RegistryItem, expected: ReplaceCondition): Promise<boolean> {
    return this.gate(`replace ${item.sk} if v${expected.version} ${describe(item)}`, () => {
      const current = this.table.items.get(MemoryTable.keyOf(item));
      if (!current || current.version !== expected.version) return false;
      if (expected.claimedBy !== undefined && current.claimedBy !== expected.claimedBy) return false;
      if (expected.claimAsRead !== undefined && current.claimedBy !== undefined && current.claimedBy !== expected.claimAsRead) return false;
      this.table.items.set(MemoryTable.keyOf(item), stored(item));
      return true;
    }, { keys: [itemTouch(item.sk)], write: true });
  }
}

/** `SweepLease`'s operations on a `MemoryTable`. */
export class MemoryLease {
  constructor(
    private readonly table: MemoryTable,
    private readonly gate: Gate = immediateGate,
  ) {}

  asLease(): SweepLease {
    return this as unknown as SweepLease;
  }

  async acquire(request: { owner: string; now: number; durationMs: number }): Promise<LeaseResult> {
    const taken = await this.gate('take lease', () => {
      const lease = this.table.lease;
      if (lease !== undefined && !(lease.expiresAt < request.now)) return false;
      this.table.lease = { owner: request.owner, acquiredAt: request.now, expiresAt: request.now + request.durationMs };
      return true;
    }, { keys: ['lease'], write: true });
    if (taken) return { acquired: true };
    const holder = await this.holder();
    return { acquired: false, heldBy: holder?.owner, expiresAt: holder?.expiresAt };
  }

  release(owner: string): Promise<boolean> {
    return this.gate('release lease', () => {
      if (this.table.lease?.owner !== owner) return false;
      this.table.lease = undefined;
      return true;
    }, { keys: ['lease'], write: true });
  }

  holder(): Promise<{ owner: string; expiresAt: number } | undefined> {
    return this.gate('read lease', () => {
      const lease = this.table.lease;
      return lease ? { owner: lease.owner, expiresAt: lease.expiresAt } : undefined;
    }, { keys: ['lease'], write: false });
  }
}

/** Short form of an item's state for traces. */
export function describe(item: RegistryItem): string {
  const flags = [
    item.status,
    item.expireDate !== undefined ? `exp=${item.expireDate}` : 'exp=-',
    `v${item.version}`,
    item.inDoubtSince !== undefined ? 'in-doubt' : '',
    item.reenableOwedSince !== undefined ? 'reenable-owed' : '',
  ];
  return `[${flags.filter(Boolean).join(' ')}]`;
}
