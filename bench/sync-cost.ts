/**
 * Sync cost: Huawei holding `resources` resources spread evenly over `corps` enterprises (plus the demo ones),
 * synced by the real `sync()` (production RegistryStore, HuaweiClient, SP token provider and SpApi):
 *
 * - the first sync adopts the whole fleet into an empty registry (two writes per resource: the create and its
 *   confirmation);
 * - then `runs` syncs of the unchanged fleet: SP calls against the page-count minimum, registry writes (must be
 *   0), seconds;
 * - then `runs` incremental syncs of the unchanged fleet (changed-corps.ts: the enterprise pages and one
 *   operation-record query per enterprise), and `runs` incremental syncs after one resource of one enterprise was
 *   renewed directly at Huawei: SP calls, registry reads and writes, seconds, beside the full pass's.
 *
 * The bench cannot wait an hour between syncs, so the sync's clock runs `OVERLAP_MS` + 1 s ahead of the
 * simulator's: an incremental run's record window (from the previous clean run's start less `OVERLAP_MS`) then
 * starts 1 s after that run's start by Huawei's clock. The setup's records fall before it (as they would an hour
 * later), and a change made after the previous run falls in it.
 *
 * Beside it, the naive baseline: a search per registered resource (`searchKey=<id>`), with SYNC's concurrency.
 * It is measured on a sample of `baselineSample` resources and its seconds scaled to the whole fleet (its calls
 * are exactly one per resource); the sample is said in the table.
 *
 * The simulator and dynalite run in their own processes; a fresh pair per size.
 */
import { performance } from 'node:perf_hooks';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { HuaweiClient } from '../functions/shared/huawei/client.js';
import type { ResourceType } from '../functions/shared/huawei/schemas.js';
import { SP_CORPS_PATH, SpApi, spCorpResourcePath } from '../functions/shared/huawei/sp-api.js';
import { MAX_RESOURCE_ITEMS } from '../functions/shared/limits.js';
import { mapWithConcurrency } from '../functions/shared/registry/concurrency.js';
import { pagesFor, SEARCH_PAGE_LIMIT } from '../functions/shared/registry/huawei-listing.js';
import { RegistryStore } from '../functions/shared/registry/store.js';
import { OVERLAP_MS } from '../functions/sync/changed-corps.js';
import type { SyncMode } from '../functions/sync/changed-corps.js';
import { SYNC_DEFAULTS } from '../functions/sync/config.js';
import { sync } from '../functions/sync/sync.js';
import { SyncWatermark } from '../functions/sync/watermark.js';
import { DEMO_RESOURCES } from '../local/simulator/demo-data.js';
import { extraCorpId } from '../local/simulator/state.js';
import { startSpBackends } from './sp-backends.js';
import { median, round } from './stats.js';

export interface SyncOptions {
  sizes: Array<{ resources: number; corps: number }>;
  upstreamLatencyMs: number;
  /** Measured syncs of the unchanged fleet per size. */
  runs: number;
  /** Resources the baseline is measured on (its seconds are scaled to the fleet). */
  baselineSample: number;
}

export interface SyncSizeResult {
  resources: number;
  corps: number;
  /** Resources Huawei lists in total (the demo enterprises included). */
  resourcesSeen: number;
  adoption: { seconds: number; registryWrites: number; spCalls: number };
  /** Medians over `runs` syncs of the unchanged fleet. */
  unchanged: { spCalls: number; minimalCalls: number; registryWrites: number; registryReads: number; seconds: number };
  /** Medians over `runs` incremental syncs of the unchanged fleet. */
  incremental: IncrementalFigures;
  /** Medians over `runs` incremental syncs, each after one resource of one enterprise was renewed at Huawei. */
  incrementalOneChanged: IncrementalFigures;
  baseline: { spCalls: number; sample: number; sampleSeconds: number; seconds: number };
  runs: number;
}

export interface IncrementalFigures {
  spCalls: number;
  /** Enterprises the run read in full (the others were skipped on their records). */
  enterprisesRead: number;
  registryReads: number;
  registryWrites: number;
  seconds: number;
}

export interface SyncResult {
  upstreamLatencyMs: number;
  concurrency: number;
  sizes: SyncSizeResult[];
}

const TYPES: readonly ResourceType[] = ['VMR', 'SOFT', 'CONF_CALL', 'HARD_1080P'];
const YEAR_MS = 365 * 86_400_000;

export async function runSyncCost(options: SyncOptions, log: (line: string) => void): Promise<SyncResult> {
  const sizes: SyncSizeResult[] = [];
  for (const size of options.sizes) sizes.push(await runSize(size, options, log));
  return { upstreamLatencyMs: options.upstreamLatencyMs, concurrency: SYNC_DEFAULTS.concurrency, sizes };
}

async function runSize(size: { resources: number; corps: number }, options: SyncOptions, log: (line: string) => void): Promise<SyncSizeResult> {
  const backends = await startSpBackends({ upstreamLatencyMs: options.upstreamLatencyMs, extraCorps: size.corps });
  const { tableName, db, client, tokens, spApi, control } = backends;
  const store = new RegistryStore({ documentClient: db, tableName });
  const watermark = new SyncWatermark({ documentClient: db, tableName });
  /** See the module comment: the sync's clock, OVERLAP_MS + 1 s ahead of the simulator's. */
  const syncNow = () => Date.now() + OVERLAP_MS + 1_000;
  const metrics = new Metrics({ namespace: 'MeetingRelayBench', serviceName: 'sync-bench' });
  const spCalls = async () => (await control.requests({ path: SP_CORPS_PATH })).length;

  try {
    log(`sync cost: adding ${size.resources} resources over ${size.corps} enterprises upstream`);
    const perCorp = Math.ceil(size.resources / size.corps);
    const now = Date.now();
    await tokens.getToken();
    const corpIds = Array.from({ length: size.corps }, (_, i) => extraCorpId(i + 1));
    await mapWithConcurrency(corpIds, 8, async (corpId, c) => {
      for (let start = 0; start < perCorp; start += MAX_RESOURCE_ITEMS) {
        const body = Array.from({ length: Math.min(MAX_RESOURCE_ITEMS, perCorp - start) }, (_, i) => ({
          id: `bench-${c}-${start + i}`,
          type: TYPES[(start + i) % TYPES.length],
          count: 1,
          expireDate: now + YEAR_MS + ((start + i) % 365) * 86_400_000,
        }));
        const response = await tokens.withToken((token) =>
          client.request({ method: 'POST', path: spCorpResourcePath(corpId), headers: { 'X-Access-Token': token }, body }),
        );
        if (response.status !== 200) throw new Error(`adding resources upstream failed: HTTP ${response.status} ${response.text}`);
      }
    });
    const demoPerCorp = new Map<string, number>();
    for (const r of DEMO_RESOURCES) demoPerCorp.set(r.corpId, (demoPerCorp.get(r.corpId) ?? 0) + 1);
    const totalCorps = size.corps + demoPerCorp.size;
    const minimalCalls =
      pagesFor(totalCorps) + size.corps * pagesFor(perCorp) + [...demoPerCorp.values()].reduce((sum, n) => sum + pagesFor(n), 0);

    const runSync = async (mode: SyncMode = 'full') => {
      await control.clearRequests();
      const startedAt = performance.now();
      const report = await sync({
        store,
        watermark,
        mode,
        spApi,
        config: { dryRun: false, corpIds: [], concurrency: SYNC_DEFAULTS.concurrency },
        now: syncNow,
        deadline: syncNow() + 3_600_000,
        metrics,
      });
      const seconds = (performance.now() - startedAt) / 1000;
      metrics.clearMetrics();
      if (report.status !== 'completed') log(`sync cost: sync ended ${report.status}: ${report.problems.slice(0, 3).join('; ')}`);
      return { report, seconds, calls: await spCalls() };
    };

    log(`sync cost: ${size.resources} resources: adopting into an empty registry`);
    const adoption = await runSync();
    const unchanged: Array<Awaited<ReturnType<typeof runSync>>> = [];
    for (let run = 1; run <= options.runs; run++) {
      unchanged.push(await runSync());
      log(`sync cost: ${size.resources} resources, unchanged run ${run}/${options.runs}: ${round(unchanged.at(-1)?.seconds ?? 0, 2)} s`);
    }
    const incremental: Array<Awaited<ReturnType<typeof runSync>>> = [];
    for (let run = 1; run <= options.runs; run++) {
      incremental.push(await runSync('incremental'));
      log(`sync cost: ${size.resources} resources, incremental unchanged run ${run}/${options.runs}: ${round(incremental.at(-1)?.seconds ?? 0, 2)} s`);
    }
    const oneChanged: Array<Awaited<ReturnType<typeof runSync>>> = [];
    for (let run = 1; run <= options.runs; run++) {
      // After the previous run's start + 1 s by Huawei's clock (module comment), so its record is in the window.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const c = run % size.corps;
      const renewed = await spApi.updateResources(corpIds[c] as string, [{ id: `bench-${c}-0`, type: TYPES[0], expireDate: now + 2 * YEAR_MS + run }]);
      if (renewed.status !== 200) throw new Error(`renewing at Huawei failed: HTTP ${renewed.status}`);
      oneChanged.push(await runSync('incremental'));
      log(`sync cost: ${size.resources} resources, incremental run ${run}/${options.runs} with one enterprise changed: ${round(oneChanged.at(-1)?.seconds ?? 0, 2)} s`);
    }
    for (const r of [...incremental, ...oneChanged]) {
      if (r.report.mode !== 'incremental') throw new Error(`an incremental run was a full pass: ${r.report.fullPassReason ?? ''}`);
    }

    // Baseline: one search per registered resource, on a sample.
    const sample = Math.min(options.baselineSample, size.resources);
    const sampleIds = Array.from({ length: sample }, (_, i) => {
      const c = i % size.corps;
      return { corpId: corpIds[c] as string, id: `bench-${c}-${Math.floor(i / size.corps) % perCorp}` };
    });
    await control.clearRequests();
    const baselineStartedAt = performance.now();
    await mapWithConcurrency(sampleIds, SYNC_DEFAULTS.concurrency, async ({ corpId, id }) => {
      const response = await spApi.queryResources(corpId, { searchKey: id, limit: SEARCH_PAGE_LIMIT });
      if (response.status !== 200) throw new Error(`baseline search failed: HTTP ${response.status}`);
    });
    const sampleSeconds = (performance.now() - baselineStartedAt) / 1000;

    return {
      resources: size.resources,
      corps: size.corps,
      resourcesSeen: adoption.report.resourcesSeen,
      adoption: { seconds: round(adoption.seconds, 1), registryWrites: adoption.report.registryWrites, spCalls: adoption.calls },
      unchanged: {
        spCalls: median(unchanged.map((u) => u.calls)),
        minimalCalls,
        registryWrites: median(unchanged.map((u) => u.report.registryWrites)),
        registryReads: median(unchanged.map((u) => u.report.registryReads)),
        seconds: round(median(unchanged.map((u) => u.seconds))),
      },
      incremental: incrementalFigures(incremental),
      incrementalOneChanged: incrementalFigures(oneChanged),
      baseline: {
        spCalls: adoption.report.resourcesSeen,
        sample,
        sampleSeconds: round(sampleSeconds),
        seconds: round((sampleSeconds * adoption.report.resourcesSeen) / sample, 1),
      },
      runs: options.runs,
    };
  } finally {
    await backends.stop();
  }
}

function incrementalFigures(runs: ReadonlyArray<{ report: { enterprises: number; registryReads: number; registryWrites: number }; seconds: number; calls: number }>): IncrementalFigures {
  return {
    spCalls: median(runs.map((r) => r.calls)),
    enterprisesRead: median(runs.map((r) => r.report.enterprises)),
    registryReads: median(runs.map((r) => r.report.registryReads)),
    registryWrites: median(runs.map((r) => r.report.registryWrites)),
    seconds: round(median(runs.map((r) => r.seconds))),
  };
}

export function syncTable(result: SyncResult): string[] {
  return [
    '### Sync cost',
    '',
    `Upstream latency ${result.upstreamLatencyMs} ms, ${result.concurrency} enterprises in parallel; unchanged-fleet figures are medians of ${result.sizes[0]?.runs ?? 0} runs. The baseline (a search per resource) is timed on a sample and scaled to the fleet.`,
    '',
    '| Resources | Enterprises | Adoption: seconds (writes) | Unchanged: SP calls (minimum) | Unchanged: registry writes | Unchanged: registry reads | Unchanged: seconds | Baseline: SP calls | Baseline: seconds (sample) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...result.sizes.map(
      (s) =>
        `| ${s.resourcesSeen} | ${s.corps} | ${s.adoption.seconds} (${s.adoption.registryWrites}) | ${s.unchanged.spCalls} (${s.unchanged.minimalCalls}) | ${s.unchanged.registryWrites} | ${s.unchanged.registryReads} | ${s.unchanged.seconds} | ${s.baseline.spCalls} | ${s.baseline.seconds} (${s.baseline.sampleSeconds} for ${s.baseline.sample}) |`,
    ),
    '',
    'Incremental syncs (operation records pick the enterprises to read) beside the full pass, same fleets:',
    '',
    '| Resources | Enterprises | Run | SP calls | Enterprises read | Registry item reads | Registry writes | Seconds |',
    '|---|---|---|---|---|---|---|---|',
    ...result.sizes.flatMap((s) => [
      `| ${s.resourcesSeen} | ${s.corps} | full pass, unchanged | ${s.unchanged.spCalls} | all | ${s.unchanged.registryReads} | ${s.unchanged.registryWrites} | ${s.unchanged.seconds} |`,
      `| ${s.resourcesSeen} | ${s.corps} | incremental, unchanged | ${s.incremental.spCalls} | ${s.incremental.enterprisesRead} | ${s.incremental.registryReads} | ${s.incremental.registryWrites} | ${s.incremental.seconds} |`,
      `| ${s.resourcesSeen} | ${s.corps} | incremental, one enterprise changed | ${s.incrementalOneChanged.spCalls} | ${s.incrementalOneChanged.enterprisesRead} | ${s.incrementalOneChanged.registryReads} | ${s.incrementalOneChanged.registryWrites} | ${s.incrementalOneChanged.seconds} |`,
    ]),
  ];
}
