/**
 * The benchmark report: the JSON document (the issue's keys first, details beside them), the machine it ran on,
 * the markdown tables printed at the end, and a plain check of each figure against its target. Checks only
 * describe; nothing fails on a figure.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { COLD_START_TARGETS } from './cold-start.js';
import type { ColdStartResult } from './cold-start.js';
import type { RelayResult, Comparison } from './relay-overhead.js';
import type { SweepResult, SweepSizeResult } from './sweep-cost.js';
import { syncTable } from './sync-cost.js';
import type { SyncResult } from './sync-cost.js';
import { round } from './stats.js';

/** The issue's targets. */
export const TARGETS = {
  relayP50OverheadMs: 0.5,
  relayThroughputRatio: 0.8,
  /** "Items read within a few percent of the due count". */
  itemsReadTolerance: 0.05,
  /** Issue 13: a sweep's wall time at most this many times its upstream floor (20 ms upstream latency). */
  sweepWallPerFloor: 3,
} as const;

/** Issue 13's warm-path targets: modify-vmr, concurrency 1, upstream 0 ms. */
export const WARM_PATH_TARGETS = {
  route: 'modify-vmr',
  handlerOverheadP50Ms: 0.3,
  throughputRatio: 0.5,
} as const;

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  release: string;
  arch: string;
  node: string;
  /** 1-minute load average when the run started and ended: other work on the machine shows here. */
  loadAverageAtStart: number;
  loadAverageAtEnd?: number;
}

export interface BenchReport {
  relay?: RelayResult;
  /** The same with a realistic upstream latency (full profile only): whether the relay limits throughput then. */
  relayAtUpstreamLatency?: RelayResult;
  coldStart?: ColdStartResult['functions'];
  sweep?: SweepSizeResult[];
  sync?: SyncResult;
  /** Everything else: when, where, how. */
  meta: {
    date: string;
    profile: string;
    command: string;
    gitCommit?: string;
    /** Uncommitted changes in the working tree when the run started. */
    gitDirty?: boolean;
    durationSeconds?: number;
    /** Wall time of each benchmark, its process start included. */
    benchmarkSeconds?: Record<string, number>;
    machine: MachineInfo;
    coldStart?: Omit<ColdStartResult, 'functions'>;
    sweep?: Omit<SweepResult, 'sizes'>;
  };
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    node: process.version,
    loadAverageAtStart: round(os.loadavg()[0] ?? 0, 2),
  };
}

export function gitState(cwd: string): { gitCommit?: string; gitDirty?: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { gitCommit: commit, gitDirty: status.trim() !== '' };
  } catch {
    return {};
  }
}

const yesNo = (met: boolean) => (met ? 'met' : 'missed');
const kib = (bytes: number) => `${round(bytes / 1024, 0)} KiB`;
const ms = (value: number) => `${round(value, 2)} ms`;

function comparisonRow(label: string, c: Comparison): string {
  return `| ${label} | ${ms(c.direct.p50Ms)} | ${ms(c.direct.p99Ms)} | ${c.direct.rps} | ${ms(c.relayed.p50Ms)} | ${ms(c.relayed.p99Ms)} | ${c.relayed.rps} | ${ms(c.overheadP50Ms)} | ${c.throughputRatio} |`;
}

function relayTable(relay: RelayResult, title: string): string[] {
  const registry = relay.resourceRouteRecordsRegistry
    ? 'the relayed resource route includes its registry reads and writes (dynalite)'
    : 'the resource route wrote nothing to the registry in this run (registry not wired into the handler)';
  const serial = relay.serial;
  return [
    `### ${title}`,
    '',
    `${relay.requests} requests per side per run (${relay.requests / 2} per route), median of ${relay.runs} runs, upstream latency ${relay.upstreamLatencyMs} ms; ${registry}. One registry read plus write, timed alone: ${ms(relay.registryReadWriteP50Ms)}.`,
    '',
    '| Requests | Direct p50 | Direct p99 | Direct rps | Relayed p50 | Relayed p99 | Relayed rps | p50 overhead | Throughput ratio |',
    '|---|---|---|---|---|---|---|---|---|',
    comparisonRow(`both routes, concurrency ${relay.concurrency}`, relay),
    ...Object.entries(relay.routes).map(([route, c]) => comparisonRow(`${route}, concurrency ${relay.concurrency}`, c)),
    ...(serial === undefined
      ? []
      : [
          comparisonRow('both routes, concurrency 1', serial),
          ...Object.entries(serial.routes).map(([route, c]) => comparisonRow(`${route}, concurrency 1`, c)),
        ]),
    ...roundTripLines(relay),
    ...profileLines(relay),
  ];
}

function roundTripLines(relay: RelayResult): string[] {
  if (!relay.registryRoundTrips?.length) return [];
  const overhead = relay.serial?.routes['modify-resources']?.overheadP50Ms;
  return [
    '',
    `modify-resources, registry round trips per request (DynamoDB requests counted at the HTTP client, ${relay.registryRoundTrips[0]?.requests ?? 0} sequential requests each)${overhead === undefined ? '' : `, next to its p50 overhead at concurrency 1 (${ms(overhead)}, 1 item)`}:`,
    '',
    '| Items per request | Round trips per request | By operation |',
    '|---|---|---|',
    ...relay.registryRoundTrips.map(
      (r) => `| ${r.itemsPerRequest} | ${r.perRequest} | ${Object.entries(r.byOperation).map(([operation, count]) => `${operation} ${count}`).join(', ')} |`,
    ),
  ];
}

function profileLines(relay: RelayResult): string[] {
  const profile = relay.warmPathProfile;
  if (!profile) return [];
  const row = (p: { name: string; msPerCall: number; share: number }) => `| ${p.name} | ${round(p.msPerCall * 1000, 1)} µs | ${Math.round(p.share * 100)}% |`;
  return [
    '',
    `${profile.route} warm path, CPU profile of ${profile.relayed.calls} sequential calls per side: busy CPU ${round(profile.relayed.busyMsPerCall * 1000, 1)} µs per relayed call, ${round(profile.direct.busyMsPerCall * 1000, 1)} µs per direct call (the client's own work), difference ${round((profile.relayed.busyMsPerCall - profile.direct.busyMsPerCall) * 1000, 1)} µs.`,
    '',
    '| Relayed call: where the CPU goes | Per call | Share |',
    '|---|---|---|',
    ...profile.relayed.byPart.map(row),
    '',
    '| Relayed call: top functions (self time) | Per call | Share |',
    '|---|---|---|',
    ...profile.relayed.topFunctions.slice(0, 8).map(row),
  ];
}

function coldStartTable(functions: ColdStartResult['functions'], meta: Omit<ColdStartResult, 'functions'>): string[] {
  const flags = meta.nodeOptions === '' ? 'no NODE_OPTIONS' : `NODE_OPTIONS=\`${meta.nodeOptions}\``;
  return [
    `### Cold start`,
    '',
    `Bundled by CDK with the stack's options; import time is the median of ${meta.runs} fresh \`node\` processes minus the empty module's (${ms(meta.emptyImportMs)}), as deployed (${flags}). Before: the same entry with undici's and zod's full indexes, imported with \`--enable-source-maps\` (the stack before issue 13), measured in the same rounds.`,
    '',
    '| Function | Bundle (before) | Gzipped (before) | Budget | Import as deployed | Before | Ratio | Import CPU (before) | With source maps | Without | RSS after import |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...functions.map(
      (f) =>
        `| ${f.function} | ${kib(f.bundleBytes)} (${kib(f.before.bundleBytes)}) | ${kib(f.gzipBytes)} (${kib(f.before.gzipBytes)}) | ${kib(f.budgetBytes)} | ${ms(f.importMs)} | ${ms(f.before.importMs)} | ${round(f.importMs / f.before.importMs, 2)} | ${ms(f.importCpuMs)} (${ms(f.before.importCpuMs)}) | ${ms(f.importMsWithSourceMaps)} | ${ms(f.importMsWithoutSourceMaps)} | ${f.rssAfterImportMb} MB |`,
    ),
    '',
    '| Function | Largest packages (share of bundle) | AWS SDK | Same bytes as the stack | Memory | Estimated init at that memory | Suggested memory |',
    '|---|---|---|---|---|---|---|',
    ...functions.map(
      (f) =>
        `| ${f.function} | ${f.topPackages
          .slice(0, 4)
          .map((p) => `${p.name} ${kib(p.bytes)}`)
          .join(', ')} | ${kib(f.awsSdkBytes)} | ${f.identicalToStack ? 'yes' : 'NO'} | ${f.memoryMb} MB | ${ms(f.estimatedInitMsAtMemory)} | ${f.suggestedMemoryMb === undefined ? 'not by this rule (see docs/performance.md)' : `${f.suggestedMemoryMb} MB`} |`,
    ),
  ];
}

function wallPerFloor(s: { seconds: number; upstreamFloorSeconds: number }): number {
  return round(s.seconds / Math.max(s.upstreamFloorSeconds, 1e-9), 2);
}

function sweepTable(sizes: SweepSizeResult[], meta: Omit<SweepResult, 'sizes'>): string[] {
  return [
    `### Sweep cost`,
    '',
    `Upstream latency ${meta.upstreamLatencyMs} ms, SWEEP_CONCURRENCY ${meta.sweepConcurrency} (the baseline keeps as many calls in flight); medians of ${sizes[0]?.runs ?? 0} runs per side.`,
    '',
    'Seconds are wall time of one sweep; in brackets, the floor the upstream alone would impose (calls x latency at that concurrency).',
    '',
    '| Registry items | Due | Enterprises | SP calls (minimal) | Items read | Registry writes (per disabled) | Seconds (floor) | Wall / floor | CPU seconds | Disabled/s | Baseline SP calls | Baseline items read | Baseline registry writes | Baseline seconds (floor) | Baseline disabled/s |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...sizes.map(
      (s) =>
        `| ${s.registryItems} | ${s.due} | ${s.corps} | ${s.upstreamCalls} (${s.minimalCalls}) | ${s.itemsRead} | ${s.registryRequests.writes} (${s.writesPerDisabled}) | ${s.seconds} (${s.upstreamFloorSeconds}) | ${wallPerFloor(s)} | ${s.cpuSeconds} | ${s.disabledPerSecond} | ${s.baseline.upstreamCalls} | ${s.baseline.itemsRead} | ${s.baseline.registryRequests.writes} | ${s.baseline.seconds} (${s.baseline.upstreamFloorSeconds}) | ${s.baseline.disabledPerSecond} |`,
    ),
  ];
}

/** One line per target: the figure, the target, met or missed. */
export function targetChecks(report: BenchReport): string[] {
  const lines: string[] = [];
  const { relay, relayAtUpstreamLatency: relayAtLatency, sweep } = report;
  const sweepMeta = report.meta.sweep;
  const overheadLine = (what: string, value: number) =>
    `- Relay p50 overhead, ${what}: ${ms(value)} (target <= ${TARGETS.relayP50OverheadMs} ms): ${yesNo(value <= TARGETS.relayP50OverheadMs)}`;
  const throughputLine = (what: string, value: number) =>
    `- Relay throughput ratio, ${what}: ${value} (target >= ${TARGETS.relayThroughputRatio}): ${yesNo(value >= TARGETS.relayThroughputRatio)}`;
  for (const [result, upstream] of [
    [relay, 'upstream 0 ms'],
    [relayAtLatency, `upstream ${relayAtLatency?.upstreamLatencyMs ?? 0} ms`],
  ] as const) {
    if (!result) continue;
    const at = `concurrency ${result.concurrency}, ${upstream}`;
    lines.push(overheadLine(`both routes, ${at}`, result.overheadP50Ms));
    for (const [route, c] of Object.entries(result.routes)) lines.push(overheadLine(`${route}, ${at}`, c.overheadP50Ms));
    for (const [route, c] of Object.entries(result.serial?.routes ?? {})) {
      lines.push(overheadLine(`${route}, concurrency 1, ${upstream}`, c.overheadP50Ms));
    }
    lines.push(throughputLine(`both routes, ${at}`, result.throughputRatio));
    for (const [route, c] of Object.entries(result.routes)) lines.push(throughputLine(`${route}, ${at}`, c.throughputRatio));
  }
  for (const f of report.coldStart ?? []) {
    lines.push(
      `- Cold start, ${f.function}: import ${ms(f.importMs)} as deployed (target <= ${COLD_START_TARGETS.importMs} ms): ${yesNo(f.importMs <= COLD_START_TARGETS.importMs)}; before ${ms(f.before.importMs)} (ratio ${round(f.importMs / f.before.importMs, 2)}); bundle ${kib(f.bundleBytes)} of its ${kib(f.budgetBytes)} budget: ${f.bundleBytes <= f.budgetBytes ? 'within' : 'OVER'}`,
    );
    if (f.function === COLD_START_TARGETS.stretch.function) {
      lines.push(`- Cold start stretch, ${f.function}: ${ms(f.importMs)} (target <= ${COLD_START_TARGETS.stretch.importMs} ms): ${yesNo(f.importMs <= COLD_START_TARGETS.stretch.importMs)}`);
    }
  }
  const warm = relay?.serial?.routes[WARM_PATH_TARGETS.route];
  if (warm) {
    lines.push(
      `- Warm path, ${WARM_PATH_TARGETS.route}, concurrency 1, upstream ${relay?.upstreamLatencyMs} ms: handler overhead p50 ${ms(warm.overheadP50Ms)} (target <= ${WARM_PATH_TARGETS.handlerOverheadP50Ms} ms): ${yesNo(warm.overheadP50Ms <= WARM_PATH_TARGETS.handlerOverheadP50Ms)}; relayed/direct throughput ${warm.throughputRatio} (target >= ${WARM_PATH_TARGETS.throughputRatio}): ${yesNo(warm.throughputRatio >= WARM_PATH_TARGETS.throughputRatio)}`,
    );
  }
  for (const s of sweep ?? []) {
    const readShare = s.itemsRead / s.due - 1;
    lines.push(
      `- Sweep at ${s.registryItems} items: SP calls ${s.upstreamCalls} vs the formula ${s.minimalCalls}: ${yesNo(s.upstreamCalls === s.minimalCalls)}; items read ${s.itemsRead} for ${s.due} due (+${round(readShare * 100, 1)}%, target within ${TARGETS.itemsReadTolerance * 100}%): ${yesNo(readShare <= TARGETS.itemsReadTolerance)}; every due item disabled: ${s.complete && s.baseline.complete ? 'yes' : 'NO'}`,
      `- Sweep cost at ${s.registryItems} items, upstream ${sweepMeta?.upstreamLatencyMs ?? '?'} ms: ${s.seconds} s against the upstream floor ${s.upstreamFloorSeconds} s, ${wallPerFloor(s)}x (target <= ${TARGETS.sweepWallPerFloor}x): ${yesNo(wallPerFloor(s) <= TARGETS.sweepWallPerFloor)}; registry writes per disabled item ${s.writesPerDisabled} (${Object.entries(s.registryRequests.byOperation).map(([op, n]) => `${op} ${n}`).join(', ')}, lease included); registry busy ${s.registryRequests.busySeconds} s of the ${s.seconds} s, request p50 ${s.registryRequests.latencyP50Ms} ms`,
    );
  }
  for (const s of report.sync?.sizes ?? []) {
    lines.push(
      `- Sync of ${s.resourcesSeen} unchanged resources: SP calls ${s.unchanged.spCalls} vs page-count minimum ${s.unchanged.minimalCalls}: ${yesNo(s.unchanged.spCalls === s.unchanged.minimalCalls)}; registry writes ${s.unchanged.registryWrites} (target 0): ${yesNo(s.unchanged.registryWrites === 0)}`,
    );
  }
  return lines;
}

export function markdown(report: BenchReport): string {
  const { machine } = report.meta;
  const lines = [
    `## Benchmark results (${report.meta.profile})`,
    '',
    `\`${report.meta.command}\` on ${report.meta.date}, commit ${report.meta.gitCommit?.slice(0, 12) ?? 'unknown'}${report.meta.gitDirty ? ' with uncommitted changes' : ''}.`,
    `Machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.platform} ${machine.release} ${machine.arch}, Node ${machine.node}; 1-minute load ${machine.loadAverageAtStart} at start${machine.loadAverageAtEnd === undefined ? '' : `, ${machine.loadAverageAtEnd} at end`}.`,
    '',
  ];
  if (report.relay) lines.push(...relayTable(report.relay, 'Relay overhead'), '');
  if (report.relayAtUpstreamLatency) {
    lines.push(...relayTable(report.relayAtUpstreamLatency, `Relay overhead with upstream latency ${report.relayAtUpstreamLatency.upstreamLatencyMs} ms`), '');
  }
  if (report.coldStart && report.meta.coldStart) lines.push(...coldStartTable(report.coldStart, report.meta.coldStart), '');
  if (report.sweep && report.meta.sweep) lines.push(...sweepTable(report.sweep, report.meta.sweep), '');
  if (report.sync) lines.push(...syncTable(report.sync), '');
  lines.push('### Targets', '', ...targetChecks(report), '');
  return lines.join('\n');
}
