/**
 * A relayed update whose plan grows past Huawei's 100 items per PUT is split into several PUTs, all applied and
 * recorded. A plan grows when a type-less renewal re-enables typed items the sweeper disabled next to a manual
 * disable: the relay then sends the type-less item and one typed re-enable per disabled type. Driven through
 * the local stack: the relay over HTTP, the sweep on `POST /_local/sweep`, Huawei's log and state read back.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { DAY_MS, HOUR_MS, startGatewayStack, use } from '../support/stack.js';

const local = use(startGatewayStack);
const CORP = CORP_A.corpId;
const RESOURCE_PATH = `/v1/usg/dcs/sp/corp/${CORP}/resource`;

/** Adds each id upstream as a VMR and a SOFT resource (the fixture's `newResources` gives each type its own id). */
async function addVmrAndSoft(ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 50) {
    const body = ids.slice(i, i + 50).flatMap((id) => ['VMR', 'SOFT'].map((type) => ({ id, type, count: 1, expireDate: Date.now() + DAY_MS })));
    const answer = await fetch(`${local.stack.huaweiBaseUrl}${RESOURCE_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Access-Token': local.spToken },
      body: JSON.stringify(body),
    });
    expect(answer.status, await answer.text()).toBe(200);
  }
}

describe('a relayed update planned as more than 100 items', () => {
  it('is sent in PUTs of at most 100 that together carry the whole plan, and every item is applied and recorded', async () => {
    // Prepare: 51 ids, each with a VMR the sweeper disabled for expiry and a SOFT disabled by hand.
    const ids = Array.from({ length: 51 }, () => randomBytes(16).toString('hex'));
    await addVmrAndSoft(ids);
    const expired = Date.now() - HOUR_MS;
    expect((await local.relay(CORP, ids.map((id) => ({ id, type: 'VMR', expireDate: expired })))).status).toBe(200);
    expect((await local.relay(CORP, ids.map((id) => ({ id, type: 'SOFT', isDisabled: true })))).status).toBe(200);
    const sweep = await local.sweepNow();
    expect(sweep.report).toMatchObject({ status: 'completed', disabled: 51 });
    const renewedUntil = Date.now() + 30 * DAY_MS;

    // Act: one type-less renewal per id (51 items from the client; the plan is 102).
    const answer = await local.relay(CORP, ids.map((id) => ({ id, expireDate: renewedUntil })), 'split-plan-1');

    // Assess
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    const puts = (await local.upstreamPuts(CORP)).filter((put) => put.requestId === 'split-plan-1');
    const sizes = puts.map((put) => (put.body as unknown[]).length);
    expect(puts.length).toBeGreaterThanOrEqual(2);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(100);
    const sent = puts.flatMap((put) => put.body as Array<Record<string, unknown>>);
    const expected = ids.flatMap((id) => [
      { id, expireDate: renewedUntil },
      { id, type: 'VMR', isDisabled: false, expireDate: renewedUntil },
    ]);
    const order = (items: Array<Record<string, unknown>>) => items.map((item) => JSON.stringify(item, Object.keys(item).sort())).sort();
    expect(order(sent)).toEqual(order(expected));
    for (const id of ids) {
      expect(await local.upstream({ corpId: CORP, id, type: 'VMR' }), `${id} VMR`).toMatchObject({ expireDate: renewedUntil, status: 0 });
      expect(await local.upstream({ corpId: CORP, id, type: 'SOFT' }), `${id} SOFT`).toMatchObject({ expireDate: renewedUntil, status: 2 });
      expect(await local.registered({ corpId: CORP, id, type: 'VMR' }), `${id} VMR recorded`).toMatchObject({ expireDate: renewedUntil, status: 'active' });
    }
  });
});
