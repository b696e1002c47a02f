/**
 * Cold start: each function bundled as the stack bundles it (bench/bundles.ts), its bundle and gzipped size,
 * what makes up that size (esbuild metafile), and the median time a fresh Node process takes to import the
 * bundle, minus the median import time of an empty module measured the same way. Runs alternate
 * (empty, each function, empty, each function...) so that machine noise spreads over all of them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { LOCAL_REGION } from '../local/gateway/http-api-event.js';
import { bundleFunctions } from './bundles.js';
import type { BundledFunction, EsbuildMetafile } from './bundles.js';
import { median, round } from './stats.js';

export interface ColdStartOptions {
  /** Fresh processes per bundle (and for the empty baseline). */
  runs: number;
  /** Also measure each import without the stack's NODE_OPTIONS (source maps), to show what they cost. */
  withoutSourceMaps: boolean;
}

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
  /** Median import time minus the empty module's, in ms. */
  importMs: number;
  /** The same without --enable-source-maps (when measured). */
  importMsWithoutSourceMaps?: number;
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
  /** The environment flags every import ran with (the stack's NODE_OPTIONS). */
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

/** What a fresh Lambda process has: the stack's environment for the function, plus the runtime's own. */
function importEnvironment(fn: BundledFunction | undefined, withSourceMaps: boolean): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: LOCAL_REGION,
    AWS_LAMBDA_FUNCTION_NAME: fn?.name ?? 'empty',
    // Node 20 runs these imports; the Lambda runtime is newer, so the SDK's old-Node notice is noise.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...fn?.environment,
  };
  if (!withSourceMaps) delete environment.NODE_OPTIONS;
  return environment;
}

/** Imports `file` in a fresh `node` process (cwd outside the repository) and returns the import's own ms. */
function timeImport(file: string, environment: NodeJS.ProcessEnv): Promise<number> {
  const script = [
    "const { performance } = await import('node:perf_hooks');",
    'const startedAt = performance.now();',
    `await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'process.stdout.write(String(performance.now() - startedAt));',
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
      const ms = Number(stdout);
      if (code !== 0 || !Number.isFinite(ms)) {
        reject(new Error(`importing ${file} failed (exit ${code}): ${stderr.split('\n').filter((l) => l.length < 300).join(' ')}`));
      } else {
        resolve(ms);
      }
    });
  });
}

export async function runColdStart(options: ColdStartOptions, log: (line: string) => void): Promise<ColdStartResult> {
  const workdir = mkdtempSync(path.join(tmpdir(), 'meeting-relay-bench-cold-'));
  try {
    log('cold start: bundling every function with CDK (real stack + metafile build)');
    const functions = bundleFunctions(workdir);
    const emptyModule = path.join(workdir, 'empty.mjs');
    writeFileSync(emptyModule, '');
    const nodeOptions = functions.find((f) => f.environment.NODE_OPTIONS !== undefined)?.environment.NODE_OPTIONS ?? '';

    const variants = options.withoutSourceMaps ? [true, false] : [true];
    const samples = new Map<string, number[]>();
    const record = (key: string, ms: number) => samples.set(key, [...(samples.get(key) ?? []), ms]);
    for (let run = 1; run <= options.runs; run++) {
      for (const withSourceMaps of variants) {
        record(`empty:${withSourceMaps}`, await timeImport(emptyModule, importEnvironment(undefined, withSourceMaps)));
        for (const fn of functions) record(`${fn.name}:${withSourceMaps}`, await timeImport(fn.file, importEnvironment(fn, withSourceMaps)));
      }
      if (run % 5 === 0 || run === options.runs) log(`cold start: ${run}/${options.runs} import rounds done`);
    }
    const medianFor = (key: string) => median(samples.get(key) ?? []);

    return {
      runs: options.runs,
      emptyImportMs: round(medianFor('empty:true')),
      nodeOptions,
      functions: functions.map((fn) => {
        const bytes = readFileSync(fn.file);
        const entry: ColdStartEntry = {
          function: fn.name,
          bundleBytes: statSync(fn.file).size,
          gzipBytes: gzipSync(bytes).length,
          importMs: round(medianFor(`${fn.name}:true`) - medianFor('empty:true'), 1),
          identicalToStack: fn.identicalToStack,
          ...shares(fn.metafile, bytes.length),
        };
        if (options.withoutSourceMaps) {
          entry.importMsWithoutSourceMaps = round(medianFor(`${fn.name}:false`) - medianFor('empty:false'), 1);
        }
        return entry;
      }),
    };
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}
