/**
 * The local runtime's own settings and addresses, shared by `npm start` (local/stack.ts) and `npm run sweep`
 * (local/sweep-now.ts). Kept free of heavy imports so the sweep command starts quickly.
 */
import { ENV } from '../functions/shared/env.js';

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
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number (got "${raw}")`);
  return port;
}

/** SWEEP_INTERVAL_SECONDS: whole seconds between timer sweeps, 0 for no timer. */
export function readSweepInterval(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[ENV.sweepIntervalSeconds];
  if (raw === undefined || raw.trim() === '') return DEFAULT_SWEEP_INTERVAL_SECONDS;
  const seconds = Number(raw);
  if (!/^\s*[0-9]+\s*$/.test(raw) || seconds > MAX_SWEEP_INTERVAL_SECONDS) {
    throw new Error(
      `${ENV.sweepIntervalSeconds} must be a whole number of seconds from 0 (no timer) to ${MAX_SWEEP_INTERVAL_SECONDS} (got "${raw}")`,
    );
  }
  return seconds;
}

/** RELAY_PASSTHROUGH: `true` (the default) or `false`, as the CDK context `passthrough`. */
export function readPassthrough(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env[ENV.relayPassthrough]?.trim();
  if (raw === undefined || raw === '' || raw === 'true') return true;
  if (raw === 'false') return false;
  throw new Error(`${ENV.relayPassthrough} must be true or false (got "${raw}")`);
}

/** HTTPS_PORT: the https listener's port, or undefined when it is off (the default). */
export function readHttpsPort(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[ENV.httpsPort];
  if (raw === undefined || raw.trim() === '') return undefined;
  return readPort(ENV.httpsPort, 0, env);
}
