/**
 * What one sweep did: returned by `sweep()` (the local `POST /_local/sweep` answers it as JSON), logged as one
 * structured line, and published as Powertools metrics (EMF).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { addReportMetrics } from '../shared/observability.js';
import type { ResourceType } from '../shared/huawei/schemas.js';

export type SweepStatus =
  /** Every due item was handled. */
  | 'completed'
  /** Some work was left for the next sweep (time ran low, Huawei or DynamoDB failed); nothing is lost. */
  | 'partial'
  /** Another sweep holds the lease; this one did nothing. */
  | 'skipped-overlap'
  /** Dry run: `wouldDisable` lists what a real sweep would disable. */
  | 'dry-run';

export interface ReportedItem {
  corpId: string;
  resourceId: string;
  type?: ResourceType;
}

export interface ReportedRejection extends ReportedItem {
  errorCode: string;
  errorMsg: string;
  rejections: number;
}

export interface SweepReport {
  sweepId: string;
  status: SweepStatus;
  dryRun: boolean;
  startedAt: number;
  durationMs: number;
  /** Due items found in the index. */
  due: number;
  /** Items disabled upstream and recorded as disabled-expired. */
  disabled: number;
  /** Items renewed between the index read and the claim: left alone. */
  skippedRenewed: number;
  /** Items that changed otherwise before the claim (disabled, claimed by a crashed sweep, gone). */
  skippedOther: number;
  /** Renewed resources this sweep re-enabled upstream (a renewal raced its disable, an owed re-enable, an in-doubt push). */
  reenabled: number;
  /** Due items Huawei did not confirm whose expiry had changed at Huawei (renewed or enabled elsewhere): repaired, left enabled. */
  renewedElsewhere: number;
  /** Due items found disabled at Huawei by someone else: recorded as manual disables. */
  disabledElsewhere: number;
  /** Items Huawei no longer holds: recorded gone, never sent again. */
  gone: number;
  /** Items whose in-doubt mark or owed re-enable was settled by reading Huawei, with no other change. */
  settledOther: number;
  /** Exact look-ups (SearchResource by id) of due items Huawei's listing did not confirm. */
  lookups: number;
  /** Items Huawei rejected this sweep, not yet failed. */
  rejected: number;
  /** Items marked failed this sweep (rejected `maxRejections` sweeps in a row). */
  failed: number;
  /** Due items left for the next sweep. */
  deferred: number;
  /** Upstream retries made by the client (429, 5xx, resets), summed over calls. */
  retried: number;
  /** Calls to the SP API (PUT and GET). */
  spCalls: number;
  /** Registry items read: due-index entries plus the few single reads that races need. */
  itemsRead: number;
  /** now - dueAt of the oldest due item (0 when nothing is due). */
  oldestLatenessMs: number;
  failedItems: ReportedRejection[];
  rejectedItems: ReportedRejection[];
  /** Renewed resources whose re-enable could not be confirmed; logged as errors. */
  unreconciled: ReportedItem[];
  /** Why work was left (upstream statuses, error names); empty when completed. */
  problems: string[];
  /** Dry run only: what a real sweep would disable (at most `WOULD_DISABLE_LIMIT`). */
  wouldDisable?: ReportedItem[];
  /** Overlap only: the sweep holding the lease. */
  leaseHeldBy?: string;
}

export function reportedItem(item: { corpId: string; resourceId: string; type?: ResourceType | undefined }): ReportedItem {
  return item.type === undefined
    ? { corpId: item.corpId, resourceId: item.resourceId }
    : { corpId: item.corpId, resourceId: item.resourceId, type: item.type };
}

export const WOULD_DISABLE_LIMIT = 1_000;
/** Lists in the log line are cut to this many entries (the returned report keeps them whole). */
const LOGGED_LIST_LIMIT = 20;

export function emptyReport(sweepId: string, startedAt: number, dryRun: boolean): SweepReport {
  return {
    sweepId,
    status: 'completed',
    dryRun,
    startedAt,
    durationMs: 0,
    due: 0,
    disabled: 0,
    skippedRenewed: 0,
    skippedOther: 0,
    reenabled: 0,
    renewedElsewhere: 0,
    disabledElsewhere: 0,
    gone: 0,
    settledOther: 0,
    lookups: 0,
    rejected: 0,
    failed: 0,
    deferred: 0,
    retried: 0,
    spCalls: 0,
    itemsRead: 0,
    oldestLatenessMs: 0,
    failedItems: [],
    rejectedItems: [],
    unreconciled: [],
    problems: [],
  };
}

const COUNT_METRICS = [
  'due',
  'disabled',
  'skippedRenewed',
  'reenabled',
  'renewedElsewhere',
  'disabledElsewhere',
  'gone',
  'lookups',
  'failed',
  'retried',
  'spCalls',
  'itemsRead',
  'deferred',
] as const satisfies readonly (keyof SweepReport)[];

/** Adds the report's metrics; the handler's logMetrics middleware publishes them as one EMF document. */
export function addSweepMetrics(metrics: Metrics, report: SweepReport): void {
  addReportMetrics(metrics, report, COUNT_METRICS, { durationMs: report.durationMs, oldestLatenessMs: report.oldestLatenessMs });
}

/** The one log line of a sweep: every count, and the first few items of each list. */
export function logSweepReport(logger: Logger, report: SweepReport): void {
  const cut = <T>(list: T[] | undefined) => list?.slice(0, LOGGED_LIST_LIMIT);
  const line = {
    ...report,
    failedItems: cut(report.failedItems),
    rejectedItems: cut(report.rejectedItems),
    unreconciled: cut(report.unreconciled),
    wouldDisable: cut(report.wouldDisable),
  };
  if (report.unreconciled.length || report.failed) logger.error('sweep finished', { sweep: line });
  else if (report.status === 'partial') logger.warn('sweep finished', { sweep: line });
  else logger.info('sweep finished', { sweep: line });
}
