/**
 * Starts the simulator or dynalite in a child process (bench/service-host.ts) and gives back its URL. Each
 * service gets its own process, as Huawei and DynamoDB are remote in production: the benchmark's own thread
 * then runs only the code being measured.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export type ServiceRequest = { service: 'simulator'; latencyMs: number; extraCorps?: number } | { service: 'dynamo' };

export interface ServiceReady {
  url: string;
  /** dynalite only: the registry table it created. */
  tableName?: string;
}

export interface RunningService extends ServiceReady {
  stop(): Promise<void>;
}

const HOST_MODULE = new URL('./service-host.ts', import.meta.url);
const DYNAMO_HEAP_MB = 8_192;

export function startServiceProcess(request: ServiceRequest): Promise<RunningService> {
  // execArgv is inherited, so the child runs under tsx like this process. Its stdout (the services' own logs)
  // is dropped; errors still reach stderr.
  const child = fork(HOST_MODULE, [], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    // dynalite keeps the whole table in this process's heap: a million items need more than Node's default.
    execArgv: request.service === 'dynamo' ? [...process.execArgv, `--max-old-space-size=${DYNAMO_HEAP_MB}`] : process.execArgv,
  });
  return new Promise<RunningService>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${request.service} process exited with ${code} before it was ready`)));
    child.once('message', (ready: ServiceReady) => {
      child.removeAllListeners('exit');
      resolve({ ...ready, stop: () => stopChild(child) });
    });
    child.send(request);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.send('stop');
  });
}
