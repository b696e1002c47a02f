/**
 * Lambda entry of the sync (EventBridge schedule, hourly by default). Thin: builds the dependencies once per
 * cold start and runs one sync within the invocation's remaining time. The logMetrics middleware publishes the
 * sync's metrics as one EMF document.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { ENV } from './shared/env.js';
import { getSpApi } from './shared/huawei/sp-api.js';
import { logger, metrics } from './shared/observability.js';
import { createRegistryDocumentClient } from './shared/registry/document-client.js';
import { RegistryStore } from './shared/registry/store.js';
import { syncSettingsFromEnv } from './sync/config.js';
import type { SyncConfig } from './sync/config.js';
import type { SyncReport } from './sync/report.js';
import { sync } from './sync/sync.js';

/** Kept back from the Lambda's remaining time so the last enterprise and the report finish before the timeout. */
export const SYNC_SAFETY_MARGIN_MS = 30_000;

let dependencies: { store: RegistryStore; settings: SyncConfig } | undefined;

/** Module-scope, built on first use so that a configuration error names the variable at the first invocation. */
function getDependencies(): { store: RegistryStore; settings: SyncConfig } {
  if (dependencies) return dependencies;
  const tableName = process.env[ENV.registryTableName];
  if (!tableName) throw new Error(`${ENV.registryTableName} must name the registry table`);
  dependencies = {
    store: new RegistryStore({ documentClient: createRegistryDocumentClient(), tableName }),
    settings: syncSettingsFromEnv(),
  };
  return dependencies;
}

export async function runSync(context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SyncReport> {
  const { store, settings } = getDependencies();
  const remaining = context.getRemainingTimeInMillis();
  return sync({ store, spApi: getSpApi(), config: settings, deadline: Date.now() + Math.max(0, remaining - SYNC_SAFETY_MARGIN_MS) });
}

export const handler = middy<unknown, SyncReport, Error, Context>()
  .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
  .use(logMetrics(metrics))
  .handler((_event, context) => runSync(context));
