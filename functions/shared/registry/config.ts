import { ENV } from '../env.js';

/**
 * RENEWAL_REENABLE: whether the relay re-enables a renewed resource the sweeper disabled for expiry. On unless
 * set to "false"; any other value than "true"/"false" is a deployment error, reported by name.
 */
export function renewalReenableFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env[ENV.renewalReenable]?.trim();
  if (raw === undefined || raw === '') return true;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new Error(`${ENV.renewalReenable} must be "true" or "false"`);
}
