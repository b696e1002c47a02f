import { invalidParameter } from '../error-codes.js';
import { requireInteger, type JsonObject } from '../validation.js';

/**
 * clientType values accepted at login. Docs disagree (72 API call; 0 web, 5/6 cloudlink; 50-55 device
 * kinds in a private-cloud copy), so we accept all of them.
 */
export const ACCEPTED_CLIENT_TYPES: ReadonlySet<number> = new Set([0, 5, 6, 50, 51, 52, 53, 54, 55, 72]);

export function readClientType(body: JsonObject): number {
  const clientType = requireInteger(body, 'clientType');
  if (!ACCEPTED_CLIENT_TYPES.has(clientType)) {
    throw invalidParameter('clientType', `must be one of ${[...ACCEPTED_CLIENT_TYPES].join(', ')}`);
  }
  return clientType;
}
