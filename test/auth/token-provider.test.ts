import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SpAuthError } from '../../functions/shared/auth/errors.js';
import { SpTokenProvider, type SpTokenProviderOptions } from '../../functions/shared/auth/token-provider.js';
import { SpApi } from '../../functions/shared/huawei/sp-api.js';
import { logger, metrics } from '../../functions/shared/observability.js';
import { DEFAULT_TOKEN_TTL_SECONDS } from '../../local/simulator/auth/tokens.js';
import { CORP_A, SP_ADMIN, SP_APP } from '../../local/simulator/demo-data.js';
import { ERROR_CODES } from '../../local/simulator/error-codes.js';
import { captureOutput, type OutputCapture } from '../support/capture-output.js';
import {
  ACCOUNT_AUTH,
  ACCOUNT_DOCUMENT,
  APP_AUTH,
  APP_ID_DOCUMENT,
  expectNoSecrets,
  startHarness,
  summarise,
  SwitchableCredentials,
  WRONG_APP_KEY,
  WRONG_PASSWORD,
  type Harness,
} from './helpers/sp-harness.js';

// Everything runs against the simulator over loopback HTTP through the production Huawei client.

const RESOURCE_PATH = `/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource`;
const CALLERS = 50;

let h: Harness;
let shortLived: Harness | undefined;
let capture: OutputCapture;
/** Every error a test saw: their messages and fields are searched for secrets at the end. */
const errorsSeen: unknown[] = [];

beforeAll(async () => {
  capture = captureOutput();
  // The most verbose level, so that a secret logged at any level would be caught.
  logger.setLogLevel('DEBUG');
  h = await startHarness();
});

afterAll(async () => {
  capture.stop();
  await shortLived?.stop();
  await h.stop();
});

beforeEach(async () => {
  await h.control.reset();
});

function setup(document: object, options: Partial<SpTokenProviderOptions> = {}, harness: Harness = h) {
  const credentials = new SwitchableCredentials(document);
  const tokens = new SpTokenProvider({ client: harness.client, credentials, now: harness.clock.now, ...options });
  return { credentials, tokens, api: new SpApi({ client: harness.client, tokens }) };
}

async function failure(promise: Promise<unknown>): Promise<SpAuthError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  errorsSeen.push(error);
  if (!(error instanceof SpAuthError)) throw new Error(`expected SpAuthError, got ${String(error)}`);
  return error;
}

async function log(harness: Harness = h): Promise<string[]> {
  return summarise(await harness.control.requests());
}

function count(entries: string[], entry: string): number {
  return entries.filter((e) => e === entry).length;
}

describe('login', () => {
  it('logs in with the App ID as SP admin and Huawei accepts the token for an SP call', async () => {
    // Prepare
    const { api } = setup(APP_ID_DOCUMENT);
    // Act
    const response = await api.queryResources(CORP_A.corpId, {});
    // Assess
    expect(response.status).toBe(200);
    expect((response.json as { data: Array<{ id: string }> }).data.map((r) => r.id)).toContain(CORP_A.vmrResourceId);
    const requests = await h.control.requests();
    expect(summarise(requests)).toEqual([`POST ${APP_AUTH} 200`, `GET ${RESOURCE_PATH} 200`]);
    expect(Object.keys(requests[0]?.body as object).sort()).toEqual(['appId', 'clientType', 'expireTime', 'nonce']);
  });

  it('logs in with the SP account and Huawei accepts the token for an SP call', async () => {
    const { api } = setup(ACCOUNT_DOCUMENT);
    const response = await api.queryResources(CORP_A.corpId, {});
    expect(response.status).toBe(200);
    const requests = await h.control.requests();
    expect(summarise(requests)).toEqual([`POST ${ACCOUNT_AUTH} 200`, `GET ${RESOURCE_PATH} 200`]);
    expect(requests[0]?.body).toEqual({ account: SP_ADMIN.account, clientType: 72 });
  });

  it('reuses the cached token for later calls', async () => {
    const { api } = setup(APP_ID_DOCUMENT);
    for (let i = 0; i < 3; i += 1) await api.queryResources(CORP_A.corpId, {});
    expect(count(await log(), `POST ${APP_AUTH} 200`)).toBe(1);
  });

  it('retries a login answered 503 once, with a fresh nonce and signature', async () => {
    // Prepare
    await h.control.addFault({ path: APP_AUTH, status: 503, count: 1 });
    const { tokens } = setup(APP_ID_DOCUMENT);
    // Act
    await tokens.getToken();
    // Assess
    const requests = await h.control.requests();
    expect(summarise(requests)).toEqual([`POST ${APP_AUTH} 503`, `POST ${APP_AUTH} 200`]);
    const nonces = requests.map((r) => (r.body as { nonce: string }).nonce);
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('retries a login whose connection was reset', async () => {
    await h.control.addFault({ path: ACCOUNT_AUTH, reset: true, count: 1 });
    const { tokens } = setup(ACCOUNT_DOCUMENT);
    await tokens.getToken();
    expect(await log()).toEqual([`POST ${ACCOUNT_AUTH} 0`, `POST ${ACCOUNT_AUTH} 200`]);
  });

  it('gives up after two failed attempts with login-failed, status and code', async () => {
    // Prepare
    await h.control.addFault({ path: APP_AUTH, status: 503, count: 2 });
    const { tokens } = setup(APP_ID_DOCUMENT);
    // Act
    const error = await failure(tokens.getToken());
    // Assess
    expect(error.reason).toBe('login-failed');
    expect(error.status).toBe(503);
    expect(error.message).toMatch(/^SP login failed \(503 /);
    expect(await log()).toEqual([`POST ${APP_AUTH} 503`, `POST ${APP_AUTH} 503`]);
  });
});

describe('refused login', () => {
  it('fails with a clear error naming the appKey when the appKey is wrong, and is not retried', async () => {
    // Prepare
    const { tokens } = setup({ ...APP_ID_DOCUMENT, appKey: WRONG_APP_KEY });
    // Act
    const error = await failure(tokens.getToken());
    // Assess
    const refusal = ERROR_CODES.appIdCheckFailed;
    expect(error.reason).toBe('login-refused');
    expect(error).toMatchObject({ status: 401, errorCode: refusal.code });
    expect(error.message).toContain(`SP login refused by Huawei (401 ${refusal.code})`);
    expect(error.message).toContain('check the appId and appKey in the test credentials');
    expect(error.message).not.toContain(WRONG_APP_KEY);
    expect(await log()).toEqual([`POST ${APP_AUTH} 401`]);
  });

  it('fails with a clear error naming the password when the password is wrong', async () => {
    const { tokens } = setup({ ...ACCOUNT_DOCUMENT, password: WRONG_PASSWORD });
    const error = await failure(tokens.getToken());
    expect(error.reason).toBe('login-refused');
    expect(error.message).toContain(`SP login refused by Huawei (401 ${ERROR_CODES.accountAuthFailed.code})`);
    expect(error.message).toContain('check the account and password in the test credentials');
    expect(error.message).not.toContain(WRONG_PASSWORD);
  });

  it.each([
    { status: 412, cause: 'the SP account or App ID is disabled' },
    { status: 423, cause: 'the SP account is locked' },
  ])('names the cause when Huawei answers $status', async ({ status, cause }) => {
    await h.control.addFault({ path: ACCOUNT_AUTH, status, errorCode: 'USG.000000099', count: 1 });
    const { tokens } = setup(ACCOUNT_DOCUMENT);
    const error = await failure(tokens.getToken());
    expect(error.reason).toBe('login-refused');
    expect(error.message).toMatch(new RegExp(`^SP login refused by Huawei \\(${status} USG\\.000000099\\) ".*": ${cause}$`));
  });

  it('masks a credential that Huawei echoes in error_msg', async () => {
    await h.control.addFault({ path: APP_AUTH, status: 401, errorCode: 'USG.206010025', errorMsg: `bad key ${SP_APP.appKey}`, count: 1 });
    const { tokens } = setup(APP_ID_DOCUMENT);
    const error = await failure(tokens.getToken());
    expect(error.message).toContain('"bad key ***"');
    expect(error.errorMsg).toBe('bad key ***');
  });

  it('keeps no token after a refusal: the next call logs in again with the fixed credentials', async () => {
    // Prepare
    const { tokens, credentials } = setup({ ...APP_ID_DOCUMENT, appKey: WRONG_APP_KEY });
    await failure(tokens.getToken());
    // Act
    credentials.set(APP_ID_DOCUMENT);
    const token = await tokens.getToken();
    // Assess
    expect(token).toMatch(/\S/);
    expect(await log()).toEqual([`POST ${APP_AUTH} 401`, `POST ${APP_AUTH} 200`]);
    // The source was told to drop any cached copy of the refused credentials.
    expect(credentials.invalidations).toBe(1);
  });

  it('drops a still-valid token whose renewal was refused instead of going on using it', async () => {
    // Prepare: a token inside its renewal margin, then the key stops working.
    const { tokens, credentials } = setup(APP_ID_DOCUMENT);
    await tokens.getToken();
    h.clock.advanceSeconds(DEFAULT_TOKEN_TTL_SECONDS - 60);
    credentials.set({ ...APP_ID_DOCUMENT, appKey: WRONG_APP_KEY });
    // Act
    const first = await failure(tokens.getToken());
    const second = await failure(tokens.getToken());
    // Assess
    expect([first.reason, second.reason]).toEqual(['login-refused', 'login-refused']);
    expect(count(await log(), `POST ${APP_AUTH} 401`)).toBe(2);
  });
});

describe('single flight', () => {
  it(`makes one login for ${CALLERS} concurrent getToken() callers`, async () => {
    const { tokens } = setup(APP_ID_DOCUMENT);
    const issued = await Promise.all(Array.from({ length: CALLERS }, () => tokens.getToken()));
    expect(new Set(issued).size).toBe(1);
    expect(await log()).toEqual([`POST ${APP_AUTH} 200`]);
  });

  it(`makes one login for ${CALLERS} concurrent SP calls, all of which succeed`, async () => {
    const { api } = setup(ACCOUNT_DOCUMENT);
    const responses = await Promise.all(Array.from({ length: CALLERS }, () => api.queryResources(CORP_A.corpId, {})));
    expect(responses.map((r) => r.status)).toEqual(Array(CALLERS).fill(200));
    const entries = await log();
    expect(count(entries, `POST ${ACCOUNT_AUTH} 200`)).toBe(1);
    expect(count(entries, `GET ${RESOURCE_PATH} 200`)).toBe(CALLERS);
  });

  it('shares one failed login among concurrent callers and reports it to each', async () => {
    const { tokens } = setup({ ...APP_ID_DOCUMENT, appKey: WRONG_APP_KEY });
    const errors = await Promise.all(Array.from({ length: 5 }, () => failure(tokens.getToken())));
    expect(errors.map((e) => e.reason)).toEqual(Array(5).fill('login-refused'));
    expect(await log()).toEqual([`POST ${APP_AUTH} 401`]);
  });
});

describe('rejected token', () => {
  it('logs in exactly once more after the token was revoked, and the call succeeds', async () => {
    // Prepare
    const { tokens, api } = setup(APP_ID_DOCUMENT);
    const revoked = await tokens.getToken();
    await h.control.expireTokens();
    await h.control.clearRequests();
    // Act
    const response = await api.queryResources(CORP_A.corpId, {});
    // Assess
    expect(response.status).toBe(200);
    expect(await log()).toEqual([`GET ${RESOURCE_PATH} 401`, `POST ${APP_AUTH} 200`, `GET ${RESOURCE_PATH} 200`]);
    expect(await tokens.getToken()).not.toBe(revoked);
  });

  it(`logs in exactly once when ${CALLERS} concurrent calls are rejected with the same revoked token`, async () => {
    // Prepare
    const { tokens, api } = setup(APP_ID_DOCUMENT);
    await tokens.getToken();
    await h.control.expireTokens();
    await h.control.clearRequests();
    // One rejection arrives late, after the re-login has cached the new token: it must not throw that away.
    // (The delay only orders events; nothing here measures time.)
    await h.control.addFault({ path: RESOURCE_PATH, method: 'GET', delayMs: 500, count: 1 });
    // Act
    const responses = await Promise.all(Array.from({ length: CALLERS }, () => api.queryResources(CORP_A.corpId, {})));
    // Assess
    expect(responses.map((r) => r.status)).toEqual(Array(CALLERS).fill(200));
    const entries = await log();
    expect(count(entries, `POST ${APP_AUTH} 200`)).toBe(1);
    expect(count(entries, `GET ${RESOURCE_PATH} 401`)).toBe(CALLERS);
    expect(count(entries, `GET ${RESOURCE_PATH} 200`)).toBe(CALLERS);
  });

  it('fails with token-rejected when the fresh token is rejected too, and keeps no token', async () => {
    // Prepare
    await h.control.addFault({ path: RESOURCE_PATH, method: 'GET', status: 401, errorCode: 'USG.000000004', count: 2 });
    const { api } = setup(APP_ID_DOCUMENT);
    // Act
    const error = await failure(api.queryResources(CORP_A.corpId, {}));
    // Assess
    expect(error.reason).toBe('token-rejected');
    expect(error.message).toContain('Huawei rejected a newly issued SP token (401 USG.000000004)');
    expect(error.status).toBe(401);
    expect(await log()).toEqual([`POST ${APP_AUTH} 200`, `GET ${RESOURCE_PATH} 401`, `POST ${APP_AUTH} 200`, `GET ${RESOURCE_PATH} 401`]);

    // The rejected token was dropped: the next call logs in first.
    await h.control.clearRequests();
    const response = await api.queryResources(CORP_A.corpId, {});
    expect(response.status).toBe(200);
    expect(await log()).toEqual([`POST ${APP_AUTH} 200`, `GET ${RESOURCE_PATH} 200`]);
  });

  it('returns other 401 answers as they are, without logging in again', async () => {
    await h.control.addFault({ path: RESOURCE_PATH, method: 'GET', status: 401, errorCode: 'USG.000000005', count: 1 });
    const { api } = setup(APP_ID_DOCUMENT);
    const response = await api.queryResources(CORP_A.corpId, {});
    expect(response.status).toBe(401);
    expect((response.json as { error_code: string }).error_code).toBe('USG.000000005');
    expect(await log()).toEqual([`POST ${APP_AUTH} 200`, `GET ${RESOURCE_PATH} 401`]);
  });
});

describe('renewal', () => {
  it('renews a token inside the renewal margin before using it, so Huawei never sees it expire', async () => {
    // Prepare
    const { tokens, api } = setup(APP_ID_DOCUMENT, { renewMarginSeconds: 300 });
    const old = await tokens.getToken();
    h.clock.advanceSeconds(DEFAULT_TOKEN_TTL_SECONDS - 299);
    await h.control.clearRequests();
    // Act
    const response = await api.queryResources(CORP_A.corpId, {});
    // Assess
    expect(response.status).toBe(200);
    expect(await log()).toEqual([`POST ${APP_AUTH} 200`, `GET ${RESOURCE_PATH} 200`]);
    expect(await tokens.getToken()).not.toBe(old);
  });

  it('renews a token past its expiry before using it: no 401 in the request log', async () => {
    const { tokens, api } = setup(ACCOUNT_DOCUMENT);
    await tokens.getToken();
    h.clock.advanceSeconds(DEFAULT_TOKEN_TTL_SECONDS + 60);
    await h.control.clearRequests();
    await api.queryResources(CORP_A.corpId, {});
    expect(await log()).toEqual([`POST ${ACCOUNT_AUTH} 200`, `GET ${RESOURCE_PATH} 200`]);
  });

  it('keeps using the token until the renewal margin begins', async () => {
    const { tokens, api } = setup(APP_ID_DOCUMENT, { renewMarginSeconds: 300 });
    await tokens.getToken();
    h.clock.advanceSeconds(DEFAULT_TOKEN_TTL_SECONDS - 301);
    await h.control.clearRequests();
    await api.queryResources(CORP_A.corpId, {});
    expect(await log()).toEqual([`GET ${RESOURCE_PATH} 200`]);
  });

  it('renews a token that lives less than twice the margin half-way through its life, not at every call', async () => {
    // Prepare: tokens of 60 s with the default 300 s margin.
    shortLived = await startHarness({ tokenTtlSeconds: 60 });
    const { tokens } = setup(APP_ID_DOCUMENT, {}, shortLived);
    const first = await tokens.getToken();
    // Act
    shortLived.clock.advanceSeconds(29);
    const beforeHalf = await tokens.getToken();
    shortLived.clock.advanceSeconds(2);
    const afterHalf = await tokens.getToken();
    // Assess
    expect(beforeHalf).toBe(first);
    expect(afterHalf).not.toBe(first);
    expect(await log(shortLived)).toEqual([`POST ${APP_AUTH} 200`, `POST ${APP_AUTH} 200`]);
  });
});

describe('secrets', () => {
  it('never writes a credential, signature, Authorization header or token to the output or an error', () => {
    // Prepare: flush metrics so their output is captured too.
    metrics.publishStoredMetrics();
    const errorText = errorsSeen.map((error) => `${String(error)} ${JSON.stringify(error)}`).join('\n');
    const output = capture.text();
    // Assess: the capture did see the provider's logs, and the errors were collected.
    expect(output).toContain('SP login succeeded');
    expect(output).toContain('SP login failed');
    expect(errorsSeen.length).toBeGreaterThan(5);
    expectNoSecrets(`${output}\n${errorText}`, h.client, ...(shortLived ? [shortLived.client] : []));
  });
});
