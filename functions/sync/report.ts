/**
 * What one sync did: returned by `sync()` (the local `POST /_local/sync` answers it as JSON), logged as one
 * structured line, and published as Powertools metrics (EMF).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { addReportMetrics } from '../shared/observability.js';
import type { SyncMode } from './changed-corps.js';

export type SyncStatus =
  /** Every enterprise was read and brought in line. */
  | 'completed'
  /** Some enterprise could not be read or written (see `problems`); the next sync does it. */
  | 'partial'
  /** Dry run: counts say what a real sync would do; nothing was written or pushed. */
  | 'dry-run';

export interface SyncReport {
  syncId: string;
  status: SyncStatus;
  dryRun: boolean;
  /** 'full': every enterprise read; 'incremental': only those Huawei's operation records show changed (or new). */
  mode: SyncMode;
  /** Why the run is a full pass ('requested' when the schedule asked for one); absent on an incremental run. */
  fullPassReason?: string;
  startedAt: number;
  durationMs: number;
  /** Enterprises synced. */
  enterprises: number;
  /** Incremental runs: enterprises skipped because Huawei recorded no operation on them since the watermark. */
  enterprisesUnchanged: number;
  /** Incremental runs: record queries without a usable answer (those enterprises were read in full instead). */
  recordQueryFailures: number;
  /** The run moved the watermark to its start (changed-corps.ts: only a clean run over every enterprise). */
  watermarkAdvanced: boolean;
  /** Resources Huawei listed, over all enterprises synced. */
  resourcesSeen: number;
  /** Resources the registry did not know, now recorded (enforced at their expiry from now on). */
  adopted: number;
  /** Known items brought in line with Huawei (expiry, disabled state), re-enables included. */
  repaired: number;
  /** Resources our sweeper disabled for expiry that Huawei now shows renewed: re-enabled (once). */
  reenabled: number;
  /** Items Huawei no longer holds: recorded gone. */
  gone: number;
  /** Writes that lost to a relay update or a sweep landing meanwhile (theirs stands; the next sync re-reads). */
  conflicts: number;
  /** SP API calls: enterprise pages, record queries, resource pages, re-enables. */
  spCalls: number;
  /** Registry items read. */
  registryReads: number;
  /** Registry writes made (0 on an unchanged fleet). */
  registryWrites: number;
  problems: string[];
}

export function emptySyncReport(syncId: string, startedAt: number, dryRun: boolean): SyncReport {
  return {
    syncId,
    status: dryRun ? 'dry-run' : 'completed',
    dryRun,
    mode: 'full',
    startedAt,
    durationMs: 0,
    enterprises: 0,
    enterprisesUnchanged: 0,
    recordQueryFailures: 0,
    watermarkAdvanced: false,
    resourcesSeen: 0,
    adopted: 0,
    repaired: 0,
    reenabled: 0,
    gone: 0,
    conflicts: 0,
    spCalls: 0,
    registryReads: 0,
    registryWrites: 0,
    problems: [],
  };
}

export const SYNC_COUNT_METRICS = [
  'enterprises',
  'enterprisesUnchanged',
  'recordQueryFailures',
  'resourcesSeen',
  'adopted',
  'repaired',
  'reenabled',
  'gone',
  'conflicts',
  'spCalls',
  'registryReads',
  'registryWrites',
] as const satisfies readonly (keyof SyncReport)[];

export function addSyncMetrics(metrics: Metrics, report: SyncReport): void {
  addReportMetrics(metrics, report, SYNC_COUNT_METRICS, { durationMs: report.durationMs });
}

const LOGGED_PROBLEMS = 20;

export function logSyncReport(logger: Logger, report: SyncReport): void {
  const line = { ...report, problems: report.problems.slice(0, LOGGED_PROBLEMS) };
  if (report.status === 'partial') logger.warn('sync finished', { sync: line });
  else logger.info('sync finished', { sync: line });
}
