import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTEXT_KEYS, ConfigError, parseConfig } from '../../lib/config.js';
import { PROJECT_ROOT, projectPath } from '../../lib/paths.js';

const cdkJson = JSON.parse(readFileSync(projectPath('cdk.json'), 'utf8')) as {
  app: string;
  notices: boolean;
  versionReporting: boolean;
  context: Record<string, unknown>;
};

function configError(raw: Record<string, unknown>): string {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('cdk.json', () => {
  it('runs the app with tsx and switches off the CLI network calls', () => {
    expect(cdkJson.app).toBe('npx tsx lib/app.ts');
    expect(cdkJson.notices).toBe(false);
    expect(cdkJson.versionReporting).toBe(false);
    expect(cdkJson.context['cli-telemetry']).toBe(false);
  });

  it('lists every configuration key with the default the schema applies', () => {
    // Prepare
    const { 'cli-telemetry': _telemetry, ...configuration } = cdkJson.context;

    // Act
    const fromCdkJson = parseConfig(configuration);
    const fromDefaults = parseConfig({});

    // Assess
    expect(Object.keys(configuration).sort()).toEqual([...CONTEXT_KEYS].sort());
    expect(fromCdkJson).toEqual(fromDefaults);
  });
});

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    expect(parseConfig({})).toEqual({
      huaweiBaseUrl: 'https://api.meeting.huaweicloud.com',
      sweepSchedule: 'rate(1 minute)',
      syncSchedule: 'rate(1 hour)',
      syncFullSchedule: 'cron(30 3 * * ? *)',
      syncDryRun: false,
      authorizationMode: 'NONE',
      throttlingRateLimit: 50,
      throttlingBurstLimit: 100,
      logRetentionDays: 30,
      alarmEmail: undefined,
      spCredentialsSecretArn: undefined,
      sweepDryRun: false,
      renewalReenable: true,
      passthrough: true,
      syncCorpIds: [],
      expiryNoticeDays: 7,
    });
  });

  it('accepts the string forms that -c key=value gives', () => {
    const config = parseConfig({
      sweepDryRun: 'true',
      renewalReenable: 'false',
      throttlingRateLimit: '12.5',
      throttlingBurstLimit: '20',
      logRetentionDays: '90',
    });

    expect(config).toMatchObject({
      sweepDryRun: true,
      renewalReenable: false,
      throttlingRateLimit: 12.5,
      throttlingBurstLimit: 20,
      logRetentionDays: 90,
    });
  });

  it('treats an empty alarm e-mail and secret ARN as not set', () => {
    const config = parseConfig({ alarmEmail: '', spCredentialsSecretArn: null });

    expect(config.alarmEmail).toBeUndefined();
    expect(config.spCredentialsSecretArn).toBeUndefined();
  });

  it('keeps the origin of a custom upstream base URL', () => {
    expect(parseConfig({ huaweiBaseUrl: 'https://meeting.example.com/' }).huaweiBaseUrl).toBe('https://meeting.example.com');
  });

  it('rejects a plain-http upstream base URL', () => {
    expect(configError({ huaweiBaseUrl: 'http://meeting.example.com' })).toMatch(/huaweiBaseUrl: .*must be an https URL/);
  });

  it('rejects an upstream base URL with a path', () => {
    expect(configError({ huaweiBaseUrl: 'https://meeting.example.com/v1' })).toMatch(/huaweiBaseUrl: .*origin only/);
  });

  it('rejects an authorization mode other than NONE or IAM', () => {
    expect(configError({ authorizationMode: 'COGNITO' })).toContain('authorizationMode: must be NONE or IAM');
  });

  it.each(['rate(1 minutes)', 'rate(5 minute)', 'rate(0 minutes)', 'every minute', 'cron(* * * *)'])(
    'rejects the schedule expression %s',
    (schedule) => {
      expect(configError({ sweepSchedule: schedule })).toContain('sweepSchedule: must be an EventBridge schedule');
    },
  );

  it.each(['rate(1 minute)', 'rate(5 minutes)', 'rate(1 hour)', 'cron(0/5 * * * ? *)'])('accepts the schedule expression %s', (schedule) => {
    expect(parseConfig({ sweepSchedule: schedule }).sweepSchedule).toBe(schedule);
  });

  it('rejects a log retention CloudWatch Logs does not offer', () => {
    expect(configError({ logRetentionDays: 10 })).toMatch(/logRetentionDays: must be one of CloudWatch Logs' retention periods: 1, 3, 5, 7, 14, 30/);
  });

  it('rejects throttling limits outside the account quotas', () => {
    const message = configError({ throttlingRateLimit: 0, throttlingBurstLimit: 5001 });

    expect(message).toContain('throttlingRateLimit: must be greater than 0');
    expect(message).toContain('throttlingBurstLimit: must be at most 5000');
  });

  it('rejects a burst limit that is not a whole number', () => {
    expect(configError({ throttlingBurstLimit: '10.5' })).toContain('throttlingBurstLimit: must be a whole number');
  });

  it('rejects an alarm e-mail that is not an address', () => {
    expect(configError({ alarmEmail: 'ops-team' })).toContain('alarmEmail: must be an e-mail address');
  });

  it('rejects a secret ARN without the 6-character suffix', () => {
    const partialArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:meeting-relay/sp';

    expect(configError({ spCredentialsSecretArn: partialArn })).toContain(
      'spCredentialsSecretArn: must be the complete ARN of a Secrets Manager secret',
    );
  });

  it('accepts a complete secret ARN', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:meeting-relay/sp-AbC123';

    expect(parseConfig({ spCredentialsSecretArn: arn }).spCredentialsSecretArn).toBe(arn);
  });

  it('rejects a dry-run flag that is not a boolean', () => {
    expect(configError({ sweepDryRun: 'yes' })).toContain('sweepDryRun: must be true or false');
  });

  it('splits the sync\'s enterprise ids and drops duplicates', () => {
    expect(parseConfig({ syncCorpIds: ' 818803911, 818803912,818803911' }).syncCorpIds).toEqual(['818803911', '818803912']);
  });

  it('rejects a sync enterprise id that could not go into an upstream path', () => {
    expect(configError({ syncCorpIds: '818803911,../admin' })).toContain(
      'syncCorpIds: must be a comma-separated list of enterprise ids; each must be 1 to 64 characters of A-Z, a-z, 0-9, _ or - (got "../admin")',
    );
  });

  it.each([0, 32, '7.5', 'week'])('rejects the notice window %s', (days) => {
    expect(configError({ expiryNoticeDays: days })).toMatch(/expiryNoticeDays: must be (an integer from 1 to 31|a whole number)/);
  });

  it('accepts the notice window as -c gives it', () => {
    expect(parseConfig({ expiryNoticeDays: '14' }).expiryNoticeDays).toBe(14);
  });

  it('lists every bad key in one message', () => {
    const message = configError({ authorizationMode: 'x', logRetentionDays: 2, alarmEmail: 'nope' });

    expect(message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(3);
  });
});

describe('lib/app.ts', () => {
  it('prints a bad context value and exits 1 without a stack trace', () => {
    // Prepare: the CDK CLI hands context and the output directory to the app through these variables.
    const outdir = mkdtempSync(path.join(tmpdir(), 'meeting-relay-app-'));
    const env = { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ authorizationMode: 'OPEN' }), CDK_OUTDIR: outdir };

    // Act
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'lib/app.ts'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env,
      timeout: 60_000,
    });
    rmSync(outdir, { recursive: true, force: true });

    // Assess
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('authorizationMode: must be NONE or IAM');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
