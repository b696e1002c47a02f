import { KEY_PREFIX, REGISTRY_TABLE } from './table.js';
import type { ResourceType } from '../huawei/schemas.js';

/** Primary key of a resource item. */
export interface ItemKey {
  pk: string;
  sk: string;
}

export function corpPartitionKey(corpId: string): string {
  return `${KEY_PREFIX.corp}${corpId}`;
}

/** Sort-key prefix shared by every item (typed or not) of one resource id. Ids never contain `#`. */
export function resourceSortKeyPrefix(resourceId: string): string {
  return `${KEY_PREFIX.resource}${resourceId}#`;
}

export function itemKey(corpId: string, resourceId: string, type: ResourceType | undefined): ItemKey {
  return { pk: corpPartitionKey(corpId), sk: `${resourceSortKeyPrefix(resourceId)}${type ?? KEY_PREFIX.anyType}` };
}

export function dueShardName(shard: number): string {
  return `${KEY_PREFIX.dueShard}${shard}`;
}

export function allDueShards(): string[] {
  return Array.from({ length: REGISTRY_TABLE.dueShardCount }, (_, shard) => dueShardName(shard));
}

/** Stable shard of an item: FNV-1a over its key, so an item keeps its shard across writes. */
export function dueShardFor(key: ItemKey): string {
  let hash = 0x811c9dc5;
  const text = `${key.pk}|${key.sk}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return dueShardName((hash >>> 0) % REGISTRY_TABLE.dueShardCount);
}
