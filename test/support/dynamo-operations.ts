/**
 * The DynamoDB operations (X-Amz-Target, e.g. `BatchGetItem`) the code under test sends while `act` runs, read
 * off Node's http client diagnostics channel: what really went over the wire to dynalite, whichever store or
 * client sent it.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

export async function operationsDuring(act: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const onRequest = (message: unknown) => {
    const target = (message as { request: ClientRequest }).request.getHeader('x-amz-target');
    if (target !== undefined) seen.push(String(target).replace(/^DynamoDB_\d+\./, ''));
  };
  subscribe('http.client.request.start', onRequest);
  try {
    await act();
  } finally {
    unsubscribe('http.client.request.start', onRequest);
  }
  return seen;
}
