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

const CORP_IDS_RULE = `must be a comma-separated list of enterprise ids; each ${PATH_PARAM_RULE}`;

export function syncSettingsFromEnv(env: Env = process.env): SyncConfig {
  const rawIds = envText(env, ENV.syncCorpIds);
  const corpIds = rawIds === undefined ? [] : rawIds.split(',').map((id) => id.trim());
  const bad = corpIds.find((id) => !PATH_PARAM_PATTERN.test(id));
  if (bad !== undefined) throw new EnvConfigError(ENV.syncCorpIds, CORP_IDS_RULE, bad);
  return {
    dryRun: envBoolean(env, ENV.syncDryRun, SYNC_DEFAULTS.dryRun),
    corpIds: [...new Set(corpIds)],
    concurrency: SYNC_DEFAULTS.concurrency,
  };
}
