/**
 * The sync's settings, read from the environment once per cold start with the shared parser
 * (functions/shared/env-values.ts). Invalid values fail with a message naming the variable, the rule and the value.
 */
import { ENV } from '../shared/env.js';
import { EnvConfigError, envBoolean, envText } from '../shared/env-values.js';
import type { Env } from '../shared/env-values.js';
import { PATH_PARAM_PATTERN, PATH_PARAM_RULE } from '../shared/limits.js';

export const SYNC_DEFAULTS = {
  dryRun: false,
  /** Enterprises synced in parallel. */
  concurrency: 4,
  /** Registry writes of one enterprise in flight at once. */
  writeConcurrency: 16,
} as const;

export interface SyncConfig {
  /** Report what would change; write nothing, push nothing. */
  dryRun: boolean;
  /** Only these enterprises; empty = every enterprise the SP lists. */
  corpIds: readonly string[];
  concurrency: number;
}

/** The shared parser's error, under the name the sync's callers and tests know. */
export const SyncConfigError = EnvConfigError;
export type SyncConfigError = EnvConfigError;

export const CORP_IDS_RULE = `must be a comma-separated list of enterprise ids; each ${PATH_PARAM_RULE}`;

/**
 * Splits a comma-separated list of enterprise ids (SYNC_CORP_IDS, or the CDK context `syncCorpIds`), without
 * duplicates. Returns the first id that breaks the path-parameter rule instead, so each caller reports it its way.
 */
export function parseCorpIds(raw: string): { ids: string[] } | { invalid: string } {
  const ids = raw.trim() === '' ? [] : raw.split(',').map((id) => id.trim());
  const invalid = ids.find((id) => !PATH_PARAM_PATTERN.test(id));
  return invalid === undefined ? { ids: [...new Set(ids)] } : { invalid };
}

export function syncSettingsFromEnv(env: Env = process.env): SyncConfig {
  const corpIds = parseCorpIds(envText(env, ENV.syncCorpIds) ?? '');
  if ('invalid' in corpIds) throw new EnvConfigError(ENV.syncCorpIds, CORP_IDS_RULE, corpIds.invalid);
  return {
    dryRun: envBoolean(env, ENV.syncDryRun, SYNC_DEFAULTS.dryRun),
    corpIds: corpIds.ids,
    concurrency: SYNC_DEFAULTS.concurrency,
  };
}
