/**
 * `npm run sweep` (local/sweep-now.ts) as a user runs it: a child process pointed at a local stack this test
 * started (or at a port nothing listens on), checked by its output and exit status.
 */
import { LOCAL_ENV } from '../../local/env.js';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CORP_A, DEMO_SECRETS } from '../../local/simulator/demo-data.js';
import { HOUR_MS, startGatewayStack, use } from '../support/stack.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const local = use(startGatewayStack);

interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runSweepCommand(port: number): Promise<CommandResult> {
  const environment: NodeJS.ProcessEnv = { ...process.env, [LOCAL_ENV.port]: String(port) };
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/sweep-now.ts'], { cwd: REPO_ROOT, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

afterEach(async () => {
  await local.control.clearFaults();
});

describe('npm run sweep', () => {
  it('sweeps the running stack, prints the report and exits 0', async () => {
    const [resource] = await local.newResources(CORP_A.corpId, ['VMR']);
    if (!resource) throw new Error('resource not created');
    await local.relay(CORP_A.corpId, [{ id: resource.id, type: 'VMR', expireDate: Date.now() - HOUR_MS }]);

    const result = await runSweepCommand(local.stack.gatewayPort);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Sweep [0-9a-f-]{36}: completed in /);
    expect(result.stdout).toContain('due 1, disabled 1, re-enabled 0');
    // One listing page of what Huawei holds expired, one PUT.
    expect(result.stdout).toContain('SP calls 2');
    expect((await local.upstream(resource))?.status).toBe(2);
    for (const secret of [local.spToken, ...DEMO_SECRETS]) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it('exits 1 and lists the problems when Huawei keeps failing the disables', async () => {
    const [resource] = await local.newResources(CORP_A.corpId, ['SOFT']);
    if (!resource) throw new Error('resource not created');
    await local.relay(CORP_A.corpId, [{ id: resource.id, type: 'SOFT', expireDate: Date.now() - HOUR_MS }]);
    await local.control.addFault({ path: `/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource`, method: 'PUT', status: 500 });

    const result = await runSweepCommand(local.stack.gatewayPort);
    const upstreamAfterFailedSweep = await local.upstream(resource);
    await local.control.clearFaults();
    const nextSweep = await local.sweepNow();

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Sweep [0-9a-f-]{36}: partial in /);
    expect(result.stdout).toContain('deferred 1');
    expect(result.stdout).toMatch(/Problems \(work left for the next sweep\):\n {2}\S/);
    expect(upstreamAfterFailedSweep?.status).toBe(1);
    // Nothing was lost: the next sweep after the outage disables it.
    expect(nextSweep.report).toMatchObject({ status: 'completed', disabled: 1 });
  });

  it('exits 2 with a clear message when no local stack is running', async () => {
    const port = await unusedPort();

    const result = await runSweepCommand(port);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`No local stack answered at http://127.0.0.1:${port}/_local/sweep`);
    expect(result.stderr).toContain('npm start');
    expect(result.stdout).toBe('');
  });
});
