/**
 * Every environment variable the product reads, in one place: the handlers' config parsers, the CDK stack
 * (which sets them) and the local runtime (which defaults them) all refer to these names, and the README's
 * configuration table is checked against this list by a test.
 */
export const ENV = {
  /** Huawei Cloud Meeting API origin. The only source of the upstream host. */
  huaweiBaseUrl: 'HUAWEI_MEETING_BASE_URL',
  /** DynamoDB table holding the resource registry and the sweeper's lease. */
  registryTableName: 'REGISTRY_TABLE_NAME',
  /** ARN of the Secrets Manager secret holding the SP credentials JSON (deployed). */
  spCredentialsSecretArn: 'SP_CREDENTIALS_SECRET_ARN',
  /** SP credentials JSON given directly (local runtime and tests only). */
  spCredentials: 'SP_CREDENTIALS',
  /** Seconds before a token's expireTime at which it is renewed. */
  tokenRenewMarginSeconds: 'TOKEN_RENEW_MARGIN_SECONDS',
  /** "true" to have the relay re-enable a resource the sweeper disabled for expiry when it is renewed. */
  renewalReenable: 'RENEWAL_REENABLE',
  /** "true" to make the sweeper report what it would disable without writing anything. */
  sweepDryRun: 'SWEEP_DRY_RUN',
  /** Number of sweeps an item may be rejected by Huawei before it is marked failed. */
  sweepMaxRejections: 'SWEEP_MAX_REJECTIONS',
  /** Enterprises processed in parallel by one sweep. */
  sweepConcurrency: 'SWEEP_CONCURRENCY',
  /** Comma-separated enterprise ids the sync is limited to; empty = every enterprise of the SP. */
  syncCorpIds: 'SYNC_CORP_IDS',
  /** "true" to make the sync report what it would adopt and repair without writing or pushing anything. */
  syncDryRun: 'SYNC_DRY_RUN',
  /** Days ahead an expiry is announced in an expiry notice (1 to 31, default 7). */
  expiryNoticeDays: 'EXPIRY_NOTICE_DAYS',
  /** Name of the EventBridge bus the expiry notices go to (deployed; the stack sets it). */
  noticeBusName: 'NOTICE_BUS_NAME',
  /** Local runtime: seconds between scheduled sweeps. */
  sweepIntervalSeconds: 'SWEEP_INTERVAL_SECONDS',
  /** Local runtime: port of the API Gateway emulator. */
  port: 'PORT',
  /** Local runtime: "false" to drop the passthrough of Huawei's other paths (the CDK context `passthrough`). */
  relayPassthrough: 'RELAY_PASSTHROUGH',
  /** Local runtime: port of the relay's opt-in https listener (self-signed certificate made at start). */
  httpsPort: 'HTTPS_PORT',
  /** Local runtime: port of the Huawei simulator. */
  simulatorPort: 'SIMULATOR_PORT',
  /** Simulator: latency added to every request, in ms (benchmarks). */
  simulatorLatencyMs: 'SIMULATOR_LATENCY_MS',
  /** Simulator: lifetime of issued tokens, in seconds. */
  simulatorTokenTtlSeconds: 'SIMULATOR_TOKEN_TTL_SECONDS',
  /** Powertools: service name on every log line and metric (set per function by the stack). */
  powertoolsServiceName: 'POWERTOOLS_SERVICE_NAME',
  /** Powertools: CloudWatch namespace of the EMF metrics. */
  powertoolsMetricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  /** Benchmarks: where `npm run bench` writes its JSON report (default bench/results/latest.json). */
  benchOut: 'BENCH_OUT',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
