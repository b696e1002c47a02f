/**
 * Relay overhead: the same valid requests sent (a) straight to the Huawei simulator with undici and (b) through
 * the deployed handler modules, invoked in this process with the HTTP API v2 event and Lambda context the local
 * API Gateway emulator builds, which call the same simulator. Both sides run in this process, alternating batch
 * by batch (direct, relayed, direct, relayed...), so machine noise lands on both.
 *
 * The simulator and dynalite run in their own processes (Huawei and DynamoDB are remote in production). The
 * handlers' log lines go to this process's stdout, which bench/run.ts discards, like Lambda ships them.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { Pool } from 'undici';
import { ENV } from '../functions/shared/env.js';
import { createRegistryDocumentClient } from '../functions/shared/registry/document-client.js';
import { corpPartitionKey } from '../functions/shared/registry/keys.js';
import { RegistryStore } from '../functions/shared/registry/store.js';
import { ATTR } from '../functions/shared/registry/table.js';
import { finishWrite } from '../functions/shared/registry/transitions.js';
import { MODIFY_RESOURCES_ROUTE, MODIFY_VMR_ROUTE, fillPath, routeKey } from '../functions/shared/routes.js';
import type { HttpRoute } from '../functions/shared/routes.js';
import { functionMemoryMb } from '../lib/constructs/relay-function.js';
import { RELAY_TIMEOUT } from '../lib/meeting-relay-stack.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamo.js';
import { buildHttpApiEvent, buildLambdaContext } from '../local/gateway/http-api-event.js';
import { loadRouteHandler } from '../local/gateway/index.js';
import type { LambdaHttpHandler } from '../local/gateway/index.js';
import { CORP_A, DEMO_RESOURCES, DEMO_VMRS } from '../local/simulator/demo-data.js';
import type { DemoResource } from '../local/simulator/demo-data.js';
import { loginDemo } from '../local/simulator/demo-login.js';
import { profileCalls } from './cpu-profile.js';
import type { CpuProfileSummary } from './cpu-profile.js';
import { startServiceProcess } from './services.js';
import { median, quantile, round } from './stats.js';

export interface RelayOptions {
  /** Measured requests per route, per side, per run. */
  requestsPerRoute: number;
  /** Requests in flight at once on each side. */
  concurrency: number;
  /**
   * Measured requests per route, per side, per run, one at a time: what one Lambda instance sees (it handles
   * one event at a time), without the queueing of `concurrency` handler calls on this one thread. 0 skips it.
   */
  serialRequestsPerRoute: number;
  runs: number;
  /** Unmeasured requests per route and side before the first run (JIT, sockets, token caches). */
  warmupPerRoute: number;
  /** Simulator latency; 0 leaves only the work of each side in the figures. */
  upstreamLatencyMs: number;
  /** Sequential modify-vmr calls CPU-profiled per side after the measured runs (0 skips the profile). */
  profileCalls?: number;
}

/** DynamoDB requests the relayed resource route made, counted at the HTTP client (not timed). */
export interface RegistryRoundTrips {
  /** Requests sent for this count, one at a time. */
  requests: number;
  itemsPerRequest: number;
  /** DynamoDB requests per relayed request, in all and by operation (X-Amz-Target). */
  perRequest: number;
  byOperation: Record<string, number>;
}

export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
  rps: number;
}

export interface Comparison {
  /** Requests per side per run. */
  requests: number;
  direct: LatencySummary;
  relayed: LatencySummary;
  /** relayed p50 - direct p50. */
  overheadP50Ms: number;
  /** relayed rps / direct rps. */
  throughputRatio: number;
}

export interface RelayResult extends Comparison {
  concurrency: number;
  runs: number;
  upstreamLatencyMs: number;
  /** Per route; `modify-vmr` alone is the pure relay overhead (that route has no registry). */
  routes: Record<string, Comparison>;
  /** The same at concurrency 1. */
  serial?: Comparison & { concurrency: 1; routes: Record<string, Comparison> };
  /** Whether the relayed resource route wrote the registry (dynalite): its figures then include that work. */
  resourceRouteRecordsRegistry: boolean;
  /**
   * Median ms of what the resource route adds per item against this registry, one after another: a strongly
   * consistent Query of the resource's items plus one conditional PutItem, through the production RegistryStore.
   * Subtract it from that route's overhead at concurrency 1 to see the relay's own share.
   */
  registryReadWriteP50Ms: number;
  /** modify-resources' registry round trips per request, for 1 item and for 10 items per request. */
  registryRoundTrips: RegistryRoundTrips[];
  /** Where modify-vmr's warm-path CPU goes, relayed and direct (when profiled). */
  warmPathProfile?: { route: string; relayed: CpuProfileSummary; direct: CpuProfileSummary };
}

/**
 * One side's way of sending a route's request for one worker (0 .. concurrency-1): prepares it (unmeasured:
 * building the event is API Gateway's work, not the relay's), then sends it and resolves with the HTTP status.
 */
type Sender = (worker: number) => () => Promise<number>;

interface BatchResult {
  latenciesMs: number[];
  elapsedMs: number;
}

interface RouteCase {
  route: HttpRoute;
  pathParameters: Record<string, string>;
  token: string;
  /** Request body of each worker. */
  bodies: string[];
}

const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

/** The VMR as it is: rewriting its own settings is a valid, repeatable update. */
function vmrBody(): string {
  const vmr = DEMO_VMRS.find((v) => v.id === CORP_A.vmrId);
  if (!vmr) throw new Error('demo data has no VMR for CORP_A.vmrId');
  const { vmrName, chairPwd, gustPwd, allowGustFirst, gustFirstNotice } = vmr;
  return JSON.stringify({ vmrName, chairPwd, gustPwd, allowGustFirst, gustFirstNotice });
}

function seedExampleResource(): DemoResource {
  const resource = DEMO_RESOURCES.find((r) => r.id === CORP_A.vmrResourceId && r.corpId === CORP_A.corpId);
  if (!resource) throw new Error('demo data has no resource for CORP_A.vmrResourceId');
  return resource;
}

/**
 * One resource of enterprise A per worker, shaped like the seed's example. Distinct per worker because the
 * registry protocol (rightly) refuses concurrent updates of one resource after a few rounds (503): an SP
 * updates many resources at once, not one resource many times at once.
 */
function benchResources(workers: number): DemoResource[] {
  const example = seedExampleResource();
  return Array.from({ length: workers }, (_, worker) => ({ ...example, id: `bench-relay-${worker}` }));
}

/** The seed's own request for one resource: its expiry kept, enabled. */
function resourcesBody(resource: DemoResource): string {
  return JSON.stringify([{ expireDate: resource.expireDate, id: resource.id, isDisabled: false, type: resource.type }]);
}

/** Adds the benchmark's resources upstream (AddResource), so that updating them is valid. */
async function addResourcesUpstream(pool: Pool, token: string, resources: readonly DemoResource[]): Promise<void> {
  const response = await pool.request({
    method: 'POST',
    path: fillPath(MODIFY_RESOURCES_ROUTE.path, { corp_id: CORP_A.corpId }),
    headers: { 'content-type': JSON_CONTENT_TYPE, 'x-access-token': token },
    body: JSON.stringify(resources.map(({ id, type, count, expireDate }) => ({ id, type, count, expireDate }))),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`adding benchmark resources failed: HTTP ${response.statusCode} ${text}`);
}

/** Runs `count` sends with `concurrency` in flight; every answer must be 200, or the figures would lie. */
async function runBatch(count: number, concurrency: number, send: Sender): Promise<BatchResult> {
  const latenciesMs: number[] = [];
  let next = 0;
  const worker = async (id: number) => {
    while (next < count) {
      next++;
      const sendPrepared = send(id);
      const startedAt = performance.now();
      const status = await sendPrepared();
      latenciesMs.push(performance.now() - startedAt);
      if (status !== 200) throw new Error(`benchmark request answered ${status}, expected 200`);
    }
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id)));
  return { latenciesMs, elapsedMs: performance.now() - startedAt };
}

function directSender(pool: Pool, routeCase: RouteCase): Sender {
  const path = fillPath(routeCase.route.path, routeCase.pathParameters);
  const headers = { accept: 'application/json', 'content-type': JSON_CONTENT_TYPE, 'x-access-token': routeCase.token };
  return (worker) => {
    const body = routeCase.bodies[worker];
    return async () => {
      const response = await pool.request({ method: routeCase.route.method, path, headers, body });
      await response.body.text();
      return response.statusCode;
    };
  };
}

/** Builds the event like the emulator does for a request arriving from a client, then calls the handler. */
function relayedSender(handler: LambdaHttpHandler, routeCase: RouteCase): Sender {
  const path = fillPath(routeCase.route.path, routeCase.pathParameters);
  const bodies = routeCase.bodies.map((body) => Buffer.from(body, 'utf8'));
  const headersFor = (body: Buffer) => [
    'Host', 'relay.bench.invalid',
    'User-Agent', 'meeting-relay-bench',
    'Accept', 'application/json',
    'Content-Type', JSON_CONTENT_TYPE,
    'Content-Length', String(body.length),
    'X-Access-Token', routeCase.token,
  ];
  const key = routeKey(routeCase.route);
  const functionName = `meeting-relay-${routeCase.route.id}`;
  return (worker) => {
    const body = bodies[worker] ?? Buffer.alloc(0);
    const rawHeaders = headersFor(body);
    const now = Date.now();
    const event: APIGatewayProxyEventV2 = buildHttpApiEvent(
      { method: routeCase.route.method, url: path, rawHeaders, body, sourceIp: '127.0.0.1', httpVersion: '1.1' },
      { routeKey: key, pathParameters: routeCase.pathParameters },
      now,
    );
    const context = buildLambdaContext({
      functionName,
      timeoutMs: RELAY_TIMEOUT.toMilliseconds(),
      memoryLimitInMB: functionMemoryMb(routeCase.route.id),
      startedAt: now,
    });
    return async () => ((await handler(event, context)) as APIGatewayProxyStructuredResultV2).statusCode ?? 0;
  };
}

function summarise(batches: readonly BatchResult[], requests: number): LatencySummary {
  return {
    p50Ms: round(median(batches.map((b) => quantile(b.latenciesMs, 0.5)))),
    p99Ms: round(median(batches.map((b) => quantile(b.latenciesMs, 0.99)))),
    rps: round(median(batches.map((b) => (requests / b.elapsedMs) * 1000)), 1),
  };
}

function compare(direct: readonly BatchResult[], relayed: readonly BatchResult[], requests: number): Comparison {
  const d = summarise(direct, requests);
  const r = summarise(relayed, requests);
  return { requests, direct: d, relayed: r, overheadP50Ms: round(r.p50Ms - d.p50Ms), throughputRatio: round(r.rps / d.rps) };
}

/** Both routes of one run as one batch: latencies pooled, time summed. */
function combined(perRoute: readonly BatchResult[]): BatchResult {
  return {
    latenciesMs: perRoute.flatMap((b) => b.latenciesMs),
    elapsedMs: perRoute.reduce((sum, b) => sum + b.elapsedMs, 0),
  };
}

const REGISTRY_SAMPLES = 200;

/** The registry work of one relayed item, timed alone (see `registryReadWriteP50Ms`). */
async function registryReadWriteMs(store: RegistryStore, resources: readonly DemoResource[]): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < REGISTRY_SAMPLES; i++) {
    const resource = resources[i % resources.length] as DemoResource;
    const startedAt = performance.now();
    const [item] = await store.listResource(CORP_A.corpId, resource.id);
    if (!item) throw new Error(`the relay did not record ${resource.id}`);
    const written = await store.replace(finishWrite(item, item, { now: Date.now() }), { version: item.version });
    samples.push(performance.now() - startedAt);
    if (!written) throw new Error(`registry write of ${resource.id} conflicted`);
  }
  return median(samples);
}

const ROUND_TRIP_REQUESTS = 10;
const MULTI_ITEM_COUNT = 10;

/**
 * Counts the DynamoDB requests `send` causes, by operation, through Node's `http.client.request.start` channel
 * (the AWS SDK sends over node:http; undici's upstream calls do not use it). Subscribed only here, outside the
 * timed runs.
 */
async function countRoundTrips(send: () => Promise<number>, requests: number, itemsPerRequest: number, dynamoPort: string): Promise<RegistryRoundTrips> {
  const byOperation: Record<string, number> = {};
  let total = 0;
  const onRequest = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    const host = String(request.getHeader('host') ?? '');
    if (!host.endsWith(`:${dynamoPort}`)) return;
    const operation = String(request.getHeader('x-amz-target') ?? 'unknown').replace(/^DynamoDB_\d+\./, '');
    byOperation[operation] = (byOperation[operation] ?? 0) + 1;
    total++;
  };
  subscribe('http.client.request.start', onRequest);
  try {
    for (let i = 0; i < requests; i++) {
      const status = await send();
      if (status !== 200) throw new Error(`round-trip count: request answered ${status}, expected 200`);
    }
  } finally {
    unsubscribe('http.client.request.start', onRequest);
  }
  return {
    requests,
    itemsPerRequest,
    perRequest: round(total / requests, 2),
    byOperation: Object.fromEntries(Object.entries(byOperation).map(([operation, count]) => [operation, round(count / requests, 2)])),
  };
}

interface RouteSenders {
  id: string;
  direct: Sender;
  relayed: Sender;
}

/** `runs` rounds of, for each route, a direct batch then a relayed batch; medians over the rounds. */
async function measure(
  senders: readonly RouteSenders[],
  requestsPerRoute: number,
  concurrency: number,
  runs: number,
  onRun: (run: number) => void,
): Promise<Comparison & { routes: Record<string, Comparison> }> {
  const direct = new Map<string, BatchResult[]>(senders.map((s) => [s.id, []]));
  const relayed = new Map<string, BatchResult[]>(senders.map((s) => [s.id, []]));
  for (let run = 1; run <= runs; run++) {
    for (const s of senders) {
      direct.get(s.id)?.push(await runBatch(requestsPerRoute, concurrency, s.direct));
      relayed.get(s.id)?.push(await runBatch(requestsPerRoute, concurrency, s.relayed));
    }
    onRun(run);
  }
  const routes: Record<string, Comparison> = {};
  for (const s of senders) routes[s.id] = compare(direct.get(s.id) ?? [], relayed.get(s.id) ?? [], requestsPerRoute);
  const perRun = (byRoute: Map<string, BatchResult[]>) =>
    Array.from({ length: runs }, (_, run) => combined([...byRoute.values()].map((batches) => batches[run] as BatchResult)));
  return { ...compare(perRun(direct), perRun(relayed), requestsPerRoute * senders.length), routes };
}

export async function runRelayOverhead(options: RelayOptions, log: (line: string) => void): Promise<RelayResult> {
  const simulator = await startServiceProcess({ service: 'simulator', latencyMs: options.upstreamLatencyMs });
  const dynamo = await startServiceProcess({ service: 'dynamo' });
  const pool = new Pool(simulator.url, { connections: options.concurrency });
  const registry = createRegistryDocumentClient({ endpoint: dynamo.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    // What the stack gives every function, pointed at the local services; set before the handlers load.
    process.env[ENV.huaweiBaseUrl] = simulator.url;
    process.env[ENV.registryTableName] = dynamo.tableName ?? '';
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.url;
    process.env.AWS_REGION = LOCAL_REGION;
    process.env.AWS_ACCESS_KEY_ID = LOCAL_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = LOCAL_CREDENTIALS.secretAccessKey;

    const spToken = await loginDemo.spAdmin(simulator.url);
    const resources = benchResources(options.concurrency);
    await addResourcesUpstream(pool, spToken, resources);
    const cases: RouteCase[] = [
      {
        route: MODIFY_VMR_ROUTE,
        pathParameters: { id: CORP_A.vmrId },
        token: await loginDemo.alice(simulator.url),
        bodies: resources.map(() => vmrBody()),
      },
      { route: MODIFY_RESOURCES_ROUTE, pathParameters: { corp_id: CORP_A.corpId }, token: spToken, bodies: resources.map(resourcesBody) },
    ];
    const senders: RouteSenders[] = await Promise.all(
      cases.map(async (c) => ({ id: c.route.id, direct: directSender(pool, c), relayed: relayedSender(await loadRouteHandler(c.route), c) })),
    );

    for (const s of senders) {
      await runBatch(options.warmupPerRoute, options.concurrency, s.direct);
      await runBatch(options.warmupPerRoute, options.concurrency, s.relayed);
    }
    const loaded = await measure(senders, options.requestsPerRoute, options.concurrency, options.runs, (run) =>
      log(`relay overhead (upstream ${options.upstreamLatencyMs} ms): run ${run}/${options.runs} at concurrency ${options.concurrency} done`),
    );
    const serial =
      options.serialRequestsPerRoute > 0
        ? await measure(senders, options.serialRequestsPerRoute, 1, options.runs, (run) =>
            log(`relay overhead: run ${run}/${options.runs} at concurrency 1 done`),
          )
        : undefined;

    const resourceCase = cases.find((c) => c.route.id === MODIFY_RESOURCES_ROUTE.id);
    const resourceSender = senders.find((sender) => sender.id === MODIFY_RESOURCES_ROUTE.id);
    const dynamoPort = new URL(dynamo.url).port;
    const registryRoundTrips: RegistryRoundTrips[] = [];
    if (resourceCase && resourceSender) {
      log('relay overhead: counting registry round trips of modify-resources (1 and 10 items per request)');
      registryRoundTrips.push(await countRoundTrips(() => resourceSender.relayed(0)(), ROUND_TRIP_REQUESTS, 1, dynamoPort));
      const multi = benchResources(MULTI_ITEM_COUNT).map((r) => ({ ...r, id: `${r.id}-multi` }));
      await addResourcesUpstream(pool, spToken, multi);
      const multiBody = JSON.stringify(multi.map((r) => ({ expireDate: r.expireDate, id: r.id, isDisabled: false, type: r.type })));
      const multiSender = relayedSender(await loadRouteHandler(MODIFY_RESOURCES_ROUTE), { ...resourceCase, bodies: [multiBody] });
      registryRoundTrips.push(await countRoundTrips(() => multiSender(0)(), ROUND_TRIP_REQUESTS, MULTI_ITEM_COUNT, dynamoPort));
    }

    const vmrSender = senders.find((sender) => sender.id === MODIFY_VMR_ROUTE.id);
    let warmPathProfile: RelayResult['warmPathProfile'];
    if (vmrSender && (options.profileCalls ?? 0) > 0) {
      const calls = options.profileCalls ?? 0;
      log(`relay overhead: CPU profile of ${calls} modify-vmr calls per side, concurrency 1`);
      const sequential = (sender: Sender) => async () => {
        const status = await sender(0)();
        if (status !== 200) throw new Error(`profiled request answered ${status}, expected 200`);
      };
      warmPathProfile = {
        route: MODIFY_VMR_ROUTE.id,
        relayed: await profileCalls(calls, sequential(vmrSender.relayed)),
        direct: await profileCalls(calls, sequential(vmrSender.direct)),
      };
    }

    const recorded = await registry.send(
      new QueryCommand({
        TableName: dynamo.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': ATTR.pk },
        ExpressionAttributeValues: { ':pk': corpPartitionKey(CORP_A.corpId) },
        Select: 'COUNT',
      }),
    );

    return {
      ...loaded,
      concurrency: options.concurrency,
      runs: options.runs,
      upstreamLatencyMs: options.upstreamLatencyMs,
      ...(serial === undefined ? {} : { serial: { ...serial, concurrency: 1 as const } }),
      resourceRouteRecordsRegistry: (recorded.Count ?? 0) > 0,
      registryReadWriteP50Ms: round(await registryReadWriteMs(new RegistryStore({ documentClient: registry, tableName: dynamo.tableName ?? '' }), resources)),
      registryRoundTrips,
      ...(warmPathProfile === undefined ? {} : { warmPathProfile }),
    };
  } finally {
    registry.destroy();
    await pool.close();
    await Promise.all([simulator.stop(), dynamo.stop()]);
  }
}
