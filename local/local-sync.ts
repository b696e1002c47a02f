/**
 * The local runtime's sync: runs the real `sync()` once at `npm start` (so the demo fleet is adopted before the
 * first sweep) and on demand (`POST /_local/sync`, `npm run sync`), as EventBridge and Lambda run it when
 * deployed. Syncs may overlap safely (every write is conditional), so there is no lease; `stop()` refuses new
 * syncs and waits a short grace for running ones.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { RegistryStore } from '../functions/shared/registry/store.js';
import type { SyncMode } from '../functions/sync/changed-corps.js';
import type { SyncConfig } from '../functions/sync/config.js';
import type { SyncReport } from '../functions/sync/report.js';
import { CALL_GRACE_MS, sync } from '../functions/sync/sync.js';
import type { SyncSpApi } from '../functions/sync/sync.js';
import type { SyncWatermark } from '../functions/sync/watermark.js';
import { RunningJobs } from './running-jobs.js';

/** Time budget of a sync started without a caller's limit (the one at start). */
export const DEFAULT_LOCAL_SYNC_BUDGET_MS = 60_000;
const STOP_GRACE_MS = 5_000;
/** Kept back from the caller's limit, so the sync answers before its caller gives up (calls may run past its deadline). */
const ANSWER_MARGIN_MS = 2_000 + CALL_GRACE_MS;

export class LocalSync {
  /** Sync metrics stay local: the report carries the same counts. */
  private readonly metrics = new Metrics({ namespace: 'MeetingRelayLocal', serviceName: 'meeting-relay-local-sync' });
  private readonly running = new RunningJobs<SyncReport>('sync', () => this.metrics.clearMetrics());

  constructor(private readonly options: { store: RegistryStore; watermark: SyncWatermark; spApi: SyncSpApi; settings: SyncConfig }) {}

  /** A full pass unless `mode` says incremental (as the deployed schedules: daily full, hourly incremental). */
  runNow(remainingTimeMs: number = DEFAULT_LOCAL_SYNC_BUDGET_MS, mode: SyncMode = 'full'): Promise<SyncReport> {
    return this.running.start(() =>
      sync({
        store: this.options.store,
        watermark: this.options.watermark,
        mode,
        spApi: this.options.spApi,
        config: this.options.settings,
        deadline: Date.now() + Math.max(0, remainingTimeMs - ANSWER_MARGIN_MS),
        metrics: this.metrics,
      }),
    );
  }

  async stop(): Promise<void> {
    await this.running.stop(STOP_GRACE_MS);
  }
}
