/**
 * The notices' setting, read from the environment with the shared parser (functions/shared/env-values.ts); the
 * CDK context `expiryNoticeDays` (lib/config.ts) checks the same range.
 */
import { ENV } from '../shared/env.js';
import { envInteger } from '../shared/env-values.js';
import type { Env } from '../shared/env-values.js';

export const DEFAULT_EXPIRY_NOTICE_DAYS = 7;

/** How far ahead notices look, in days. */
export const EXPIRY_NOTICE_DAYS_RANGE = { min: 1, max: 31, rule: 'must be an integer from 1 to 31' } as const;

/** EXPIRY_NOTICE_DAYS: 1 to 31, default 7. */
export function expiryNoticeDaysFromEnv(env: Env = process.env): number {
  return envInteger(env, ENV.expiryNoticeDays, { fallback: DEFAULT_EXPIRY_NOTICE_DAYS, ...EXPIRY_NOTICE_DAYS_RANGE });
}
