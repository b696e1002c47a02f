import { describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env.js';
import { LEASE_EXTRA_MS, SWEEP_SAFETY_MARGIN_MS, sweepBudget } from '../../functions/sweep/budget.js';
import { SWEEP_DEFAULTS, SweepConfigError, sweepSettingsFromEnv } from '../../functions/sweep/config.js';

describe('sweeper settings', () => {
  it('uses the documented defaults when nothing is set', () => {
    expect(sweepSettingsFromEnv({})).toEqual({
      dryRun: false,
      maxRejections: SWEEP_DEFAULTS.maxRejections,
      concurrency: SWEEP_DEFAULTS.concurrency,
      recordReserveMs: SWEEP_DEFAULTS.recordReserveMs,
    });
  });

  it('reads dry run, rejection limit and concurrency from their variables', () => {
    const settings = sweepSettingsFromEnv({ [ENV.sweepDryRun]: 'true', [ENV.sweepMaxRejections]: '5', [ENV.sweepConcurrency]: ' 8 ' });
    expect(settings).toMatchObject({ dryRun: true, maxRejections: 5, concurrency: 8 });
  });

  it.each([
    [ENV.sweepDryRun, 'yes', 'must be "true" or "false"'],
    [ENV.sweepMaxRejections, '0', 'must be an integer from 1 to 1000'],
    [ENV.sweepConcurrency, 'four', 'must be an integer from 1 to 64'],
  ])('refuses %s=%s, naming the variable and the rule', (name, value, rule) => {
    expect(() => sweepSettingsFromEnv({ [name]: value })).toThrow(SweepConfigError);
    expect(() => sweepSettingsFromEnv({ [name]: value })).toThrow(`${name} ${rule}`);
  });
});

describe('sweep time budget', () => {
  it('ends the sweep a safety margin before the Lambda times out and keeps the lease a little longer', () => {
    expect(sweepBudget(1_000, 60_000)).toEqual({ deadline: 1_000 + 60_000 - SWEEP_SAFETY_MARGIN_MS, leaseMs: 60_000 + LEASE_EXTRA_MS });
  });
});
