/**
 * `npm run bench [-- --quick] [-- --only relay,relayAtUpstreamLatency,coldStart,sweep,sync]`: runs the benchmarks one after another, each
 * in its own process (bench/child.ts), prints the markdown tables and writes the JSON report to $BENCH_OUT
 * (default bench/results/latest.json). Sizes: bench/profiles.ts. Nothing here fails on a figure; a benchmark
 * fails only when the thing it measures misbehaves (a non-200 answer, a bundle that does not load).
 */
import { BENCH_ENV } from './env.js';
import { envInteger, envText } from '../functions/shared/env-values.js';
import { LOCAL_ENV } from '../local/env.js';
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeCharts } from './charts.js';
import type { BenchReply, BenchRequest } from './child.js';
import type { ColdStartResult } from './cold-start.js';
import { PROFILES } from './profiles.js';
import type { BenchProfile, ProfileName } from './profiles.js';
import type { RelayResult } from './relay-overhead.js';
import { gitState, machineInfo, markdown } from './report.js';
import type { BenchReport } from './report.js';
import { round } from './stats.js';
import type { SweepResult } from './sweep-cost.js';
import type { SyncResult } from './sync-cost.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_OUT = path.join(REPO_ROOT, 'bench', 'results', 'latest.json');
const BENCHMARKS = ['relay', 'relayAtUpstreamLatency', 'coldStart', 'sweep', 'sync'] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];

function parseCommandLine(): { profile: ProfileName; only: BenchmarkName[] } {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
    allowPositionals: false,
  });
  const only = values.only === undefined ? [...BENCHMARKS] : values.only.split(',').map((name) => name.trim());
  const unknown = only.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--only takes ${BENCHMARKS.join(', ')} (got ${unknown.join(', ')})`);
  return { profile: values.quick ? 'quick' : 'full', only: only as BenchmarkName[] };
}

/** How this run was started, as someone would type it again. */
function commandLine(): string {
  const args = process.argv.slice(2);
  const latency = envText(process.env, LOCAL_ENV.simulatorLatencyMs);
  const prefix = latency === undefined ? '' : `${LOCAL_ENV.simulatorLatencyMs}=${latency} `;
  return `${prefix}npm run bench${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
}

function runChild(request: BenchRequest): Promise<BenchReply> {
  const child = fork(new URL('./child.ts', import.meta.url), [], {
    cwd: REPO_ROOT,
    // stdout: the functions' own log lines, dropped as Lambda would ship them elsewhere.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: {
      ...process.env,
      // The machines run Node 20; the SDK's notice about it is noise here.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      CDK_DISABLE_VERSION_CHECK: '1',
    },
  });
  return new Promise((resolve, reject) => {
    let reply: BenchReply | undefined;
    child.once('message', (message: BenchReply) => (reply = message));
    child.once('error', reject);
    // 'close' comes after the IPC channel has delivered everything.
    child.once('close', (code) => (reply ? resolve(reply) : reject(new Error(`${request.benchmark} benchmark exited with ${code} and no result`))));
    child.send(request);
  });
}

/**
 * SIMULATOR_LATENCY_MS, when set, replaces the profile's "realistic" upstream latency (sweep, relay at latency);
 * the first relay benchmark keeps 0 ms so that only the relay's own work shows.
 */
function withUpstreamLatencyFromEnv(profile: BenchProfile): BenchProfile {
  const latencyMs = envInteger(process.env, LOCAL_ENV.simulatorLatencyMs, {
    fallback: undefined,
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    rule: 'must be a non-negative integer',
  });
  if (latencyMs === undefined) return profile;
  return {
    ...profile,
    sweep: { ...profile.sweep, upstreamLatencyMs: latencyMs },
    sync: { ...profile.sync, upstreamLatencyMs: latencyMs },
    ...(profile.relayAtUpstreamLatency ? { relayAtUpstreamLatency: { ...profile.relayAtUpstreamLatency, upstreamLatencyMs: latencyMs } } : {}),
  };
}

async function main(): Promise<void> {
  const { profile, only } = parseCommandLine();
  const settings = withUpstreamLatencyFromEnv(PROFILES[profile]);
  const startedAt = Date.now();
  const meta: BenchReport['meta'] = {
    date: new Date(startedAt).toISOString(),
    profile,
    command: commandLine(),
    ...gitState(REPO_ROOT),
    machine: machineInfo(),
  };
  const results: Omit<BenchReport, 'meta'> = {};

  for (const benchmark of only) {
    const options = settings[benchmark];
    if (options === undefined) continue;
    process.stderr.write(`[bench] ${benchmark}: starting (${profile})\n`);
    const benchmarkStartedAt = Date.now();
    const reply = await runChild({ benchmark, options } as BenchRequest);
    if (!reply.ok) throw new Error(`${benchmark} benchmark failed: ${reply.error}`);
    const seconds = round((Date.now() - benchmarkStartedAt) / 1000, 1);
    (meta.benchmarkSeconds ??= {})[benchmark] = seconds;
    process.stderr.write(`[bench] ${benchmark}: done in ${seconds} s\n`);
    if (benchmark === 'relay' || benchmark === 'relayAtUpstreamLatency') {
      results[benchmark] = reply.result as RelayResult;
    } else if (benchmark === 'coldStart') {
      const { functions, ...rest } = reply.result as ColdStartResult;
      results.coldStart = functions;
      meta.coldStart = rest;
    } else if (benchmark === 'sync') {
      results.sync = reply.result as SyncResult;
    } else {
      const { sizes, ...rest } = reply.result as SweepResult;
      results.sweep = sizes;
      meta.sweep = rest;
    }
  }

  meta.durationSeconds = round((Date.now() - startedAt) / 1000, 1);
  meta.machine.loadAverageAtEnd = round(os.loadavg()[0] ?? 0, 2);
  // The issue's keys first, in its order.
  const report: BenchReport = { ...results, meta };
  const out = path.resolve(envText(process.env, BENCH_ENV.benchOut) ?? DEFAULT_OUT);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  const svgs = writeCharts(report, out);
  process.stdout.write(
    `${markdown(report)}\nJSON: ${path.relative(process.cwd(), out) || out} (${report.meta.durationSeconds} s)${svgs.length > 0 ? `; charts beside it: ${svgs.join(', ')}` : ''}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
