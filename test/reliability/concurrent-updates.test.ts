/**
 * Issue 15, fix 4: 10 callers update one resource at the same time, 5 times over (50 calls). Before the fix
 * 35 of 50 were answered 503 RELAY.503001 (the relay gave up after 3 rounds of read, relay, record), and a
 * caller that did not retry left the registry and Huawei disagreeing on the expiry. The relay now merges
 * concurrent updates of one resource with more rounds and jittered waits inside the request's deadline
 * (functions/resources/relay-recording.ts); a 503 stays "nothing confirmed, retry". The assertion is a
 * count of answers, not a time.
 */
import { describe, expect, it } from 'vitest';
import { itemKey } from '../../functions/shared/registry/keys.js';
import { CORP, DAY_MS, RESOURCE_PATH, startScenario } from './support/scenario.js';
import { use } from '../support/stack.js';
import { reportFigures } from './support/property-runs.js';

const CALLERS = 10;
const WAVES = 5;

const run = use(startScenario);

describe('10 concurrent updates of one resource', () => {
  it('are all answered 200 (at most 1 in 50 answered 503), and the registry and Huawei agree at the end', async () => {
    // Prepare
    const id = 'contended';
    const base = Date.now() + 10 * DAY_MS;
    await run.scenario.addUpstream(id, ['VMR'], base);
    expect(await run.scenario.relay([{ id, type: 'VMR', expireDate: base }])).toBe(200);

    // Act: waves of 10 callers at once, each with its own expiry.
    const statuses: number[] = [];
    for (let wave = 0; wave < WAVES; wave++) {
      const answers = await Promise.all(
        Array.from({ length: CALLERS }, (_, caller) => run.scenario.relay([{ id, type: 'VMR', expireDate: base + (wave * CALLERS + caller + 1) * 60_000 }])),
      );
      statuses.push(...answers);
    }

    // Assess
    const unavailable = statuses.filter((s) => s === 503).length;
    const puts = (await run.stack.control.requests({ path: RESOURCE_PATH, method: 'PUT' })).length;
    reportFigures('concurrent updates', `${unavailable} of ${statuses.length} answered 503; ${puts} upstream PUTs`);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(unavailable).toBeLessThanOrEqual(1);
    const upstream = await run.scenario.upstream(id, 'VMR');
    const recorded = await run.stack.registry.store.get(itemKey(CORP, id, 'VMR'));
    expect(recorded?.expireDate).toBe(upstream?.expireDate);
    expect(recorded).toMatchObject({ status: 'active' });
    expect(upstream).toMatchObject({ isDisabled: false });
  });
});
