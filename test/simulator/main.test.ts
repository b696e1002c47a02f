import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CORP_A, DEMO_SECRETS, SP_ADMIN } from '../../local/simulator/demo-data.js';
import { loginDemo } from '../../local/simulator/demo-login.js';
import { DEFAULT_SIMULATOR_PORT, simulatorOptionsFromEnv } from '../../local/simulator/index.js';
import { call } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('simulatorOptionsFromEnv', () => {
  it('defaults to port 3001 with no latency and the default TTL', () => {
    expect(simulatorOptionsFromEnv({})).toEqual({ port: DEFAULT_SIMULATOR_PORT });
    expect(DEFAULT_SIMULATOR_PORT).toBe(3001);
  });

  it('reads SIMULATOR_PORT, SIMULATOR_LATENCY_MS and SIMULATOR_TOKEN_TTL_SECONDS', () => {
    const options = simulatorOptionsFromEnv({ SIMULATOR_PORT: '4010', SIMULATOR_LATENCY_MS: '25', SIMULATOR_TOKEN_TTL_SECONDS: '60' });
    expect(options).toEqual({ port: 4010, latencyMs: 25, tokenTtlSeconds: 60 });
  });

  it('refuses a value that is not a non-negative integer', () => {
    expect(() => simulatorOptionsFromEnv({ SIMULATOR_LATENCY_MS: 'fast' })).toThrow(/SIMULATOR_LATENCY_MS/);
  });
});

describe('npm run simulator (local/simulator/main.ts)', () => {
  it('serves the demo data, prints no secret and exits 0 on SIGTERM', async () => {
    // Prepare
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/simulator/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, SIMULATOR_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match?.[1] !== undefined) {
            clearInterval(timer);
            resolve(match[1]);
          }
        }, 50);
        void exited.then(() => {
          clearInterval(timer);
          reject(new Error(`simulator exited early: ${output}`));
        });
      });
      // Act
      const token = await loginDemo.spAdmin(url);
      const page = await call(url, 'GET', `/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource?type=VMR`, { token });
      child.kill('SIGTERM');
      const code = await exited;
      // Assess
      expect(page.status).toBe(200);
      expect((page.json as { data: { id: string }[] }).data.map((r) => r.id)).toEqual([CORP_A.vmrResourceId]);
      expect(code).toBe(0);
      expect(output).toContain(SP_ADMIN.account);
      for (const secret of DEMO_SECRETS) expect(output).not.toContain(secret);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
