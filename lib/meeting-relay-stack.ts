import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { constructIdOf } from './construct-id.js';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { ENV } from '../functions/shared/env.js';
import { RELAY_FUNCTION_TIMEOUT_MS } from '../functions/shared/limits.js';
import { REGISTRY_TABLE } from '../functions/shared/registry/table.js';
import type { SweepReport } from '../functions/sweep/report.js';
import {
  HTTP_ROUTES,
  MODIFY_RESOURCES_ROUTE,
  MODIFY_VMR_ROUTE,
  NO_ROUTE,
  PASSTHROUGH_PREFIXES,
  REGISTRY_API_FUNCTION_ID,
  REGISTRY_ROUTES,
  type HttpRoute,
} from '../functions/shared/routes.js';
import type { StackConfig } from './config.js';
import { RegistryTable } from './constructs/registry-table.js';
import { ExpiryNotices } from './constructs/expiry-notices.js';
import { RelayDashboard } from './constructs/relay-dashboard.js';
import { ALARM_PERIOD, RelayAlarms } from './constructs/relay-alarms.js';
import { RelayApi, type RelayRouteBinding } from './constructs/relay-api.js';
import { RelayFunction, functionMemoryMb, type TableAccess } from './constructs/relay-function.js';
import { spCredentialsSecret } from './constructs/sp-credentials-secret.js';
import { RegistrySync } from './constructs/registry-sync.js';
import { Sweeper } from './constructs/sweeper.js';
import { projectPath } from './paths.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../functions/shared/service-identity.js';

/**
 * Below API Gateway's 30 s integration limit with room to spare: the relay's own deadline
 * (min of RELAY_DEADLINE_MS and the Lambda's remaining time less its safety margin) fits inside, so the relay
 * answers 504 itself instead of API Gateway cutting the connection.
 */
export const RELAY_TIMEOUT = Duration.millis(RELAY_FUNCTION_TIMEOUT_MS);

export const SWEEPER_ENTRY = { entry: 'functions/sweep/handler.ts', handlerExport: 'handler' } as const;
export const SYNC_ENTRY = { entry: 'functions/sync/handler.ts', handlerExport: 'handler' } as const;
export const NOTICES_ENTRY = { entry: 'functions/notices/handler.ts', handlerExport: 'handler' } as const;
/** The metric the notices job publishes per run (functions/notices/handler.ts). */
export const NOTICES_SENT_METRIC = 'noticesSent';

/** The `$default` route's function builds one small JSON answer: the smallest memory and a short timeout do. */
export const NO_ROUTE_MEMORY_MB = functionMemoryMb(NO_ROUTE.id);
export const NO_ROUTE_TIMEOUT = Duration.seconds(3);

export const SERVICE_NAME_PREFIX = SERVICE_NAME;
export const SWEEPER_SERVICE_NAME = `${SERVICE_NAME_PREFIX}-sweeper`;
export const SYNC_SERVICE_NAME = `${SERVICE_NAME_PREFIX}-sync`;
export const NOTICES_SERVICE_NAME = `${SERVICE_NAME_PREFIX}-notices`;
/**
 * The sweeper publishes each count of its report as a metric named after the report field
 * (functions/sweep/report.ts, addSweepMetrics); `failed` counts items it gave up on this sweep.
 */
export const SWEEPER_FAILED_METRIC = 'failed' satisfies keyof SweepReport;

/** What a route's function needs beyond calling Huawei with the caller's token. */
export interface RouteNeeds {
  registry: TableAccess | 'none';
  /** Whether the handler reads the renewal re-enable switch (RENEWAL_REENABLE). */
  renewalReenable: boolean;
}

/**
 * Per route id. A route missing here fails the synth, so a new route cannot ship with permissions nobody decided on.
 */
export const ROUTE_NEEDS: Readonly<Record<string, RouteNeeds>> = {
  // Relays and stores nothing.
  [MODIFY_VMR_ROUTE.id]: { registry: 'none', renewalReenable: false },
  // Reads the registry for renewal re-enables and records every accepted item.
  [MODIFY_RESOURCES_ROUTE.id]: { registry: 'readWrite', renewalReenable: true },
};

export interface MeetingRelayStackProps extends StackProps {
  config: StackConfig;
}

/** One stack: the HTTP relay, the registry table, the expiry sweeper, the sync, the SP credentials secret and the alarms. */
export class MeetingRelayStack extends Stack {
  readonly registry: RegistryTable;
  readonly api: RelayApi;
  readonly routeFunctions: ReadonlyMap<string, RelayFunction>;
  readonly noRouteFunction: RelayFunction;
  /** Serves every route of REGISTRY_ROUTES: reads the table and its due index, nothing else. */
  readonly registryApiFunction: RelayFunction;
  readonly sweeper: Sweeper;
  readonly sync: RegistrySync;
  readonly alarms: RelayAlarms;
  readonly notices: ExpiryNotices;
  readonly dashboard: RelayDashboard;

  constructor(scope: Construct, id: string, props: MeetingRelayStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.registry = new RegistryTable(this, 'Registry', { definition: REGISTRY_TABLE });
    const secret = spCredentialsSecret(this, 'SpCredentials', config.spCredentialsSecretArn);

    // Every function calls Huawei and publishes Powertools metrics (the variable name is Powertools' own).
    const sharedEnvironment = { [ENV.huaweiBaseUrl]: config.huaweiBaseUrl, [ENV.powertoolsMetricsNamespace]: METRICS_NAMESPACE };

    const routeFunctions = new Map<string, RelayFunction>();
    const bindings: RelayRouteBinding[] = HTTP_ROUTES.map((route) => {
      const fn = this.routeFunction(route, config, sharedEnvironment);
      routeFunctions.set(route.id, fn);
      return { id: constructIdOf(route.id), method: route.method, path: route.path, handler: fn };
    });
    this.routeFunctions = routeFunctions;

    // Reads nothing and calls nothing: no table, no secret, no upstream URL.
    this.noRouteFunction = new RelayFunction(this, constructIdOf(NO_ROUTE.id), {
      entry: projectPath(NO_ROUTE.entry),
      handlerExport: NO_ROUTE.handlerExport,
      description: `meeting-relay $default: ${NO_ROUTE.description}`,
      serviceName: `${SERVICE_NAME_PREFIX}-${NO_ROUTE.id}`,
      memorySize: NO_ROUTE_MEMORY_MB,
      timeout: NO_ROUTE_TIMEOUT,
      logRetention: config.logRetentionDays,
    });

    const [firstRegistryRoute] = REGISTRY_ROUTES;
    if (firstRegistryRoute === undefined) throw new Error('REGISTRY_ROUTES is empty');
    this.registryApiFunction = new RelayFunction(this, constructIdOf(REGISTRY_API_FUNCTION_ID), {
      entry: projectPath(firstRegistryRoute.entry),
      handlerExport: firstRegistryRoute.handlerExport,
      description: 'meeting-relay registry read API (operators, IAM-authorized): resources, expiring window, history',
      serviceName: `${SERVICE_NAME_PREFIX}-${REGISTRY_API_FUNCTION_ID}`,
      memorySize: functionMemoryMb(REGISTRY_API_FUNCTION_ID),
      timeout: RELAY_TIMEOUT,
      logRetention: config.logRetentionDays,
    });
    this.registryApiFunction.bindTable({ table: this.registry, access: 'read', indexNames: [this.registry.dueIndexName] });

    this.api = new RelayApi(this, 'Api', {
      routes: bindings,
      operatorRoutes: REGISTRY_ROUTES.map((route) => ({
        id: constructIdOf(route.id),
        method: route.method,
        path: route.path,
        handler: this.registryApiFunction,
      })),
      ...(config.passthrough ? { passthrough: { origin: config.huaweiBaseUrl, prefixes: PASSTHROUGH_PREFIXES } } : {}),
      defaultHandler: this.noRouteFunction,
      authorizationMode: config.authorizationMode,
      throttle: { rateLimit: config.throttlingRateLimit, burstLimit: config.throttlingBurstLimit },
      logRetention: config.logRetentionDays,
    });

    /** What the SP-calling jobs share: their entry, schedule, logs, table and secret, and their dry-run switch. */
    const jobProps = (job: { entry: string; handlerExport: string }, serviceName: string, schedule: string, dryRun: Record<string, string>) => ({
      entry: projectPath(job.entry),
      handlerExport: job.handlerExport,
      serviceName,
      schedule,
      logRetention: config.logRetentionDays,
      environment: { ...sharedEnvironment, ...dryRun },
      table: this.registry,
      secret,
    });
    this.sweeper = new Sweeper(this, 'Sweeper', jobProps(SWEEPER_ENTRY, SWEEPER_SERVICE_NAME, config.sweepSchedule, { [ENV.sweepDryRun]: String(config.sweepDryRun) }));
    const syncSettings = {
      [ENV.syncDryRun]: String(config.syncDryRun),
      ...(config.syncCorpIds.length > 0 ? { [ENV.syncCorpIds]: config.syncCorpIds.join(',') } : {}),
    };
    this.sync = new RegistrySync(this, 'Sync', {
      ...jobProps(SYNC_ENTRY, SYNC_SERVICE_NAME, config.syncSchedule, syncSettings),
      fullSchedule: config.syncFullSchedule,
    });

    this.alarms = new RelayAlarms(this, 'Alarms', {
      sweeper: this.sweeper.function,
      sync: this.sync.function,
      syncFailureQueue: this.sync.failureQueue,
      failedItemsMetric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: SWEEPER_FAILED_METRIC,
        dimensionsMap: { service: SWEEPER_SERVICE_NAME },
        statistic: 'Sum',
        period: ALARM_PERIOD,
      }),
      httpApi: this.api.httpApi,
      failureQueue: this.sweeper.failureQueue,
      alarmEmail: config.alarmEmail,
    });

    this.notices = new ExpiryNotices(this, 'Notices', {
      entry: projectPath(NOTICES_ENTRY.entry),
      handlerExport: NOTICES_ENTRY.handlerExport,
      serviceName: NOTICES_SERVICE_NAME,
      logRetention: config.logRetentionDays,
      environment: { [ENV.powertoolsMetricsNamespace]: METRICS_NAMESPACE },
      table: this.registry,
      expiryNoticeDays: config.expiryNoticeDays,
    });

    this.dashboard = new RelayDashboard(this, 'Dashboard', {
      httpApi: this.api.httpApi,
      routes: [...HTTP_ROUTES, ...REGISTRY_ROUTES],
      sweeperService: SWEEPER_SERVICE_NAME,
      syncService: SYNC_SERVICE_NAME,
      noticesService: NOTICES_SERVICE_NAME,
      noticesSentMetric: NOTICES_SENT_METRIC,
      alarms: [
        this.alarms.sweeperErrors,
        this.alarms.failedItems,
        this.alarms.relay5xxRate,
        this.alarms.failureQueueDepth,
        this.alarms.syncErrors,
        this.alarms.syncFailureQueueDepth,
      ],
    });

    new CfnOutput(this, 'NoticeBusName', { description: 'EventBridge bus of the expiry notices', value: this.notices.bus.eventBusName });
    new CfnOutput(this, 'ApiUrl', { description: 'Base URL of the relay (paths mirror Huawei\'s)', value: this.api.stage.url });
    new CfnOutput(this, 'RegistryTableName', { description: 'DynamoDB registry table', value: this.registry.tableName });
    new CfnOutput(this, 'SpCredentialsSecretArn', {
      description: 'Secret holding the SP credentials JSON (set it with put-secret-value)',
      value: secret.secretArn,
    });
  }

  private routeFunction(route: HttpRoute, config: StackConfig, sharedEnvironment: Record<string, string>): RelayFunction {
    const needs = ROUTE_NEEDS[route.id];
    if (needs === undefined) {
      throw new Error(`Route ${route.id} has no entry in ROUTE_NEEDS (lib/meeting-relay-stack.ts): decide what it may access`);
    }
    const fn = new RelayFunction(this, constructIdOf(route.id), {
      entry: projectPath(route.entry),
      handlerExport: route.handlerExport,
      // Lambda allows 256 characters.
      description: `meeting-relay ${route.method} ${route.path}: ${route.description}`.slice(0, 256),
      serviceName: `${SERVICE_NAME_PREFIX}-${route.id}`,
      memorySize: functionMemoryMb(route.id),
      timeout: RELAY_TIMEOUT,
      logRetention: config.logRetentionDays,
      environment: sharedEnvironment,
    });
    if (needs.registry !== 'none') fn.bindTable({ table: this.registry, access: needs.registry });
    if (needs.renewalReenable) fn.addEnvironment(ENV.renewalReenable, String(config.renewalReenable));
    return fn;
  }
}
