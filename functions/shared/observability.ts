import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { ENV } from './env.js';
import { envText } from './env-values.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from './service-identity.js';

/**
 * Module-scope Powertools singletons shared by every function. The CDK stack sets the service name per function
 * and the namespace for all of them; locally the defaults apply.
 *
 * Never pass a token, password, appKey, signature or Authorization header to the logger: log field names and
 * request ids, not header maps or request bodies that may hold secrets.
 */
const serviceName = envText(process.env, ENV.powertoolsServiceName) ?? SERVICE_NAME;

export const logger = new Logger({ serviceName });

export const metrics = new Metrics({
  namespace: envText(process.env, ENV.powertoolsMetricsNamespace) ?? METRICS_NAMESPACE,
  serviceName,
});

/** A job report's counts and timings as metrics; the handler's logMetrics middleware publishes them as one EMF document. */
export function addReportMetrics<R extends object>(
  into: Metrics,
  report: R,
  counts: readonly { [K in keyof R]: R[K] extends number ? K : never }[keyof R][],
  milliseconds: Readonly<Record<string, number>>,
): void {
  for (const name of counts) into.addMetric(String(name), MetricUnit.Count, report[name] as number);
  for (const [name, value] of Object.entries(milliseconds)) into.addMetric(name, MetricUnit.Milliseconds, value);
}
