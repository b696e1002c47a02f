import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Module-scope Powertools singletons shared by every function. The service name and metrics namespace come
 * from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE when set (the CDK stack sets them per function).
 *
 * Never pass a token, password, appKey, signature or Authorization header to the logger: log field names and
 * request ids, not header maps or request bodies that may hold secrets.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'meeting-relay' });

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'MeetingRelay',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'meeting-relay',
});
