/**
 * The sync's settings, read from the environment once per cold start. Invalid values fail with a message naming
 * the variable and the rule.
 */
import { z } from 'zod';
import { ENV } from '../shared/env.js';
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

export class SyncConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyncConfigError';
  }
}

const flag = z.enum(['true', 'false'], { error: 'must be "true" or "false"' });

export function syncSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): SyncConfig {
  const rawDry = env[ENV.syncDryRun]?.trim();
  const dry = rawDry === undefined || rawDry === '' ? undefined : flag.safeParse(rawDry);
  if (dry && !dry.success) throw new SyncConfigError(`${ENV.syncDryRun} must be "true" or "false"`);
  const rawIds = env[ENV.syncCorpIds]?.trim() ?? '';
  const corpIds = rawIds === '' ? [] : rawIds.split(',').map((id) => id.trim());
  const bad = corpIds.find((id) => !PATH_PARAM_PATTERN.test(id));
  if (bad !== undefined) throw new SyncConfigError(`${ENV.syncCorpIds} must be a comma-separated list of enterprise ids; each ${PATH_PARAM_RULE} (got "${bad}")`);
  return { dryRun: dry?.data === 'true', corpIds: [...new Set(corpIds)], concurrency: SYNC_DEFAULTS.concurrency };
}
