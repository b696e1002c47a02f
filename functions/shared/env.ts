/**
 * Every environment variable the functions read, in one place: the handlers' config parsers, the CDK stack
 * (which sets them) and the local runtime (which defaults them) all refer to these names. The local runtime's
 * own variables are in local/env.ts, the benchmarks' in bench/env.ts; the README's configuration table is
 * checked against all three by a test. Values are parsed by env-values.ts.
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
  /** Powertools: service name on every log line and metric (set per function by the stack). */
  powertoolsServiceName: 'POWERTOOLS_SERVICE_NAME',
  /** Powertools: CloudWatch namespace of the EMF metrics. */
  powertoolsMetricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
