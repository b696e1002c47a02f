/**
 * One expiry sweep: take the lease, read the due index, sweep the enterprises with bounded concurrency,
 * release the lease, report. Plain function with injected dependencies: the scheduled handler, the local
 * runtime and the tests all call it.
 */
import { groupBy } from '../shared/group-by.js';
import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logger as defaultLogger, metrics as defaultMetrics } from '../shared/observability.js';
import { mapWithConcurrency } from '../shared/registry/concurrency.js';
import { RegistryUnavailableError } from '../shared/registry/errors.js';
import type { SweepLease } from '../shared/registry/lease.js';
import { isDue } from '../shared/registry/model.js';
import type { DueEntry } from '../shared/registry/model.js';
import type { RegistryStore } from '../shared/registry/store.js';
import type { SweepConfig } from './config.js';
import { sweepCorp } from './corp-sweep.js';
import { addSweepMetrics, emptyReport, logSweepReport, reportedItem, WOULD_DISABLE_LIMIT } from './report.js';
import type { SweepReport } from './report.js';
import { ENTERPRISES_PER_SP_SLOT, SweepRun } from './run.js';
import type { SweeperSpApi } from './run.js';

export interface SweepDeps {
  store: RegistryStore;
  lease: SweepLease;
  spApi: SweeperSpApi;
  config: SweepConfig;
  /** Absolute epoch ms by which the sweep must be over (the Lambda's remaining time minus a margin). */
  deadline: number;
  now?: () => number;
  sweepId?: string;
  logger?: Logger;
  metrics?: Metrics;
}

export async function sweep(deps: SweepDeps): Promise<SweepReport> {
  const now = deps.now ?? Date.now;
  const sweepId = deps.sweepId ?? randomUUID();
  const startedAt = now();
  const report = emptyReport(sweepId, startedAt, deps.config.dryRun);
  const run = new SweepRun({
    sweepId,
    store: deps.store.withSource({ kind: 'sweep', id: sweepId }),
    spApi: deps.spApi,
    now,
    config: deps.config,
    deadline: deps.deadline,
    claimExpiresAt: startedAt + deps.config.leaseMs,
    report,
  });

  try {
    if (deps.config.dryRun) {
      await dryRun(run);
    } else {
      await sweepWithLease(run, deps.lease);
    }
  } catch (error) {
    if (!(error instanceof RegistryUnavailableError)) throw error;
    run.problem(error.message);
  }

  report.durationMs = now() - startedAt;
  if (report.status === 'completed') {
    report.deferred = report.due - run.settledCount;
    if (report.deferred > 0 || report.problems.length) report.status = 'partial';
  }
  logSweepReport(deps.logger ?? defaultLogger, report);
  addSweepMetrics(deps.metrics ?? defaultMetrics, report);
  return report;
}

async function sweepWithLease(run: SweepRun, lease: SweepLease): Promise<void> {
  const taken = await lease.acquire({ owner: run.sweepId, now: run.report.startedAt, durationMs: run.config.leaseMs });
  if (!taken.acquired) {
    run.report.status = 'skipped-overlap';
    if (taken.heldBy !== undefined) run.report.leaseHeldBy = taken.heldBy;
    return;
  }
  try {
    await sweepDue(run);
  } finally {
    await lease.release(run.sweepId);
  }
}

async function findDue(run: SweepRun): Promise<DueEntry[]> {
  const now = run.now();
  const { entries, itemsRead } = await run.store.queryDue(now);
  run.report.itemsRead += itemsRead;
  run.report.due = entries.length;
  const oldest = entries.reduce((min, e) => Math.min(min, e.dueAt ?? now), now);
  run.report.oldestLatenessMs = Math.max(0, now - oldest);
  // Oldest first, so that a sweep cut short by its time budget has done the most overdue work.
  return entries.sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0));
}

async function sweepDue(run: SweepRun): Promise<void> {
  const entries = await findDue(run);
  const byCorp = groupBy(entries, (entry) => entry.corpId);
  // SP calls in flight stay at `concurrency` (SweepRun.callSp); more enterprises run, so that one's registry writes
  // overlap another's SP calls.
  await mapWithConcurrency([...byCorp], run.config.concurrency * ENTERPRISES_PER_SP_SLOT, async ([corpId, list]) => {
    try {
      await sweepCorp(run, corpId, list);
    } catch (error) {
      // This enterprise's remaining work waits for the next sweep; the others go on.
      if (!(error instanceof RegistryUnavailableError)) throw error;
      run.problem(`${corpId}: ${error.message}`);
    }
  });
}

/** Reads only: no lease, no claims, no upstream call. */
async function dryRun(run: SweepRun): Promise<void> {
  const entries = await findDue(run);
  const now = run.now();
  run.report.status = 'dry-run';
  // Only what the registry wants disabled; a real sweep disables it only if Huawei confirms it is expired.
  const disables = entries.filter((e) => isDue(e, now));
  run.report.wouldDisable = disables.slice(0, WOULD_DISABLE_LIMIT).map(reportedItem);
}
