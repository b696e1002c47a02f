/**
 * The simulator's SearchResourceOpRecord (`GET .../resource-record`): every add, modify, disable, enable and
 * delete of an SP resource leaves a record, and the endpoint filters (operate date, operate type, id, type,
 * expiry) and pages (default 10, at most 100) like SearchResource.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CORP_A, CORP_B } from '../../local/simulator/demo-data.js';
import { loginDemo } from '../../local/simulator/demo-login.js';
import { OPERATE_TYPE } from '../../local/simulator/resource-records.js';
import { call, errorCode, manualClock, useSimulator } from './support.js';

const START = Date.UTC(2030, 0, 1);
const MINUTE = 60_000;
const clock = manualClock(START);
const sim = useSimulator({ now: clock.now });
let token = '';

beforeAll(async () => {
  token = await loginDemo.spAdmin(sim.url);
});

beforeEach(async () => {
  clock.set(START);
  await sim.control.reset();
});

interface RecordPage {
  offset: number;
  limit: number;
  count: number;
  data: Array<{ id: string; type: string; expireDate: number; status: number }>;
}

const resourcePath = (corpId: string) => `/v1/usg/dcs/sp/corp/${corpId}/resource`;

async function records(query: string, corpId: string = CORP_A.corpId): Promise<RecordPage> {
  const answer = await call(sim.url, 'GET', `${resourcePath(corpId)}-record?${query}`, { token });
  expect(answer.status, answer.text).toBe(200);
  return answer.json as RecordPage;
}

async function send(method: string, path: string, body: unknown): Promise<void> {
  const answer = await call(sim.url, method, path, { token, body });
  expect(answer.status, answer.text).toBe(200);
}

describe('GET /v1/usg/dcs/sp/corp/{corp_id}/resource-record', () => {
  it('holds no record for the seed data', async () => {
    expect(await records('limit=100')).toMatchObject({ count: 0, data: [] });
  });

  it('records each operation with the resource as it was after it, newest first', async () => {
    // Act: add, modify (PUT and AddResource upsert), disable, enable, delete, a minute apart.
    await send('POST', resourcePath(CORP_A.corpId), [{ id: 'rec-1', type: 'SOFT', count: 1, expireDate: START + 10 * MINUTE }]);
    clock.advance(MINUTE);
    await send('PUT', resourcePath(CORP_A.corpId), [{ id: 'rec-1', type: 'SOFT', expireDate: START + 20 * MINUTE }]);
    clock.advance(MINUTE);
    await send('POST', resourcePath(CORP_A.corpId), [{ id: 'rec-1', type: 'SOFT', count: 1, expireDate: START + 30 * MINUTE }]);
    clock.advance(MINUTE);
    await send('PUT', resourcePath(CORP_A.corpId), [{ id: 'rec-1', isDisabled: true }]);
    clock.advance(MINUTE);
    await send('PUT', resourcePath(CORP_A.corpId), [{ id: 'rec-1', type: 'SOFT', isDisabled: false }]);
    clock.advance(MINUTE);
    await send('POST', `${resourcePath(CORP_A.corpId)}/delete`, ['rec-1']);

    // Assess
    const page = await records('limit=100');
    expect(page.count).toBe(6);
    expect(page.data.map((r) => [r.expireDate, r.status])).toEqual([
      [START + 30 * MINUTE, 0], // deleted: as it was before
      [START + 30 * MINUTE, 0], // enabled
      [START + 30 * MINUTE, 2], // disabled
      [START + 30 * MINUTE, 0], // upsert
      [START + 20 * MINUTE, 0], // modified
      [START + 10 * MINUTE, 0], // added
    ]);
    for (const [operateType, expected] of [
      [OPERATE_TYPE.add, 1],
      [OPERATE_TYPE.delete, 1],
      [OPERATE_TYPE.modify, 2],
      [OPERATE_TYPE.disable, 1],
      [OPERATE_TYPE.enable, 1],
    ] as const) {
      expect((await records(`operateType=${operateType}`)).count, `operateType ${operateType}`).toBe(expected);
    }
    expect((await records('limit=100', CORP_B.corpId)).count).toBe(0);
  });

  it('filters by operate date, both bounds inclusive', async () => {
    // Prepare: three changes at START, START+1 min and START+2 min.
    for (let i = 0; i < 3; i++) {
      await send('POST', resourcePath(CORP_A.corpId), [{ id: `when-${i}`, type: 'VMR', count: 1, expireDate: START + 60 * MINUTE }]);
      clock.advance(MINUTE);
    }

    // Act + Assess
    expect((await records(`startOperateDate=${START + MINUTE}`)).count).toBe(2);
    expect((await records(`endOperateDate=${START + MINUTE}`)).count).toBe(2);
    expect((await records(`startOperateDate=${START + MINUTE}&endOperateDate=${START + MINUTE}`)).data.map((r) => r.id)).toEqual(['when-1']);
    expect((await records(`startOperateDate=${START + 3 * MINUTE}`)).count).toBe(0);
  });

  it('filters by id (fuzzy), type and expiry', async () => {
    await send('POST', resourcePath(CORP_A.corpId), [
      { id: 'Alpha-1', type: 'VMR', count: 1, expireDate: START + MINUTE },
      { id: 'beta-2', type: 'SOFT', count: 1, expireDate: START + 2 * MINUTE },
    ]);

    expect((await records('searchKey=alpha')).data.map((r) => r.id)).toEqual(['Alpha-1']);
    expect((await records('type=SOFT')).data.map((r) => r.id)).toEqual(['beta-2']);
    expect((await records(`startExpireDate=${START + 2 * MINUTE}`)).data.map((r) => r.id)).toEqual(['beta-2']);
    expect((await records(`endExpireDate=${START + MINUTE}`)).data.map((r) => r.id)).toEqual(['Alpha-1']);
  });

  it('pages with offset and limit (default 10, at most 100)', async () => {
    // Prepare: 120 records.
    const adds = Array.from({ length: 120 }, (_, i) => ({ id: `page-${String(i).padStart(3, '0')}`, type: 'SOFT', count: 1, expireDate: START + MINUTE }));
    await send('POST', resourcePath(CORP_A.corpId), adds.slice(0, 100));
    await send('POST', resourcePath(CORP_A.corpId), adds.slice(100));

    // Act
    const first = await records('');
    const full = await records('offset=0&limit=100');
    const rest = await records('offset=100&limit=100');
    const tooMany = await call(sim.url, 'GET', `${resourcePath(CORP_A.corpId)}-record?limit=101`, { token });

    // Assess
    expect(first).toMatchObject({ offset: 0, limit: 10, count: 120 });
    expect(first.data).toHaveLength(10);
    expect(full.data).toHaveLength(100);
    expect(rest).toMatchObject({ offset: 100, count: 120 });
    expect(new Set([...full.data, ...rest.data].map((r) => r.id)).size).toBe(120);
    expect(tooMany.status).toBe(400);
    expect(errorCode(tooMany)).toBe('USG.000000001');
  });

  it('refuses a bad operateType and callers other than the SP administrator', async () => {
    const bad = await call(sim.url, 'GET', `${resourcePath(CORP_A.corpId)}-record?operateType=5`, { token });
    const alice = await call(sim.url, 'GET', `${resourcePath(CORP_A.corpId)}-record`, { token: await loginDemo.alice(sim.url) });

    expect(bad.status).toBe(400);
    expect(bad.text).toContain('operateType');
    expect(alice.status).toBe(403);
  });
});
