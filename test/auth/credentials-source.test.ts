import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  credentialsSourceFromEnv,
  EnvCredentialsSource,
  SecretsManagerCredentialsSource,
} from '../../functions/shared/auth/credentials-source.js';
import { SpAuthError, SpCredentialsError } from '../../functions/shared/auth/errors.js';
import { ENV } from '../../functions/shared/env.js';
import { SP_ADMIN, SP_APP } from '../../local/simulator/demo-data.js';
import { startFakeSecretsManager, type FakeSecretsManager } from './helpers/fake-secrets-manager.js';

// Secrets Manager cannot run here: a loopback fake of its GetSecretValue API stands in for the AWS service. The
// real AWS SDK client and Powertools' SecretsProvider talk to it over HTTP.

const APP_ID_SECRET = JSON.stringify({ type: 'appId', ...SP_APP });
const ACCOUNT_SECRET = JSON.stringify({ type: 'account', ...SP_ADMIN });
const MAX_AGE_SECONDS = 2;

let fake: FakeSecretsManager;
let secretCounter = 0;

beforeAll(async () => {
  fake = await startFakeSecretsManager();
});

afterAll(async () => {
  await fake.stop();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A source reading a fresh secret through the real SDK client pointed at the fake. */
function sourceFor(initialValue: string): { source: SecretsManagerCredentialsSource; secretId: string } {
  secretCounter += 1;
  const secretId = `arn:aws:secretsmanager:eu-west-1:123456789012:secret:sp-credentials-${secretCounter}`;
  fake.put(secretId, initialValue);
  const provider = new SecretsProvider({
    clientConfig: {
      endpoint: fake.url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-only' },
      maxAttempts: 1,
    },
  });
  return { source: new SecretsManagerCredentialsSource({ secretId, maxAgeSeconds: MAX_AGE_SECONDS, provider }), secretId };
}

function callsFor(secretId: string): number {
  return fake.calls.filter((id) => id === secretId).length;
}

describe('SecretsManagerCredentialsSource', () => {
  it('reads and validates the secret through GetSecretValue', async () => {
    // Prepare
    const { source, secretId } = sourceFor(APP_ID_SECRET);
    // Act
    const credentials = await source.load();
    // Assess
    expect(credentials).toEqual({ type: 'appId', appId: SP_APP.appId, appKey: SP_APP.appKey });
    expect(callsFor(secretId)).toBe(1);
  });

  it('reuses the fetched secret within maxAge', async () => {
    const { source, secretId } = sourceFor(APP_ID_SECRET);
    await source.load();
    await source.load();
    expect(callsFor(secretId)).toBe(1);
  });

  it('picks up a rotated secret once maxAge has passed, without a restart', async () => {
    // Prepare: only Date is faked, so the cache ages while real I/O keeps working.
    vi.useFakeTimers({ toFake: ['Date'] });
    const { source, secretId } = sourceFor(APP_ID_SECRET);
    expect((await source.load()).type).toBe('appId');
    fake.put(secretId, ACCOUNT_SECRET);
    // Act
    const beforeMaxAge = await source.load();
    vi.setSystemTime(Date.now() + (MAX_AGE_SECONDS + 1) * 1000);
    const afterMaxAge = await source.load();
    // Assess
    expect(beforeMaxAge.type).toBe('appId');
    expect(afterMaxAge).toEqual({ type: 'account', account: SP_ADMIN.account, password: SP_ADMIN.password });
    expect(callsFor(secretId)).toBe(2);
  });

  it('reads the store again after invalidate(), within maxAge (used after a refused login)', async () => {
    const { source, secretId } = sourceFor(APP_ID_SECRET);
    await source.load();
    fake.put(secretId, ACCOUNT_SECRET);
    source.invalidate();
    expect((await source.load()).type).toBe('account');
    expect(callsFor(secretId)).toBe(2);
  });

  it('reports a malformed secret by field name without its value, and re-reads the fixed secret at once', async () => {
    // Prepare
    const { source, secretId } = sourceFor(JSON.stringify({ type: 'appId', appId: SP_APP.appId, appkey: SP_APP.appKey }));
    // Act
    const error = await source.load().catch((caught: unknown) => caught);
    fake.put(secretId, APP_ID_SECRET);
    const fixed = await source.load();
    // Assess
    expect(error).toBeInstanceOf(SpCredentialsError);
    const message = (error as SpCredentialsError).message;
    expect(message).toBe(`SP credentials in secret ${secretId} are invalid: appKey is required`);
    expect(message).not.toContain(SP_APP.appKey);
    expect(fixed.type).toBe('appId');
  });

  it('reports a secret that is not JSON without quoting any of it', async () => {
    const { source } = sourceFor(`appKey=${SP_APP.appKey}`);
    const error = await source.load().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SpCredentialsError);
    expect((error as Error).message).toMatch(/are not valid JSON$/);
    expect((error as Error).message).not.toContain(SP_APP.appKey);
  });

  it('fails with credentials-unavailable naming the secret when Secrets Manager refuses', async () => {
    // Prepare: a source for an id the fake does not hold.
    const provider = new SecretsProvider({
      clientConfig: { endpoint: fake.url, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-only' }, maxAttempts: 1 },
    });
    const secretId = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:missing';
    const source = new SecretsManagerCredentialsSource({ secretId, provider });
    // Act
    const error = await source.load().catch((caught: unknown) => caught);
    // Assess
    expect(error).toBeInstanceOf(SpAuthError);
    expect((error as SpAuthError).reason).toBe('credentials-unavailable');
    expect((error as SpAuthError).message).toContain(`Could not read SP credentials from secret ${secretId}`);
    expect((error as SpAuthError).message).toContain("can't find the specified secret");
  });
});

describe('credentialsSourceFromEnv', () => {
  it('uses Secrets Manager when the secret ARN is set, even if SP_CREDENTIALS is set too', () => {
    const source = credentialsSourceFromEnv({
      [ENV.spCredentialsSecretArn]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:sp',
      [ENV.spCredentials]: APP_ID_SECRET,
    });
    expect(source).toBeInstanceOf(SecretsManagerCredentialsSource);
    expect(source.origin).toBe('secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:sp');
  });

  it('uses SP_CREDENTIALS when no secret ARN is set', async () => {
    const source = credentialsSourceFromEnv({ [ENV.spCredentials]: ACCOUNT_SECRET });
    expect(source).toBeInstanceOf(EnvCredentialsSource);
    expect(await source.load()).toEqual({ type: 'account', account: SP_ADMIN.account, password: SP_ADMIN.password });
  });

  it('names SP_CREDENTIALS when its value is invalid', async () => {
    const source = credentialsSourceFromEnv({ [ENV.spCredentials]: JSON.stringify({ type: 'account', account: SP_ADMIN.account }) });
    await expect(source.load()).rejects.toThrow(`SP credentials in the ${ENV.spCredentials} environment variable are invalid: password is required`);
  });

  it('names both variables when neither is set, at first use rather than at import', async () => {
    const source = credentialsSourceFromEnv({});
    await expect(source.load()).rejects.toThrow(`set ${ENV.spCredentialsSecretArn} (deployed) or ${ENV.spCredentials} (local)`);
  });
});
