import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import * as undici from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as slim from '../../functions/shared/huawei/undici-slim.js';
import { ESBUILD_BUNDLE_OPTIONS } from '../../lib/bundling.js';
import { PROJECT_ROOT } from '../../lib/paths.js';
import { startScriptedUpstream } from './helpers/scripted-upstream.js';
import type { ScriptedUpstream } from './helpers/scripted-upstream.js';

/**
 * The slim entry (functions/shared/huawei/undici-slim.ts) reaches into undici's internal files. These tests pin
 * it to the installed undici: every value must be the very object undici's own index exports, and the client
 * bundled from it must work in a process where undici's index was never loaded. An undici upgrade that moves a
 * file, renames an export or changes how the index wires the request API fails here, not in production.
 */

const run = promisify(execFile);
const packageJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const installed = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'node_modules/undici/package.json'), 'utf8')) as { version: string };

describe('undici slim entry against undici', () => {
  it('is checked at the exact undici version package.json pins', () => {
    expect(packageJson.dependencies.undici).toMatch(/^\d+\.\d+\.\d+$/);
    expect(installed.version).toBe(packageJson.dependencies.undici);
  });

  it('exports the same Pool, RetryHandler and retry interceptor objects as undici', () => {
    expect(slim.Pool).toBe(undici.Pool);
    expect(slim.RetryHandler).toBe(undici.RetryHandler);
    expect(slim.interceptors.retry).toBe(undici.interceptors.retry);
  });

  it('installs the request API undici installs on every dispatcher', () => {
    expect(typeof slim.dispatcherRequest).toBe('function');
    expect(undici.Dispatcher.prototype.request).toBe(slim.dispatcherRequest);
    expect(Object.getPrototypeOf(Object.getPrototypeOf(Object.getPrototypeOf(slim.Pool.prototype)))).toBe(undici.Dispatcher.prototype);
  });
});

describe('the Huawei client bundled on the slim entry, in a fresh process', () => {
  let upstream: ScriptedUpstream;
  let dir: string;
  let bundleFile: string;
  let inputs: string[];

  beforeAll(async () => {
    upstream = await startScriptedUpstream();
    dir = mkdtempSync(path.join(tmpdir(), 'undici-slim-'));
    bundleFile = path.join(dir, 'client.mjs');
    // The esbuild options of lib/bundling.ts that matter for resolution and loading.
    const result = await build({
      stdin: { contents: "export { HuaweiClient } from './functions/shared/huawei/client.js';", resolveDir: PROJECT_ROOT, loader: 'ts' },
      ...ESBUILD_BUNDLE_OPTIONS,
      outfile: bundleFile,
      metafile: true,
      logLevel: 'silent',
    });
    inputs = Object.keys(result.metafile.inputs);
  });

  afterAll(async () => {
    await upstream.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves undici\'s index, fetch, WebSocket, EventSource, mocks and caches out of the bundle', () => {
    const undiciInputs = inputs.filter((input) => input.includes('node_modules/undici/'));
    expect(undiciInputs).toContain('node_modules/undici/lib/dispatcher/pool.js');
    expect(undiciInputs).toContain('node_modules/undici/lib/handler/retry-handler.js');
    expect(undiciInputs).not.toContain('node_modules/undici/index.js');
    // Pool's HTTP/1 parser lazily needs fetch's body helpers (lib/web/fetch/body.js), not fetch itself.
    expect(undiciInputs).not.toContain('node_modules/undici/lib/web/fetch/index.js');
    expect(undiciInputs.filter((input) => /\/lib\/(web\/websocket|web\/eventsource|web\/cache|mock|cache)\//.test(input))).toEqual([]);
  });

  it('retries a 503 through undici\'s RetryHandler and returns the answer', async () => {
    upstream.seen.length = 0;
    upstream.script([{ status: 503, body: 'busy' }, { status: 200, headers: { 'x-request-id': 'up-2' }, body: '{"ok":true}' }]);
    const script = `
      const { HuaweiClient } = await import(${JSON.stringify(bundleFile)});
      const client = new HuaweiClient({ baseUrl: ${JSON.stringify(upstream.url)}, minRetryDelayMs: 10, maxRetryDelayMs: 20 });
      const r = await client.request({ method: 'PUT', path: '/v1/usg/dcs/member/vmr/abc', body: { vmrName: 'x' } });
      await client.close();
      process.stderr.write('RESULT ' + JSON.stringify({ status: r.status, json: r.json, requestId: r.requestId, attempts: r.attempts }));
    `;

    const { stderr } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', POWERTOOLS_DEV: 'false' },
      timeout: 30_000,
    });

    const result = JSON.parse(stderr.slice(stderr.indexOf('RESULT ') + 7)) as unknown;
    expect(result).toEqual({ status: 200, json: { ok: true }, requestId: 'up-2', attempts: 2 });
    expect(upstream.seen.map((request) => request.body)).toEqual(['{"vmrName":"x"}', '{"vmrName":"x"}']);
  });
});
