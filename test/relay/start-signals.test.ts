/**
 * `npm start` under a signal sent to the npm process alone (a process manager, `kill <pid>`, a CI runner's
 * timeout), not to the whole terminal process group as Ctrl-C does: npm must pass it to everything it started and
 * exit once they stopped, leaving no process and no bound port behind (issue 15, item 6). Before the fix the
 * script ran `sh -c "tsx local/start.ts"`: npm signalled the shell, the shell died without passing the signal on,
 * and tsx and its node child kept the gateway, simulator and dynalite ports bound.
 *
 * Linux only: the process tree is read from /proc.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const onLinux = process.platform === 'linux';

let npm: ChildProcess | undefined;
let started: number[] = [];

afterEach(() => {
  // Whatever a failed run left behind, by pid (never by name).
  for (const pid of [...started, npm?.pid ?? 0]) {
    if (pid > 0 && isRunning(pid)) process.kill(pid, 'SIGKILL');
  }
  npm = undefined;
  started = [];
});

/** Parent pid of each live process, from /proc. */
function parentPids(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(name), ppid);
    } catch {
      // Exited while listing.
    }
  }
  return parents;
}

function descendantsOf(root: number): number[] {
  const parents = parentPids();
  const found: number[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = [...parents].filter(([, ppid]) => frontier.includes(ppid)).map(([pid]) => pid);
    found.push(...next);
    frontier = next;
  }
  return found;
}

/** A zombie is gone for our purpose: it holds no port and runs no code. */
function isRunning(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Resolves with the output so far once `pattern` appears; rejects if npm exits first. */
function outputMatching(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (pattern.test(output)) {
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve(output);
      }
    };
    const onExit = () => reject(new Error(`npm start exited before it was ready:\n${output}`));
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

describe.runIf(onLinux)('npm start and signals sent to the npm process', () => {
  it.each([['SIGTERM'], ['SIGINT']] as const)(
    'passes %s to everything it started, exits 0 once they stopped, and leaves no process and no port behind',
    async (signal) => {
      const environment: NodeJS.ProcessEnv = { ...process.env, PORT: '0', SIMULATOR_PORT: '0', SWEEP_INTERVAL_SECONDS: '0' };
      for (const name of [ENV.huaweiBaseUrl, ENV.spCredentials, ENV.spCredentialsSecretArn, ENV.registryTableName]) delete environment[name];
      npm = spawn('npm', ['start'], { cwd: REPO_ROOT, env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      npm.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      npm.stderr?.resume();

      const banner = await outputMatching(npm, /Ctrl-C stops everything/);
      const ports = [...banner.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));
      const npmPid = npm.pid ?? 0;
      started = descendantsOf(npmPid);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        npm?.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal })),
      );
      npm.kill(signal);
      const exit = await exited;
      // What is still alive the moment npm has exited.
      const leftRunning = started.filter(isRunning);

      expect(new Set(ports).size, banner).toBeGreaterThanOrEqual(3); // simulator, dynalite, gateway
      expect(started.length, 'processes npm started').toBeGreaterThan(0);
      expect(stdout).toContain(`${signal}: stopping`);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(leftRunning).toEqual([]);
      for (const port of new Set(ports)) expect(await portIsFree(port), `port ${port}`).toBe(true);
    },
  );
});
