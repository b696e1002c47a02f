import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
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
