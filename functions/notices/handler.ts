/**
 * Lambda entry of the expiry notices (EventBridge schedule, hourly by default): one run announces what expires
 * within EXPIRY_NOTICE_DAYS, once per resource and expiry date, one event per enterprise, to NOTICE_BUS_NAME.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { ENV } from '../shared/env.js';
import { requireEnv } from '../shared/env-values.js';
import { logger, metrics } from '../shared/observability.js';
import { createRegistryDocumentClient } from '../shared/registry/document-client.js';
import { RegistryStore } from '../shared/registry/store.js';
import { EventBridgePublisher } from './eventbridge-publisher.js';
import { expiryNoticeDaysFromEnv } from './config.js';
import { sendExpiryNotices } from './notify.js';
import type { NoticeDeps, NoticeReport } from './notify.js';

/** The metric the dashboard shows (lib/meeting-relay-stack.ts names it too). */
const NOTICES_SENT_METRIC = 'noticesSent';

let dependencies: Omit<NoticeDeps, 'now'> | undefined;

/** Built on first use (like the sync's), so that a configuration error names the variable at the first run. */
function getDependencies(): Omit<NoticeDeps, 'now'> {
  if (dependencies) return dependencies;
  const tableName = requireEnv(process.env, ENV.registryTableName, 'must name the registry table');
  const busName = requireEnv(process.env, ENV.noticeBusName, 'must name the notice bus');
  const documentClient = createRegistryDocumentClient();
  dependencies = {
    store: new RegistryStore({ documentClient, tableName }),
    documentClient,
    publisher: new EventBridgePublisher(busName),
    noticeDays: expiryNoticeDaysFromEnv(),
  };
  return dependencies;
}

export const handler = middy<unknown, NoticeReport, Error, Context>()
  .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(async () => {
    const report = await sendExpiryNotices({ ...getDependencies(), now: Date.now() });
    metrics.addMetric(NOTICES_SENT_METRIC, MetricUnit.Count, report.noticesSent);
    logger.info('notices finished', { notices: report });
    return report;
  });
