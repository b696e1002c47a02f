/**
 * `npm run load` itself, against the whole local stack with valid traffic on both routes: 5 seconds in CI, the
 * script's full 60 seconds with LONG_TESTS=1. Only errors count here; speed and memory are for the script to
 * report.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/paths.js';
import { isLongRun, reportCount } from './support/property-runs.js';

const DURATION_SECONDS = isLongRun ? 60 : 5;
const workDir = mkdtempSync(path.join(tmpdir(), 'meeting-relay-load-'));

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

function runLoadScript(args: string[]): Promise<{ exitCode: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/load.ts', ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, output }));
  });
}

describe('npm run load', () => {
  it(
    `drives both routes for ${DURATION_SECONDS} seconds with zero errors and zero non-2xx answers`,
    async () => {
      // Prepare
      const reportFile = path.join(workDir, 'load.json');

      // Act
      const { exitCode, output } = await runLoadScript(['--duration', String(DURATION_SECONDS), '--connections', '4', '--json', reportFile]);

      // Assess
      expect(exitCode, output).toBe(0);
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
        requests: number;
        errors: number;
        non2xx: number;
        routes: Record<string, { requests: number; byStatus: Record<string, number> }>;
      };
      expect(report.errors).toBe(0);
      expect(report.non2xx).toBe(0);
      for (const [route, counts] of Object.entries(report.routes)) {
        expect(counts.requests, route).toBeGreaterThan(0);
        expect(Object.keys(counts.byStatus), route).toEqual(['200']);
      }
      reportCount(`load (${DURATION_SECONDS} s), requests answered`, report.requests);
    },
    (DURATION_SECONDS + 55) * 1000,
  );
});
