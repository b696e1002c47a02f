/**
 * The production relay's update-and-record step called directly (no HTTP handler), on a virtual clock with no
 * backoff waits: what the sync race tests use for a caller's update.
 */
import { relayAndRecord } from '../../functions/resources/relay-recording.js';
import type { ModResourceItem } from '../../functions/shared/huawei/schemas.js';
import type { RegistryStore } from '../../functions/shared/registry/store.js';

interface RelayStack {
  registry: { store: RegistryStore };
  huawei: { spApi: { updateResources(corpId: string, items: ModResourceItem[]): Promise<unknown> } };
}

/** `stack` is read at each call, so a lazily started fixture works. */
export function directRelay(stack: RelayStack, corpId: string, now: () => number) {
  return (items: ModResourceItem[]) =>
    relayAndRecord({ store: stack.registry.store, now, reenableRenewed: true, sleep: async () => undefined }, corpId, items, (planned) =>
      stack.huawei.spApi.updateResources(corpId, planned) as ReturnType<Parameters<typeof relayAndRecord>[3]>,
    );
}
