/**
 * Sweep cost: registries of growing size holding the same fixed set of due items, swept (a) by the real sweep
 * (`sweep()` from functions/sweep/, with the production RegistryStore, SweepLease, HuaweiClient, SP token
 * provider and SpApi) and (b) by the naive baseline (bench/naive-sweeper.ts), on the same data, alternating
 * run by run, with the due items restored (registry and Huawei) before every run.
 *
 * dynalite and the simulator (with SIMULATOR_LATENCY_MS-style latency) each run in their own process. The
 * registry grows in place from one size to the next: only the not-due items are added.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { HuaweiClient } from '../functions/shared/huawei/client.js';
import { SP_CORPS_PATH, SpApi, spCorpResourcePath } from '../functions/shared/huawei/sp-api.js';
import { MAX_RESOURCE_ITEMS } from '../functions/shared/limits.js';
import { pagesFor } from '../functions/shared/registry/huawei-listing.js';
import { SweepLease } from '../functions/shared/registry/lease.js';
import { RegistryStore } from '../functions/shared/registry/store.js';
import { sweepBudget } from '../functions/sweep/budget.js';
import { sweepSettingsFromEnv } from '../functions/sweep/config.js';
import { sweep } from '../functions/sweep/sweep.js';
import { SWEEPER_TIMEOUT } from '../lib/constructs/sweeper.js';
import { naiveSweep } from './naive-sweeper.js';
import { dueItem, dueResources, putItems, seedFillers } from './registry-seed.js';
import type { DueResource } from './registry-seed.js';
import { startSpBackends } from './sp-backends.js';
import { median, round } from './stats.js';

export interface SweepOptions {
  /** Total registry items per size, ascending. */
  registrySizes: number[];
  /** Due items in every registry. */
  due: number;
  /** Enterprises to spread the due items over (capped by the enterprises the SP has upstream). */
  corps: number;
  /** Latency the simulator adds to every Huawei call. */
  upstreamLatencyMs: number;
  /** Measured runs of each side per size (after one unmeasured sweep at the first size). */
  runs: number;
}

export interface SideFigures {
  /** SP API calls Huawei received (its request log). */
  upstreamCalls: number;
  /**
   * Lower bound on `seconds` from the upstream alone: the SP calls made, at the simulator's latency, with the
   * concurrency used, and every registry access free. Far below `seconds` means something else limits.
   */
  upstreamFloorSeconds: number;
  /** DynamoDB requests made (the lease's two writes excluded), and per operation (lease included). */
  registryRequests: RegistryRequests;
  /** Registry writes (conditional claims, records, their history entries, released claims) per item disabled. */
  writesPerDisabled: number;
  /** Registry items read: the sweep report's `itemsRead`; the Scan's ScannedCount for the baseline. */
  itemsRead: number;
  seconds: number;
  /**
   * CPU seconds this process spent in the sweep (process.cpuUsage: the simulator and dynalite run elsewhere):
   * what sizing the sweeper's memory (= CPU share) is about.
   */
  cpuSeconds: number;
  disabledPerSecond: number;
  /** Every due item was disabled upstream and recorded, in every run. */
  complete: boolean;
}

export interface SweepSizeResult extends SideFigures {
  registryItems: number;
  due: number;
  /** Enterprises the due items are spread over. */
  corps: number;
  /**
   * The verified sweep's formula: sum over enterprises of ceil(due in it / 100) PUTs plus the pages of Huawei's
   * expired listing, max(1, ceil(expired at Huawei in the due window / 100)) (here equal to the due items).
   */
  minimalCalls: number;
  runs: number;
  /** Seconds spent adding this size's not-due items (not part of any figure). */
  seedSeconds: number;
  baseline: SideFigures;
}

export interface SweepResult {
  upstreamLatencyMs: number;
  /** Enterprises asked for; `corps` in each size is what the simulator offered. */
  corpsRequested: number;
  sweepConcurrency: number;
  sizes: SweepSizeResult[];
}

interface RegistryRequests {
  reads: number;
  writes: number;
  /** Per DynamoDB operation, lease requests included. */
  byOperation: Record<string, number>;
  /** Median latency of one DynamoDB request as the sweep saw it (dynalite's queue included). */
  latencyP50Ms: number;
  /** Wall seconds with at least one DynamoDB request in flight: the registry's share of the sweep. */
  busySeconds: number;
}

interface RunFigures {
  upstreamCalls: number;
  itemsRead: number;
  seconds: number;
  cpuSeconds: number;
  disabled: number;
  registryRequests: RegistryRequests;
}

/** The sweeper's lease: one conditional PutItem to take it, one DeleteItem to give it back. */
const LEASE_WRITES = 2;

const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

/**
 * Counts the DynamoDB requests made to `port` while it is started, by operation (X-Amz-Target), through Node's
 * `http.client.request.start` channel: every request the store, the lease and the history seam send, whichever
 * store object (`withSource`) sends it. The SP calls go through undici, which does not publish there.
 */
class RegistryRequestCounter {
  private byOperation: Record<string, number> = {};
  private latenciesMs: number[] = [];
  private inFlight = 0;
  private busySince = 0;
  private busyMs = 0;
  private readonly onRequest = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    if (!String(request.getHeader('host') ?? '').endsWith(`:${this.port}`)) return;
    const operation = String(request.getHeader('x-amz-target') ?? 'unknown').replace(/^DynamoDB_\d+\./, '');
    this.byOperation[operation] = (this.byOperation[operation] ?? 0) + 1;
    // Where the sweep's time goes: each request's latency, and the time with at least one request in flight.
    const startedAt = performance.now();
    if (this.inFlight++ === 0) this.busySince = startedAt;
    request.once('close', () => {
      const endedAt = performance.now();
      this.latenciesMs.push(endedAt - startedAt);
      if (--this.inFlight === 0) this.busyMs += endedAt - this.busySince;
    });
  };

  constructor(private readonly port: string) {}

  start(): void {
    this.byOperation = {};
    this.latenciesMs = [];
    this.busyMs = 0;
    subscribe('http.client.request.start', this.onRequest);
  }

  /** Stops counting; `leaseWrites` (the sweeper's acquire and release) are left out of the writes. */
  stop(leaseWrites = 0): RegistryRequests {
    unsubscribe('http.client.request.start', this.onRequest);
    const entries = Object.entries(this.byOperation);
    const writes = entries.filter(([op]) => WRITE_OPERATIONS.has(op)).reduce((sum, [, n]) => sum + n, 0) - leaseWrites;
    const reads = entries.filter(([op]) => !WRITE_OPERATIONS.has(op)).reduce((sum, [, n]) => sum + n, 0);
    return {
      reads,
      writes,
      byOperation: { ...this.byOperation },
      latencyP50Ms: round(median(this.latenciesMs), 2),
      busySeconds: round(this.busyMs / 1000, 3),
    };
  }
}

/**
 * Seconds the upstream alone needs: enterprises taken `concurrency` at a time (as mapWithConcurrency does), each
 * making its calls one after another at `latencyMs`.
 */
export function sweeperUpstreamFloor(callsPerCorp: readonly number[], concurrency: number, latencyMs: number): number {
  const workers = new Array<number>(Math.max(1, Math.min(concurrency, callsPerCorp.length))).fill(0);
  for (const calls of callsPerCorp) {
    const earliest = workers.indexOf(Math.min(...workers));
    workers[earliest] = (workers[earliest] ?? 0) + calls * latencyMs;
  }
  return Math.max(...workers) / 1000;
}

/** The baseline's floor: a search and a PUT per due item, `concurrency` in flight. */
export function naiveUpstreamFloor(due: number, concurrency: number, latencyMs: number): number {
  return (2 * Math.ceil(due / concurrency) * latencyMs) / 1000;
}

/** The SP's own enterprises, as Huawei lists them (`GET /v1/usg/dcs/sp/corp`). */
async function spCorpIds(spApi: SpApi): Promise<string[]> {
  const response = await spApi.listCorps({ offset: 0, limit: 100 });
  if (response.status !== 200) throw new Error(`listing the SP's enterprises failed: HTTP ${response.status}`);
  return ((response.json as { data?: Array<{ id: string }> }).data ?? []).map((corp) => corp.id);
}

function byCorp(resources: readonly DueResource[]): Map<string, DueResource[]> {
  const groups = new Map<string, DueResource[]>();
  for (const r of resources) groups.set(r.corpId, [...(groups.get(r.corpId) ?? []), r]);
  return groups;
}

function chunks<T>(values: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < values.length; i += size) result.push(values.slice(i, i + size));
  return result;
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function figures(runs: readonly RunFigures[], due: number, upstreamFloorSeconds: number): SideFigures {
  const seconds = median(runs.map((r) => r.seconds));
  return {
    upstreamCalls: median(runs.map((r) => r.upstreamCalls)),
    upstreamFloorSeconds: round(upstreamFloorSeconds),
    registryRequests: {
      reads: median(runs.map((r) => r.registryRequests.reads)),
      writes: median(runs.map((r) => r.registryRequests.writes)),
      byOperation: Object.fromEntries(
        [...new Set(runs.flatMap((r) => Object.keys(r.registryRequests.byOperation)))].map((op) => [op, median(runs.map((r) => r.registryRequests.byOperation[op] ?? 0))]),
      ),
      latencyP50Ms: round(median(runs.map((r) => r.registryRequests.latencyP50Ms)), 2),
      busySeconds: round(median(runs.map((r) => r.registryRequests.busySeconds))),
    },
    writesPerDisabled: round(median(runs.map((r) => r.registryRequests.writes / Math.max(1, r.disabled))), 2),
    itemsRead: median(runs.map((r) => r.itemsRead)),
    seconds: round(seconds),
    cpuSeconds: round(median(runs.map((r) => r.cpuSeconds))),
    disabledPerSecond: round(median(runs.map((r) => r.disabled / r.seconds)), 1),
    complete: runs.every((r) => r.disabled === due),
  };
}

export async function runSweepCost(options: SweepOptions, log: (line: string) => void): Promise<SweepResult> {
  const backends = await startSpBackends({ upstreamLatencyMs: options.upstreamLatencyMs, extraCorps: options.corps });
  const { dynamo, tableName, db, client, tokens, spApi, control } = backends;
  // As the sweeper function builds it (functions/sweep/handler.ts).
  const store = new RegistryStore({ documentClient: db, tableName, batchHistory: true });
  const counter = new RegistryRequestCounter(new URL(dynamo.url).port);
  const lease = new SweepLease({ documentClient: db, tableName });
  const settings = sweepSettingsFromEnv();
  // Published by the Lambda's middleware in production; here only collected and dropped after each run.
  const metrics = new Metrics({ namespace: 'MeetingRelayBench', serviceName: 'sweep-bench' });

  try {
    const now = Date.now();
    const corpIds = (await spCorpIds(spApi)).slice(0, options.corps);
    if (corpIds.length === 0) throw new Error('the simulator lists no enterprise of the demo SP');
    const due = dueResources(options.due, corpIds, now);
    const dueByCorp = byCorp(due);
    const minimalCalls = [...dueByCorp.values()].reduce((sum, list) => sum + Math.ceil(list.length / MAX_RESOURCE_ITEMS) + pagesFor(list.length), 0);
    const dueRegistryItems = due.map((r) => dueItem(r, now));
    const sweeperFloor = sweeperUpstreamFloor(
      [...dueByCorp.values()].map((list) => Math.ceil(list.length / MAX_RESOURCE_ITEMS) + pagesFor(list.length)),
      settings.concurrency,
      options.upstreamLatencyMs,
    );

    // Huawei must know every due resource, or its disable is refused.
    for (const [corpId, list] of dueByCorp) {
      for (const chunk of chunks(list, MAX_RESOURCE_ITEMS)) {
        const body = chunk.map((r) => ({ id: r.id, type: r.type, count: 1, expireDate: r.expireDate }));
        const response = await tokens.withToken((token) =>
          client.request({ method: 'POST', path: spCorpResourcePath(corpId), headers: { 'X-Access-Token': token }, body }),
        );
        if (response.status !== 200) throw new Error(`adding resources upstream failed: HTTP ${response.status} ${response.text}`);
      }
    }

    const restore = async () => {
      await putItems(db, tableName, dueRegistryItems);
      for (const [corpId, list] of dueByCorp) {
        for (const chunk of chunks(list, MAX_RESOURCE_ITEMS)) {
          const response = await spApi.updateResources(corpId, chunk.map((r) => ({ id: r.id, type: r.type, isDisabled: false })));
          if (response.status !== 200) throw new Error(`re-enabling resources upstream failed: HTTP ${response.status}`);
        }
      }
      await control.clearRequests();
    };
    // Every SP call on an enterprise's resources (PUT and GET) has this prefix; logins do not.
    const spCallsSeen = async () => (await control.requests({ path: `${SP_CORPS_PATH}/` })).length;

    const sweeperRun = async (): Promise<RunFigures> => {
      await restore();
      const cpuAtStart = process.cpuUsage();
      counter.start();
      const startedAt = performance.now();
      const budget = sweepBudget(Date.now(), SWEEPER_TIMEOUT.toMilliseconds());
      const report = await sweep({ store, lease, spApi, config: { ...settings, leaseMs: budget.leaseMs }, deadline: budget.deadline, metrics });
      const seconds = (performance.now() - startedAt) / 1000;
      const registryRequests = counter.stop(LEASE_WRITES);
      const cpuSeconds = cpuSecondsSince(cpuAtStart);
      metrics.clearMetrics();
      if (report.status !== 'completed') log(`sweep cost: sweep ended ${report.status}: ${report.problems.join('; ')}`);
      return { upstreamCalls: await spCallsSeen(), itemsRead: report.itemsRead, seconds, cpuSeconds, disabled: report.disabled, registryRequests };
    };
    const naiveRun = async (): Promise<RunFigures> => {
      await restore();
      const cpuAtStart = process.cpuUsage();
      counter.start();
      const startedAt = performance.now();
      const report = await naiveSweep({ documentClient: db, tableName, store, spApi, concurrency: settings.concurrency });
      const seconds = (performance.now() - startedAt) / 1000;
      const cpuSeconds = cpuSecondsSince(cpuAtStart);
      const registryRequests = counter.stop();
      return { upstreamCalls: await spCallsSeen(), itemsRead: report.itemsRead, seconds, cpuSeconds, disabled: report.disabled, registryRequests };
    };

    // The token is fetched once, before any measured run, as a warm sweeper Lambda would have it.
    await tokens.getToken();
    const sizes: SweepSizeResult[] = [];
    let fillers = 0;
    for (const registryItems of options.registrySizes) {
      const wantedFillers = registryItems - options.due;
      if (wantedFillers < fillers) throw new Error('registry sizes must be ascending and at least the due count');
      const seedStartedAt = performance.now();
      log(`sweep cost: growing the registry to ${registryItems} items`);
      await seedFillers(db, tableName, { from: fillers, to: wantedFillers }, now, (written) =>
        log(`sweep cost:   ${fillers + written}/${wantedFillers} not-due items written`),
      );
      fillers = wantedFillers;
      const seedSeconds = round((performance.now() - seedStartedAt) / 1000, 1);

      // Unmeasured: the first sweep of the process pays for JIT warm-up (here and in dynalite).
      if (sizes.length === 0) await sweeperRun();
      const sweeperRuns: RunFigures[] = [];
      const naiveRuns: RunFigures[] = [];
      for (let run = 1; run <= options.runs; run++) {
        sweeperRuns.push(await sweeperRun());
        naiveRuns.push(await naiveRun());
        const last = (runs: RunFigures[]) => runs[runs.length - 1] as RunFigures;
        log(
          `sweep cost: ${registryItems} items, run ${run}/${options.runs}: sweeper ${round(last(sweeperRuns).seconds, 2)} s, ` +
            `baseline ${round(last(naiveRuns).seconds, 2)} s`,
        );
      }
      sizes.push({
        registryItems,
        due: options.due,
        corps: dueByCorp.size,
        minimalCalls,
        runs: options.runs,
        seedSeconds,
        ...figures(sweeperRuns, options.due, sweeperFloor),
        baseline: figures(naiveRuns, options.due, naiveUpstreamFloor(options.due, settings.concurrency, options.upstreamLatencyMs)),
      });
    }
    return { upstreamLatencyMs: options.upstreamLatencyMs, corpsRequested: options.corps, sweepConcurrency: settings.concurrency, sizes };
  } finally {
    await backends.stop();
  }
}
