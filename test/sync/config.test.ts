import { describe, expect, it } from 'vitest';
import { SyncConfigError, syncSettingsFromEnv } from '../../functions/sync/config.js';

describe('sync settings', () => {
  it('defaults to every enterprise, not dry', () => {
    expect(syncSettingsFromEnv({})).toMatchObject({ dryRun: false, corpIds: [] });
  });

  it('reads a comma-separated enterprise list, trimmed and without repeats, and the dry-run switch', () => {
    expect(syncSettingsFromEnv({ SYNC_CORP_IDS: ' 818803911, 818803912,818803911 ', SYNC_DRY_RUN: 'true' })).toMatchObject({
      dryRun: true,
      corpIds: ['818803911', '818803912'],
    });
  });

  it.each([
    [{ SYNC_DRY_RUN: 'yes' }, 'SYNC_DRY_RUN must be "true" or "false"'],
    [{ SYNC_CORP_IDS: '818803911,../admin' }, 'SYNC_CORP_IDS must be a comma-separated list of enterprise ids'],
    [{ SYNC_CORP_IDS: '818803911,,818803912' }, 'got ""'],
  ])('refuses %j naming the variable and the rule', (env, message) => {
    expect(() => syncSettingsFromEnv(env)).toThrow(SyncConfigError);
    expect(() => syncSettingsFromEnv(env)).toThrow(message);
  });
});
