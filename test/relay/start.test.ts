/**
 * `npm start` as a user runs it (tsx local/start.ts, ports 0): it prints where everything is, serves the seed
 * cURL command through the relay to the simulator, sweeps on `POST /_local/sweep` (logging in with the default
 * demo SP App ID), and stops cleanly on SIGINT.
 */
import { LOCAL_ENV } from '../../local/env.js';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env.js';
import { CORP_A, DEMO_EXPIRED, DEMO_RESOURCES, DEMO_SECRETS } from '../../local/simulator/demo-data.js';
import { loginDemo } from '../../local/simulator/demo-login.js';
import { send } from './helpers/http.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
let child: ChildProcess | undefined;
let output = '';

afterAll(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
});

function waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(output);
      if (match !== null) {
        clearInterval(timer);
        resolve(match);
      } else if (child?.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`start exited early:\n${output}`));
      }
    };
    const timer = setInterval(check, 50);
  });
}

describe('npm start', () => {
  it('serves the relay over the simulator, sweeps on POST /_local/sweep, prints the demo logins without passwords, and stops on SIGINT', async () => {
    const environment: NodeJS.ProcessEnv = { ...process.env, PORT: '0', SIMULATOR_PORT: '0' };
    // The test setup's quiet logging is not the product's: `npm start` logs as a user sees it (the sweep line is awaited).
    const unset = ['POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_METRICS_DISABLED'];
    for (const name of [ENV.huaweiBaseUrl, ENV.spCredentials, ENV.spCredentialsSecretArn, ENV.registryTableName, LOCAL_ENV.sweepIntervalSeconds, ...unset]) {
      delete environment[name];
    }
    child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], { cwd: REPO_ROOT, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

    const [, simulatorUrl = ''] = await waitFor(/Huawei simulator\s+(http:\/\/127\.0\.0\.1:\d+)/);
    const [, relayUrl = ''] = await waitFor(/Relay \(API Gateway emulator\)\s+(http:\/\/127\.0\.0\.1:\d+)/);
    await waitFor(/Ctrl-C stops everything/);
    const token = await loginDemo.alice(simulatorUrl);
    const spToken = await loginDemo.spAdmin(simulatorUrl);

    const answer = await send(`${relayUrl}/v1/usg/dcs/member/vmr/${CORP_A.vmrId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'X-Access-Token': token },
      body: '{"vmrName":"test","chairPwd":"123456","gustPwd":"654321","allowGustFirst":"false"}',
    });
    const expired = await send(`${relayUrl}/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'X-Access-Token': spToken },
      body: JSON.stringify([{ id: CORP_A.vmrResourceId, type: 'VMR', expireDate: Date.now() - 60_000 }]),
    });
    const sweep = await send(`${relayUrl}/_local/sweep`, { method: 'POST' });
    await waitFor(/"message":"sweep finished"/);
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    const exitCode = await exited;

    expect(answer.status).toBe(200);
    expect(expired.status).toBe(200);
    expect(sweep.status).toBe(200);
    // The resource made due above, and the demo's expired ones the sync at start adopted: per enterprise one
    // listing page of what Huawei holds expired and one PUT.
    const expiredDemo = DEMO_RESOURCES.filter((r) => r.expireDate === DEMO_EXPIRED && !r.isDisabled).length;
    expect(sweep.json).toMatchObject({ status: 'completed', due: 1 + expiredDemo, disabled: 1 + expiredDemo, spCalls: 4 });
    expect(output).toMatch(/\[sync\] completed: 2 enterprises, \d+ resources seen, \d+ adopted/);
    expect(output).toMatch(/Sweeper\s+every 60 s/);
    expect(output).toContain(`POST ${relayUrl}/_local/sweep`);
    expect(output).toContain(CORP_A.user.account);
    expect(output).toContain('SIGINT: stopping');
    expect(exitCode).toBe(0);
    for (const secret of [token, spToken, ...DEMO_SECRETS]) expect(output).not.toContain(secret);
  });
});
