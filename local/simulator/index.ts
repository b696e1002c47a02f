/** Public entry of the Huawei Cloud Meeting simulator: start it, and read its settings from the environment. */
import { envInteger } from '../../functions/shared/env-values.js';
import { LOCAL_ENV } from '../env.js';
import type { SimulatorOptions } from './server.js';

export { startSimulator, type RunningSimulator, type SimulatorOptions } from './server.js';
export type { ActiveFault, FaultSpec, RecordedRequest } from './control-types.js';

export const DEFAULT_SIMULATOR_PORT = 3001;

function readNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  return envInteger(env, name, { fallback: undefined, min: 0, max: Number.MAX_SAFE_INTEGER, rule: 'must be a non-negative integer' });
}

/** SIMULATOR_PORT (default 3001), SIMULATOR_LATENCY_MS and SIMULATOR_TOKEN_TTL_SECONDS as options. */
export function simulatorOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SimulatorOptions {
  const options: SimulatorOptions = { port: readNumber(env, LOCAL_ENV.simulatorPort) ?? DEFAULT_SIMULATOR_PORT };
  const latencyMs = readNumber(env, LOCAL_ENV.simulatorLatencyMs);
  if (latencyMs !== undefined) options.latencyMs = latencyMs;
  const ttl = readNumber(env, LOCAL_ENV.simulatorTokenTtlSeconds);
  if (ttl !== undefined) options.tokenTtlSeconds = ttl;
  return options;
}
