/**
 * `POST /_local/sync`: runs one sync now and answers its report as JSON (200; 503 while the runtime is stopping;
 * 500 when the sync threw). Local runtime only: a gateway `extraRoute`, never deployed.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { LocalRoute } from './gateway/index.js';
import { LocalSyncStoppedError } from './local-sync.js';
import type { LocalSync } from './local-sync.js';
import { LOCAL_SYNC_METHOD, LOCAL_SYNC_PATH } from './settings.js';

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export function localSyncRoute(localSync: Pick<LocalSync, 'runNow'>): LocalRoute {
  return {
    id: 'local-sync',
    method: LOCAL_SYNC_METHOD,
    path: LOCAL_SYNC_PATH,
    handler: async (_event, context) => {
      try {
        return json(200, await localSync.runNow(context.getRemainingTimeInMillis()));
      } catch (error) {
        if (error instanceof LocalSyncStoppedError) return json(503, { message: error.message });
        console.error('[sync] on-demand sync failed:', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        return json(500, { message: 'the sync failed; see the runtime console' });
      }
    },
  };
}
