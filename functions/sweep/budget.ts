/** Time kept back from the Lambda's remaining time, so the sweep reports and releases its lease before timeout. */
export const SWEEP_SAFETY_MARGIN_MS = 3_000;
/** The lease (and every claim) outlives the invocation by this much, so a crashed sweep's lease runs out soon after. */
export const LEASE_EXTRA_MS = 15_000;
/** Used when the invocation does not say how long it may run (local runtime). */
export const DEFAULT_SWEEP_BUDGET_MS = 60_000;

export interface SweepBudget {
  /** Absolute epoch ms by which the sweep must be over. */
  deadline: number;
  /** Lease and claim lifetime. */
  leaseMs: number;
}

/** The sweep's deadline and lease from the Lambda's `getRemainingTimeInMillis()` at the start. */
export function sweepBudget(now: number, remainingTimeMs: number | undefined): SweepBudget {
  const remaining =
    remainingTimeMs === undefined || !Number.isFinite(remainingTimeMs) ? DEFAULT_SWEEP_BUDGET_MS : Math.max(0, remainingTimeMs);
  return { deadline: now + remaining - SWEEP_SAFETY_MARGIN_MS, leaseMs: remaining + LEASE_EXTRA_MS };
}
