import { describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env.js';
import { renewalReenableFromEnv } from '../../functions/resources/config.js';

describe('renewal re-enable setting', () => {
  it('is on when RENEWAL_REENABLE is not set', () => {
    expect(renewalReenableFromEnv({})).toBe(true);
  });

  it('is off when RENEWAL_REENABLE is "false"', () => {
    expect(renewalReenableFromEnv({ [ENV.renewalReenable]: 'false' })).toBe(false);
  });

  it('refuses any value other than true or false, naming the variable', () => {
    expect(() => renewalReenableFromEnv({ [ENV.renewalReenable]: 'no' })).toThrow(`${ENV.renewalReenable} must be "true" or "false"`);
  });
});
