/**
 * Lambda entry of the sync (EventBridge schedules: hourly `{"mode":"incremental"}`, daily `{"mode":"full"}` by
 * default). Thin: builds the dependencies once per cold start and runs one sync within the invocation's remaining
 * time. An event without `mode` (a manual invoke, a schedule without input) runs a full pass. The logMetrics
 * middleware publishes the sync's metrics as one EMF document.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { ENV } from '../shared/env.js';
import { requireEnv } from '../shared/env-values.js';
import { getSpApi } from '../shared/huawei/sp-api.js';
import { logger, metrics } from '../shared/observability.js';
import { createRegistryDocumentClient } from '../shared/registry/document-client.js';
import { RegistryStore } from '../shared/registry/store.js';
import { syncModeOf } from './changed-corps.js';
import type { SyncMode } from './changed-corps.js';
import { syncSettingsFromEnv } from './config.js';
import type { SyncConfig } from './config.js';
import type { SyncReport } from './report.js';
import { sync } from './sync.js';
import { SyncWatermark } from './watermark.js';

/** Kept back from the Lambda's remaining time so the last enterprise and the report finish before the timeout. */
export const SYNC_SAFETY_MARGIN_MS = 30_000;

/**
 * Built at cold start, like the relay's recorder: missing or bad configuration fails the function's init,
 * naming the variable, instead of its first sync.
 */
function buildDependencies(): { store: RegistryStore; watermark: SyncWatermark; settings: SyncConfig } {
  const tableName = requireEnv(process.env, ENV.registryTableName, 'must name the registry table');
  const documentClient = createRegistryDocumentClient();
  return {
    store: new RegistryStore({ documentClient, tableName }),
    watermark: new SyncWatermark({ documentClient, tableName }),
    settings: syncSettingsFromEnv(),
  };
}

const dependencies = buildDependencies();

export async function runSync(context: Pick<Context, 'getRemainingTimeInMillis'>, mode: SyncMode = 'full'): Promise<SyncReport> {
  const { store, watermark, settings } = dependencies;
  const remaining = context.getRemainingTimeInMillis();
  return sync({ store, watermark, mode, spApi: getSpApi(), config: settings, deadline: Date.now() + Math.max(0, remaining - SYNC_SAFETY_MARGIN_MS) });
}

export const handler = middy<unknown, SyncReport, Error, Context>()
  .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
  .use(logMetrics(metrics))
  .handler((event, context) => runSync(context, syncModeOf(event)));
