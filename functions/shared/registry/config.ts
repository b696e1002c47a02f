import { ENV } from '../env.js';
import { envBoolean, requireEnv } from '../env-values.js';
import type { Env } from '../env-values.js';

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

/** REGISTRY_TABLE_NAME, required: a function that records without a table fails its init. */
export function registryTableNameFromEnv(env: Env = process.env): string {
  return requireEnv(env, ENV.registryTableName, 'must name the registry table');
}
