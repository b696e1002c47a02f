/**
 * The production registry store with a hook after each create that landed (through any `withSource` of it): lets
 * a test make another writer act at that exact point, without timing.
 */
import type { RegistryItem } from '../../functions/shared/registry/model.js';
import type { RegistryStore } from '../../functions/shared/registry/store.js';

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
