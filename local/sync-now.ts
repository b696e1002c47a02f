/**
 * `npm run sync`: asks the running local stack (`npm start`, gateway on PORT, default 3000) to sync the registry
 * with Huawei now through `POST /_local/sync`, and prints the report. A full pass; `npm run sync -- --incremental`
 * runs an incremental one (only the enterprises Huawei's operation records show changed).
 *
 * Exit status: 0 the sync completed (or ran dry); 1 it was partial (see the problems); 2 no sync ran.
 */
import type { SyncReport } from '../functions/sync/report.js';
import { NOTHING_RAN, requestLocalReport } from './run-now.js';
import { LOCAL_SYNC_METHOD, LOCAL_SYNC_PATH } from './settings.js';


function isReport(value: unknown): value is SyncReport {
  if (typeof value !== 'object' || value === null) return false;
  const report = value as Partial<SyncReport>;
  return typeof report.syncId === 'string' && typeof report.status === 'string' && typeof report.adopted === 'number';
}

function formatSyncReport(report: SyncReport): string {
  return [
    `Sync ${report.syncId}: ${report.mode}${report.fullPassReason ? ` (${report.fullPassReason})` : ''}, ${report.status}${report.dryRun ? ' (dry run: nothing written)' : ''} in ${report.durationMs} ms`,
    `  enterprises ${report.enterprises} (unchanged, skipped: ${report.enterprisesUnchanged}), resources seen ${report.resourcesSeen}, adopted ${report.adopted}, ` +
      `repaired ${report.repaired} (re-enabled ${report.reenabled}), gone ${report.gone}`,
    `  SP calls ${report.spCalls}, registry reads ${report.registryReads}, registry writes ${report.registryWrites}, conflicts ${report.conflicts}`,
    ...(report.problems.length ? ['Problems (left for the next sync):', ...report.problems.map((p) => `  ${p}`)] : []),
  ].join('\n');
}

async function main(): Promise<number> {
  const path = process.argv.includes('--incremental') ? `${LOCAL_SYNC_PATH}?mode=incremental` : LOCAL_SYNC_PATH;
  const report = await requestLocalReport(LOCAL_SYNC_METHOD, path, isReport);
  if (report === undefined) return NOTHING_RAN;
  console.log(formatSyncReport(report));
  return report.status === 'partial' ? 1 : 0;
}

process.exitCode = await main();
