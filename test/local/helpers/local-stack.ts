/**
 * The local stack `npm start` runs (local/stack.ts), started in this test process on port 0: the simulator,
 * dynalite, the sweeper (timer off unless asked) and the gateway over the real handlers. Helpers talk to it
 * the way a user does: the relay over HTTP with an SP token, `POST /_local/sweep`, the simulator's read API,
 * and the registry table.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { ENV } from '../../../functions/shared/env.js';
import type { ModResourceRequestItem, ResourceType } from '../../../functions/shared/huawei/schemas.js';
import { itemKey } from '../../../functions/shared/registry/keys.js';
import type { RegistryItem } from '../../../functions/shared/registry/model.js';
import { RegistryStore } from '../../../functions/shared/registry/store.js';
import type { SweepReport } from '../../../functions/sweep/report.js';
import { SimulatorControl } from '../../../local/simulator/control-client.js';
import { loginDemo } from '../../../local/simulator/demo-login.js';
import { startLocalStack } from '../../../local/stack.js';
import type { LocalStack, LocalStackOptions } from '../../../local/stack.js';
import { LOCAL_SWEEP_PATH } from '../../../local/settings.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface TestResource {
  corpId: string;
  id: string;
  type: ResourceType;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  json: unknown;
}

export interface UpstreamResource {
  id: string;
  type: ResourceType;
  expireDate: number;
  /** 0 active, 1 expired but enabled, 2 disabled. */
  status: number;
}

export interface LocalStackFixture {
  readonly stack: LocalStack;
  readonly control: SimulatorControl;
  /** The demo SP administrator's token (account login), as a relay client sends it. */
  readonly spToken: string;
  readonly store: RegistryStore;
  /** Adds resources upstream that nothing has registered yet, with unique ids and an expiry far ahead. */
  newResources(corpId: string, types: readonly ResourceType[]): Promise<TestResource[]>;
  /** `PUT .../resource` through the relay (gateway, handler, registry, simulator). */
  relay(corpId: string, items: readonly ModResourceRequestItem[], requestId?: string): Promise<HttpAnswer>;
  /** `POST /_local/sweep`. */
  sweepNow(): Promise<{ status: number; report: SweepReport }>;
  upstream(resource: TestResource): Promise<UpstreamResource | undefined>;
  registered(resource: Pick<TestResource, 'corpId' | 'id'> & { type?: ResourceType }): Promise<RegistryItem | undefined>;
  /** Bodies of the `PUT .../resource` calls Huawei received for a corp, in order. */
  upstreamPuts(corpId: string): Promise<Array<{ requestId: string; status: number; body: unknown }>>;
}

function resourcePath(corpId: string): string {
  return `/v1/usg/dcs/sp/corp/${corpId}/resource`;
}

async function httpJson(url: string, init: RequestInit): Promise<HttpAnswer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** Starts one stack for the test file (before every other beforeAll registered after it) and stops it after. */
export function useLocalStack(options: LocalStackOptions = {}): LocalStackFixture {
  let stack: LocalStack | undefined;
  let control: SimulatorControl | undefined;
  let spToken: string | undefined;
  let store: RegistryStore | undefined;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('local stack not started');
    return value;
  };

  beforeAll(async () => {
    // The stack starts its own simulator and defaults the SP credentials only when these are unset.
    for (const name of [ENV.huaweiBaseUrl, ENV.spCredentials, ENV.spCredentialsSecretArn, ENV.registryTableName]) delete process.env[name];
    // Access-log and sweeper/sync lines stay out of the test output; a test that reads them passes its own.
    stack = await startLocalStack({ port: 0, simulatorPort: 0, sweepIntervalSeconds: 0, syncAtStart: false, onRequest: () => {}, log: () => {}, ...options });
    control = new SimulatorControl(need(stack.simulatorUrl));
    spToken = await loginDemo.spAdmin(need(stack.simulatorUrl));
    store = new RegistryStore({ documentClient: stack.dynamo.documentClient, tableName: stack.dynamo.tableName });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const fixture: LocalStackFixture = {
    get stack() {
      return need(stack);
    },
    get control() {
      return need(control);
    },
    get spToken() {
      return need(spToken);
    },
    get store() {
      return need(store);
    },
    async newResources(corpId, types) {
      const resources = types.map((type) => ({ corpId, id: randomBytes(16).toString('hex'), type }));
      const answer = await httpJson(`${need(stack).huaweiBaseUrl}${resourcePath(corpId)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Access-Token': need(spToken) },
        body: JSON.stringify(resources.map(({ id, type }) => ({ id, type, count: 1, expireDate: Date.now() + 365 * DAY_MS }))),
      });
      if (answer.status !== 200) throw new Error(`AddResource failed: ${answer.status} ${JSON.stringify(answer.json)}`);
      return resources;
    },
    relay(corpId, items, requestId) {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'X-Access-Token': need(spToken) };
      if (requestId !== undefined) headers['X-Request-Id'] = requestId;
      return httpJson(`${need(stack).gatewayUrl}${resourcePath(corpId)}`, { method: 'PUT', headers, body: JSON.stringify(items) });
    },
    async sweepNow() {
      const answer = await httpJson(`${need(stack).gatewayUrl}${LOCAL_SWEEP_PATH}`, { method: 'POST' });
      return { status: answer.status, report: answer.json as SweepReport };
    },
    async upstream(resource) {
      const query = new URLSearchParams({ searchKey: resource.id, limit: '100' });
      const answer = await httpJson(`${need(stack).huaweiBaseUrl}${resourcePath(resource.corpId)}?${query.toString()}`, {
        headers: { 'X-Access-Token': need(spToken) },
      });
      const data = (answer.json as { data: UpstreamResource[] }).data;
      return data.find((candidate) => candidate.id === resource.id && candidate.type === resource.type);
    },
    registered(resource) {
      return need(store).get(itemKey(resource.corpId, resource.id, resource.type));
    },
    async upstreamPuts(corpId) {
      const requests = await need(control).requests({ path: resourcePath(corpId), method: 'PUT' });
      return requests.map(({ requestId, status, body }) => ({ requestId, status, body }));
    },
  };
  return fixture;
}
