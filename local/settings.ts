/**
 * The local runtime's own settings and addresses, shared by `npm start` (local/stack.ts) and `npm run sweep`
 * (local/sweep-now.ts). Kept free of heavy imports so the sweep command starts quickly.
 */
import { envBoolean, envInteger } from '../functions/shared/env-values.js';
import { LOCAL_ENV } from './env.js';

export const DEFAULT_SWEEP_INTERVAL_SECONDS = 60;
/** A day: longer intervals are surely a typo for a local runtime. */
export const MAX_SWEEP_INTERVAL_SECONDS = 86_400;

/** The local-only route that runs one sweep now (never in the route table, never deployed). */
export const LOCAL_SWEEP_PATH = '/_local/sweep';
export const LOCAL_SWEEP_METHOD = 'POST';
/** The local-only route that runs one sync (adoption and drift repair) now. */
export const LOCAL_SYNC_PATH = '/_local/sync';
export const LOCAL_SYNC_METHOD = 'POST';
/** The OpenAPI document of the routes (docs/openapi.json, built from the same code). */
export const LOCAL_OPENAPI_PATH = '/_local/openapi.json';
/** Runs the expiry notices now (POST), and the events they published so far (GET). */
export const LOCAL_NOTICES_PATH = '/_local/notices';
export const LOCAL_EVENTS_PATH = '/_local/events';

export function readPort(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  return envInteger(env, name, { fallback, min: 0, max: 65535, rule: 'must be a port number' });
}

/** SWEEP_INTERVAL_SECONDS: whole seconds between timer sweeps, 0 for no timer. */
export function readSweepInterval(env: NodeJS.ProcessEnv = process.env): number {
  return envInteger(env, LOCAL_ENV.sweepIntervalSeconds, {
    fallback: DEFAULT_SWEEP_INTERVAL_SECONDS,
    min: 0,
    max: MAX_SWEEP_INTERVAL_SECONDS,
    rule: `must be a whole number of seconds from 0 (no timer) to ${MAX_SWEEP_INTERVAL_SECONDS}`,
  });
}

/** RELAY_PASSTHROUGH: `true` (the default) or `false`, as the CDK context `passthrough`. */
export function readPassthrough(env: NodeJS.ProcessEnv = process.env): boolean {
  return envBoolean(env, LOCAL_ENV.relayPassthrough, true, 'must be true or false');
}

/** HTTPS_PORT: the https listener's port, or undefined when it is off (the default). */
export function readHttpsPort(env: NodeJS.ProcessEnv = process.env): number | undefined {
  return envInteger(env, LOCAL_ENV.httpsPort, { fallback: undefined, min: 0, max: 65535, rule: 'must be a port number' });
}
