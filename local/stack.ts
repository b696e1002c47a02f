/**
 * The whole product on one machine, as one function: `npm start` (local/start.ts) runs it, and tests start the
 * very same stack on port 0. In order:
 *
 * 1. the Huawei simulator (unless HUAWEI_MEETING_BASE_URL points elsewhere), with SP_CREDENTIALS defaulting to
 *    the simulator's demo SP App ID;
 * 2. embedded DynamoDB (dynalite) with the registry table;
 * 3. one sync (the real `sync()`): every resource Huawei holds is adopted into the registry, so the first sweep
 *    enforces the demo fleet's expired resources;
 * 4. the sweeper: the real `sweep()` over the registry and the SP API, every SWEEP_INTERVAL_SECONDS;
 * 5. the API Gateway emulator over the real handlers, plus the local-only `POST /_local/sweep` and
 *    `POST /_local/sync`; like the deployed API it passes Huawei's other paths through to the Huawei origin
 *    (unless RELAY_PASSTHROUGH=false) and answers the rest with the `$default` route's function; with
 *    HTTPS_PORT set it also listens on https with a self-signed certificate made at start.
 *
 * The handlers are configured the way Lambda configures them, through process.env, so there is one stack per
 * process. Each piece is a `StartedService`, stopped in reverse order.
 */
import { LOCAL_ENV } from './env.js';
import { ENV } from '../functions/shared/env.js';
import { getSpApi } from '../functions/shared/huawei/sp-api.js';
import { parseHuaweiBaseUrl } from '../functions/shared/huawei/config.js';
import { resetHuaweiClient } from '../functions/shared/huawei/client.js';
import { SweepLease } from '../functions/shared/registry/lease.js';
import { RegistryStore } from '../functions/shared/registry/store.js';
import { sweepSettingsFromEnv } from '../functions/sweep/config.js';
import { DEFAULT_GATEWAY_PORT, startGateway } from './gateway/index.js';
import { startDynamo, LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamo.js';
import type { RunningDynamo } from './dynamo.js';
import { LocalSweeper } from './local-sweeper.js';
import { SP_APP } from './simulator/demo-data.js';
import { DEFAULT_SIMULATOR_PORT, simulatorOptionsFromEnv, startSimulator } from './simulator/index.js';
import { readHttpsPort, readPassthrough, readPort, readSweepInterval } from './settings.js';
import { makeLocalCertificate } from './tls.js';
import { localSweepRoute, localSyncRoute } from './job-routes.js';
import { LocalSync } from './local-sync.js';
import { localOpenApiRoute } from './openapi-endpoint.js';
import { LocalNotices } from './local-notices.js';
import { expiryNoticeDaysFromEnv } from '../functions/notices/config.js';
import { LOCAL_SYNC_METHOD, LOCAL_SYNC_PATH } from './settings.js';
import { syncSettingsFromEnv } from '../functions/sync/config.js';
import type { SyncReport } from '../functions/sync/report.js';
import { SyncWatermark } from '../functions/sync/watermark.js';

export interface StartedService {
  name: string;
  /** Shown in the ready banner (a URL, or what the service does); absent for internal pieces. */
  detail?: string;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Gateway port; default PORT, else 3000. 0 picks a free port. */
  port?: number;
  /** Simulator port; default SIMULATOR_PORT, else 3001. Ignored when HUAWEI_MEETING_BASE_URL is set. */
  simulatorPort?: number;
  /** Pass Huawei's other paths through to the Huawei origin; default RELAY_PASSTHROUGH, else true. */
  passthrough?: boolean;
  /** Port of the https listener; default HTTPS_PORT, else none. 0 picks a free port. */
  httpsPort?: number;
  /** Default SWEEP_INTERVAL_SECONDS, else 60. 0: no timer, sweeps only on `POST /_local/sweep`. */
  sweepIntervalSeconds?: number;
  /** Run one sync before the sweeper starts (default true; tests that count registry items turn it off). */
  syncAtStart?: boolean;
  /** Gateway access log, one line per request. */
  onRequest?: (line: string) => void;
  /** The sweeper's own lines (errors, abandoned sweeps). */
  log?: (line: string) => void;
}

export interface LocalStack {
  /** The relay (API Gateway emulator). */
  gatewayUrl: string;
  gatewayPort: number;
  /** The relay's https listener (self-signed), when it runs. */
  gatewayHttpsUrl: string | undefined;
  /** Whether Huawei's other paths pass through. */
  passthrough: boolean;
  /** The Huawei API the relay and the sweeper call: the embedded simulator or HUAWEI_MEETING_BASE_URL. */
  huaweiBaseUrl: string;
  /** Set when the embedded simulator runs. */
  simulatorUrl: string | undefined;
  dynamo: RunningDynamo;
  sweeper: LocalSweeper;
  sync: LocalSync;
  /** Expiry notices: run at start and on POST /_local/notices; events kept for GET /_local/events. */
  notices: LocalNotices;
  /** The report of the sync run at start (undefined when turned off). */
  startSync: SyncReport | undefined;
  services: readonly StartedService[];
  /** Stops everything in reverse order; a failing piece does not keep the others running. */
  stop(): Promise<void>;
}

function setDefault(name: string, value: string): void {
  if (process.env[name] === undefined || process.env[name] === '') process.env[name] = value;
}

/**
 * Points this process's AWS SDK (and so the handlers' registry client) at an embedded dynalite and names its
 * table, as the CDK stack's environment does for a deployed function.
 */
export function bindRegistryEnvironment(dynamo: Pick<RunningDynamo, 'endpoint' | 'tableName'>): void {
  process.env[ENV.registryTableName] = dynamo.tableName;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  // The SDK reads these; they keep it from looking for real credentials or a region.
  setDefault('AWS_REGION', LOCAL_REGION);
  setDefault('AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId);
  setDefault('AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey);
}

async function stopAll(services: readonly StartedService[], log: (line: string) => void): Promise<void> {
  for (const service of [...services].reverse()) {
    try {
      await service.stop();
    } catch (error) {
      log(`stopping ${service.name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const services: StartedService[] = [];
  try {
    return await startServices(options, services, log);
  } catch (error) {
    await stopAll(services, (line) => console.error(line));
    throw error;
  }
}

async function startServices(options: LocalStackOptions, services: StartedService[], log: (line: string) => void): Promise<LocalStack> {
  // Read every setting first: a typo fails the start before anything listens.
  const gatewayPort = options.port ?? readPort(LOCAL_ENV.port, DEFAULT_GATEWAY_PORT);
  const sweepIntervalSeconds = options.sweepIntervalSeconds ?? readSweepInterval();
  const sweepSettings = sweepSettingsFromEnv();
  const passthrough = options.passthrough ?? readPassthrough();
  const httpsPort = options.httpsPort ?? readHttpsPort();
  const syncSettings = syncSettingsFromEnv();

  let simulatorUrl: string | undefined;
  const externalBaseUrl = process.env[ENV.huaweiBaseUrl]?.trim();
  if (externalBaseUrl === undefined || externalBaseUrl === '') {
    const simulator = await startSimulator({
      ...simulatorOptionsFromEnv(),
      port: options.simulatorPort ?? readPort(LOCAL_ENV.simulatorPort, DEFAULT_SIMULATOR_PORT),
    });
    services.push({ name: 'Huawei simulator', detail: simulator.url, stop: () => simulator.stop() });
    simulatorUrl = simulator.url;
    process.env[ENV.huaweiBaseUrl] = simulator.url;
    // The sweeper logs in as the simulator's demo SP unless told otherwise (docs/auth.md).
    setDefault(ENV.spCredentials, JSON.stringify({ type: 'appId', appId: SP_APP.appId, appKey: SP_APP.appKey }));
  } else {
    // Fail now, not on the first request.
    services.push({ name: 'Huawei API (external)', detail: parseHuaweiBaseUrl(externalBaseUrl), stop: async () => {} });
  }
  const huaweiBaseUrl = process.env[ENV.huaweiBaseUrl] ?? '';
  // Shared by the handlers and the sweeper's SP API; closed after both have stopped.
  services.push({ name: 'Huawei client', stop: () => resetHuaweiClient() });

  const dynamo = await startDynamo({ tableName: process.env[ENV.registryTableName] || undefined });
  services.push({ name: 'DynamoDB (dynalite)', detail: dynamo.endpoint, stop: () => dynamo.stop() });
  bindRegistryEnvironment(dynamo);

  const { documentClient } = dynamo;
  const store = new RegistryStore({ documentClient, tableName: dynamo.tableName });
  const watermark = new SyncWatermark({ documentClient, tableName: dynamo.tableName });
  const localSync = new LocalSync({ store, watermark, spApi: getSpApi(), settings: syncSettings });
  services.push({ name: 'Sync', detail: `at start and on ${LOCAL_SYNC_METHOD} ${LOCAL_SYNC_PATH}`, stop: () => localSync.stop() });
  let startSync: SyncReport | undefined;
  if (options.syncAtStart ?? true) {
    try {
      startSync = await localSync.runNow();
    } catch (error) {
      // Not fatal: the relay and the sweeper work without it; `npm run sync` tries again.
      log(`[sync] the sync at start failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  }
  if (startSync) {
    log(
      `[sync] ${startSync.status}: ${startSync.enterprises} enterprises, ${startSync.resourcesSeen} resources seen, ` +
        `${startSync.adopted} adopted, ${startSync.repaired} repaired, ${startSync.gone} gone` +
        (startSync.problems.length ? ` (problems: ${startSync.problems.join('; ')})` : ''),
    );
  }
  const sweeper = new LocalSweeper({
    // As the sweeper function builds it (functions/sweep/handler.ts); the sync's store writes history one entry at a time.
    store: new RegistryStore({ documentClient, tableName: dynamo.tableName, batchHistory: true }),
    lease: new SweepLease({ documentClient, tableName: dynamo.tableName }),
    spApi: getSpApi(),
    settings: sweepSettings,
    intervalSeconds: sweepIntervalSeconds,
    log,
  });
  sweeper.start();
  services.push({
    name: 'Sweeper',
    detail: sweepIntervalSeconds > 0 ? `every ${sweepIntervalSeconds} s` : `no timer (${LOCAL_ENV.sweepIntervalSeconds}=0)`,
    stop: async () => {
      await sweeper.stop();
    },
  });

  const notices = new LocalNotices({ store, documentClient, noticeDays: expiryNoticeDaysFromEnv(), log });
  try {
    await notices.runNow();
  } catch (error) {
    log(`[notices] the run at start failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  const certificate = httpsPort === undefined ? undefined : await makeLocalCertificate();
  const gateway = await startGateway({
    port: gatewayPort,
    extraRoutes: [localSweepRoute(sweeper), localSyncRoute(localSync), localOpenApiRoute(), ...notices.routes()],
    defaultRoute: true,
    ...(passthrough ? { passthroughOrigin: huaweiBaseUrl } : {}),
    ...(certificate === undefined ? {} : { https: { port: httpsPort ?? 0, key: certificate.key, cert: certificate.cert } }),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  });
  services.push({ name: 'Relay (API Gateway emulator)', detail: gateway.url, stop: () => gateway.stop() });
  if (gateway.httpsUrl !== undefined && certificate !== undefined) {
    services.push({ name: 'Relay, https (self-signed)', detail: `${gateway.httpsUrl}  (SHA-1 ${certificate.fingerprint})`, stop: async () => {} });
  }

  return {
    gatewayUrl: gateway.url,
    gatewayPort: gateway.port,
    gatewayHttpsUrl: gateway.httpsUrl,
    passthrough,
    huaweiBaseUrl,
    simulatorUrl,
    dynamo,
    sweeper,
    sync: localSync,
    notices,
    startSync,
    services,
    stop: () => stopAll(services, log),
  };
}
