/**
 * The sweeper's settings, read from the environment once per cold start. Invalid values fail the cold start
 * with a message naming the variable and the rule, rather than sweeping with a guess.
 */
import { z } from 'zod';
import { ENV } from '../shared/env.js';

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
  /** Enterprises processed in parallel. */
  concurrency: number;
  /** Exact look-ups per sweep (default `SWEEP_DEFAULTS.maxLookups`). */
  maxLookups?: number;
  /** How long the lease, and every claim, holds: a little over the Lambda timeout. */
  leaseMs: number;
  recordReserveMs: number;
}

const flag = z.enum(['true', 'false'], { error: 'must be "true" or "false"' });
const positiveInt = (max: number) =>
  z
    .string()
    .regex(/^[0-9]+$/, { error: `must be an integer from 1 to ${max}` })
    .transform(Number)
    .pipe(z.number().int().min(1, { error: `must be an integer from 1 to ${max}` }).max(max, { error: `must be an integer from 1 to ${max}` }));

const envSchema = z.object({
  [ENV.sweepDryRun]: flag.optional(),
  [ENV.sweepMaxRejections]: positiveInt(1000).optional(),
  [ENV.sweepConcurrency]: positiveInt(64).optional(),
});

export class SweepConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepConfigError';
  }
}

/** Settings from the environment; `leaseMs` comes from the invocation (the Lambda's own timeout). */
export function sweepSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<SweepConfig, 'leaseMs'> {
  const present = Object.fromEntries(
    [ENV.sweepDryRun, ENV.sweepMaxRejections, ENV.sweepConcurrency]
      .filter((name) => env[name] !== undefined && env[name]?.trim() !== '')
      .map((name) => [name, env[name]?.trim()]),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new SweepConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
  }
  const values = parsed.data;
  return {
    dryRun: (values[ENV.sweepDryRun] ?? String(SWEEP_DEFAULTS.dryRun)) === 'true',
    maxRejections: values[ENV.sweepMaxRejections] ?? SWEEP_DEFAULTS.maxRejections,
    concurrency: values[ENV.sweepConcurrency] ?? SWEEP_DEFAULTS.concurrency,
    recordReserveMs: SWEEP_DEFAULTS.recordReserveMs,
  };
}
