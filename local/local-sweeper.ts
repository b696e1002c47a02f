/**
 * The local runtime's sweeper: runs the real `sweep()` every SWEEP_INTERVAL_SECONDS and on demand
 * (`POST /_local/sweep`), the way EventBridge and Lambda run it when deployed.
 *
 * - Timer sweeps never overlap: the next one is scheduled when the previous one ends, and a tick that finds a
 *   sweep still running (started on demand) waits for the next interval.
 * - An on-demand sweep always calls `sweep()`: if another one is running, the registry's lease turns it away
 *   with status `skipped-overlap`, exactly as it turns away an overlapping scheduled invocation.
 * - `stop()` clears the timer, refuses new sweeps and waits a short grace for running ones. A sweep still
 *   running after that is abandoned: the embedded registry goes away with the process, and a deployed sweeper
 *   would leave the same state behind after a crash (lease and claims expire, the PUTs are idempotent).
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SweepLease } from '../functions/shared/registry/lease.js';
import type { RegistryStore } from '../functions/shared/registry/store.js';
import { DEFAULT_SWEEP_BUDGET_MS, sweepBudget } from '../functions/sweep/budget.js';
import type { SweepConfig } from '../functions/sweep/config.js';
import type { SweepReport } from '../functions/sweep/report.js';
import type { SweeperSpApi } from '../functions/sweep/run.js';
import { sweep } from '../functions/sweep/sweep.js';
import { LocalJobStoppedError, RunningJobs } from './running-jobs.js';

/** How long `stop()` waits for a running sweep before abandoning it. */
export const DEFAULT_STOP_GRACE_MS = 5_000;

export interface LocalSweeperOptions {
  store: RegistryStore;
  lease: SweepLease;
  spApi: SweeperSpApi;
  settings: Omit<SweepConfig, 'leaseMs'>;
  /** Seconds between the end of one timer sweep and the start of the next; 0 disables the timer. */
  intervalSeconds: number;
  /** Time budget of a timer sweep (a deployed sweep gets its Lambda's remaining time). */
  timerBudgetMs?: number;
  stopGraceMs?: number;
  /** One human-readable line per event worth telling (sweep errors, abandoned sweeps). */
  log?: (line: string) => void;
}

export class LocalSweeper {
  readonly intervalSeconds: number;
  private readonly options: LocalSweeperOptions;
  /** Sweep metrics stay local: nothing reads EMF here, and the report carries the same counts. */
  private readonly metrics = new Metrics({ namespace: 'MeetingRelayLocal', serviceName: 'meeting-relay-local-sweeper' });
  private readonly running = new RunningJobs<SweepReport>('sweeper', () => this.metrics.clearMetrics());
  private timer: NodeJS.Timeout | undefined;

  constructor(options: LocalSweeperOptions) {
    if (!Number.isInteger(options.intervalSeconds) || options.intervalSeconds < 0) {
      throw new Error(`intervalSeconds must be a whole number of seconds, 0 or more (got ${options.intervalSeconds})`);
    }
    this.options = options;
    this.intervalSeconds = options.intervalSeconds;
  }

  /** Starts the timer (no-op when the interval is 0). */
  start(): void {
    if (this.intervalSeconds > 0) this.scheduleNextTick();
  }

  /** Sweeps running right now (timer or on demand). */
  get runningCount(): number {
    return this.running.size;
  }

  /**
   * Runs one sweep now and returns its report. `remainingTimeMs` is the caller's own time limit (the gateway's
   * function timeout for `POST /_local/sweep`), so the sweep ends before its caller gives up on it.
   */
  runNow(remainingTimeMs: number = this.options.timerBudgetMs ?? DEFAULT_SWEEP_BUDGET_MS): Promise<SweepReport> {
    return this.running.start(() => {
      const budget = sweepBudget(Date.now(), remainingTimeMs);
      return sweep({
        store: this.options.store,
        lease: this.options.lease,
        spApi: this.options.spApi,
        config: { ...this.options.settings, leaseMs: budget.leaseMs },
        deadline: budget.deadline,
        metrics: this.metrics,
      });
    });
  }

  /** Stops the timer and refuses new sweeps; waits up to the grace period for running ones. */
  async stop(): Promise<{ abandoned: number }> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const graceMs = this.options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    const abandoned = await this.running.stop(graceMs);
    if (abandoned > 0) this.log(`abandoned ${abandoned} running sweep(s) after ${graceMs} ms: the embedded registry ends with this process`);
    return { abandoned };
  }

  private scheduleNextTick(): void {
    if (this.running.stopping) return;
    this.timer = setTimeout(() => void this.tick(), this.intervalSeconds * 1000);
    // The servers keep the process alive; a pending tick alone should not.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    if (this.running.size === 0) {
      try {
        await this.runNow();
      } catch (error) {
        if (!(error instanceof LocalJobStoppedError)) this.log(`scheduled sweep failed: ${describeError(error)}`);
      }
    }
    this.scheduleNextTick();
  }

  private log(line: string): void {
    (this.options.log ?? console.log)(`[sweeper] ${line}`);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
