/**
 * No token, password, appKey, signature or Authorization header in any output, answer, registry item or request
 * log. One whole run of the local stack (local/stack.ts: API Gateway emulator over the real handlers, sweeper,
 * dynalite) against the simulator, with everything written to stdout, stderr and the console captured from
 * before the start: relay traffic on both routes, refused requests, revoked tokens, upstream errors and resets,
 * sweeps, and SP logins with both credential types (account for the stack's sweeper; App ID, right and wrong
 * key, through the production token provider). Every secret that crossed the wire is collected by a recording
 * proxy in front of the simulator, then searched for everywhere.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EnvCredentialsSource } from '../../functions/shared/auth/credentials-source.js';
import { SpTokenProvider } from '../../functions/shared/auth/token-provider.js';
import { ENV } from '../../functions/shared/env.js';
import { HuaweiClient } from '../../functions/shared/huawei/client.js';
import { SpApi } from '../../functions/shared/huawei/sp-api.js';
import { MODIFY_RESOURCES_ROUTE, MODIFY_VMR_ROUTE, fillPath } from '../../functions/shared/routes.js';
import { SimulatorControl } from '../../local/simulator/control-client.js';
import { CORP_A, DEMO_EXPIRED, DEMO_RESOURCES, DEMO_SECRETS, SP_ADMIN, SP_APP } from '../../local/simulator/demo-data.js';
import { loginDemo } from '../../local/simulator/demo-login.js';
import { startSimulator } from '../../local/simulator/index.js';
import type { RunningSimulator } from '../../local/simulator/index.js';
import { startLocalStack } from '../../local/stack.js';
import type { LocalStack } from '../../local/stack.js';
import { LOCAL_SWEEP_PATH } from '../../local/settings.js';
import { captureOutput } from '../support/capture-output.js';
import type { OutputCapture } from '../support/capture-output.js';
import { send } from '../relay/helpers/http.js';
import type { RawAnswer } from '../relay/helpers/http.js';
import { startWireTap } from './support/wire-tap.js';
import type { WireTap } from './support/wire-tap.js';

// The most talkative settings an operator could choose (debug level, Powertools' own event logging on), so a
// secret in any log line at any level, or in a logged event, is caught. Hoisted: Powertools reads them when the
// logger is built, at import.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
  delete process.env.POWERTOOLS_METRICS_DISABLED;
});

/** The demo resources already past their expiry and enabled: the sync at start adopts them, the first sweep disables them. */
const DEMO_EXPIRED_ENABLED = DEMO_RESOURCES.filter((r) => r.expireDate === DEMO_EXPIRED && !r.isDisabled).length;

const WRONG_APP_KEY = 'not-the-demo-app-key-security-0000';
const DAY_MS = 86_400_000;
const RESOURCE_IDS = ['sec-due-0001', 'sec-due-0002', 'sec-future-0001'];

let capture: OutputCapture;
let simulator: RunningSimulator;
let tap: WireTap;
let stack: LocalStack;
let control: SimulatorControl;
const answers: RawAnswer[] = [];
const issuedToClients = new Set<string>();
let output = '';

async function relay(path: string, token: string | undefined, body: string, extraHeaders: Record<string, string> = {}): Promise<RawAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...extraHeaders };
  if (token !== undefined) headers['x-access-token'] = token;
  const answer = await send(`${stack.gatewayUrl}${path}`, { method: 'PUT', headers, body });
  answers.push(answer);
  return answer;
}

async function sweepNow(): Promise<RawAnswer> {
  const answer = await send(`${stack.gatewayUrl}${LOCAL_SWEEP_PATH}`, { method: 'POST' });
  answers.push(answer);
  return answer;
}

async function login(kind: 'alice' | 'spAdmin' | 'spAdminByAppId'): Promise<string> {
  const token = await loginDemo[kind](tap.url);
  issuedToClients.add(token);
  return token;
}

const vmrPath = fillPath(MODIFY_VMR_ROUTE.path, { id: CORP_A.vmrId });
const resourcesPath = fillPath(MODIFY_RESOURCES_ROUTE.path, { corp_id: CORP_A.corpId });

/** The whole run whose traces the tests search. */
async function exerciseEverything(): Promise<void> {
  let alice = await login('alice');
  let sp = await login('spAdmin');
  await login('spAdminByAppId');

  // Resources to sweep, added upstream as an SP would, then registered through the relay.
  const add = await fetch(`${tap.url}${resourcesPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-access-token': sp },
    body: JSON.stringify(RESOURCE_IDS.map((id) => ({ id, type: 'SOFT', count: 1, expireDate: Date.now() + DAY_MS }))),
  });
  expect(add.status).toBe(200);
  const past = Date.now() - DAY_MS;
  const future = Date.now() + 30 * DAY_MS;
  expect((await relay(resourcesPath, sp, JSON.stringify([{ id: RESOURCE_IDS[0], expireDate: past }, { id: RESOURCE_IDS[1], type: 'SOFT', expireDate: past }, { id: RESOURCE_IDS[2], expireDate: future }]))).status).toBe(200);

  // Relay traffic on both routes, passwords in the VMR body.
  expect((await relay(vmrPath, alice, JSON.stringify({ vmrName: 'Security run', chairPwd: '918273', gustPwd: '564738' }))).status).toBe(200);
  expect((await relay(resourcesPath, sp, JSON.stringify([{ id: CORP_A.vmrResourceId, type: 'VMR', isDisabled: 'false' }]))).status).toBe(200);

  // Refused requests that carry a token or a password.
  expect((await relay(vmrPath, `${alice},${alice}`, '{}')).status).toBe(400);
  expect((await relay(vmrPath, `${alice}!`, '{}')).status).toBe(400);
  expect((await relay(vmrPath, undefined, `{"chairPwd":"${SP_ADMIN.password}"}`)).status).toBe(401);
  expect((await relay(vmrPath, alice, `{"chairPwd":"${alice}",`)).status).toBe(400);
  expect((await relay(vmrPath, alice, JSON.stringify({ chairPwd: SP_APP.appKey }))).status).toBe(400);
  expect((await relay(resourcesPath, sp, JSON.stringify([{ id: sp }]), { 'x-request-id': `has ${sp} inside` })).status).toBe(400);
  // (Paths are access-logged, as API Gateway logs $context.path: a token belongs in X-Access-Token only.)
  expect((await relay('/v1/usg/dcs/member/vmr/..%2F..%2Fsp', alice, '{}')).status).toBe(400);

  // Upstream errors: 5xx after the client's retries, and resets.
  await control.addFault({ path: '/v1/usg/dcs/member/vmr', status: 503, count: 4 });
  expect((await relay(vmrPath, alice, '{"vmrName":"x"}')).status).toBe(503);
  await control.addFault({ path: '/v1/usg/dcs/member/vmr', reset: true, count: 4 });
  expect((await relay(vmrPath, alice, '{"vmrName":"x"}')).status).toBe(502);
  await control.clearFaults();

  // A sweep that disables the due resources (the stack's sweeper logs in by account): the two made due above and
  // the demo's expired ones, adopted by the sync at start.
  const firstSweep = await sweepNow();
  expect(firstSweep.status).toBe(200);
  expect(firstSweep.json).toMatchObject({ disabled: 2 + DEMO_EXPIRED_ENABLED });

  // Every token revoked: the callers' old tokens are refused by Huawei (passed through), the sweeper logs in
  // again, once after a failed login attempt, and a sweep meets an upstream error.
  await control.expireTokens();
  expect((await relay(vmrPath, alice, '{"vmrName":"revoked"}')).status).toBe(401);
  expect((await relay(resourcesPath, sp, JSON.stringify([{ id: RESOURCE_IDS[2], expireDate: past }]))).status).toBe(401);
  alice = await login('alice');
  sp = await login('spAdmin');
  expect((await relay(resourcesPath, sp, JSON.stringify([{ id: RESOURCE_IDS[2], expireDate: past }]))).status).toBe(200);
  await control.addFault({ path: '/v1/usg/acs/auth/account', status: 500, count: 1 });
  await control.addFault({ path: '/v1/usg/dcs/sp/corp/', method: 'PUT', status: 503, count: 8 });
  expect((await sweepNow()).status).toBe(200);
  await control.clearFaults();
  expect((await sweepNow()).json).toMatchObject({ disabled: 1 });

  // The other credential type through the production token provider: App ID with the right key, then a wrong one.
  const client = new HuaweiClient({ baseUrl: tap.url, minRetryDelayMs: 10, maxRetryDelayMs: 20 });
  try {
    const appId = new SpApi({
      client,
      tokens: new SpTokenProvider({ client, credentials: new EnvCredentialsSource(JSON.stringify({ type: 'appId', appId: SP_APP.appId, appKey: SP_APP.appKey })) }),
    });
    expect((await appId.queryResources(CORP_A.corpId, { limit: 10 })).status).toBe(200);
    const wrongKey = new SpApi({
      client,
      tokens: new SpTokenProvider({ client, credentials: new EnvCredentialsSource(JSON.stringify({ type: 'appId', appId: SP_APP.appId, appKey: WRONG_APP_KEY })) }),
    });
    await expect(wrongKey.queryResources(CORP_A.corpId, { limit: 10 })).rejects.toThrow();
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  capture = captureOutput();
  simulator = await startSimulator({ port: 0 });
  control = new SimulatorControl(simulator.url);
  tap = await startWireTap(simulator.url);
  process.env[ENV.huaweiBaseUrl] = tap.url;
  process.env[ENV.spCredentials] = JSON.stringify({ type: 'account', account: SP_ADMIN.account, password: SP_ADMIN.password });
  delete process.env[ENV.registryTableName];
  stack = await startLocalStack({
    port: 0,
    sweepIntervalSeconds: 0,
    onRequest: (line) => console.log(`[gateway] ${line}`),
    log: (line) => console.log(line),
  });
  await exerciseEverything();
}, 60_000);

afterAll(async () => {
  try {
    await stack?.stop();
    await tap?.stop();
    await simulator?.stop();
  } finally {
    capture?.stop();
  }
});

/** Every secret of the run: the demo secrets, the wrong key, and whatever crossed the wire. */
function allSecrets(): string[] {
  return [...new Set([...DEMO_SECRETS, WRONG_APP_KEY, ...issuedToClients, ...tap.secrets()])];
}

/** Asserts none of `secrets` is in `text`; a failure names the secret's length only, never the secret. */
function expectNoSecretIn(place: string, text: string): void {
  const leaked = allSecrets().filter((secret) => text.includes(secret));
  expect(leaked.map((secret) => `a ${secret.length}-character secret in ${place}`)).toEqual([]);
}

describe('secret hygiene over a whole stack run', () => {
  it('collected the secrets of both credential types and captured the functions\' logs', () => {
    output = capture.text();
    const secrets = tap.secrets();
    expect([...secrets].some((value) => /^Basic /.test(value))).toBe(true);
    expect([...secrets].some((value) => /^HMAC-SHA256 signature=/.test(value))).toBe(true);
    // Tokens issued by the simulator to the product itself (the sweeper) and to the test's callers.
    expect([...secrets].filter((value) => !issuedToClients.has(value) && /^[A-Za-z0-9]{20,}$/.test(value)).length).toBeGreaterThan(0);
    expect(output).toContain('"message":"request finished"');
    expect(output).toContain('"credentialType":"account"');
    expect(output).toContain('"credentialType":"appId"');
    expect(output).toContain('"message":"SP login failed"');
    expect(output).toContain(LOCAL_SWEEP_PATH);
  });

  it('writes no secret to stdout, stderr or the console (logs, metrics, errors)', () => {
    expectNoSecretIn('the captured output', output || capture.text());
  });

  it('answers no secret to any caller, refusals and upstream errors included', () => {
    expect(answers.length).toBeGreaterThan(10);
    for (const answer of answers) expectNoSecretIn(`an answer (${answer.status})`, JSON.stringify(answer.headers) + answer.text);
  });

  it('stores no secret in any registry item', async () => {
    const items = await stack.dynamo.documentClient.send(new ScanCommand({ TableName: stack.dynamo.tableName, ConsistentRead: true }));
    expect(items.Items?.length).toBeGreaterThan(0);
    expectNoSecretIn('the registry', JSON.stringify(items.Items));
  });

  it('leaves no secret in the simulator\'s request log', async () => {
    const logged = await control.requests();
    expect(logged.length).toBeGreaterThan(10);
    expectNoSecretIn('the simulator request log', JSON.stringify(logged));
  });
});
