/**
 * Hooks that let a race test make another writer act at an exact point of the production code, without timing.
 */
import type { RegistryItem } from '../../functions/shared/registry/model.js';
import type { RegistryStore } from '../../functions/shared/registry/store.js';
import type { SyncSpApi } from '../../functions/sync/sync.js';

/**
 * The SP API as the sync calls it, running `race` once before its first resource listing: after the sync's
 * registry read and before Huawei's listing, the window the sync's races live in.
 */
export function syncApiRacingFirstListing(spApi: SyncSpApi, race: () => Promise<void>): SyncSpApi {
  let raced = false;
  return {
    listCorps: (query, opts) => spApi.listCorps(query, opts),
    updateResources: (corpId, items, opts) => spApi.updateResources(corpId, items, opts),
    async queryResources(corpId, query, opts) {
      if (!raced) {
        raced = true;
        await race();
      }
      return spApi.queryResources(corpId, query, opts);
    },
  };
}

/** The production registry store with a hook after each create that landed (through any `withSource` of it). */
export function storeWithHook(store: RegistryStore, afterCreate: (item: RegistryItem) => Promise<void>): RegistryStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'withSource') return (source: Parameters<RegistryStore['withSource']>[0]) => storeWithHook(target.withSource(source), afterCreate);
      if (prop === 'create')
        return async (item: RegistryItem) => {
          const created = await target.create(item);
          if (created) await afterCreate(item);
          return created;
        };
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The production registry store with a hook before each replace (through any `withSource` of it). */
export function storeBeforeReplace(store: RegistryStore, beforeReplace: (item: RegistryItem) => Promise<void>): RegistryStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'withSource') return (source: Parameters<RegistryStore['withSource']>[0]) => storeBeforeReplace(target.withSource(source), beforeReplace);
      if (prop === 'replace')
        return async (item: RegistryItem, expected: Parameters<RegistryStore['replace']>[1]) => {
          await beforeReplace(item);
          return target.replace(item, expected);
        };
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
