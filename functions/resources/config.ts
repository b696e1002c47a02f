import { ENV } from '../shared/env.js';
import { envBoolean, requireEnv } from '../shared/env-values.js';
import type { Env } from '../shared/env-values.js';
import { createRegistryDocumentClient } from '../shared/registry/document-client.js';
import { RegistryStore } from '../shared/registry/store.js';

/**
 * RENEWAL_REENABLE's default: the relay re-enables a renewed resource the sweeper disabled for expiry. The one
 * home of this default: the stack's `renewalReenable` context (lib/config.ts) takes it from here, and cdk.json's
 * copy is held to it by test/cdk/config.test.ts.
 */
export const RENEWAL_REENABLE_DEFAULT = true;

/**
 * RENEWAL_REENABLE: whether the relay re-enables a renewed resource the sweeper disabled for expiry. Any value
 * other than "true"/"false" is a deployment error naming the variable, the rule and the value.
 */
export function renewalReenableFromEnv(env: Env = process.env): boolean {
  return envBoolean(env, ENV.renewalReenable, RENEWAL_REENABLE_DEFAULT);
}

/** The resource route's registry: the table from REGISTRY_TABLE_NAME (required, checked at cold start). */
export function resourceRegistryFromEnv(env: Env = process.env): { store: RegistryStore; reenableRenewed: boolean } {
  const tableName = requireEnv(env, ENV.registryTableName, 'must name the registry table');
  return {
    // Its role has BatchWriteItem (TABLE_ACTIONS.readWrite): a multi-item update's history entries share requests.
    store: new RegistryStore({ documentClient: createRegistryDocumentClient(), tableName, batchHistory: true }),
    reenableRenewed: renewalReenableFromEnv(env),
  };
}
