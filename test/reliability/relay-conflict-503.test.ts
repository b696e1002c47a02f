/**
 * When the relay's records keep losing races until its last round (another writer changes the resource between
 * every read and record), the caller gets 503 RELAY.503001 in Huawei's shape: nothing is confirmed. The caller
 * retries the same request, as the README says, and that retry is applied and recorded. The other writer is a
 * second relayed update, made at the exact moment between the first one's PUT and its record by a hook on the
 * loopback hop to the simulator; no timing is involved.
 */
import { describe, expect, it } from 'vitest';
import { itemKey } from '../../functions/shared/registry/keys.js';
import { useInterposer } from './support/interposer.js';
import { CORP, DAY_MS, RESOURCE_PATH, startScenario } from './support/scenario.js';
import { use } from '../support/stack.js';

const run = use(startScenario);
const interposed = useInterposer(() => run.stack);

describe('a relayed update whose records lose every race', () => {
  it('answers 503 RELAY.503001 in Huawei\'s shape, and the caller\'s retry is applied and recorded', async () => {
    // Prepare
    const id = 'always-contended';
    await run.scenario.addUpstream(id, ['VMR'], Date.now() + DAY_MS);
    expect((await run.scenario.relayed([{ id, type: 'VMR', expireDate: Date.now() + DAY_MS }], 'prepare-1')).statusCode).toBe(200);
    const wanted = Date.now() + 30 * DAY_MS;
    let interferences = 0;
    interposed.hop.setHook(async (request) => {
      if (request.method !== 'PUT' || request.requestId !== 'contended-1') return undefined;
      // After Huawei applied the caller's PUT and before the relay records it, another caller updates the resource.
      return {
        after: async () => {
          interferences += 1;
          const other = await run.scenario.relayed([{ id, type: 'VMR', expireDate: Date.now() + 2 * DAY_MS + interferences }], `interferer-${interferences}`);
          expect(other.statusCode).toBe(200);
        },
      };
    });

    // Act
    const contended = await run.scenario.relayed([{ id, type: 'VMR', expireDate: wanted }], 'contended-1');
    interposed.hop.setHook(undefined);
    const retried = await run.scenario.relayed([{ id, type: 'VMR', expireDate: wanted }], 'contended-1');

    // Assess
    const body = JSON.parse(String(contended.body)) as Record<string, unknown>;
    expect(contended.statusCode).toBe(503);
    expect(body).toEqual({ error_code: 'RELAY.503001', error_msg: expect.stringMatching(/retry/) as unknown, request_id: 'contended-1' });
    expect(contended.headers?.['x-request-id']).toBe('contended-1');
    expect(interferences).toBeGreaterThanOrEqual(1);
    const puts = await run.stack.control.requests({ path: RESOURCE_PATH, method: 'PUT' });
    expect(puts.filter((put) => put.requestId === 'contended-1' && put.status === 200).length).toBeGreaterThanOrEqual(2);
    expect(retried.statusCode).toBe(200);
    expect(await run.scenario.upstream(id, 'VMR')).toMatchObject({ expireDate: wanted });
    expect(await run.stack.registry.store.get(itemKey(CORP, id, 'VMR'))).toMatchObject({ expireDate: wanted, status: 'active' });
  });
});
