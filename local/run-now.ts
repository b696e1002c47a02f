/**
 * What `npm run sweep` and `npm run sync` share: call one local-only endpoint of the running stack (`npm start`,
 * gateway on PORT, default 3000) and read the report it answers. Any other outcome is printed and counts as
 * "nothing ran" (exit status 2 for both commands).
 */
import { LOCAL_ENV } from './env.js';
import { DEFAULT_GATEWAY_PORT } from './gateway/server.js';
import { readPort } from './settings.js';

/** A sweep or a sync on the local stack answers within its own budget; this only guards a hung stack. */
const REQUEST_TIMEOUT_MS = 60_000;

export const NOTHING_RAN = 2;

export async function requestLocalReport<T>(
  method: string,
  path: string,
  isReport: (value: unknown) => value is T,
): Promise<T | undefined> {
  const port = readPort(LOCAL_ENV.port, DEFAULT_GATEWAY_PORT);
  const url = `http://127.0.0.1:${port}${path}`;
  let response: Response;
  try {
    response = await fetch(url, { method, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    console.error(`No local stack answered at ${url} (${reason}).`);
    console.error(`Start it with "npm start" (and give this command the same ${LOCAL_ENV.port}).`);
    return undefined;
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!isReport(body)) {
    console.error(`${method} ${url} answered HTTP ${response.status}: ${text.slice(0, 500)}`);
    if (response.status === 404) console.error('Is this the meeting-relay local stack (npm start)?');
    return undefined;
  }
  return body;
}
