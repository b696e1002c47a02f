/**
 * The resource registry's table, defined once as plain data. The CDK stack (TableV2), the local runtime
 * (dynalite CreateTable) and the store all derive from this module, so it must stay free of SDK imports.
 *
 * One table holds two kinds of item:
 * - a resource item per (enterprise, resource id, type): pk `CORP#<corpId>`, sk `RES#<resourceId>#<type|*>`
 *   (`*` = recorded without a type, i.e. "every type with this id");
 * - the sweeper's lease: pk/sk `REGISTRY_LEASE_KEY`;
 * - the sync's watermark: pk/sk `SYNC_WATERMARK_KEY` (functions/sync/watermark.ts);
 * - history entries of each resource: pk `HIST#<corpId>#<resourceId>` (history.ts), removed by TTL (`purgeAt`).
 */

/** Attribute names of every item. Stored names are short words, none of them a DynamoDB reserved word. */
export const ATTR = {
  pk: 'pk',
  sk: 'sk',
  corpId: 'corpId',
  resourceId: 'resourceId',
  /** Absent on a type-less item. */
  type: 'type',
  /** Epoch ms; absent while the relay never saw one for this resource. */
  expireDate: 'expireDate',
  /** 'active' | 'disabled-expired' | 'disabled-manual' | 'failed' | 'gone': see functions/shared/registry/state.ts. */
  status: 'status',
  disabledAt: 'disabledAt',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  /** X-Request-Id of the upstream call that last changed the item. */
  lastRequestId: 'lastRequestId',
  /** Sweeps in a row whose disable Huawei rejected for this item. */
  rejections: 'rejections',
  /** `{ errorCode, errorMsg }` of the last rejection. */
  lastError: 'lastError',
  /** When the sweeper gave up after too many rejections (status `failed`). */
  failedAt: 'failedAt',
  /** When Huawei was found not to hold the resource (status `gone`). */
  goneAt: 'goneAt',
  /** When a sync first recorded the item from Huawei's listing (adopted, not relayed). */
  adoptedAt: 'adoptedAt',
  /** Incremented by every write that changes the item's meaning; writers condition on it. */
  version: 'version',
  /** Our sweeper's expiry disable is still in place at Huawei although the item was renewed: re-enable owed. */
  reenableOwedSince: 'reenableOwedSince',
  /** A disable of ours may still land late at Huawei (no answer, or a retried call): see state.ts. */
  inDoubtSince: 'inDoubtSince',
  /** Sweep that claimed the item, and until when the claim holds (epoch ms). */
  claimedBy: 'claimedBy',
  claimExpiresAt: 'claimExpiresAt',
  /**
   * Due-index keys, present only while the sweep has something to look at (`dueAtOf` in state.ts): an active
   * item's expiry or owed re-enable, or the end of an in-doubt hold.
   */
  dueShard: 'dueShard',
  dueAt: 'dueAt',
  /** History entries only (history.ts): when, by whom (relay/sweep/sync and its id), the state after. */
  at: 'at',
  source: 'source',
  sourceId: 'sourceId',
  after: 'after',
  /** History entries only: TTL attribute (epoch seconds) after which DynamoDB deletes the entry. */
  purgeAt: 'purgeAt',
  /** Expiry-notice markers only: when the notice was sent. */
  noticedAt: 'noticedAt',
  /** Lease item only. */
  leaseOwner: 'owner',
  leaseExpiresAt: 'expiresAt',
  leaseAcquiredAt: 'acquiredAt',
  /**
   * Sync watermark item only: the start (epoch ms) of the latest sync that brought every enterprise in line
   * without a problem, and the enterprises it listed (so a later incremental sync knows which are new).
   */
  syncedThrough: 'syncedThrough',
  syncedCorpIds: 'corpIds',
  syncId: 'syncId',
} as const;

export type AttributeType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly projection: { readonly type: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; readonly nonKeyAttributes: readonly string[] };
}

export interface TableDefinition {
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly billingMode: 'PAY_PER_REQUEST';
  readonly dueIndex: IndexDefinition;
  /** TTL attribute (epoch seconds); only history entries carry it. */
  readonly timeToLiveAttribute: string;
  /** Number of `dueShard` values (`DUE#0` .. `DUE#<n-1>`). Only ever increase it; see docs/registry-and-sweeper.md. */
  readonly dueShardCount: number;
}

/**
 * The non-key attributes the due index projects: exactly what a sweep needs to claim an item and build its batch.
 * `dueEntrySchema` (model.ts) is derived from this list plus the table's and the index's keys, so the two cannot
 * drift apart.
 */
export const DUE_INDEX_ATTRIBUTES = [
  ATTR.corpId,
  ATTR.resourceId,
  ATTR.type,
  ATTR.expireDate,
  ATTR.version,
  ATTR.rejections,
  ATTR.claimedBy,
  ATTR.claimExpiresAt,
  ATTR.status,
  ATTR.reenableOwedSince,
  ATTR.inDoubtSince,
] as const;

/**
 * Sparse GSI "active and expiring before now": the sweeper Queries each shard with `dueAt <= now`, so a sweep
 * reads only due items however large the registry grows. Items leave the index by REMOVE-ing `dueShard`/`dueAt`
 * when they are disabled or failed.
 *
 * Projection INCLUDE: exactly what a sweep needs to claim an item and build its batch (ids, type, the expiry it
 * was found with, claim and rejection state), without a GetItem per due item; the index stays small because
 * timestamps, request ids and errors are not copied into it.
 */
export const REGISTRY_TABLE: TableDefinition = {
  partitionKey: { name: ATTR.pk, type: 'S' },
  sortKey: { name: ATTR.sk, type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
  timeToLiveAttribute: ATTR.purgeAt,
  dueIndex: {
    name: 'due-index',
    partitionKey: { name: ATTR.dueShard, type: 'S' },
    sortKey: { name: ATTR.dueAt, type: 'N' },
    projection: {
      type: 'INCLUDE',
      nonKeyAttributes: DUE_INDEX_ATTRIBUTES,
    },
  },
  // 8 partitions of the index spread the writes of a large expiry wave; a sweep costs 8 small Queries at least.
  dueShardCount: 8,
};

/** Key of the single sweeper lease item. Its pk cannot collide with a `CORP#` key. */
export const REGISTRY_LEASE_KEY = { [ATTR.pk]: 'LEASE#sweeper', [ATTR.sk]: 'LEASE' } as const;

/** Key of the single sync watermark item (functions/sync/watermark.ts). Its pk cannot collide with a `CORP#` key. */
export const SYNC_WATERMARK_KEY = { [ATTR.pk]: 'META#sync', [ATTR.sk]: 'WATERMARK' } as const;

/** Key prefixes, shared by the key builders and the docs. */
export const KEY_PREFIX = {
  corp: 'CORP#',
  resource: 'RES#',
  dueShard: 'DUE#',
  /** Partition of a resource's history entries (history.ts). */
  history: 'HIST#',
  /** Partition of an enterprise's expiry-notice markers (functions/notices/notify.ts). */
  notice: 'NOTICE#',
  /** Sort-key suffix of a type-less item. */
  anyType: '*',
} as const;
