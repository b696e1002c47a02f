/**
 * Lambda entry of the expiry sweeper (EventBridge schedule, every minute by default). Thin: builds the
 * dependencies once per cold start and runs one sweep within the invocation's remaining time. The logMetrics
 * middleware publishes the sweep's metrics as one EMF document.
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
import { SweepLease } from '../shared/registry/lease.js';
import { RegistryStore } from '../shared/registry/store.js';
import { sweepBudget } from './budget.js';
import { sweepSettingsFromEnv } from './config.js';
import type { SweepReport } from './report.js';
import { sweep } from './sweep.js';

interface SweeperDependencies {
  store: RegistryStore;
  lease: SweepLease;
  settings: ReturnType<typeof sweepSettingsFromEnv>;
}

/**
 * Built at cold start, like the relay's recorder: missing or bad configuration fails the function's init,
 * naming the variable, instead of its first sweep.
 */
function buildDependencies(): SweeperDependencies {
  const tableName = requireEnv(process.env, ENV.registryTableName, 'must name the registry table');
  const documentClient = createRegistryDocumentClient();
  return {
    // Its role has BatchWriteItem (TABLE_ACTIONS.readWrite): concurrent records' history entries share requests.
    store: new RegistryStore({ documentClient, tableName, batchHistory: true }),
    lease: new SweepLease({ documentClient, tableName }),
    settings: sweepSettingsFromEnv(),
  };
}

const dependencies = buildDependencies();

export async function runSweep(context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SweepReport> {
  const { store, lease, settings } = dependencies;
  const budget = sweepBudget(Date.now(), context.getRemainingTimeInMillis());
  return sweep({
    store,
    lease,
    spApi: getSpApi(),
    config: { ...settings, leaseMs: budget.leaseMs },
    deadline: budget.deadline,
  });
}

export const handler = middy<unknown, SweepReport, Error, Context>()
  .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
  .use(logMetrics(metrics))
  .handler((_event, context) => runSweep(context));
