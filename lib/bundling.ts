import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

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
    target: ESBUILD_TARGET,
    // ESM entry points first, CommonJS where a package has nothing else.
    mainFields: ['module', 'main'],
    minify: true,
    sourceMap: true,
    // Maps still point at file and line; leaving the sources out keeps the asset small.
    sourcesContent: false,
    banner: CREATE_REQUIRE_BANNER,
    bundleAwsSDK: true,
    externalModules: [],
  };
}
