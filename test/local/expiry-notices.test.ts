/**
 * Expiry notices on the local stack: what the relay registered as expiring within EXPIRY_NOTICE_DAYS (7) is
 * announced once per resource and expiry date, one event per enterprise per run, kept at GET /_local/events.
 */
import { describe, expect, it } from 'vitest';
import { CORP_A, CORP_B, SP_APP } from '../../local/simulator/demo-data.js';
import { LOCAL_EVENTS_PATH, LOCAL_NOTICES_PATH, LOCAL_SYNC_PATH } from '../../local/settings.js';
import type { LocalEvent } from '../../local/local-notices.js';
import type { NoticeReport } from '../../functions/notices/notify.js';
import type { SyncReport } from '../../functions/sync/report.js';
import { DAY_MS, startGatewayStack, use } from '../support/stack.js';

const local = use(startGatewayStack);

async function runNotices(): Promise<NoticeReport> {
  const answer = await fetch(`${local.stack.gatewayUrl}${LOCAL_NOTICES_PATH}`, { method: 'POST' });
  expect(answer.status).toBe(200);
  return (await answer.json()) as NoticeReport;
}

async function events(): Promise<LocalEvent[]> {
  return (await (await fetch(`${local.stack.gatewayUrl}${LOCAL_EVENTS_PATH}`)).json()) as LocalEvent[];
}

/** Deletes resources at the simulator (Huawei's DeleteResource), as an operator would, bypassing the relay. */
async function deleteUpstream(corpId: string, ids: readonly string[]): Promise<void> {
  const answer = await fetch(`${local.stack.huaweiBaseUrl}/v1/usg/dcs/sp/corp/${corpId}/resource/delete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Access-Token': local.spToken },
    body: JSON.stringify(ids),
  });
  expect(answer.status).toBe(200);
}

async function runSync(): Promise<SyncReport> {
  const answer = await fetch(`${local.stack.gatewayUrl}${LOCAL_SYNC_PATH}`, { method: 'POST' });
  expect(answer.status).toBe(200);
  return (await answer.json()) as SyncReport;
}

function noticesOf(all: readonly LocalEvent[], resourceId: string) {
  return all.flatMap((event) => event.detail.resources.filter((r) => r.resourceId === resourceId).map((r) => ({ corpId: event.detail.corpId, ...r })));
}

describe('expiry notices', () => {
  it('announce a resource expiring in 3 days exactly once across many runs, one event per enterprise per run', async () => {
    const [a1, a2] = await local.newResources(CORP_A.corpId, ['VMR', 'SOFT']);
    const [b1] = await local.newResources(CORP_B.corpId, ['LIVE']);
    if (!a1 || !a2 || !b1) throw new Error('resources not created');
    const inThreeDays = Date.now() + 3 * DAY_MS;
    const farAhead = Date.now() + 30 * DAY_MS;
    expect((await local.relay(CORP_A.corpId, [{ id: a1.id, type: 'VMR', expireDate: inThreeDays }, { id: a2.id, type: 'SOFT', expireDate: farAhead }])).status).toBe(200);
    expect((await local.relay(CORP_B.corpId, [{ id: b1.id, type: 'LIVE', expireDate: inThreeDays }])).status).toBe(200);
    const before = (await events()).length;

    const first = await runNotices();
    const laterRuns = [await runNotices(), await runNotices(), await runNotices()];

    const all = await events();
    const newEvents = all.slice(before);
    expect(first).toMatchObject({ noticesSent: 2, events: 2 });
    expect(laterRuns.map((run) => run.noticesSent)).toEqual([0, 0, 0]);
    expect(newEvents.map((event) => event.detail.corpId).sort()).toEqual([CORP_A.corpId, CORP_B.corpId].sort());
    expect(noticesOf(all, a1.id)).toEqual([{ corpId: CORP_A.corpId, resourceId: a1.id, type: 'VMR', expireDate: inThreeDays }]);
    expect(noticesOf(all, b1.id)).toHaveLength(1);
    expect(noticesOf(all, a2.id)).toEqual([]);
    expect(newEvents[0]).toMatchObject({ source: 'meeting-relay', 'detail-type': 'Resources expiring', detail: { noticeDays: 7 } });
  });

  it('announce a renewed resource again for its new expiry date, once', async () => {
    const [resource] = await local.newResources(CORP_A.corpId, ['ROOM']);
    if (!resource) throw new Error('resource not created');
    const first = Date.now() + 2 * DAY_MS;
    const renewed = Date.now() + 6 * DAY_MS;
    await local.relay(CORP_A.corpId, [{ id: resource.id, type: 'ROOM', expireDate: first }]);
    await runNotices();
    await local.relay(CORP_A.corpId, [{ id: resource.id, type: 'ROOM', expireDate: renewed }]);
    await runNotices();
    await runNotices();

    expect(noticesOf(await events(), resource.id).map((notice) => notice.expireDate)).toEqual([first, renewed]);
  });

  it('announce nothing for a disabled resource or one beyond the window', async () => {
    const [disabled, beyond] = await local.newResources(CORP_B.corpId, ['RECORD', 'HARD_1080P']);
    if (!disabled || !beyond) throw new Error('resources not created');
    await local.relay(CORP_B.corpId, [
      { id: disabled.id, type: 'RECORD', expireDate: Date.now() + DAY_MS, isDisabled: true },
      { id: beyond.id, type: 'HARD_1080P', expireDate: Date.now() + 8 * DAY_MS },
    ]);
    expect(await local.registered(disabled)).toMatchObject({ status: 'disabled-manual' });

    await runNotices();

    const all = await events();
    expect(noticesOf(all, disabled.id)).toEqual([]);
    expect(noticesOf(all, beyond.id)).toEqual([]);
  });

  it('announce nothing for a resource the sync recorded gone (deleted at Huawei) though it expires in the window', async () => {
    const [gone, kept] = await local.newResources(CORP_A.corpId, ['VMR', 'VMR']);
    if (!gone || !kept) throw new Error('resources not created');
    const inThreeDays = Date.now() + 3 * DAY_MS;
    expect(
      (await local.relay(CORP_A.corpId, [{ id: gone.id, type: 'VMR', expireDate: inThreeDays }, { id: kept.id, type: 'VMR', expireDate: inThreeDays }])).status,
    ).toBe(200);
    await deleteUpstream(CORP_A.corpId, [gone.id]);

    const sync = await runSync();
    await runNotices();

    expect(sync.status).toBe('completed');
    expect(await local.upstream(gone)).toBeUndefined();
    expect(await local.registered(gone)).toMatchObject({ status: 'gone', expireDate: inThreeDays });
    expect(await local.registered(kept)).toMatchObject({ status: 'active', expireDate: inThreeDays });
    const all = await events();
    expect(noticesOf(all, gone.id)).toEqual([]);
    expect(noticesOf(all, kept.id)).toEqual([{ corpId: CORP_A.corpId, resourceId: kept.id, type: 'VMR', expireDate: inThreeDays }]);
  });

  it('carry no token, password or SP key in any event', async () => {
    const text = JSON.stringify(await events());
    expect(text.length).toBeGreaterThan(2);
    for (const secret of [local.spToken, SP_APP.appKey]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/token|password|pwd|appKey|secret/i);
  });
});
