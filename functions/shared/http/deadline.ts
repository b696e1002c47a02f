import { LAMBDA_SAFETY_MARGIN_MS, RELAY_DEADLINE_MS } from '../limits.js';

/**
 * Absolute deadline (epoch ms) for the upstream call: within API Gateway's 30 s integration limit and within the
 * Lambda's remaining time, keeping a margin so the relay can still answer 504 itself.
 */
export function relayDeadline(now: number, remainingTimeMs: number | undefined): number {
  const gatewayBound = now + RELAY_DEADLINE_MS;
  if (remainingTimeMs === undefined || !Number.isFinite(remainingTimeMs)) return gatewayBound;
  return Math.min(gatewayBound, now + remainingTimeMs - LAMBDA_SAFETY_MARGIN_MS);
}
