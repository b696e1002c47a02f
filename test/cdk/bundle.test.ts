import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env.js';
import { CREATE_REQUIRE_BANNER, ESM_BUNDLE_FILE, FUNCTION_NODE_OPTIONS, bundleBudgetBytes } from '../../lib/bundling.js';
import { HTTP_ROUTES, NO_ROUTE } from '../../functions/shared/routes.js';
import { removeSynthOutputs, resourcesOfType, synthMeetingRelay, type Synthesized } from './synth-helpers.js';

/**
 * Really bundles every function: a synth with bundling on runs NodejsFunction's own local esbuild with the
 * construct's options (lib/bundling.ts), exactly what `cdk deploy` uploads. Each bundle is then imported by a
 * fresh Node process whose working directory is the temp cloud assembly, outside the repository: a bare import
 * left unbundled finds no node_modules there and fails, as would a missing `require` banner.
 */

interface BundledFunction {
  logicalId: string;
  /** Route id, or `sweeper`: the key of the size budget. */
  name: string;
  handlerExport: string;
  file: string;
}

/** Harmless settings: enough for module-scope code to initialise, pointing nowhere real. */
const LOAD_ENV: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'eu-west-1',
  // The machines run Node 20; the runtime is newer, so the SDK's old-Node notice is noise here.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_LAMBDA_FUNCTION_NAME: 'bundle-load-test',
  [ENV.huaweiBaseUrl]: 'https://127.0.0.1:9',
  [ENV.registryTableName]: 'bundle-load-test',
  [ENV.spCredentialsSecretArn]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:bundle-load-test-AbC123',
  POWERTOOLS_METRICS_NAMESPACE: 'BundleLoadTest',
  POWERTOOLS_SERVICE_NAME: 'bundle-load-test',
  POWERTOOLS_DEV: 'false',
  NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
};

/** The error lines of a child's stderr: Node also prints the offending source line, a whole minified bundle. */
function errorLines(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => /Error|Cannot find/.test(line) && line.length < 500)
    .join('\n');
}

let synth: Synthesized;
let bundles: BundledFunction[];

/** Runs `build` with the CDK's own "Bundling asset ..." progress lines kept out of the test output. */
function withoutBundlingProgress<T>(build: () => T): T {
  const write = process.stderr.write;
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) =>
    String(chunk).startsWith('Bundling asset ') ? true : (write as (...args: unknown[]) => boolean).call(process.stderr, chunk, ...rest)) as typeof write;
  try {
    return build();
  } finally {
    process.stderr.write = write;
  }
}

beforeAll(() => {
  synth = withoutBundlingProgress(() => synthMeetingRelay({ bundle: true }));
  const manifestPath = path.join(synth.outdir, `${synth.stack.artifactId}.assets.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    files: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
  };
  const sourceByObjectKey = new Map(
    Object.values(manifest.files).flatMap((asset) => Object.values(asset.destinations).map((destination) => [destination.objectKey, asset.source.path])),
  );
  bundles = resourcesOfType(synth.json, 'AWS::Lambda::Function').map(([logicalId, fn]) => {
    const source = sourceByObjectKey.get(fn.Properties?.Code?.S3Key);
    if (!source) throw new Error(`no bundled asset for ${logicalId}`);
    const [file, handlerExport] = String(fn.Properties?.Handler).split('.');
    const routeFunction = [...synth.stack.routeFunctions].find(([, construct]) => synth.stack.resolve((construct.node.defaultChild as { logicalId?: string } | undefined)?.logicalId) === logicalId);
    const idOf = (construct: { node: { defaultChild?: unknown } }) => synth.stack.resolve((construct.node.defaultChild as { logicalId?: string } | undefined)?.logicalId);
    const isSweeper = idOf(synth.stack.sweeper.function) === logicalId;
    const isNoRoute = idOf(synth.stack.noRouteFunction) === logicalId;
    return {
      logicalId,
      name: routeFunction?.[0] ?? (isSweeper ? 'sweeper' : isNoRoute ? NO_ROUTE.id : logicalId),
      handlerExport: handlerExport ?? '',
      file: path.join(synth.outdir, source, `${file}.mjs`),
    };
  });
}, 180_000);

afterAll(() => {
  removeSynthOutputs();
});

describe('function bundles', () => {
  it('exist for every function as an ESM file with source maps', () => {
    expect(bundles.length).toBeGreaterThanOrEqual(3);
    for (const bundle of bundles) {
      expect(path.basename(bundle.file)).toBe(ESM_BUNDLE_FILE);
      expect(existsSync(bundle.file), bundle.logicalId).toBe(true);
      expect(existsSync(`${bundle.file}.map`), bundle.logicalId).toBe(true);
      expect(readFileSync(bundle.file, 'utf8').startsWith(CREATE_REQUIRE_BANNER)).toBe(true);
    }
  });

  it('load in a fresh Node process outside the repository and export their handler', () => {
    for (const bundle of bundles) {
      // Act
      const script = `const m = await import(${JSON.stringify(pathToFileURL(bundle.file).href)}); if (typeof m[${JSON.stringify(bundle.handlerExport)}] !== 'function') { console.error('handler export missing'); process.exit(3); }`;
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: synth.outdir,
        env: LOAD_ENV,
        encoding: 'utf8',
        timeout: 60_000,
      });

      // Assess
      expect(errorLines(result.stderr), `${bundle.logicalId} (${statSync(bundle.file).size} bytes)`).toBe('');
      expect(result.status, bundle.logicalId).toBe(0);
    }
  });

  it('stay within their size budgets (lib/bundling.ts), each function of the route table, $default and the sweeper by name', () => {
    const names = bundles.map((bundle) => bundle.name);
    expect(names).toEqual(expect.arrayContaining([...HTTP_ROUTES.map((route) => route.id), NO_ROUTE.id, 'sweeper']));
    for (const bundle of bundles) {
      const bytes = statSync(bundle.file).size;
      expect(bytes, `${bundle.name}: ${bytes} bytes, budget ${bundleBudgetBytes(bundle.name)}`).toBeLessThanOrEqual(bundleBudgetBytes(bundle.name));
    }
  });

  it('keep undici\'s index and zod\'s classic API out of modify-vmr (slim undici entry, zod/mini)', () => {
    const vmr = bundles.find((bundle) => bundle.name === 'modify-vmr');
    expect(vmr).toBeDefined();
    const code = readFileSync(vmr?.file ?? '', 'utf8');
    // Strings that only undici's index (EventSource is loaded by it, not by the Pool) and zod's classic layer
    // (its class names; the core's are "$ZodType"...) put into a bundle.
    expect(code).not.toContain('EventSource');
    expect(code).not.toContain('"ZodError"');
    expect(code).not.toContain('"ZodType"');
  });

  it("keep zod's classic API out of every function (registry model, sweeper and sync on zod/mini)", () => {
    for (const bundle of bundles) {
      const code = readFileSync(bundle.file, 'utf8');
      expect(code.includes('"ZodError"') || code.includes('"ZodType"'), bundle.name).toBe(false);
    }
  });
});
