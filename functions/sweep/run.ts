/**
 * One sweep's shared state: its dependencies, its report, its time budget and the bookkeeping that every step
 * (claims, batches, reconciliation) updates.
 */
import { SpAuthError } from '../shared/auth/errors.js';
import { UpstreamTimeoutError, UpstreamUnavailableError } from '../shared/huawei/client.js';
import type { UpstreamResponse } from '../shared/huawei/client.js';
import { isHuaweiErrorBody } from '../shared/http/relay-errors.js';
import type { ModResourceItem } from '../shared/huawei/schemas.js';
import type { ResourceQuery, SpCallOptions } from '../shared/huawei/sp-api.js';
import type { UpstreamError } from '../shared/registry/model.js';
import type { RegistryStore } from '../shared/registry/store.js';
import { SWEEP_DEFAULTS } from './config.js';
import type { SweepConfig } from './config.js';
import type { SweepReport } from './report.js';

/** The SP API calls the sweeper makes (the real `SpApi` in production and tests). */
export interface SweeperSpApi {
  updateResources(corpId: string, items: ModResourceItem[], opts?: SpCallOptions): Promise<UpstreamResponse>;
  queryResources(corpId: string, query: ResourceQuery, opts?: SpCallOptions): Promise<UpstreamResponse>;
}

/**
 * `maybeApplied`: no answer came but the request may have reached Huawei (timeout, reset), so Huawei may still
 * apply it later; false when it was never sent (the SP login was refused).
 */
export type SpOutcome = { answered: true; response: UpstreamResponse } | { answered: false; maybeApplied: boolean };

export interface SweepRunOptions {
  sweepId: string;
  /** The registry, attributing its history entries to this sweep. */
  store: RegistryStore;
  spApi: SweeperSpApi;
  now: () => number;
  config: SweepConfig;
  /** Absolute epoch ms by which the whole sweep must be over. */
  deadline: number;
  /** When this sweep's lease and claims expire. */
  claimExpiresAt: number;
  report: SweepReport;
}

/**
 * Enterprises in progress per SP call slot: while one enterprise records its results (registry writes only), another
 * can use the slot for its listing or PUT. The SP calls in flight stay at `SweepConfig.concurrency`.
 */
export const ENTERPRISES_PER_SP_SLOT = 2;

export class SweepRun {
  /** Keys (pk|sk) of due entries that reached an outcome this sweep; the rest are deferred. */
  private readonly settled = new Set<string>();
  private calls = 0;
  /** SP calls in flight, and the calls waiting for one to end (at most `config.concurrency` in flight). */
  private spInFlight = 0;
  private readonly spWaiting: Array<() => void> = [];
  /** Set when nothing more can succeed this sweep (the SP login is refused). */
  stopped = false;
  /** Exact look-ups this sweep may still make (`SweepConfig.maxLookups`). */
  lookupsLeft: number;
  readonly sweepId: string;
  readonly store: RegistryStore;
  readonly spApi: SweeperSpApi;
  readonly now: () => number;
  readonly config: SweepConfig;
  readonly deadline: number;
  readonly claimExpiresAt: number;
  readonly report: SweepReport;

  constructor(options: SweepRunOptions) {
    ({
      sweepId: this.sweepId,
      store: this.store,
      spApi: this.spApi,
      now: this.now,
      config: this.config,
      deadline: this.deadline,
      claimExpiresAt: this.claimExpiresAt,
      report: this.report,
    } = options);
    this.lookupsLeft = options.config.maxLookups ?? SWEEP_DEFAULTS.maxLookups;
  }

  /** Upstream calls and new work must end by then, leaving `recordReserveMs` to record what they did. */
  get workDeadline(): number {
    return this.deadline - this.config.recordReserveMs;
  }

  /** Whether new work (a claim round, a batch) may start. */
  canStartWork(): boolean {
    return !this.stopped && this.now() < this.workDeadline;
  }

  settle(key: { pk: string; sk: string }): void {
    this.settled.add(`${key.pk}|${key.sk}`);
  }

  get settledCount(): number {
    return this.settled.size;
  }

  problem(description: string): void {
    if (!this.report.problems.includes(description)) this.report.problems.push(description);
  }

  /**
   * One SP call, counted. Returns Huawei's answer whatever its status, or `answered: false` when no answer
   * came (unreachable, timed out, login refused): the caller leaves its work for the next sweep.
   * `finishing` calls (re-enables of raced renewals) may use the time kept for recording.
   */
  async callSp(
    describe: string,
    call: (opts: SpCallOptions) => Promise<UpstreamResponse>,
    finishing = false,
  ): Promise<SpOutcome> {
    // No await when a slot is free: the call starts in the same tick as before the cap existed.
    const waitForSlot = this.takeSpSlot();
    if (waitForSlot) await waitForSlot;
    const opts: SpCallOptions = {
      requestId: `${this.sweepId}-${++this.calls}`,
      deadline: finishing ? this.deadline : this.workDeadline,
    };
    try {
      const response = await call(opts);
      this.report.spCalls++;
      this.report.retried += Math.max(0, response.attempts - 1);
      return { answered: true, response };
    } catch (error) {
      if (error instanceof UpstreamUnavailableError || error instanceof UpstreamTimeoutError) {
        this.report.spCalls++;
        this.report.retried += Math.max(0, error.attempts - 1);
        this.problem(`${describe}: ${error.name}`);
        return { answered: false, maybeApplied: true };
      }
      if (error instanceof SpAuthError) {
        // Retrying cannot help until the credentials or the account are fixed.
        this.stopped = true;
        this.problem(`${describe}: SP login failed (${error.reason}${error.errorCode ? ` ${error.errorCode}` : ''})`);
        return { answered: false, maybeApplied: false };
      }
      throw error;
    } finally {
      this.releaseSpSlot();
    }
  }

  /** Takes a free slot at once (undefined), or returns the wait for one (handed over by releaseSpSlot). */
  private takeSpSlot(): Promise<void> | undefined {
    if (this.spInFlight < Math.max(1, this.config.concurrency)) {
      this.spInFlight++;
      return undefined;
    }
    return new Promise<void>((resolve) => this.spWaiting.push(resolve));
  }

  private releaseSpSlot(): void {
    const next = this.spWaiting.shift();
    if (next) next();
    else this.spInFlight--;
  }
}

export function isSuccess(response: UpstreamResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

/** Huawei's error_code and error_msg, or the HTTP status when the body is not in Huawei's shape. */
export function upstreamErrorOf(response: UpstreamResponse): UpstreamError {
  if (isHuaweiErrorBody(response.json)) return { errorCode: response.json.error_code, errorMsg: response.json.error_msg };
  return { errorCode: `HTTP.${response.status}`, errorMsg: response.text.slice(0, 200) };
}
