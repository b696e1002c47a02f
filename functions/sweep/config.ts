/**
 * The sweeper's settings, read from the environment once per cold start with the shared parser
 * (functions/shared/env-values.ts). Invalid values fail the cold start with a message naming the variable, the
 * rule and the value, rather than sweeping with a guess.
 */
import { ENV } from '../shared/env.js';
import { EnvConfigError, envBoolean, envInteger } from '../shared/env-values.js';
import type { Env } from '../shared/env-values.js';

export const SWEEP_DEFAULTS = {
  dryRun: false,
  maxRejections: 3,
  concurrency: 4,
  /**
   * Exact look-ups (one SearchResource by id each) per sweep for due items Huawei's listing did not confirm.
   * Bounds the cost of a wave of renewals made elsewhere; what is left waits for the next sweep or the sync.
   */
  maxLookups: 200,
  /** Kept back from the deadline for recording what the last upstream calls did. */
  recordReserveMs: 2_000,
} as const;

export interface SweepConfig {
  /** Report what would be disabled; write nothing (not even the lease or claims). */
  dryRun: boolean;
  /** Sweeps in a row an item may be rejected by Huawei before it is marked failed. */
  maxRejections: number;
  /** SP calls in flight at once; enterprises in progress: twice as many (`ENTERPRISES_PER_SP_SLOT`, run.ts). */
  concurrency: number;
  /** Exact look-ups per sweep (default `SWEEP_DEFAULTS.maxLookups`). */
  maxLookups?: number;
  /** How long the lease, and every claim, holds: a little over the Lambda timeout. */
  leaseMs: number;
  recordReserveMs: number;
}

/** The shared parser's error, under the name the sweeper's callers and tests know. */
export const SweepConfigError = EnvConfigError;
export type SweepConfigError = EnvConfigError;

const integerFrom1To = (max: number) => ({ min: 1, max, rule: `must be an integer from 1 to ${max}` });

/** Settings from the environment; `leaseMs` comes from the invocation (the Lambda's own timeout). */
export function sweepSettingsFromEnv(env: Env = process.env): Omit<SweepConfig, 'leaseMs'> {
  return {
    dryRun: envBoolean(env, ENV.sweepDryRun, SWEEP_DEFAULTS.dryRun),
    maxRejections: envInteger(env, ENV.sweepMaxRejections, { fallback: SWEEP_DEFAULTS.maxRejections, ...integerFrom1To(1000) }),
    concurrency: envInteger(env, ENV.sweepConcurrency, { fallback: SWEEP_DEFAULTS.concurrency, ...integerFrom1To(64) }),
    recordReserveMs: SWEEP_DEFAULTS.recordReserveMs,
  };
}
