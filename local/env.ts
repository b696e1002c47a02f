/** Environment variables read only by the local runtime and the simulator (the functions' are in functions/shared/env.ts). */
export const LOCAL_ENV = {
  /** Local runtime: seconds between scheduled sweeps. */
  sweepIntervalSeconds: 'SWEEP_INTERVAL_SECONDS',
  /** Local runtime: port of the API Gateway emulator. */
  port: 'PORT',
  /** Local runtime: "false" to drop the passthrough of Huawei's other paths (the CDK context `passthrough`). */
  relayPassthrough: 'RELAY_PASSTHROUGH',
  /** Local runtime: port of the relay's opt-in https listener (self-signed certificate made at start). */
  httpsPort: 'HTTPS_PORT',
  /** Local runtime: port of the Huawei simulator. */
  simulatorPort: 'SIMULATOR_PORT',
  /** Simulator: latency added to every request, in ms (benchmarks). */
  simulatorLatencyMs: 'SIMULATOR_LATENCY_MS',
  /** Simulator: lifetime of issued tokens, in seconds. */
  simulatorTokenTtlSeconds: 'SIMULATOR_TOKEN_TTL_SECONDS',
} as const;
