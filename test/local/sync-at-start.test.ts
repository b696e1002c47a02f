/**
 * `npm start` runs one sync before the sweeper starts: the demo fleet is adopted, and the first sweep disables
 * the demo's resources that are already past their expiry (the README quick start shows this). `POST
 * /_local/sync` runs one sync now (a full pass; `?mode=incremental` an incremental one); on an unchanged fleet
 * it writes nothing.
 */
import { describe, expect, it } from 'vitest';
import { CORP_B, DEMO_EXPIRED, DEMO_RESOURCES } from '../../local/simulator/demo-data.js';
import { LOCAL_SYNC_PATH } from '../../local/settings.js';
import type { SyncReport } from '../../functions/sync/report.js';
import { startGatewayStack, use } from '../support/stack.js';

const local = use(() => startGatewayStack({ syncAtStart: true }));
const expiredDemo = DEMO_RESOURCES.filter((r) => r.expireDate === DEMO_EXPIRED && !r.isDisabled);

describe('npm start syncs with Huawei once', () => {
  it('adopts the demo fleet at start, so the first sweep disables the demo resources already past their expiry', async () => {
    const startSync = local.stack.startSync;
    expect(startSync).toMatchObject({ status: 'completed', adopted: DEMO_RESOURCES.length, registryWrites: 2 * DEMO_RESOURCES.length }); // each adoption created, then confirmed
    expect(expiredDemo.length).toBeGreaterThanOrEqual(3);

    const { status, report } = await local.sweepNow();

    expect(status).toBe(200);
    expect(report).toMatchObject({ status: 'completed', due: expiredDemo.length, disabled: expiredDemo.length });
    for (const r of expiredDemo) {
      expect((await local.upstream(r))?.status, r.id).toBe(2);
      expect(await local.registered(r), r.id).toMatchObject({ status: 'disabled-expired' });
    }
    expect((await local.upstream({ corpId: CORP_B.corpId, id: 'b2d1e0f3a4c5469e8b1c2d3e4f5a6b01', type: 'VMR' }))?.status).toBe(0);
  });

  it('answers POST /_local/sync with the report of a sync that writes nothing on an unchanged fleet', async () => {
    const answer = await fetch(`${local.stack.gatewayUrl}${LOCAL_SYNC_PATH}`, { method: 'POST' });
    const report = (await answer.json()) as SyncReport;

    expect(answer.status).toBe(200);
    expect(report).toMatchObject({ mode: 'full', fullPassReason: 'requested', status: 'completed', adopted: 0, repaired: 0, registryWrites: 0 });
    expect(report.resourcesSeen).toBe(DEMO_RESOURCES.length);
  });

  it('runs an incremental sync on POST /_local/sync?mode=incremental, and refuses another mode with a 400 naming it', async () => {
    const answer = await fetch(`${local.stack.gatewayUrl}${LOCAL_SYNC_PATH}?mode=incremental`, { method: 'POST' });
    const bad = await fetch(`${local.stack.gatewayUrl}${LOCAL_SYNC_PATH}?mode=hourly`, { method: 'POST' });

    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ mode: 'incremental', status: 'completed', registryWrites: 0 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error_code: 'RELAY.400005', error_msg: 'mode must be one of full, incremental' });
  });
});
