/**
 * The local-only routes that run a job now and answer its report as JSON: `POST /_local/sweep` (`npm run sweep`)
 * and `POST /_local/sync` (`npm run sync`; `?mode=incremental`, `npm run sync -- --incremental`, for an incremental
 * run). They are gateway `extraRoutes`, not part of the route table, so they
 * are never deployed. 200 with the report; 409 with the report when another sweep holds the lease
 * (`skipped-overlap`, `leaseHeldBy` names it); 503 while the runtime is stopping; 500 when the job threw.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { RELAY_ERRORS, huaweiErrorBody } from '../functions/shared/http/relay-errors.js';
import { SYNC_MODES } from '../functions/sync/changed-corps.js';
import type { SyncMode } from '../functions/sync/changed-corps.js';
import type { SweepReport } from '../functions/sweep/report.js';
import type { SyncReport } from '../functions/sync/report.js';
import type { LocalRoute } from './gateway/index.js';
import { LocalJobStoppedError } from './running-jobs.js';
import { LOCAL_SWEEP_METHOD, LOCAL_SWEEP_PATH, LOCAL_SYNC_METHOD, LOCAL_SYNC_PATH } from './settings.js';

export function jsonResult(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

interface OnDemandJob<R> {
  id: string;
  method: LocalRoute['method'];
  path: string;
  /** The job's name in console lines and error messages. */
  job: string;
  run: (remainingTimeMs: number, event: APIGatewayProxyEventV2) => Promise<R>;
  statusOf?: (report: R) => number;
}

function onDemandRoute<R>(job: OnDemandJob<R>): LocalRoute {
  return {
    id: job.id,
    method: job.method,
    path: job.path,
    handler: async (event, context) => {
      try {
        const report = await job.run(context.getRemainingTimeInMillis(), event);
        return jsonResult(job.statusOf?.(report) ?? 200, report);
      } catch (error) {
        if (error instanceof LocalJobStoppedError) return jsonResult(503, { message: error.message });
        console.error(`[${job.job}] on-demand ${job.job} failed:`, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        return jsonResult(500, { message: `the ${job.job} failed; see the runtime console` });
      }
    },
  };
}

export function localSweepRoute(sweeper: { runNow(remainingTimeMs?: number): Promise<SweepReport> }): LocalRoute {
  return onDemandRoute({
    id: 'local-sweep',
    method: LOCAL_SWEEP_METHOD,
    path: LOCAL_SWEEP_PATH,
    job: 'sweep',
    run: (remainingTimeMs) => sweeper.runNow(remainingTimeMs),
    statusOf: (report) => (report.status === 'skipped-overlap' ? 409 : 200),
  });
}

export function localSyncRoute(localSync: { runNow(remainingTimeMs?: number, mode?: SyncMode): Promise<SyncReport> }): LocalRoute {
  const route = onDemandRoute({
    id: 'local-sync',
    method: LOCAL_SYNC_METHOD,
    path: LOCAL_SYNC_PATH,
    job: 'sync',
    run: (remainingTimeMs, event) => localSync.runNow(remainingTimeMs, (event.queryStringParameters?.mode ?? 'full') as SyncMode),
  });
  const run = route.handler;
  return {
    ...route,
    // A bad mode is refused before anything runs.
    handler: async (event, context) => {
      const mode = event.queryStringParameters?.mode;
      if (mode !== undefined && !(SYNC_MODES as readonly string[]).includes(mode)) {
        const { status, code } = RELAY_ERRORS.invalidQueryParameter;
        return jsonResult(status, huaweiErrorBody(code, `mode must be one of ${SYNC_MODES.join(', ')}`, event.requestContext.requestId));
      }
      return run(event, context);
    },
  };
}
