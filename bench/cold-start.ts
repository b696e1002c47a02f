/**
 * Cold start: each function bundled as the stack bundles it (bench/bundles.ts), its bundle and gzipped size,
 * what makes up that size (esbuild metafile), and the median time a fresh Node process takes to import the
 * bundle, minus the median import time of an empty module measured the same way. Runs alternate
 * (empty, each function, empty, each function...) so that machine noise spreads over all of them.
 *
 * Measured in the same rounds, so that ratios hold on a busy machine:
 * - each bundle with and without `--enable-source-maps` (whatever the stack deploys is "as deployed");
 * - a "before" bundle per function: the same entry built with the same esbuild options, plus undici's and zod's
 *   full indexes kept (what the functions loaded before the slim undici entry and zod/mini), imported with
 *   `--enable-source-maps` (the NODE_OPTIONS the stack deployed before).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { HTTP_ROUTES } from '../functions/shared/routes.js';
import { ESBUILD_BUNDLE_OPTIONS, SOURCE_MAP_NODE_OPTIONS, bundleBudgetBytes } from '../lib/bundling.js';
import { functionMemoryMb } from '../lib/constructs/relay-function.js';
import { PROJECT_ROOT } from '../lib/paths.js';
import { LOCAL_REGION } from '../local/gateway/http-api-event.js';
import { bundleFunctions } from './bundles.js';
import type { BundledFunction, EsbuildMetafile } from './bundles.js';
import { median, round } from './stats.js';

export interface ColdStartOptions {
  /** Fresh processes per bundle (and for the empty baseline). */
  runs: number;
}

/** The targets for the import time over an empty module, with the deployed NODE_OPTIONS. */
export const COLD_START_TARGETS = {
  importMs: 50,
  /** Stretch target, modify-vmr only. */
  stretch: { function: 'modify-vmr', importMs: 25 },
} as const;

/** Lambda gives one full vCPU at 1,769 MB and a proportional share below (AWS Lambda docs). */
export const FULL_VCPU_MEMORY_MB = 1769;
/** Memory sizes the suggestion picks from. */
export const MEMORY_STEPS_MB = [128, 256, 512, 1024, 1536, 1769] as const;
/** The suggestion's rule: the smallest size whose estimated import stays within this (relays are mostly cold). */
export const SUGGESTED_INIT_BUDGET_MS = 100;

export interface SizeShare {
  /** An npm package (`@aws-sdk/client-dynamodb`) or, for our own code, its top folder (`functions/`). */
  name: string;
  bytes: number;
  /** Share of the bundle, 0-1. */
  share: number;
}

export interface ColdStartEntry {
  function: string;
  bundleBytes: number;
  gzipBytes: number;
  /** Median import time minus the empty module's, in ms, with the NODE_OPTIONS the stack deploys. */
  importMs: number;
  /** The same with and without --enable-source-maps, whatever the stack deploys. */
  importMsWithSourceMaps: number;
  importMsWithoutSourceMaps: number;
  /** The same as CPU time (user + system) over the empty module's: a cross-check on a busy machine. */
  importCpuMs: number;
  /** Median RSS of the process right after the import, with the deployed NODE_OPTIONS. */
  rssAfterImportMb: number;
  /** The size budget of lib/bundling.ts (test/cdk/bundle.test.ts fails past it). */
  budgetBytes: number;
  /**
   * Memory the stack gives the function, and, for the HTTP routes (each call mostly a cold start), what the rule
   * of docs/performance.md suggests from importMs. Scheduled functions are sized by their duration instead.
   */
  memoryMb: number;
  suggestedMemoryMb?: number;
  /** importMs scaled to the CPU share of `memoryMb` (an estimate: Lambda's CPU share is proportional to memory). */
  estimatedInitMsAtMemory: number;
  /** The same function before issue 13 (full undici and zod, --enable-source-maps), measured in the same rounds. */
  before: { bundleBytes: number; gzipBytes: number; importMs: number; importCpuMs: number };
  /** Whether the metafile build matched the stack's bundle byte for byte. */
  identicalToStack: boolean;
  /** Largest contributors by package (10), and by single input file (5). */
  topPackages: SizeShare[];
  topInputs: SizeShare[];
  /** Bytes of the AWS SDK v3 (every @aws-sdk, @smithy and @aws-crypto package together). */
  awsSdkBytes: number;
}

export interface ColdStartResult {
  runs: number;
  /** Median import time of the empty module (the baseline subtracted above). */
  emptyImportMs: number;
  /** The environment flags the stack deploys (NODE_OPTIONS; '' for none). */
  nodeOptions: string;
  functions: ColdStartEntry[];
}

const TOP_PACKAGES = 10;
const TOP_INPUTS = 5;
/** npm scopes of the AWS SDK v3 and its Smithy runtime. */
const AWS_SDK_SCOPES = ['@aws-sdk/', '@smithy/', '@aws-crypto/'];

/** Input path -> package name (`node_modules/@scope/pkg/...` -> `@scope/pkg`), own code -> its top folder. */
export function packageOf(input: string): string {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (match?.[1]) {
    // Nested copies are the same package for this purpose.
    return match[1];
  }
  const top = input.split('/')[0] ?? input;
  return `${top}/`;
}

function shares(
  metafile: EsbuildMetafile,
  bundleBytes: number,
): { topPackages: SizeShare[]; topInputs: SizeShare[]; awsSdkBytes: number } {
  const output = Object.entries(metafile.outputs).find(([name]) => name.endsWith('.mjs'))?.[1];
  if (!output) throw new Error('metafile has no .mjs output');
  const byPackage = new Map<string, number>();
  const inputs: Array<[string, number]> = [];
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput);
    inputs.push([input, bytesInOutput]);
  }
  const top = (entries: Array<[string, number]>, count: number) =>
    entries
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, bytes]) => ({ name, bytes, share: round(bytes / bundleBytes) }));
  const awsSdkBytes = [...byPackage]
    .filter(([name]) => AWS_SDK_SCOPES.some((scope) => name.startsWith(scope)))
    .reduce((sum, [, bytes]) => sum + bytes, 0);
  return { topPackages: top([...byPackage], TOP_PACKAGES), topInputs: top(inputs, TOP_INPUTS), awsSdkBytes };
}

/** NODE_OPTIONS variants an import runs with. */
type Flags = 'deployed' | 'sourceMaps' | 'noSourceMaps';

/** What a fresh Lambda process has: the stack's environment for the function, plus the runtime's own. */
function importEnvironment(fn: BundledFunction | undefined, flags: Flags): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: LOCAL_REGION,
    AWS_LAMBDA_FUNCTION_NAME: fn?.name ?? 'empty',
    // Node 20 runs these imports; the Lambda runtime is newer, so the SDK's old-Node notice is noise.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...fn?.environment,
  };
  if (flags === 'noSourceMaps') delete environment.NODE_OPTIONS;
  if (flags === 'sourceMaps') environment.NODE_OPTIONS = SOURCE_MAP_NODE_OPTIONS;
  return environment;
}

interface ImportSample {
  ms: number;
  /** CPU time (user + system, all threads) the import took: far less sensitive to other load than wall time. */
  cpuMs: number;
  rssMb: number;
}

/** Imports `file` in a fresh `node` process (cwd outside the repository): the import's own ms, and RSS after it. */
function timeImport(file: string, environment: NodeJS.ProcessEnv): Promise<ImportSample> {
  const script = [
    "const { performance } = await import('node:perf_hooks');",
    'const cpuAtStart = process.cpuUsage();',
    'const startedAt = performance.now();',
    `await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const ms = performance.now() - startedAt;',
    'const cpu = process.cpuUsage(cpuAtStart);',
    'process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: process.memoryUsage().rss / 1048576 }));',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: path.dirname(file),
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      let sample: ImportSample | undefined;
      try {
        sample = JSON.parse(stdout) as ImportSample;
      } catch {
        sample = undefined;
      }
      if (code !== 0 || sample === undefined || !Number.isFinite(sample.ms)) {
        reject(new Error(`importing ${file} failed (exit ${code}): ${stderr.split('\n').filter((l) => l.length < 300).join(' ')}`));
      } else {
        resolve(sample);
      }
    });
  });
}

/**
 * The function as it was bundled before issue 13: the same entry and esbuild options as lib/bundling.ts, with
 * undici's and zod's full indexes kept alive (the classic zod API and undici's index are not tree-shakable, so
 * that is what importing them did).
 */
async function buildBefore(fn: BundledFunction, outdir: string): Promise<string> {
  const outfile = path.join(outdir, 'before', fn.name, 'index.mjs');
  const entry = `./${fn.entry.replace(/\.ts$/, '.js')}`;
  // Only what the function uses at all: a function without undici or zod (the $default route's) had none before.
  const inputs = Object.keys(fn.metafile.outputs[Object.keys(fn.metafile.outputs).find((name) => name.endsWith('.mjs')) ?? '']?.inputs ?? {});
  const kept = [
    ...(inputs.some((input) => input.includes('node_modules/undici/')) ? ["import * as undiciIndex from 'undici'; keep.push(undiciIndex);"] : []),
    ...(inputs.some((input) => input.includes('node_modules/zod/')) ? ["import * as zodClassic from 'zod'; keep.push(zodClassic);"] : []),
  ];
  await build({
    stdin: {
      contents: [
        'const keep: unknown[] = [];',
        ...kept,
        '(globalThis as Record<string, unknown>).__beforeIssue13 = keep;',
        `export * from ${JSON.stringify(entry)};`,
      ].join('\n'),
      resolveDir: PROJECT_ROOT,
      loader: 'ts',
      sourcefile: `before-${fn.name}.ts`,
    },
    ...ESBUILD_BUNDLE_OPTIONS,
    sourcemap: true,
    sourcesContent: false,
    outfile,
    logLevel: 'silent',
  });
  return outfile;
}

/** The smallest memory step whose estimated import (CPU share proportional to memory) fits the init budget. */
export function suggestedMemoryMb(importMs: number): number {
  for (const memoryMb of MEMORY_STEPS_MB) {
    if (estimatedInitMs(importMs, memoryMb) <= SUGGESTED_INIT_BUDGET_MS) return memoryMb;
  }
  return FULL_VCPU_MEMORY_MB;
}

export function estimatedInitMs(importMs: number, memoryMb: number): number {
  return importMs * Math.max(1, FULL_VCPU_MEMORY_MB / memoryMb);
}

export async function runColdStart(options: ColdStartOptions, log: (line: string) => void): Promise<ColdStartResult> {
  const workdir = mkdtempSync(path.join(tmpdir(), 'meeting-relay-bench-cold-'));
  try {
    log('cold start: bundling every function with CDK (real stack + metafile build), and each "before" bundle');
    const functions = bundleFunctions(workdir);
    const beforeFiles = new Map<string, string>();
    for (const fn of functions) beforeFiles.set(fn.name, await buildBefore(fn, workdir));
    const emptyModule = path.join(workdir, 'empty.mjs');
    writeFileSync(emptyModule, '');
    const nodeOptions = functions.find((f) => f.environment.NODE_OPTIONS !== undefined)?.environment.NODE_OPTIONS ?? '';

    const samples = new Map<string, ImportSample[]>();
    const record = (key: string, sample: ImportSample) => samples.set(key, [...(samples.get(key) ?? []), sample]);
    // 'deployed' is one of the other two unless the stack sets flags of its own.
    const variants: Flags[] = nodeOptions === SOURCE_MAP_NODE_OPTIONS || nodeOptions === '' ? ['sourceMaps', 'noSourceMaps'] : ['deployed', 'sourceMaps', 'noSourceMaps'];
    for (let run = 1; run <= options.runs; run++) {
      for (const flags of variants) {
        record(`empty:${flags}`, await timeImport(emptyModule, importEnvironment(undefined, flags)));
        for (const fn of functions) record(`${fn.name}:${flags}`, await timeImport(fn.file, importEnvironment(fn, flags)));
      }
      for (const fn of functions) {
        record(`${fn.name}:before`, await timeImport(beforeFiles.get(fn.name) ?? '', importEnvironment(fn, 'sourceMaps')));
      }
      if (run % 5 === 0 || run === options.runs) log(`cold start: ${run}/${options.runs} import rounds done`);
    }
    const deployedKey = nodeOptions === SOURCE_MAP_NODE_OPTIONS ? 'sourceMaps' : nodeOptions === '' ? 'noSourceMaps' : 'deployed';
    const medianMs = (key: string) => median((samples.get(key) ?? []).map((s) => s.ms));
    const importMs = (name: string, flags: string, emptyFlags = flags) => round(medianMs(`${name}:${flags}`) - medianMs(`empty:${emptyFlags}`), 1);
    const medianCpuMs = (key: string) => median((samples.get(key) ?? []).map((s) => s.cpuMs));
    const importCpuMs = (name: string, flags: string, emptyFlags = flags) => round(medianCpuMs(`${name}:${flags}`) - medianCpuMs(`empty:${emptyFlags}`), 1);

    return {
      runs: options.runs,
      emptyImportMs: round(medianMs(`empty:${deployedKey}`)),
      nodeOptions,
      functions: functions.map((fn) => {
        const bytes = readFileSync(fn.file);
        const beforeBytes = readFileSync(beforeFiles.get(fn.name) ?? '');
        const deployedMs = importMs(fn.name, deployedKey);
        const memoryMb = functionMemoryMb(fn.name);
        const entry: ColdStartEntry = {
          function: fn.name,
          bundleBytes: statSync(fn.file).size,
          gzipBytes: gzipSync(bytes).length,
          importMs: deployedMs,
          importCpuMs: importCpuMs(fn.name, deployedKey),
          importMsWithSourceMaps: importMs(fn.name, 'sourceMaps'),
          importMsWithoutSourceMaps: importMs(fn.name, 'noSourceMaps'),
          rssAfterImportMb: round(median((samples.get(`${fn.name}:${deployedKey}`) ?? []).map((s) => s.rssMb)), 1),
          budgetBytes: bundleBudgetBytes(fn.name),
          memoryMb,
          ...(HTTP_ROUTES.some((route) => route.id === fn.name) ? { suggestedMemoryMb: suggestedMemoryMb(deployedMs) } : {}),
          estimatedInitMsAtMemory: round(estimatedInitMs(deployedMs, memoryMb), 1),
          before: { bundleBytes: beforeBytes.length, gzipBytes: gzipSync(beforeBytes).length, importMs: importMs(fn.name, 'before', 'sourceMaps'), importCpuMs: importCpuMs(fn.name, 'before', 'sourceMaps') },
          identicalToStack: fn.identicalToStack,
          ...shares(fn.metafile, bytes.length),
        };
        return entry;
      }),
    };
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}
