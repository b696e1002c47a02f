/**
 * `npm run sweep`: asks the running local stack (`npm start`, gateway on PORT, default 3000) to sweep now
 * through `POST /_local/sweep`, and prints the report.
 *
 * Exit status: 0 when the sweep ran and nothing failed; 1 when the sweep reported failures (items marked failed,
 * renewals it could not confirm, or work left because of problems); 2 when no sweep ran (the stack is not
 * running, another sweep holds the lease, or the answer was not a report).
 */
import type { ReportedItem, ReportedRejection, SweepReport } from '../functions/sweep/report.js';
import { NOTHING_RAN, requestLocalReport } from './run-now.js';
import { LOCAL_SWEEP_METHOD, LOCAL_SWEEP_PATH } from './settings.js';

/** A hang guard only: the gateway ends every invocation within its function timeout (30 s). */

const EXIT = { ok: 0, sweepFailures: 1, noSweep: NOTHING_RAN } as const;

function isReport(value: unknown): value is SweepReport {
  if (typeof value !== 'object' || value === null) return false;
  const report = value as Partial<SweepReport>;
  return typeof report.sweepId === 'string' && typeof report.status === 'string' && typeof report.due === 'number';
}

function describeItem(item: ReportedItem): string {
  return `corp ${item.corpId} resource ${item.resourceId}${item.type === undefined ? ' (all types)' : ` ${item.type}`}`;
}

function describeRejection(item: ReportedRejection): string {
  return `${describeItem(item)}: ${item.errorCode} ${item.errorMsg} (rejected ${item.rejections}x)`;
}

function duration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  const seconds = Math.round(ms / 1_000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : [`${title}:`, ...lines.map((line) => `  ${line}`)];
}

function formatReport(report: SweepReport): string {
  if (report.status === 'skipped-overlap') {
    return `Sweep ${report.sweepId} did nothing: another sweep (${report.leaseHeldBy ?? 'unknown'}) holds the lease. Try again when it ends.`;
  }
  return [
    `Sweep ${report.sweepId}: ${report.status}${report.dryRun ? ' (dry run: nothing written)' : ''} in ${duration(report.durationMs)}`,
    `  due ${report.due}, disabled ${report.disabled}, re-enabled ${report.reenabled}, ` +
      `skipped as renewed ${report.skippedRenewed}, skipped otherwise ${report.skippedOther}`,
    `  rejected ${report.rejected}, failed ${report.failed}, deferred ${report.deferred}, ` +
      `SP calls ${report.spCalls}, retried ${report.retried}, registry reads ${report.itemsRead}`,
    `  not confirmed by Huawei: renewed elsewhere ${report.renewedElsewhere}, disabled elsewhere ${report.disabledElsewhere}, ` +
      `gone ${report.gone} (look-ups ${report.lookups})`,
    `  oldest due item was ${duration(report.oldestLatenessMs)} late`,
    ...section('Would disable', (report.wouldDisable ?? []).map(describeItem)),
    ...section('Failed (no more attempts)', report.failedItems.map(describeRejection)),
    ...section('Rejected (retried next sweep)', report.rejectedItems.map(describeRejection)),
    ...section('Unreconciled (check upstream)', report.unreconciled.map(describeItem)),
    ...section('Problems (work left for the next sweep)', report.problems),
  ].join('\n');
}

function exitCodeFor(report: SweepReport): number {
  if (report.status === 'skipped-overlap') return EXIT.noSweep;
  const failures = report.failed > 0 || report.unreconciled.length > 0 || report.status === 'partial';
  return failures ? EXIT.sweepFailures : EXIT.ok;
}

async function main(): Promise<number> {
  const report = await requestLocalReport(LOCAL_SWEEP_METHOD, LOCAL_SWEEP_PATH, isReport);
  if (report === undefined) return EXIT.noSweep;
  console.log(formatReport(report));
  return exitCodeFor(report);
}

process.exitCode = await main();
