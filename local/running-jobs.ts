/**
 * The runs of one local job (sweeps, syncs) in flight: each is tracked until it settles, and `stop()` refuses new
 * runs and waits a grace period for the running ones. What is still running after it is abandoned: the embedded
 * registry ends with the process, as a deployed function's state would after a crash.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Thrown by `start()` once the job is stopping; the on-demand routes answer it with 503. */
export class LocalJobStoppedError extends Error {
  constructor(job: string) {
    super(`the local ${job} is stopping`);
    this.name = 'LocalJobStoppedError';
  }
}

export class RunningJobs<T> {
  private readonly running = new Set<Promise<T>>();
  private stopped = false;

  constructor(
    private readonly job: string,
    /** Runs after each run settles (e.g. clearing the run's metrics). */
    private readonly afterEach: () => void = () => undefined,
  ) {}

  get size(): number {
    return this.running.size;
  }

  /** True once `stop()` was called. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Starts a run through `run` and tracks it; rejects with LocalJobStoppedError once stopping. */
  start(run: () => Promise<T>): Promise<T> {
    if (this.stopped) return Promise.reject(new LocalJobStoppedError(this.job));
    const tracked = run().finally(() => {
      this.running.delete(tracked);
      this.afterEach();
    });
    this.running.add(tracked);
    return tracked;
  }

  /** Refuses new runs and waits up to `graceMs` for the running ones; returns how many were abandoned. */
  async stop(graceMs: number): Promise<number> {
    this.stopped = true;
    if (this.running.size === 0) return 0;
    const grace = new AbortController();
    const finished = await Promise.race([
      Promise.allSettled([...this.running]).then(() => true),
      sleep(graceMs, false, { signal: grace.signal }).catch(() => false),
    ]);
    grace.abort();
    return finished ? 0 : this.running.size;
  }
}
