/** Public entry of the Huawei Cloud Meeting simulator: start it, and read its settings from the environment. */
import { ENV } from '../../functions/shared/env.js';
import type { SimulatorOptions } from './server.js';

export { startSimulator, type RunningSimulator, type SimulatorOptions } from './server.js';
export type { ActiveFault, FaultSpec, RecordedRequest } from './control-types.js';

export const DEFAULT_SIMULATOR_PORT = 3001;

function readNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer (got "${raw}")`);
  return value;
}

/** SIMULATOR_PORT (default 3001), SIMULATOR_LATENCY_MS and SIMULATOR_TOKEN_TTL_SECONDS as options. */
export function simulatorOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SimulatorOptions {
  const options: SimulatorOptions = { port: readNumber(env, ENV.simulatorPort) ?? DEFAULT_SIMULATOR_PORT };
  const latencyMs = readNumber(env, ENV.simulatorLatencyMs);
  if (latencyMs !== undefined) options.latencyMs = latencyMs;
  const ttl = readNumber(env, ENV.simulatorTokenTtlSeconds);
  if (ttl !== undefined) options.tokenTtlSeconds = ttl;
  return options;
}
