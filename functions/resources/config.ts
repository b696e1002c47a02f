import { ENV } from '../shared/env.js';
import { requireEnv } from '../shared/env-values.js';
import { createRegistryDocumentClient } from '../shared/registry/document-client.js';
import { RegistryStore } from '../shared/registry/store.js';

/**
 * RENEWAL_REENABLE: whether the relay re-enables a renewed resource the sweeper disabled for expiry. On unless
 * set to "false"; any other value than "true"/"false" is a deployment error, reported by name.
 */
export function renewalReenableFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env[ENV.renewalReenable]?.trim();
  if (raw === undefined || raw === '') return true;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new Error(`${ENV.renewalReenable} must be "true" or "false"`);
}

/** The resource route's registry: the table from REGISTRY_TABLE_NAME (required, checked at cold start). */
export function resourceRegistryFromEnv(env: NodeJS.ProcessEnv = process.env): { store: RegistryStore; reenableRenewed: boolean } {
  const tableName = requireEnv(env, ENV.registryTableName, 'must name the registry table');
  return {
    store: new RegistryStore({ documentClient: createRegistryDocumentClient(), tableName }),
    reenableRenewed: renewalReenableFromEnv(env),
  };
}
