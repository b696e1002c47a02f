/**
 * `npm run load`: drives the local stack with autocannon for a set time, with valid traffic on both routes, and
 * reports throughput, latency p50/p99, errors and non-2xx answers per route, and the relay's memory (RSS, and
 * heap after a full GC) before, a few times during, and after. Exits 1 on any error or non-2xx answer.
 *
 *   npm run load -- --duration 60 --connections 10 [--resources 1000] [--logs] [--json report.json]
 *
 * Like `npm start`, but with each piece in its own process (this script forks itself): the Huawei simulator,
 * dynalite, and the relay (the API Gateway emulator over the real handler modules, configured through the
 * environment as a Lambda is). So the memory reported is the relay's alone, not the load generator's or the
 * stand-ins' for Huawei and DynamoDB, and the relay does not share its CPU with them.
 *
 * Traffic: a round-robin over the two routes. Each resource update renews a different resource of a pool added
 * upstream first, so concurrent requests never contend for one registry item (contention on one resource is a
 * race the tests cover, not load).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import autocannon from 'autocannon';
import { ENV } from '../functions/shared/env.js';
import { MAX_RESOURCE_ITEMS } from '../functions/shared/limits.js';
import { MODIFY_RESOURCES_ROUTE, MODIFY_VMR_ROUTE, fillPath } from '../functions/shared/routes.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamo.js';
import { CORP_A, SP_APP } from '../local/simulator/demo-data.js';
import { loginDemo } from '../local/simulator/demo-login.js';

interface LoadOptions {
  durationSeconds: number;
  connections: number;
  resources: number;
  logs: boolean;
  json: string | undefined;
}

interface MemorySample {
  atSeconds: number;
  rssMb: number;
  heapUsedMb: number;
}

interface RouteCounts {
  requests: number;
  byStatus: Record<string, number>;
}

interface LoadReport {
  durationSeconds: number;
  connections: number;
  requests: number;
  throughputPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  routes: Record<string, RouteCounts>;
  /** The relay process. */
  memory: MemorySample[];
  heapLevelledOff: boolean;
}

type ChildKind = 'simulator' | 'dynamo' | 'relay';

/** What a child reports when it is ready. */
interface ChildReady {
  url: string;
  tableName?: string;
}

type ChildRequest = { kind: 'memory' } | { kind: 'stop' };

const SAMPLES_DURING = 5;
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------------------------
// Child processes

/** Heap after a full GC, so that samples show what is retained rather than garbage not yet collected. */
function memoryNow(): { rssMb: number; heapUsedMb: number } {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  const usage = process.memoryUsage();
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return { rssMb: mb(usage.rss), heapUsedMb: mb(usage.heapUsed) };
}

async function startInThisProcess(kind: ChildKind): Promise<{ ready: ChildReady; stop: () => Promise<void> }> {
  if (kind === 'simulator') {
    const { startSimulator } = await import('../local/simulator/index.js');
    const simulator = await startSimulator({ port: 0 });
    return { ready: { url: simulator.url }, stop: () => simulator.stop() };
  }
  if (kind === 'dynamo') {
    const { startDynamo } = await import('../local/dynamo.js');
    const dynamo = await startDynamo({ port: 0 });
    return { ready: { url: dynamo.endpoint, tableName: dynamo.tableName }, stop: () => dynamo.stop() };
  }
  // The relay: the parent set the environment a deployed function would have; handlers load after that.
  const { startGateway } = await import('../local/gateway/index.js');
  const { resetHuaweiClient } = await import('../functions/shared/huawei/client.js');
  const gateway = await startGateway({ port: 0 });
  return {
    ready: { url: gateway.url },
    stop: async () => {
      await gateway.stop();
      await resetHuaweiClient();
    },
  };
}

async function runChild(kind: ChildKind): Promise<void> {
  const { ready, stop } = await startInThisProcess(kind);
  process.on('message', (message: ChildRequest) => {
    if (message.kind === 'memory') process.send?.({ memory: memoryNow() });
    else void stop().finally(() => process.exit(0));
  });
  process.once('disconnect', () => void stop().finally(() => process.exit(0)));
  process.send?.({ ready });
}

interface Child {
  ready: ChildReady;
  memory(): Promise<{ rssMb: number; heapUsedMb: number }>;
  stop(): Promise<void>;
}

function startChild(kind: ChildKind, env: NodeJS.ProcessEnv): Promise<Child> {
  // execArgv is inherited, so the child runs under tsx like this process.
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--child', kind], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: Record<string, unknown>) => {
        if (!(key in message)) return;
        child.off('message', onMessage);
        resolve(message[key] as T);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`${kind} process exited with ${code}`)));
    });
  return next<ChildReady>('ready').then((ready) => ({
    ready,
    memory: () => {
      const answer = next<{ rssMb: number; heapUsedMb: number }>('memory');
      child.send({ kind: 'memory' } satisfies ChildRequest);
      return answer;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.send({ kind: 'stop' } satisfies ChildRequest);
      }),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// The driver

function parseOptions(argv: string[]): LoadOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '60' },
      connections: { type: 'string', default: '10' },
      resources: { type: 'string', default: '1000' },
      logs: { type: 'boolean', default: false },
      json: { type: 'string' },
    },
    strict: true,
  });
  const positive = (name: string, raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number of 1 or more (got "${raw}")`);
    return value;
  };
  return {
    durationSeconds: positive('duration', values.duration),
    connections: positive('connections', values.connections),
    resources: positive('resources', values.resources),
    logs: values.logs,
    json: values.json,
  };
}

/** Adds `count` resources upstream (AddResource, 100 per call) with ids `load-00000`..., as an SP would have. */
async function addResourcePool(huaweiUrl: string, spToken: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `load-${String(i).padStart(5, '0')}`);
  for (let i = 0; i < ids.length; i += MAX_RESOURCE_ITEMS) {
    const body = ids.slice(i, i + MAX_RESOURCE_ITEMS).map((id) => ({ id, type: 'SOFT', count: 1, expireDate: Date.now() + 30 * DAY_MS }));
    const response = await fetch(`${huaweiUrl}${fillPath(MODIFY_RESOURCES_ROUTE.path, { corp_id: CORP_A.corpId })}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-access-token': spToken },
      body: JSON.stringify(body),
    });
    if (response.status !== 200) throw new Error(`adding resources upstream failed: HTTP ${response.status} ${await response.text()}`);
  }
  return ids;
}

/** Heap retained over the second half grew by less than a fifth of the first half's growth, or by under 5 MB. */
function levelledOff(samples: readonly MemorySample[]): boolean {
  const first = samples[0];
  const middle = samples[Math.floor(samples.length / 2)];
  const last = samples.at(-1);
  if (first === undefined || middle === undefined || last === undefined) return true;
  const late = last.heapUsedMb - middle.heapUsedMb;
  return late < 5 || late < (middle.heapUsedMb - first.heapUsedMb) / 5;
}

async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const children: Child[] = [];
  try {
    const quiet = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'WARN' };
    const [simulator, dynamo] = await Promise.all([startChild('simulator', quiet), startChild('dynamo', quiet)]);
    children.push(simulator, dynamo);
    const huaweiUrl = simulator.ready.url;
    const relay = await startChild('relay', {
      ...quiet,
      // Without --logs the run measures the relay, not console output.
      POWERTOOLS_LOG_LEVEL: options.logs ? 'INFO' : 'WARN',
      [ENV.huaweiBaseUrl]: huaweiUrl,
      [ENV.registryTableName]: dynamo.ready.tableName,
      [ENV.spCredentials]: JSON.stringify({ type: 'appId', appId: SP_APP.appId, appKey: SP_APP.appKey }),
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.ready.url,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    });
    children.push(relay);

    const [spToken, aliceToken] = await Promise.all([loginDemo.spAdmin(huaweiUrl), loginDemo.alice(huaweiUrl)]);
    const pool = await addResourcePool(huaweiUrl, spToken, options.resources);

    let next = 0;
    const routes: Record<string, RouteCounts> = {
      [MODIFY_VMR_ROUTE.id]: { requests: 0, byStatus: {} },
      [MODIFY_RESOURCES_ROUTE.id]: { requests: 0, byStatus: {} },
    };
    const count = (routeId: string) => (status: number) => {
      const counts = routes[routeId] as RouteCounts;
      counts.requests += 1;
      counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
    };
    const startedAt = Date.now();
    const sample = async (): Promise<MemorySample> => ({ atSeconds: Math.round((Date.now() - startedAt) / 100) / 10, ...(await relay.memory()) });
    const memory: MemorySample[] = [await sample()];

    const cannon = autocannon({
      url: relay.ready.url,
      connections: options.connections,
      duration: options.durationSeconds,
      requests: [
        {
          method: 'PUT',
          path: fillPath(MODIFY_VMR_ROUTE.path, { id: CORP_A.vmrId }),
          headers: { 'content-type': 'application/json', 'x-access-token': aliceToken },
          setupRequest: (request) => ({ ...request, body: JSON.stringify({ vmrName: `Load ${next++}`, allowGustFirst: next % 2 === 0 }) }),
          onResponse: count(MODIFY_VMR_ROUTE.id),
        },
        {
          method: 'PUT',
          path: fillPath(MODIFY_RESOURCES_ROUTE.path, { corp_id: CORP_A.corpId }),
          headers: { 'content-type': 'application/json', 'x-access-token': spToken },
          setupRequest: (request) => {
            const id = pool[next++ % pool.length] as string;
            return { ...request, body: JSON.stringify([{ id, type: 'SOFT', expireDate: Date.now() + 30 * DAY_MS + next }]) };
          },
          onResponse: count(MODIFY_RESOURCES_ROUTE.id),
        },
      ],
    });
    const sampler = setInterval(() => void sample().then((s) => memory.push(s)), (options.durationSeconds * 1000) / (SAMPLES_DURING + 1));
    const result = await cannon;
    clearInterval(sampler);
    memory.push(await sample());

    return {
      durationSeconds: options.durationSeconds,
      connections: options.connections,
      requests: result.requests.total,
      throughputPerSecond: Math.round(result.requests.average),
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      routes,
      memory,
      heapLevelledOff: levelledOff(memory),
    };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}

function passed(report: LoadReport): boolean {
  return report.requests > 0 && report.errors === 0 && report.non2xx === 0;
}

function print(report: LoadReport): void {
  const lines = [
    '',
    `load: ${report.durationSeconds} s, ${report.connections} connections, both routes`,
    `  requests          ${report.requests} (${report.throughputPerSecond}/s)`,
    `  latency           p50 ${report.latencyMs.p50} ms, p99 ${report.latencyMs.p99} ms, max ${report.latencyMs.max} ms`,
    `  errors            ${report.errors} (timeouts ${report.timeouts}), non-2xx ${report.non2xx}`,
    ...Object.entries(report.routes).map(
      ([route, counts]) => `  ${route.padEnd(17)} ${counts.requests} answers: ${Object.entries(counts.byStatus).map(([status, n]) => `${status} x${n}`).join(', ')}`,
    ),
    '  relay process memory (heap after a full GC):',
    ...report.memory.map((m) => `    ${String(m.atSeconds).padStart(6)} s   rss ${m.rssMb} MB   heap ${m.heapUsedMb} MB`),
    `  heap levelled off: ${report.heapLevelledOff ? 'yes' : 'NO'}`,
    `result: ${passed(report) ? 'PASS' : 'FAIL'} (errors ${report.errors}, non-2xx ${report.non2xx})`,
  ];
  console.log(lines.join('\n'));
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    await runChild(argv[1] as ChildKind);
    return;
  }
  let options: LoadOptions;
  try {
    options = parseOptions(argv);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  const report = await runLoad(options);
  print(report);
  if (options.json !== undefined) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  process.exit(passed(report) ? 0 : 1);
}

await main(process.argv.slice(2));
