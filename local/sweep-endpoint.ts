/**
 * `POST /_local/sweep`: runs one sweep now and answers its report as JSON. Local runtime only: it is a gateway
 * `extraRoute`, not part of the route table, so it is never deployed.
 *
 * 200 with the report when the sweep ran (`completed`, `partial`, `dry-run`); 409 with the report when another
 * sweep holds the lease (`skipped-overlap`, `leaseHeldBy` names it); 503 while the runtime is stopping; 500 when
 * the sweep threw.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { LocalRoute } from './gateway/index.js';
import { LocalSweeperStoppedError } from './local-sweeper.js';
import type { LocalSweeper } from './local-sweeper.js';
import { LOCAL_SWEEP_METHOD, LOCAL_SWEEP_PATH } from './settings.js';

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export function localSweepRoute(sweeper: Pick<LocalSweeper, 'runNow'>): LocalRoute {
  return {
    id: 'local-sweep',
    method: LOCAL_SWEEP_METHOD,
    path: LOCAL_SWEEP_PATH,
    handler: async (_event, context) => {
      try {
        const report = await sweeper.runNow(context.getRemainingTimeInMillis());
        return json(report.status === 'skipped-overlap' ? 409 : 200, report);
      } catch (error) {
        if (error instanceof LocalSweeperStoppedError) return json(503, { message: error.message });
        console.error('[sweeper] on-demand sweep failed:', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        return json(500, { message: 'the sweep failed; see the runtime console' });
      }
    },
  };
}
