/**
 * Incremental syncs (changed-corps.ts, watermark.ts): Huawei's operation records pick the enterprises a frequent
 * sync reads; the daily full pass stays the safety net. Real dynalite and simulator; the simulator, the sync and
 * the relay share one clock, moved by the test (virtual hours, no real waiting).
 */
import { describe, expect, it } from 'vitest';
import { MAX_WATERMARK_AGE_MS, OVERLAP_MS, syncModeOf } from '../../functions/sync/changed-corps.js';
import { CORP_A, CORP_B } from '../../local/simulator/demo-data.js';
import { extraCorpId } from '../../local/simulator/state.js';
import { HOUR_MS, DAY_MS, startSweeperStack, use } from '../support/stack.js';
import type { TestResource } from '../support/stack.js';

const EXTRA_CORPS = 3;
/** The SP's enterprises in the simulator: the two demo ones and the extra ones. */
const ALL_CORPS = [CORP_A.corpId, CORP_B.corpId, ...Array.from({ length: EXTRA_CORPS }, (_, i) => extraCorpId(i + 1))];

let offset = 0;
/** Real time moved by the test: the simulator stamps its records with it, the sync takes its watermark from it. */
const now = () => Date.now() + offset;
const later = (ms: number) => {
  offset += ms;
};

const CORPS_PATH = '/v1/usg/dcs/sp/corp';
const recordPath = (corpId: string) => `${CORPS_PATH}/${corpId}/resource-record`;
const resourcePath = (corpId: string) => `${CORPS_PATH}/${corpId}/resource`;

describe('incremental sync', () => {
  const h = use(() => {
    offset = 0;
    return startSweeperStack({ now, simulator: { now, extraCorps: EXTRA_CORPS } });
  }, 'test');

  const resource = (id: string, corpId = CORP_A.corpId): TestResource => ({ corpId, id, type: 'SOFT', expireDate: now() + 30 * DAY_MS });

  /** The SP calls since the last clear, as `METHOD path` counts. */
  const spCalls = async () => {
    const counts = new Map<string, number>();
    for (const r of await h.huawei.control.requests({ path: CORPS_PATH })) counts.set(`${r.method} ${r.path}`, (counts.get(`${r.method} ${r.path}`) ?? 0) + 1);
    return Object.fromEntries(counts);
  };

  /**
   * A full pass that sets the watermark, an hour later an incremental run (the setup's records are still in its
   * overlap window, so it reads those enterprises again), and an hour with no change.
   */
  const settledFleet = async () => {
    const first = await h.syncOnce({ mode: 'full' });
    expect(first).toMatchObject({ mode: 'full', status: 'completed', watermarkAdvanced: true });
    later(HOUR_MS);
    const second = await h.syncOnce({ mode: 'incremental' });
    expect(second).toMatchObject({ mode: 'incremental', status: 'completed', registryWrites: 0, watermarkAdvanced: true });
    later(HOUR_MS);
    await h.huawei.control.clearRequests();
    return second;
  };

  it('reads only the enterprise changed directly at Huawei, and records the change', async () => {
    // Prepare
    const r = resource('renewed-directly');
    await h.register([r]);
    await settledFleet();
    const renewedUntil = now() + 60 * DAY_MS;
    expect((await h.huawei.spApi.updateResources(r.corpId, [{ id: r.id, type: r.type, expireDate: renewedUntil }])).status).toBe(200);
    await h.huawei.control.clearRequests();
    later(60_000);
    const mark = await h.registry.watermark.read();

    // Act
    const report = await h.syncOnce({ mode: 'incremental' });

    // Assess
    expect(report).toMatchObject({ mode: 'incremental', status: 'completed', enterprises: 1, enterprisesUnchanged: ALL_CORPS.length - 1, repaired: 1, registryWrites: 1 });
    expect(report.fullPassReason).toBeUndefined();
    expect(await h.item(r)).toMatchObject({ expireDate: renewedUntil });
    const expected: Record<string, number> = { [`GET ${CORPS_PATH}`]: 1, [`GET ${resourcePath(CORP_A.corpId)}`]: 1 };
    for (const corpId of ALL_CORPS) expected[`GET ${recordPath(corpId)}`] = 1;
    expect(await spCalls()).toEqual(expected);
    expect(report.spCalls).toBe(2 + ALL_CORPS.length);
    const records = await h.huawei.control.requests({ path: recordPath(CORP_A.corpId) });
    expect(Number(records[0]?.query.startOperateDate)).toBe((mark?.syncedThrough ?? 0) - OVERLAP_MS);
    expect(await h.registry.watermark.read()).toMatchObject({ syncedThrough: report.startedAt, syncId: report.syncId });
  });

  it('costs the enterprise pages and one record query per enterprise on an unchanged fleet, and writes no resource item', async () => {
    // Prepare
    await h.register([resource('steady-a'), resource('steady-b', CORP_B.corpId)]);
    await settledFleet();

    // Act
    const report = await h.syncOnce({ mode: 'incremental' });

    // Assess
    expect(report).toMatchObject({ mode: 'incremental', status: 'completed', enterprises: 0, enterprisesUnchanged: ALL_CORPS.length });
    expect(report).toMatchObject({ registryReads: 0, registryWrites: 0, resourcesSeen: 0, spCalls: 1 + ALL_CORPS.length });
    const expected: Record<string, number> = { [`GET ${CORPS_PATH}`]: 1 };
    for (const corpId of ALL_CORPS) expected[`GET ${recordPath(corpId)}`] = 1;
    expect(await spCalls()).toEqual(expected);
    // The one write of a clean run: the watermark item.
    expect(report.watermarkAdvanced).toBe(true);
  });

  it('does not move the watermark after a run with a problem, so the next run still finds the change', async () => {
    // Prepare: a change in enterprise A more than the overlap before the next run, whose listing of A fails.
    const r = resource('renewed-during-outage');
    await h.register([r]);
    await settledFleet();
    const renewedUntil = now() + 90 * DAY_MS;
    const changedAt = now();
    await h.huawei.spApi.updateResources(r.corpId, [{ id: r.id, type: r.type, expireDate: renewedUntil }]);
    later(OVERLAP_MS + 60_000);
    const outage = await h.huawei.control.addFault({ path: resourcePath(r.corpId), method: 'GET', status: 400, count: 1_000 });

    // Act: the failed run, then an hour later a clean one.
    const failed = await h.syncOnce({ mode: 'incremental' });
    await h.huawei.control.clearFaults();
    expect(outage.id).toBeDefined();
    later(HOUR_MS);
    const next = await h.syncOnce({ mode: 'incremental' });

    // Assess
    expect(failed).toMatchObject({ mode: 'incremental', status: 'partial', watermarkAdvanced: false });
    expect(failed.problems.join()).toContain(`list resources of ${r.corpId}`);
    expect(next).toMatchObject({ mode: 'incremental', status: 'completed', enterprises: 1, repaired: 1, watermarkAdvanced: true });
    expect(await h.item(r)).toMatchObject({ expireDate: renewedUntil });
    // Had the failed run moved the watermark, the next run's window would have started after the change.
    expect(failed.startedAt - OVERLAP_MS).toBeGreaterThan(changedAt);
  });

  it('reads a new enterprise in full, and skips the known ones that did not change', async () => {
    // Prepare: the watermark of a run that listed enterprise A only; B (with demo resources) is new since.
    await h.syncOnce({ mode: 'full', config: { corpIds: [CORP_A.corpId] } });
    expect(await h.registry.watermark.read()).toBeUndefined(); // a SYNC_CORP_IDS run never sets it
    await h.registry.watermark.advance({ syncedThrough: now(), corpIds: [CORP_A.corpId], syncId: 'a-only' });
    later(HOUR_MS);
    await h.huawei.control.clearRequests();
    const demoB = (await h.huawei.resources(CORP_B.corpId)).size;
    await h.huawei.control.clearRequests();

    // Act
    const report = await h.syncOnce({ mode: 'incremental' });

    // Assess: every enterprise but A is new (read in full, without a record query); A is queried and skipped.
    expect(report).toMatchObject({ mode: 'incremental', enterprises: ALL_CORPS.length - 1, enterprisesUnchanged: 1, adopted: demoB });
    const calls = await spCalls();
    expect(Object.keys(calls).filter((path) => path.endsWith('/resource-record'))).toEqual([`GET ${recordPath(CORP_A.corpId)}`]);
    expect(calls[`GET ${resourcePath(CORP_A.corpId)}`]).toBeUndefined();
    expect(calls[`GET ${resourcePath(CORP_B.corpId)}`]).toBe(1);
    expect((await h.registry.watermark.read())?.corpIds).toEqual(ALL_CORPS);
  });

  it('misses a change whose record came too late, and the full pass repairs it', async () => {
    // Prepare: a change at Huawei, then a watermark an hour past it (as if its record had shown up after a run
    // that started then): the incremental window no longer covers the record.
    const r = resource('record-came-late');
    await h.register([r]);
    await settledFleet();
    const renewedUntil = now() + 45 * DAY_MS;
    await h.huawei.spApi.updateResources(r.corpId, [{ id: r.id, type: r.type, expireDate: renewedUntil }]);
    later(HOUR_MS);
    await h.registry.watermark.advance({ syncedThrough: now(), corpIds: ALL_CORPS, syncId: 'missed-it' });
    later(60_000);

    // Act
    const incremental = await h.syncOnce({ mode: 'incremental' });
    const stale = await h.item(r);
    const full = await h.syncOnce({ mode: 'full' });

    // Assess
    expect(incremental).toMatchObject({ mode: 'incremental', enterprises: 0, enterprisesUnchanged: ALL_CORPS.length });
    expect(stale?.expireDate).not.toBe(renewedUntil);
    expect(full).toMatchObject({ mode: 'full', fullPassReason: 'requested', enterprises: ALL_CORPS.length, repaired: 1, watermarkAdvanced: true });
    expect(await h.item(r)).toMatchObject({ expireDate: renewedUntil });
  });

  it('runs a full pass instead when there is no watermark, when it is too old, or when SYNC_CORP_IDS is set', async () => {
    // No watermark yet (a dry run, which never sets one).
    expect(await h.syncOnce({ mode: 'incremental', config: { dryRun: true } })).toMatchObject({
      mode: 'full',
      fullPassReason: 'no watermark yet',
      enterprises: ALL_CORPS.length,
      watermarkAdvanced: false,
    });

    // Older than the limit.
    await h.registry.watermark.advance({ syncedThrough: now() - MAX_WATERMARK_AGE_MS - 60_000, corpIds: ALL_CORPS, syncId: 'a-day-ago' });
    expect(await h.syncOnce({ mode: 'incremental' })).toMatchObject({
      mode: 'full',
      fullPassReason: 'watermark older than 24 h',
      enterprises: ALL_CORPS.length,
      watermarkAdvanced: true,
    });

    // Limited to some enterprises: full, and the watermark stays.
    const mark = await h.registry.watermark.read();
    later(HOUR_MS);
    expect(await h.syncOnce({ mode: 'incremental', config: { corpIds: [CORP_A.corpId] } })).toMatchObject({ mode: 'full', enterprises: 1, watermarkAdvanced: false });
    expect(await h.registry.watermark.read()).toEqual(mark);
  });

  it('reads an enterprise in full when its record query gets no usable answer, without counting it a problem', async () => {
    // Prepare
    await settledFleet();
    await h.huawei.control.addFault({ path: recordPath(CORP_B.corpId), method: 'GET', status: 400, count: 1 });

    // Act
    const report = await h.syncOnce({ mode: 'incremental' });

    // Assess
    expect(report).toMatchObject({ mode: 'incremental', status: 'completed', enterprises: 1, recordQueryFailures: 1, watermarkAdvanced: true });
    expect((await spCalls())[`GET ${resourcePath(CORP_B.corpId)}`]).toBe(1);
  });

  it('never moves the watermark backwards when two syncs overlap', async () => {
    const t = now();
    expect(await h.registry.watermark.advance({ syncedThrough: t, corpIds: ALL_CORPS, syncId: 'later-start' })).toBe(true);
    expect(await h.registry.watermark.advance({ syncedThrough: t - 1, corpIds: [CORP_A.corpId], syncId: 'earlier-start' })).toBe(false);
    expect(await h.registry.watermark.advance({ syncedThrough: t, corpIds: [CORP_A.corpId], syncId: 'same-start' })).toBe(false);
    expect(await h.registry.watermark.read()).toEqual({ syncedThrough: t, corpIds: ALL_CORPS, syncId: 'later-start' });
  });
});

describe('the sync event', () => {
  it('asks for a full pass unless it says incremental, and refuses an unknown mode', () => {
    expect(syncModeOf({})).toBe('full');
    expect(syncModeOf({ 'detail-type': 'Scheduled Event' })).toBe('full');
    expect(syncModeOf({ mode: 'full' })).toBe('full');
    expect(syncModeOf({ mode: 'incremental' })).toBe('incremental');
    expect(() => syncModeOf({ mode: 'hourly' })).toThrow(/mode must be one of full, incremental/);
  });
});
