/**
 * The registry side of the relay's resource route: implements the relay's `ResourceUpdateRecorder` seam
 * (functions/relay/modify-resources.ts) with `relayAndRecord`. One instance per Lambda, at module scope.
 */
import type { UpstreamResponse } from '../huawei/client.js';
import type { ModResourceItem } from '../huawei/schemas.js';
import { logger } from '../observability.js';
import { registryTableNameFromEnv, renewalReenableFromEnv } from './config.js';
import { createRegistryDocumentClient } from './document-client.js';
import { relayAndRecord } from './relay-recording.js';
import { RegistryStore } from './store.js';

export interface RegistryRecorderOptions {
  store: RegistryStore;
  reenableRenewed: boolean;
  now?: () => number;
}

export class RegistryRecorder {
  private readonly store: RegistryStore;
  private readonly reenableRenewed: boolean;
  private readonly now: () => number;

  constructor(options: RegistryRecorderOptions) {
    this.store = options.store;
    this.reenableRenewed = options.reenableRenewed;
    this.now = options.now ?? Date.now;
  }

  /**
   * Reads the registry, adds renewal re-enables, relays, records what Huawei accepted; returns the Huawei answer
   * for the client (its rejection as is). Throws RegistryUnavailableError / RegistryConflictError (answer 503).
   */
  async relayAndRecord(
    corpId: string,
    items: readonly ModResourceItem[],
    relay: (items: readonly ModResourceItem[]) => Promise<UpstreamResponse>,
    context: { requestId: string; deadline?: number },
  ): Promise<UpstreamResponse> {
    const deps = { store: this.store, now: this.now, reenableRenewed: this.reenableRenewed, ...(context.deadline !== undefined ? { deadline: context.deadline } : {}) };
    const result = await relayAndRecord(deps, corpId, items, relay);
    if (result.outcome === 'recorded' && (result.reenabled.length || result.reenableLater.length || result.upstreamCalls > 1)) {
      logger.info('registry adjusted a resource update', {
        requestId: context.requestId,
        corpId,
        reenabled: result.reenabled.length,
        reenableLater: result.reenableLater.length,
        upstreamCalls: result.upstreamCalls,
      });
    }
    return result.response;
  }
}

let singleton: RegistryRecorder | undefined;

/** Module-scope recorder over REGISTRY_TABLE_NAME and RENEWAL_REENABLE. */
export function getRegistryRecorder(env: NodeJS.ProcessEnv = process.env): RegistryRecorder {
  if (singleton) return singleton;
  const tableName = registryTableNameFromEnv(env);
  singleton = new RegistryRecorder({
    // Its role has BatchWriteItem (TABLE_ACTIONS.readWrite): a multi-item update's history entries share requests.
    store: new RegistryStore({ documentClient: createRegistryDocumentClient(), tableName, batchHistory: true }),
    reenableRenewed: renewalReenableFromEnv(env),
  });
  return singleton;
}
