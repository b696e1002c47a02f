/**
 * The one way tests start a stack: composable parts, all real (dynalite and the Huawei simulator on loopback,
 * reached through the client code production uses), each with `stop()`, and `use()` to tie a part to a test
 * file's (or each test's) lifecycle.
 *
 * - `startRegistry()`: the registry on a fresh dynalite (store, lease, raw scan).
 * - `startHuawei(options)`: the simulator plus a production HuaweiClient, SP token provider and SpApi built
 *   with the options given (a virtual clock's `now` and deadline timer, say), and helpers to add and read
 *   resources upstream.
 * - `startSweeperStack(options)`: both of the above plus the sweep, sync and relay-recording functions called
 *   directly with their dependencies (config passed in, nothing read from `process.env`): two of them run side
 *   by side in one process (test/support/two-stacks.test.ts).
 * - `startLambdaStack()`: the deployed Lambda entry modules in process, configured the way Lambda configures
 *   them (through `process.env`, read at cold start): the environment is set for the stack and restored by
 *   `stop()`. The entries' singletons make this one per process at a time.
 * - `startGatewayStack(options)`: the local stack `npm start` runs (local/stack.ts) on port 0, with the helpers
 *   a user would use (relay over HTTP, `POST /_local/sweep`, the simulator's read API); environment scoped too.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { EnvCredentialsSource } from '../../functions/shared/auth/credentials-source.js';
import { SpTokenProvider } from '../../functions/shared/auth/token-provider.js';
import { ENV } from '../../functions/shared/env.js';
import { HuaweiClient, resetHuaweiClient } from '../../functions/shared/huawei/client.js';
import type { HuaweiClientOptions } from '../../functions/shared/huawei/client.js';
import type { ModResourceItem, ModResourceRequestItem, ResourceType } from '../../functions/shared/huawei/schemas.js';
import { SpApi } from '../../functions/shared/huawei/sp-api.js';
import { itemKey } from '../../functions/shared/registry/keys.js';
import { SweepLease } from '../../functions/shared/registry/lease.js';
import type { RegistryItem } from '../../functions/shared/registry/model.js';
import { RegistryStore } from '../../functions/shared/registry/store.js';
import { relayAndRecord } from '../../functions/resources/relay-recording.js';
import type { RelayAndRecordResult } from '../../functions/resources/relay-recording.js';
import type { SweepConfig } from '../../functions/sweep/config.js';
import type { SweepReport } from '../../functions/sweep/report.js';
import { sweep } from '../../functions/sweep/sweep.js';
import type { SweepDeps } from '../../functions/sweep/sweep.js';
import type { SyncConfig } from '../../functions/sync/config.js';
import type { SyncReport } from '../../functions/sync/report.js';
import { sync } from '../../functions/sync/sync.js';
import type { SyncDeps } from '../../functions/sync/sync.js';
import { SyncWatermark } from '../../functions/sync/watermark.js';
import { startDynamo } from '../../local/dynamo.js';
import type { RunningDynamo } from '../../local/dynamo.js';
import { SimulatorControl } from '../../local/simulator/control-client.js';
import { SP_APP } from '../../local/simulator/demo-data.js';
import { loginDemo } from '../../local/simulator/demo-login.js';
import { startSimulator } from '../../local/simulator/index.js';
import type { RunningSimulator, SimulatorOptions } from '../../local/simulator/index.js';
import { LOCAL_SWEEP_PATH } from '../../local/settings.js';
import { bindRegistryEnvironment, startLocalStack } from '../../local/stack.js';
import type { LocalStack, LocalStackOptions } from '../../local/stack.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export interface Stoppable {
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Lifecycle and environment

/**
 * Starts a part before the file's tests (`scope: 'file'`) or before each test (`'test'`) and stops it after.
 * Returns a stand-in whose properties and methods reach the running part; reading one outside a test throws.
 * Register it before hooks that use it: vitest runs hooks of one level in the order they were registered.
 */
export function use<T extends Stoppable>(start: () => Promise<T>, scope: 'file' | 'test' = 'file'): T {
  let running: T | undefined;
  const [before, after] = scope === 'file' ? [beforeAll, afterAll] : [beforeEach, afterEach];
  before(async () => {
    running = await start();
  });
  after(async () => {
    const stopping = running;
    running = undefined;
    await stopping?.stop();
  });
  return new Proxy({} as T, {
    get(_target, property) {
      if (running === undefined) {
        if (property === 'then') return undefined; // not a promise, whoever asks
        throw new Error(`stack not started (reading ${String(property)})`);
      }
      const value: unknown = Reflect.get(running, property, running);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(running) : value;
    },
  });
}

/** Environment variables set for one stack and put back as they were by `restore()`. */
export class EnvScope {
  private readonly saved = new Map<string, string | undefined>();

  /** Remembers the variables' current values (before code outside this scope changes them). */
  keep(names: readonly string[]): void {
    for (const name of names) if (!this.saved.has(name)) this.saved.set(name, process.env[name]);
  }

  set(name: string, value: string | undefined): void {
    this.keep([name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }

  restore(): void {
    for (const [name, value] of this.saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    this.saved.clear();
  }
}

/** What `bindRegistryEnvironment` (local/stack.ts) sets. */
const REGISTRY_ENV = [ENV.registryTableName, 'AWS_ENDPOINT_URL_DYNAMODB', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

function bindRegistry(env: EnvScope, dynamo: RunningDynamo): void {
  env.keep(REGISTRY_ENV);
  bindRegistryEnvironment(dynamo);
}

/** Listens on 127.0.0.1, port 0; `stop` also closes idle keep-alive sockets (which would hold `close` open). */
export async function listenOnLoopback(server: Server): Promise<{ url: string; host: string } & Stoppable> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Registry

export interface TestRegistry extends Stoppable {
  dynamo: RunningDynamo;
  store: RegistryStore;
  lease: SweepLease;
  /** The sync's watermark item. */
  watermark: SyncWatermark;
  /** Every item of the table, raw, sorted by key. */
  scanAll(): Promise<Record<string, unknown>[]>;
}

/** The registry on a fresh in-process dynalite (real DynamoDB protocol over loopback). */
export async function startRegistry(): Promise<TestRegistry> {
  const dynamo = await startDynamo();
  const options = { documentClient: dynamo.documentClient, tableName: dynamo.tableName };
  return {
    dynamo,
    store: new RegistryStore(options),
    lease: new SweepLease(options),
    watermark: new SyncWatermark(options),
    async scanAll() {
      const items: Record<string, unknown>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await dynamo.documentClient.send(
          new ScanCommand({ TableName: dynamo.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
        );
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return items.sort((a, b) => `${String(a.pk)}|${String(a.sk)}`.localeCompare(`${String(b.pk)}|${String(b.sk)}`));
    },
    stop: () => dynamo.stop(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Huawei

/** The SP credentials the sweeper logs in with (App ID, so the HMAC path runs). */
export const SWEEPER_CREDENTIALS = JSON.stringify({ type: 'appId', appId: SP_APP.appId, appKey: SP_APP.appKey });

export interface UpstreamResource {
  id: string;
  type: ResourceType;
  expireDate: number;
  isDisabled: boolean;
  status: number;
}

export interface TestHuawei extends Stoppable {
  simulator: RunningSimulator;
  url: string;
  control: SimulatorControl;
  client: HuaweiClient;
  spApi: SpApi;
  /** Adds resources upstream (AddResource, 100 per call) with the given expiry. */
  addResources(corpId: string, resources: ReadonlyArray<{ id: string; type: ResourceType; expireDate: number }>): Promise<void>;
  /** Deletes resources upstream (DeleteResource): the registry may still list them. */
  deleteResources(corpId: string, ids: readonly string[]): Promise<void>;
  /** Every resource of an enterprise as Huawei reports it, by `id/type`. */
  resources(corpId: string): Promise<Map<string, UpstreamResource>>;
  /** The SP token the SP API currently uses (to prove it never reaches the output). */
  currentToken(): Promise<string>;
  /** PUTs to `.../resource` received since the last clear. */
  resourcePuts(): Promise<number>;
  /** Holds the next matching request in the simulator until `release()` (a gate fault), e.g. a sweep's PUT. */
  gate(path: string, method: string, answer?: { status: number }): Promise<{ release(): Promise<void> }>;
  /** Resolves once the simulator holds a request on `path` it has not answered (hang guard: 10 s). */
  waitHeld(path: string, method: string): Promise<void>;
}

export interface HuaweiOptions {
  simulator?: SimulatorOptions;
  /** For the client: a virtual clock's `now` and `setTimer`, other retry settings. */
  client?: Omit<HuaweiClientOptions, 'baseUrl'>;
}

/** A production HuaweiClient, SpTokenProvider (the sweeper's App ID login) and SpApi for `baseUrl`; close the client. */
export function spApiFor(baseUrl: string, clientOptions: HuaweiOptions['client'] = {}): { client: HuaweiClient; tokens: SpTokenProvider; spApi: SpApi } {
  // Small backoff so retried 5xx bursts stay quick; the policy is the production one.
  const client = new HuaweiClient({ minRetryDelayMs: 10, maxRetryDelayMs: 50, ...clientOptions, baseUrl });
  const tokens = new SpTokenProvider({ client, credentials: new EnvCredentialsSource(SWEEPER_CREDENTIALS) });
  return { client, tokens, spApi: new SpApi({ client, tokens }) };
}

/** The simulator, reached through a production HuaweiClient, SpTokenProvider (App ID login) and SpApi. */
export async function startHuawei(options: HuaweiOptions = {}): Promise<TestHuawei> {
  const simulator = await startSimulator({ port: 0, ...options.simulator });
  const control = new SimulatorControl(simulator.url);
  const { client, tokens, spApi } = spApiFor(simulator.url, options.client);
  const resourcePath = (corpId: string) => `/v1/usg/dcs/sp/corp/${corpId}/resource`;

  return {
    simulator,
    url: simulator.url,
    control,
    client,
    spApi,
    async addResources(corpId, resources) {
      const token = await tokens.getToken();
      for (let i = 0; i < resources.length; i += 100) {
        const body = resources.slice(i, i + 100).map((r) => ({ ...r, count: 1 }));
        const response = await client.request({ method: 'POST', path: resourcePath(corpId), headers: { 'X-Access-Token': token }, body });
        if (response.status !== 200) throw new Error(`AddResource failed: ${response.status} ${response.text}`);
      }
    },
    async deleteResources(corpId, ids) {
      const response = await client.request({
        method: 'POST',
        path: `${resourcePath(corpId)}/delete`,
        headers: { 'X-Access-Token': await tokens.getToken() },
        body: ids,
      });
      if (response.status !== 200) throw new Error(`DeleteResource failed: ${response.status} ${response.text}`);
    },
    async resources(corpId) {
      const all = new Map<string, UpstreamResource>();
      for (let offset = 0; ; offset += 100) {
        const response = await spApi.queryResources(corpId, { offset, limit: 100 });
        if (response.status !== 200) throw new Error(`SearchResource failed: ${response.status} ${response.text}`);
        const page = response.json as { count: number; data: Array<{ id: string; type: ResourceType; expireDate: number; status: number }> };
        for (const r of page.data) all.set(`${r.id}/${r.type}`, { ...r, isDisabled: r.status === 2 });
        if (offset + 100 >= page.count) break;
      }
      return all;
    },
    currentToken: () => tokens.getToken(),
    async resourcePuts() {
      return (await control.requests({ path: '/v1/usg/dcs/sp/corp/', method: 'PUT' })).length;
    },
    async gate(path, method, answer) {
      const fault = await control.addFault({ path, method, hold: true, count: 1, ...answer });
      return { release: () => control.release(fault.id) };
    },
    async waitHeld(path, method) {
      await waitFor(async () => (await control.requests({ path, method })).some((r) => r.status === 0 && r.fault === undefined), `a held ${method} ${path}`);
    },
    async stop() {
      await client.close();
      await simulator.stop();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Sweeper stack: registry + Huawei + the sweep, sync and relay-recording functions, config passed in

export const TEST_SWEEP_CONFIG: SweepConfig = {
  dryRun: false,
  maxRejections: 3,
  concurrency: 4,
  leaseMs: 60_000,
  recordReserveMs: 2_000,
};

export interface TestResource {
  corpId: string;
  id: string;
  type: ResourceType;
  expireDate: number;
}

export interface SweeperStack extends Stoppable {
  registry: TestRegistry;
  huawei: TestHuawei;
  /** Adds the resources upstream, then records them through the relay's registry protocol. */
  register(resources: readonly TestResource[]): Promise<void>;
  /** Relays one update the way the relay route does (registry read, decide, PUT, record). */
  relay(corpId: string, items: ModResourceItem[]): Promise<RelayAndRecordResult>;
  sweepOnce(overrides?: Partial<Omit<SweepDeps, 'config'>> & { config?: Partial<SweepConfig> }): Promise<SweepReport>;
  /**
   * One sync with the production function (all of the SP's enterprises unless `corpIds` is given), a full pass
   * unless `mode: 'incremental'`, with the registry's watermark.
   */
  syncOnce(overrides?: Partial<Omit<SyncDeps, 'config'>> & { config?: Partial<SyncConfig> }): Promise<SyncReport>;
  item(resource: Pick<TestResource, 'corpId' | 'id'> & { type?: ResourceType | undefined }): Promise<RegistryItem | undefined>;
}

export interface SweeperStackOptions extends HuaweiOptions {
  /** The clock of the sweep, the sync and the relay recording (default the real one). */
  now?: () => number;
}

export async function startSweeperStack(options: SweeperStackOptions = {}): Promise<SweeperStack> {
  const registry = await startRegistry();
  const huawei = await startHuawei(options);
  const now = options.now ?? Date.now;
  const metrics = new Metrics({ namespace: 'SweeperTest', serviceName: 'sweeper-test' });

  const relay = (corpId: string, items: ModResourceItem[]) =>
    relayAndRecord({ store: registry.store, now, reenableRenewed: true }, corpId, items, (planned) => huawei.spApi.updateResources(corpId, planned));

  return {
    registry,
    huawei,
    relay,
    async register(resources) {
      const byCorp = new Map<string, TestResource[]>();
      for (const r of resources) byCorp.set(r.corpId, [...(byCorp.get(r.corpId) ?? []), r]);
      for (const [corpId, list] of byCorp) {
        await huawei.addResources(corpId, list);
        for (let i = 0; i < list.length; i += 100) {
          const items = list.slice(i, i + 100).map((r) => ({ id: r.id, type: r.type, expireDate: r.expireDate }));
          const result = await relay(corpId, items);
          if (result.outcome !== 'recorded') throw new Error(`registering failed: ${result.response.status} ${result.response.text}`);
        }
      }
    },
    sweepOnce(overrides = {}) {
      const { config, ...rest } = overrides;
      return sweep({
        store: registry.store,
        lease: registry.lease,
        spApi: huawei.spApi,
        deadline: now() + 25_000,
        now,
        metrics,
        ...rest,
        config: { ...TEST_SWEEP_CONFIG, ...config },
      });
    },
    syncOnce(overrides = {}) {
      const { config, ...rest } = overrides;
      return sync({
        store: registry.store,
        watermark: registry.watermark,
        spApi: huawei.spApi,
        deadline: now() + 25_000,
        now,
        metrics,
        ...rest,
        config: { dryRun: false, corpIds: [], concurrency: 4, ...config },
      });
    },
    item({ corpId, id, type }) {
      return registry.store.get(itemKey(corpId, id, type));
    },
    async stop() {
      metrics.clearMetrics();
      await huawei.stop();
      await registry.stop();
    },
  };
}

/** `count` resources with ids `<prefix>-0000`..., types alternating VMR / SOFT. */
export function resources(corpId: string, prefix: string, count: number, expireDate: number): TestResource[] {
  return Array.from({ length: count }, (_, i) => ({
    corpId,
    id: `${prefix}-${String(i).padStart(4, '0')}`,
    type: i % 2 === 0 ? 'VMR' : 'SOFT',
    expireDate,
  }));
}

export function key(r: Pick<TestResource, 'id' | 'type'>): string {
  return `${r.id}/${r.type}`;
}

/** Polls until `check` is true (hang guard: 10 s). */
export async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const giveUpAt = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Lambda stack: the deployed entry modules in process

export type RelayHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
export type SweepHandler = (event: unknown, context: Context) => Promise<SweepReport>;
export type SyncHandler = (event: unknown, context: Context) => Promise<SyncReport>;

export interface LambdaStack extends Stoppable {
  simulator: RunningSimulator;
  /** The simulator's URL (where the handlers' Huawei client points unless `routeHuaweiTo` moved it). */
  url: string;
  control: SimulatorControl;
  registry: TestRegistry;
  handlers: { modifyVmr: RelayHandler; modifyResources: RelayHandler; sweep: SweepHandler; sync: SyncHandler };
  /** Tokens of the demo identities, logged in at start. */
  tokens: { spAdmin: string; alice: string; bob: string };
  /** Logs the demo identities in again (after a test expired every token). */
  relogin(): Promise<void>;
  /** Points the handlers' Huawei client somewhere else (an interposed hop), for the rest of the stack's life. */
  routeHuaweiTo(url: string): Promise<void>;
}

/**
 * The simulator and dynalite, the environment the deployed functions read pointed at them (restored on stop),
 * and the deployed handler modules (both relay routes, the sweeper and the sync) imported after that, so their
 * module-scope singletons (Huawei client, SP token provider, registry) are the production ones reaching this stack.
 */
export async function startLambdaStack(options: { env?: Readonly<Record<string, string>> } = {}): Promise<LambdaStack> {
  const env = new EnvScope();
  // Extra settings the entries read at cold start (e.g. RENEWAL_REENABLE), restored on stop like the rest.
  for (const [name, value] of Object.entries(options.env ?? {})) env.set(name, value);
  const simulator = await startSimulator({ port: 0 });
  const registry = await startRegistry();
  env.set(ENV.huaweiBaseUrl, simulator.url);
  env.set(ENV.spCredentials, SWEEPER_CREDENTIALS);
  // As the local runtime does: the functions' AWS SDK reaches this dynalite, through the environment.
  bindRegistry(env, registry.dynamo);
  await resetHuaweiClient();

  const [vmr, resourcesEntry, sweeper, syncer] = await Promise.all([
    import('../../functions/vmr/handler.js'),
    import('../../functions/resources/handler.js'),
    import('../../functions/sweep/handler.js'),
    import('../../functions/sync/handler.js'),
  ]);
  const login = async () => {
    const [spAdmin, alice, bob] = await Promise.all([loginDemo.spAdmin(simulator.url), loginDemo.alice(simulator.url), loginDemo.bob(simulator.url)]);
    return { spAdmin, alice, bob };
  };
  const stack: LambdaStack = {
    simulator,
    url: simulator.url,
    control: new SimulatorControl(simulator.url),
    registry,
    handlers: {
      modifyVmr: vmr.handler as unknown as RelayHandler,
      modifyResources: resourcesEntry.handler as unknown as RelayHandler,
      sweep: sweeper.handler as unknown as SweepHandler,
      sync: syncer.handler as unknown as SyncHandler,
    },
    tokens: await login(),
    async relogin() {
      stack.tokens = await login();
    },
    async routeHuaweiTo(url) {
      env.set(ENV.huaweiBaseUrl, url);
      await resetHuaweiClient();
    },
    async stop() {
      await resetHuaweiClient();
      await simulator.stop();
      await registry.stop();
      env.restore();
    },
  };
  return stack;
}

/** Huawei requests on the relayed paths (the logins are left out). */
export function relayedRequests(control: SimulatorControl) {
  return control.requests({ path: '/v1/usg/dcs/' });
}

// ---------------------------------------------------------------------------------------------------------------
// Gateway stack: what `npm start` runs

export interface TestLocalResource {
  corpId: string;
  id: string;
  type: ResourceType;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  json: unknown;
}

export interface GatewayUpstreamResource {
  id: string;
  type: ResourceType;
  expireDate: number;
  /** 0 active, 1 expired but enabled, 2 disabled. */
  status: number;
}

export interface GatewayStack extends Stoppable {
  readonly stack: LocalStack;
  readonly control: SimulatorControl;
  /** The demo SP administrator's token (account login), as a relay client sends it. */
  readonly spToken: string;
  readonly store: RegistryStore;
  /** Adds resources upstream that nothing has registered yet, with unique ids and an expiry far ahead. */
  newResources(corpId: string, types: readonly ResourceType[]): Promise<TestLocalResource[]>;
  /** `PUT .../resource` through the relay (gateway, handler, registry, simulator). */
  relay(corpId: string, items: readonly ModResourceRequestItem[], requestId?: string): Promise<HttpAnswer>;
  /** `POST /_local/sweep`. */
  sweepNow(): Promise<{ status: number; report: SweepReport }>;
  upstream(resource: TestLocalResource): Promise<GatewayUpstreamResource | undefined>;
  registered(resource: Pick<TestLocalResource, 'corpId' | 'id'> & { type?: ResourceType }): Promise<RegistryItem | undefined>;
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

/** The local stack on port 0 (timer off, no sync at start, quiet logs unless `options` say otherwise). */
export async function startGatewayStack(options: LocalStackOptions = {}): Promise<GatewayStack> {
  const env = new EnvScope();
  env.keep(REGISTRY_ENV);
  // The stack starts its own simulator and defaults the SP credentials only when these are unset.
  for (const name of [ENV.huaweiBaseUrl, ENV.spCredentials, ENV.spCredentialsSecretArn, ENV.registryTableName]) env.set(name, undefined);
  let stack: LocalStack;
  try {
    // Access-log and sweeper/sync lines stay out of the test output; a test that reads them passes its own.
    stack = await startLocalStack({ port: 0, simulatorPort: 0, sweepIntervalSeconds: 0, syncAtStart: false, onRequest: () => {}, log: () => {}, ...options });
  } catch (error) {
    env.restore();
    throw error;
  }
  const simulatorUrl = stack.simulatorUrl ?? stack.huaweiBaseUrl;
  const control = new SimulatorControl(simulatorUrl);
  const spToken = await loginDemo.spAdmin(simulatorUrl);
  const store = new RegistryStore({ documentClient: stack.dynamo.documentClient, tableName: stack.dynamo.tableName });

  return {
    stack,
    control,
    spToken,
    store,
    async newResources(corpId, types) {
      const created = types.map((type) => ({ corpId, id: randomBytes(16).toString('hex'), type }));
      const answer = await httpJson(`${stack.huaweiBaseUrl}${resourcePath(corpId)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Access-Token': spToken },
        body: JSON.stringify(created.map(({ id, type }) => ({ id, type, count: 1, expireDate: Date.now() + 365 * DAY_MS }))),
      });
      if (answer.status !== 200) throw new Error(`AddResource failed: ${answer.status} ${JSON.stringify(answer.json)}`);
      return created;
    },
    relay(corpId, items, requestId) {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'X-Access-Token': spToken };
      if (requestId !== undefined) headers['X-Request-Id'] = requestId;
      return httpJson(`${stack.gatewayUrl}${resourcePath(corpId)}`, { method: 'PUT', headers, body: JSON.stringify(items) });
    },
    async sweepNow() {
      const answer = await httpJson(`${stack.gatewayUrl}${LOCAL_SWEEP_PATH}`, { method: 'POST' });
      return { status: answer.status, report: answer.json as SweepReport };
    },
    async upstream(resource) {
      const query = new URLSearchParams({ searchKey: resource.id, limit: '100' });
      const answer = await httpJson(`${stack.huaweiBaseUrl}${resourcePath(resource.corpId)}?${query.toString()}`, {
        headers: { 'X-Access-Token': spToken },
      });
      const data = (answer.json as { data: GatewayUpstreamResource[] }).data;
      return data.find((candidate) => candidate.id === resource.id && candidate.type === resource.type);
    },
    registered(resource) {
      return store.get(itemKey(resource.corpId, resource.id, resource.type));
    },
    async upstreamPuts(corpId) {
      const requests = await control.requests({ path: resourcePath(corpId), method: 'PUT' });
      return requests.map(({ requestId, status, body }) => ({ requestId, status, body }));
    },
    async stop() {
      try {
        await stack.stop();
      } finally {
        env.restore();
      }
    },
  };
}
