import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/**
 * How every function is built. RelayFunction passes these to NodejsFunction, which runs the local esbuild; the
 * bundle test synthesizes with bundling on (the same code path as `cdk synth`/`deploy`) and imports each bundle in
 * a fresh Node process.
 */

/** The newest Node.js runtime aws-cdk-lib knows (cdk-nag's L1 flags anything older). */
export const LAMBDA_RUNTIME = Runtime.NODEJS_24_X;

/** esbuild target matching the runtime, e.g. "node24". */
export const ESBUILD_TARGET = LAMBDA_RUNTIME.name.replace(/^nodejs(\d+)\.x$/, 'node$1');

/**
 * ESM bundles have no `require`, but bundled CommonJS dependencies (undici, parts of the AWS SDK) call it for
 * Node built-ins: without this, loading fails with `Dynamic require of "node:assert" is not supported`.
 * The alias keeps the banner from clashing with a bundled module's own `createRequire` import.
 */
export const CREATE_REQUIRE_BANNER =
  "import { createRequire as __meetingRelayCreateRequire } from 'node:module'; const require = __meetingRelayCreateRequire(import.meta.url);";

/** NodejsFunction names an ESM bundle index.mjs (its map index.mjs.map). */
export const ESM_BUNDLE_FILE = 'index.mjs';

/** Runtime flag that makes Node use the bundled source maps in stack traces. */
export const SOURCE_MAP_NODE_OPTIONS = '--enable-source-maps';

/**
 * NODE_OPTIONS of every function ('' sets none). Source maps are still built and deployed next to each bundle,
 * but Node is not told to apply them: `--enable-source-maps` made every cold start parse the map (measured in
 * docs/performance.md, "Source maps"), while a minified stack trace can be mapped back offline with the
 * index.mjs.map of the deployed asset when one is needed.
 */
export const FUNCTION_NODE_OPTIONS = '';

/**
 * The esbuild options that decide what a bundle holds and how it loads, for builds made with esbuild directly (the
 * bench's "before" bundles, the slim-undici test); `nodejsFunctionBundling` gives NodejsFunction the same values.
 */
export const ESBUILD_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: ESBUILD_TARGET,
  // ESM entry points first, CommonJS where a package has nothing else.
  mainFields: ['module', 'main'],
  minify: true,
  banner: { js: CREATE_REQUIRE_BANNER },
} as const satisfies BuildOptions;

/**
 * The bundling options of every function (NodejsFunction always bundles for platform node).
 *
 * `bundleAwsSDK: true` and no external modules: the AWS SDK v3 is bundled rather than taken from the runtime. The
 * runtime's copy changes version without notice, while tests and the local runtime use the exact version pinned in
 * package-lock.json; bundling makes what is tested what runs. The cost is size: about 1 MB per relay bundle and
 * 1.4 MB for the sweeper, minified and tree-shaken, a few tens of milliseconds at cold start, small next to a
 * Huawei round trip.
 */
export function nodejsFunctionBundling(): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: ESBUILD_BUNDLE_OPTIONS.target,
    mainFields: [...ESBUILD_BUNDLE_OPTIONS.mainFields],
    minify: ESBUILD_BUNDLE_OPTIONS.minify,
    sourceMap: true,
    // Maps still point at file and line; leaving the sources out keeps the asset small.
    sourcesContent: false,
    banner: ESBUILD_BUNDLE_OPTIONS.banner.js,
    bundleAwsSDK: true,
    externalModules: [],
    // Warnings and errors only: esbuild's size summary would fill `npm test` and `cdk synth` output; the sizes are
    // held by BUNDLE_BUDGET_BYTES (test/cdk/bundle.test.ts) instead.
    logLevel: LogLevel.WARNING,
  };
}

const KIB = 1024;

/**
 * Size budget of each function's minified bundle (index.mjs), by route id or `sweeper`: test/cdk/bundle.test.ts
 * fails when a bundle grows past it, so a change that pulls a heavy module into a function (undici's index, zod's
 * classic API, an unused AWS SDK client) is caught in CI rather than in cold-start times. The sync, the notices and
 * the registry API have no budget of their own and get the largest (755, 433 and 386 KiB on 2026-11-28). Size, not time: it is
 * stable on any machine. Each budget is the size measured when it was set plus about 10%; raise one on purpose,
 * with the figures of `npm run bench -- --only coldStart` in docs/performance.md.
 */
export const BUNDLE_BUDGET_BYTES: Readonly<Record<string, number>> = {
  // Slim undici (Pool, request, retry) 290 KiB, zod/mini 24 KiB, Powertools logger and metrics, middy (375 KiB).
  'modify-vmr': 420 * KIB,
  // The same plus the DynamoDB client (about 300 KiB with Smithy) and the registry, all on zod/mini (734 KiB).
  'modify-resources': 810 * KIB,
  // The same plus SP login, Secrets Manager through Powertools parameters, and the sweep (767 KiB).
  sweeper: 850 * KIB,
  // The `$default` route: one JSON answer, no dependencies (about 2 KiB).
  'no-route': 8 * KIB,
};

/** For a function without a budget of its own (a new route or function): the largest one. */
export const DEFAULT_BUNDLE_BUDGET_BYTES = Math.max(...Object.values(BUNDLE_BUDGET_BYTES));

export function bundleBudgetBytes(functionId: string): number {
  return BUNDLE_BUDGET_BYTES[functionId] ?? DEFAULT_BUNDLE_BUDGET_BYTES;
}
