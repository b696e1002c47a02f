/**
 * `npm run sync`: asks the running local stack (`npm start`, gateway on PORT, default 3000) to sync the registry
 * with Huawei now through `POST /_local/sync`, and prints the report.
 *
 * Exit status: 0 the sync completed (or ran dry); 1 it was partial (see the problems); 2 no sync ran.
 */
import { LOCAL_ENV } from './env.js';
import type { SyncReport } from '../functions/sync/report.js';
import { DEFAULT_GATEWAY_PORT } from './gateway/server.js';
import { LOCAL_SYNC_METHOD, LOCAL_SYNC_PATH, readPort } from './settings.js';

const REQUEST_TIMEOUT_MS = 60_000;

function isReport(value: unknown): value is SyncReport {
  if (typeof value !== 'object' || value === null) return false;
  const report = value as Partial<SyncReport>;
  return typeof report.syncId === 'string' && typeof report.status === 'string' && typeof report.adopted === 'number';
}

function formatSyncReport(report: SyncReport): string {
  return [
    `Sync ${report.syncId}: ${report.status}${report.dryRun ? ' (dry run: nothing written)' : ''} in ${report.durationMs} ms`,
    `  enterprises ${report.enterprises}, resources seen ${report.resourcesSeen}, adopted ${report.adopted}, ` +
      `repaired ${report.repaired} (re-enabled ${report.reenabled}), gone ${report.gone}`,
    `  SP calls ${report.spCalls}, registry reads ${report.registryReads}, registry writes ${report.registryWrites}, conflicts ${report.conflicts}`,
    ...(report.problems.length ? ['Problems (left for the next sync):', ...report.problems.map((p) => `  ${p}`)] : []),
  ].join('\n');
}

async function main(): Promise<number> {
  const port = readPort(LOCAL_ENV.port, DEFAULT_GATEWAY_PORT);
  const url = `http://127.0.0.1:${port}${LOCAL_SYNC_PATH}`;
  let response: Response;
  try {
    response = await fetch(url, { method: LOCAL_SYNC_METHOD, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    console.error(`No local stack answered at ${url} (${reason}). Start it with "npm start" (same ${LOCAL_ENV.port}).`);
    return 2;
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!isReport(body)) {
    console.error(`${LOCAL_SYNC_METHOD} ${url} answered HTTP ${response.status}: ${text.slice(0, 500)}`);
    return 2;
  }
  console.log(formatSyncReport(body));
  return body.status === 'partial' ? 1 : 0;
}

process.exitCode = await main();
