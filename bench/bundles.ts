/**
 * Every function bundled by CDK itself, as `cdk synth`/`deploy` bundles it.
 *
 * 1. The real stack (lib/meeting-relay-app.ts) is synthesized with bundling on: its assets are the bundles
 *    measured, and each function's environment is read from its template.
 * 2. The same entries are bundled again by NodejsFunction with the stack's own options
 *    (lib/bundling.ts `nodejsFunctionBundling()`) plus `metafile: true`, which only adds esbuild's report of
 *    what went into each bundle. The two bundles must be byte-identical (checked), so the report describes the
 *    measured bundle.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { HTTP_ROUTES, NO_ROUTE } from '../functions/shared/routes.js';
import { ESM_BUNDLE_FILE, LAMBDA_RUNTIME, nodejsFunctionBundling } from '../lib/bundling.js';
import { addMeetingRelay } from '../lib/meeting-relay-app.js';
import type { MeetingRelayStack } from '../lib/meeting-relay-stack.js';
import { SWEEPER_ENTRY } from '../lib/meeting-relay-stack.js';
import { DEPS_LOCK_FILE, PROJECT_ROOT, projectPath } from '../lib/paths.js';

/** esbuild writes its metafile under this name in the asset directory (aws-cdk-lib's choice). */
const METAFILE = 'index.meta.json';
export const SWEEPER_FUNCTION_NAME = 'sweeper';

export interface FunctionEntry {
  /** Route id, or `sweeper`. */
  name: string;
  /** Repository-relative entry file. */
  entry: string;
  handlerExport: string;
}

export interface BundledFunction extends FunctionEntry {
  /** The deployed bundle (index.mjs) in the stack's cloud assembly. */
  file: string;
  /** Environment the stack gives the function; CloudFormation references replaced by placeholders. */
  environment: Record<string, string>;
  /** esbuild metafile of the identical analysis build. */
  metafile: EsbuildMetafile;
  /** Whether the analysis build came out byte-identical to the stack's bundle. */
  identicalToStack: boolean;
}

export interface EsbuildMetafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

/** The functions the stack deploys: one per route of the route table, the `$default` route's, and the sweeper. */
export function functionEntries(): FunctionEntry[] {
  return [
    ...HTTP_ROUTES.map((route) => ({ name: route.id, entry: route.entry, handlerExport: route.handlerExport })),
    { name: NO_ROUTE.id, entry: NO_ROUTE.entry, handlerExport: NO_ROUTE.handlerExport },
    { name: SWEEPER_FUNCTION_NAME, ...SWEEPER_ENTRY },
  ];
}

interface AssetManifest {
  files: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
}

/** Directory of a function's code asset in a synthesized assembly. */
function assetDirectory(stack: Stack, outdir: string, fn: NodejsFunction): string {
  const manifest = JSON.parse(readFileSync(path.join(outdir, `${stack.artifactId}.assets.json`), 'utf8')) as AssetManifest;
  const code = stack.resolve((fn.node.defaultChild as CfnFunction).code) as { s3Key?: string };
  for (const asset of Object.values(manifest.files)) {
    if (Object.values(asset.destinations).some((d) => d.objectKey === code.s3Key)) return path.join(outdir, asset.source.path);
  }
  throw new Error(`no code asset found for ${fn.node.path}`);
}

function environmentOf(stack: Stack, fn: NodejsFunction): Record<string, string> {
  const resolved = stack.resolve((fn.node.defaultChild as CfnFunction).environment) as { variables?: Record<string, unknown> } | undefined;
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(resolved?.variables ?? {})) {
    // Table names and secret ARNs are references until deployment.
    environment[name] = typeof value === 'string' ? value : `bench-placeholder-${name.toLowerCase()}`;
  }
  return environment;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function deployedFunctions(stack: MeetingRelayStack): Map<string, NodejsFunction> {
  const functions = new Map<string, NodejsFunction>(stack.routeFunctions);
  functions.set(NO_ROUTE.id, stack.noRouteFunction);
  functions.set(SWEEPER_FUNCTION_NAME, stack.sweeper.function);
  return functions;
}

/** Synthesizes into `outdir` (two sub-directories); CDK prints esbuild's summary to stderr. */
export function bundleFunctions(outdir: string): BundledFunction[] {
  const stackOut = path.join(outdir, 'stack');
  const stackApp = new App({ outdir: stackOut, builtinCloudFormationValidation: false });
  const stack = addMeetingRelay(stackApp);
  stackApp.synth();
  const deployed = deployedFunctions(stack);

  const analysisOut = path.join(outdir, 'analysis');
  const analysisApp = new App({ outdir: analysisOut, builtinCloudFormationValidation: false });
  const analysisStack = new Stack(analysisApp, 'BundleAnalysis');
  const entries = functionEntries();
  const analysed = new Map(
    entries.map((f) => [
      f.name,
      new NodejsFunction(analysisStack, f.name, {
        entry: projectPath(f.entry),
        handler: f.handlerExport,
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: DEPS_LOCK_FILE,
        runtime: LAMBDA_RUNTIME,
        bundling: { ...nodejsFunctionBundling(), metafile: true },
      }),
    ]),
  );
  analysisApp.synth();

  return entries.map((f) => {
    const fn = deployed.get(f.name);
    const analysis = analysed.get(f.name);
    if (!fn || !analysis) throw new Error(`the stack has no function for ${f.name}`);
    const file = path.join(assetDirectory(stack, stackOut, fn), ESM_BUNDLE_FILE);
    const analysisDir = assetDirectory(analysisStack, analysisOut, analysis);
    return {
      ...f,
      file,
      environment: environmentOf(stack, fn),
      metafile: JSON.parse(readFileSync(path.join(analysisDir, METAFILE), 'utf8')) as EsbuildMetafile,
      identicalToStack: sha256(file) === sha256(path.join(analysisDir, ESM_BUNDLE_FILE)),
    };
  });
}
