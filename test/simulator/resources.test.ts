import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CORP_A, CORP_B, DEMO_RESOURCES, OTHER_SP_CORP } from '../../local/simulator/demo-data.js';
import { loginDemo } from '../../local/simulator/demo-login.js';
import { call, errorCode, errorMsg, manualClock, useSimulator } from './support.js';

const START = Date.UTC(2030, 0, 1);
const clock = manualClock(START);
const sim = useSimulator({ now: clock.now });
const tokens = { sp: '', corpAAdmin: '', alice: '' };

beforeAll(async () => {
  tokens.sp = await loginDemo.spAdmin(sim.url);
  tokens.corpAAdmin = await loginDemo.corpAAdmin(sim.url);
  tokens.alice = await loginDemo.alice(sim.url);
});

beforeEach(async () => {
  clock.set(START);
  await sim.control.reset();
});

interface ResourceView {
  id: string;
  type: string;
  count: number;
  expireDate: number;
  status: number;
  typeId: string | null;
}
interface ResourcePage {
  offset: number;
  limit: number;
  count: number;
  data: ResourceView[];
}

const CORP_A_PATH = `/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource`;
const A_RESOURCES = DEMO_RESOURCES.filter((r) => r.corpId === CORP_A.corpId);
const SHARED_ID = 'a1c0f0e2b3d4458f9a0b1c2d3e4f5a05';
const CONF_CALL_ID = 'a1c0f0e2b3d4458f9a0b1c2d3e4f5a01';

async function query(queryString = 'limit=100', corpId: string = CORP_A.corpId): Promise<ResourcePage> {
  const answer = await call(sim.url, 'GET', `/v1/usg/dcs/sp/corp/${corpId}/resource?${queryString}`, { token: tokens.sp });
  expect(answer.status).toBe(200);
  return answer.json as ResourcePage;
}

async function findResource(id: string, type: string): Promise<ResourceView | undefined> {
  return (await query()).data.find((r) => r.id === id && r.type === type);
}

function put(body: unknown, token = tokens.sp, path = CORP_A_PATH) {
  return call(sim.url, 'PUT', path, { token, body });
}

describe('PUT /v1/usg/dcs/sp/corp/{corp_id}/resource: the seed example', () => {
  it('applies the documented example request verbatim', async () => {
    // Prepare: the seed resource starts with another expiry, so the change is visible.
    expect((await findResource(CORP_A.vmrResourceId, 'VMR'))?.expireDate).not.toBe(2549030400000);
    const rawBody = '[\n    {\n        "expireDate": 2549030400000,\n        "id": "733ff391f2a14360af3b93bd1325f9f9",\n        "isDisabled": false,\n        "type": "VMR"\n    }\n]';
    // Act
    const answer = await call(sim.url, 'PUT', '/v1/usg/dcs/sp/corp/818803911/resource', { token: tokens.sp, rawBody, headers: { 'Content-Type': 'application/json' } });
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(await findResource(CORP_A.vmrResourceId, 'VMR')).toMatchObject({ expireDate: 2549030400000, status: 0 });
  });

  it('applies the seed cURL body', async () => {
    const rawBody = '[{"expireDate": 2549030400000,"id": "733ff391f2a14360af3b93bd1325f9f9","isDisabled": false,"type": "VMR"}]';
    const answer = await call(sim.url, 'PUT', '/v1/usg/dcs/sp/corp/818803911/resource', { token: tokens.sp, rawBody, headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(200);
    expect((await findResource(CORP_A.vmrResourceId, 'VMR'))?.expireDate).toBe(2549030400000);
  });
});

describe('PUT /v1/usg/dcs/sp/corp/{corp_id}/resource: rules', () => {
  it.each([
    [0, 400],
    [1, 200],
    [100, 200],
    [101, 400],
  ])('answers a batch of %i items with %i', async (size, status) => {
    const items = Array.from({ length: size }, (_, i) => ({ id: CONF_CALL_ID, type: 'CONF_CALL', expireDate: 2100000000000 + i }));
    const answer = await put(items);
    expect(answer.status).toBe(status);
    const expected = size >= 1 && size <= 100 ? 2100000000000 + size - 1 : A_RESOURCES.find((r) => r.id === CONF_CALL_ID)?.expireDate;
    expect((await findResource(CONF_CALL_ID, 'CONF_CALL'))?.expireDate).toBe(expected);
    if (status === 400) expect(errorMsg(answer)).toContain('1 to 100');
  });

  it('refuses the whole batch when one id is unknown, and changes nothing', async () => {
    // Act
    const answer = await put([
      { id: CONF_CALL_ID, isDisabled: true },
      { id: 'ffffffffffffffffffffffffffffffff', isDisabled: true },
    ]);
    // Assess
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('USG.201060001');
    expect(errorMsg(answer)).toContain('[1].id');
    expect((await findResource(CONF_CALL_ID, 'CONF_CALL'))?.status).toBe(0);
  });

  it('returns 400 when the id exists under another type only', async () => {
    const answer = await put([{ id: CONF_CALL_ID, type: 'SOFT', isDisabled: true }]);
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('USG.201060001');
    expect((await findResource(CONF_CALL_ID, 'CONF_CALL'))?.status).toBe(0);
  });

  it('returns 400 for an id of another enterprise', async () => {
    const corpBResource = DEMO_RESOURCES.find((r) => r.corpId === CORP_B.corpId);
    const answer = await put([{ id: corpBResource?.id, isDisabled: true }]);
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('USG.201060001');
  });

  it('updates every type under an id when the item has no type', async () => {
    const answer = await put([{ id: SHARED_ID, isDisabled: true }]);
    expect(answer.status).toBe(200);
    expect((await findResource(SHARED_ID, 'LIVE'))?.status).toBe(2);
    expect((await findResource(SHARED_ID, 'ROOM'))?.status).toBe(2);
  });

  it('updates only the named type when the item has one', async () => {
    const answer = await put([{ id: SHARED_ID, type: 'ROOM', isDisabled: true }]);
    expect(answer.status).toBe(200);
    expect((await findResource(SHARED_ID, 'ROOM'))?.status).toBe(2);
    expect((await findResource(SHARED_ID, 'LIVE'))?.status).toBe(0);
  });

  it('re-enables a disabled resource', async () => {
    const disabled = A_RESOURCES.find((r) => r.isDisabled);
    const answer = await put([{ id: disabled?.id, isDisabled: false }]);
    expect(answer.status).toBe(200);
    expect((await findResource(disabled?.id ?? '', disabled?.type ?? ''))?.status).toBe(0);
  });

  it('accepts isDisabled as the string "true"', async () => {
    const answer = await put([{ id: CONF_CALL_ID, isDisabled: 'true' }]);
    expect(answer.status).toBe(200);
    expect((await findResource(CONF_CALL_ID, 'CONF_CALL'))?.status).toBe(2);
  });

  it.each([
    ['id missing', { isDisabled: true }, '[0].id'],
    ['id empty', { id: '' }, '[0].id'],
    ['id not a string', { id: 42 }, '[0].id'],
    ['type unknown', { id: CONF_CALL_ID, type: 'IDEA_HUB' }, '[0].type'],
    ['expireDate a string', { id: CONF_CALL_ID, expireDate: '2549030400000' }, '[0].expireDate'],
    ['expireDate fractional', { id: CONF_CALL_ID, expireDate: 1.5 }, '[0].expireDate'],
    ['expireDate negative', { id: CONF_CALL_ID, expireDate: -1 }, '[0].expireDate'],
    ['isDisabled a number', { id: CONF_CALL_ID, isDisabled: 1 }, '[0].isDisabled'],
    ['item not an object', 'abc', '[0]'],
  ])('returns 400 naming the field when %s', async (_label, item, field) => {
    const answer = await put([item]);
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('USG.000000001');
    expect(errorMsg(answer)).toContain(field);
  });

  it('returns 400 when the body is an object, not an array', async () => {
    const answer = await put({ id: CONF_CALL_ID });
    expect(answer.status).toBe(400);
  });
});

describe('SP resource APIs: who may call them', () => {
  it('returns 403 for an enterprise admin, and changes nothing', async () => {
    const answer = await put([{ id: CONF_CALL_ID, isDisabled: true }], tokens.corpAAdmin);
    expect(answer.status).toBe(403);
    expect((await findResource(CONF_CALL_ID, 'CONF_CALL'))?.status).toBe(0);
  });

  it('returns 403 for an enterprise user', async () => {
    const answer = await call(sim.url, 'GET', CORP_A_PATH, { token: tokens.alice });
    expect(answer.status).toBe(403);
  });

  it('returns 403 for an enterprise of another SP', async () => {
    const answer = await put([{ id: OTHER_SP_CORP.resourceId, isDisabled: true }], tokens.sp, `/v1/usg/dcs/sp/corp/${OTHER_SP_CORP.corpId}/resource`);
    const read = await call(sim.url, 'GET', `/v1/usg/dcs/sp/corp/${OTHER_SP_CORP.corpId}/resource`, { token: tokens.sp });
    expect(answer.status).toBe(403);
    expect(read.status).toBe(403);
  });

  it('returns 400 for an unknown enterprise', async () => {
    const answer = await call(sim.url, 'GET', '/v1/usg/dcs/sp/corp/999999999/resource', { token: tokens.sp });
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('USG.201030000');
  });

  it('returns 400 for a malformed corp_id before looking anything up', async () => {
    const answer = await call(sim.url, 'GET', `/v1/usg/dcs/sp/corp/${encodeURIComponent('81880391 1')}/resource`, { token: tokens.sp });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain('corp_id');
  });

  it('returns 401 without a token', async () => {
    const answer = await call(sim.url, 'PUT', CORP_A_PATH, { body: [{ id: CONF_CALL_ID }] });
    expect(answer.status).toBe(401);
    expect(errorCode(answer)).toBe('USG.000000004');
  });
});

describe('POST /v1/usg/dcs/sp/corp/{corp_id}/resource (add)', () => {
  it('adds a resource with the given id', async () => {
    const answer = await call(sim.url, 'POST', CORP_A_PATH, {
      token: tokens.sp,
      body: [{ id: 'new-resource-1', type: 'SOFT', count: 7, expireDate: 2100000000000 }],
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(await findResource('new-resource-1', 'SOFT')).toMatchObject({ count: 7, expireDate: 2100000000000, status: 0 });
  });

  it('generates a 32-hex id when none is given', async () => {
    const before = await query();
    const answer = await call(sim.url, 'POST', CORP_A_PATH, { token: tokens.sp, body: [{ type: 'LIVE', count: 3, expireDate: 2100000000000 }] });
    const after = await query();
    expect(answer.status).toBe(200);
    expect(after.count).toBe(before.count + 1);
    const added = after.data.find((r) => !before.data.some((b) => b.id === r.id && b.type === r.type));
    expect(added?.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('modifies an existing id+type instead of adding it again (upsert), keeping its count', async () => {
    const before = await query();
    const answer = await call(sim.url, 'POST', CORP_A_PATH, { token: tokens.sp, body: [{ id: CONF_CALL_ID, type: 'CONF_CALL', count: 99, expireDate: 2200000000000 }] });
    const after = await query();
    expect(answer.status).toBe(200);
    expect(after.count).toBe(before.count);
    expect(await findResource(CONF_CALL_ID, 'CONF_CALL')).toMatchObject({ expireDate: 2200000000000, count: 10 });
  });

  it.each([
    ['type', { count: 1, expireDate: 1 }],
    ['count', { type: 'SOFT', expireDate: 1 }],
    ['expireDate', { type: 'SOFT', count: 1 }],
  ])('returns 400 when %s is missing, and adds nothing', async (field, item) => {
    const before = await query();
    const answer = await call(sim.url, 'POST', CORP_A_PATH, { token: tokens.sp, body: [{ type: 'SOFT', count: 1, expireDate: 1, id: 'ok-item' }, item] });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain(`[1].${field}`);
    expect((await query()).count).toBe(before.count);
  });

  it('returns 400 for 101 items', async () => {
    const items = Array.from({ length: 101 }, (_, i) => ({ id: `bulk-${i}`, type: 'SOFT', count: 1, expireDate: 2100000000000 }));
    const answer = await call(sim.url, 'POST', CORP_A_PATH, { token: tokens.sp, body: items });
    expect(answer.status).toBe(400);
  });

  it('accepts 100 items', async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ id: `bulk-${i}`, type: 'SOFT', count: 1, expireDate: 2100000000000 }));
    const answer = await call(sim.url, 'POST', CORP_A_PATH, { token: tokens.sp, body: items });
    expect(answer.status).toBe(200);
    expect((await query()).count).toBe(A_RESOURCES.length + 100);
  });
});

describe('POST /v1/usg/dcs/sp/corp/{corp_id}/resource/delete', () => {
  it('deletes every type under each id', async () => {
    const answer = await call(sim.url, 'POST', `${CORP_A_PATH}/delete`, { token: tokens.sp, body: [SHARED_ID] });
    expect(answer.status).toBe(200);
    expect((await query()).data.filter((r) => r.id === SHARED_ID)).toEqual([]);
    expect((await query()).count).toBe(A_RESOURCES.length - 2);
  });

  it('refuses the whole request when one id is unknown, and deletes nothing', async () => {
    const answer = await call(sim.url, 'POST', `${CORP_A_PATH}/delete`, { token: tokens.sp, body: [CONF_CALL_ID, 'ffffffffffffffffffffffffffffffff'] });
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('USG.201060001');
    expect((await query()).count).toBe(A_RESOURCES.length);
  });

  it.each([[0], [101]])('returns 400 for %i ids', async (size) => {
    const answer = await call(sim.url, 'POST', `${CORP_A_PATH}/delete`, { token: tokens.sp, body: Array.from({ length: size }, () => CONF_CALL_ID) });
    expect(answer.status).toBe(400);
    expect((await query()).count).toBe(A_RESOURCES.length);
  });

  it('returns 400 when an element is not a string id', async () => {
    const answer = await call(sim.url, 'POST', `${CORP_A_PATH}/delete`, { token: tokens.sp, body: [{ id: CONF_CALL_ID }] });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain('[0]');
  });
});

describe('GET /v1/usg/dcs/sp/corp/{corp_id}/resource (query)', () => {
  it('defaults to offset 0 and limit 10', async () => {
    const page = await query('');
    expect(page).toMatchObject({ offset: 0, limit: 10, count: A_RESOURCES.length });
    expect(page.data).toHaveLength(A_RESOURCES.length);
  });

  it('pages with offset and limit in a stable order', async () => {
    const first = await query('offset=0&limit=3');
    const second = await query('offset=3&limit=3');
    const third = await query('offset=6&limit=3');
    expect(first.data).toHaveLength(3);
    expect(second.data).toHaveLength(3);
    expect(third.data).toHaveLength(1);
    const ids = [...first.data, ...second.data, ...third.data].map((r) => `${r.id}/${r.type}`);
    expect(ids).toEqual(A_RESOURCES.map((r) => `${r.id}/${r.type}`));
  });

  it('returns the last page when offset is past the end', async () => {
    const page = await query('offset=50&limit=3');
    expect(page.offset).toBe(6);
    expect(page.data.map((r) => r.id)).toEqual([A_RESOURCES[6]?.id]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['offset=-1', 'offset'],
    ['offset=abc', 'offset'],
    ['status=3', 'status'],
    ['type=TOASTER', 'type'],
    ['startExpireDate=soon', 'startExpireDate'],
  ])('returns 400 for %s', async (queryString, field) => {
    const answer = await call(sim.url, 'GET', `${CORP_A_PATH}?${queryString}`, { token: tokens.sp });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain(field);
  });

  it('accepts limit=100, the assumed maximum, and refuses 101 naming the field', async () => {
    const page = await query('limit=100');
    expect(page.limit).toBe(100);
    const answer = await call(sim.url, 'GET', `${CORP_A_PATH}?limit=101`, { token: tokens.sp });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain('limit');
  });

  it('filters by type', async () => {
    const page = await query('type=ROOM');
    expect(page.data.map((r) => r.id)).toEqual([SHARED_ID]);
  });

  it('filters by searchKey on the id', async () => {
    const page = await query('searchKey=5A0');
    expect(page.data.map((r) => r.id).sort()).toEqual(A_RESOURCES.filter((r) => r.id.includes('5a0')).map((r) => r.id).sort());
    expect(page.count).toBeGreaterThan(0);
  });

  it('filters by expiry window, inclusive at both ends', async () => {
    // Prepare
    await put([{ id: CONF_CALL_ID, expireDate: 2000000000000 }]);
    // Act
    const exact = await query('startExpireDate=2000000000000&endExpireDate=2000000000000');
    const before = await query('endExpireDate=1999999999999');
    // Assess
    expect(exact.data.map((r) => r.id)).toEqual([CONF_CALL_ID]);
    expect(before.count).toBe(0);
  });

  it('derives status: 0 before expiry, 1 once past expireDate, 2 when disabled whatever its expiry', async () => {
    // Prepare
    await put([
      { id: CONF_CALL_ID, expireDate: START + 1000, isDisabled: false },
      { id: 'a1c0f0e2b3d4458f9a0b1c2d3e4f5a03', expireDate: START - 1000, isDisabled: true },
    ]);
    // Act
    const atExpiry = await findResource(CONF_CALL_ID, 'CONF_CALL');
    clock.advance(1001);
    const pastExpiry = await findResource(CONF_CALL_ID, 'CONF_CALL');
    const disabledAndExpired = await findResource('a1c0f0e2b3d4458f9a0b1c2d3e4f5a03', 'HARD_1080P');
    // Assess
    expect(atExpiry?.status).toBe(0);
    expect(pastExpiry?.status).toBe(1);
    expect(disabledAndExpired?.status).toBe(2);
  });

  it('filters by derived status', async () => {
    // Prepare
    await put([{ id: CONF_CALL_ID, expireDate: START - 1 }]);
    // Act
    const expired = await query('status=1');
    const disabled = await query('status=2');
    const normal = await query('status=0&limit=100');
    // Assess
    expect(expired.data.map((r) => r.id)).toEqual([CONF_CALL_ID]);
    expect(disabled.data.map((r) => r.id)).toEqual(A_RESOURCES.filter((r) => r.isDisabled).map((r) => r.id));
    expect(normal.count).toBe(A_RESOURCES.length - 1 - disabled.count);
  });

  it('shows only the asked enterprise\'s resources', async () => {
    const page = await query('limit=100', CORP_B.corpId);
    expect(page.data.map((r) => r.id).sort()).toEqual(DEMO_RESOURCES.filter((r) => r.corpId === CORP_B.corpId).map((r) => r.id).sort());
  });
});

describe('GET /v1/usg/dcs/sp/corp', () => {
  it('lists the SP\'s own enterprises only', async () => {
    const answer = await call(sim.url, 'GET', '/v1/usg/dcs/sp/corp', { token: tokens.sp });
    expect(answer.status).toBe(200);
    const page = answer.json as { count: number; data: { id: string; basicInfo: { name: string }; adminInfo: { account: string } }[] };
    expect(page.count).toBe(2);
    expect(page.data.map((c) => c.id)).toEqual([CORP_A.corpId, CORP_B.corpId]);
    expect(page.data[0]).toMatchObject({ basicInfo: { name: CORP_A.name }, adminInfo: { account: CORP_A.admin.account } });
  });

  it('filters by searchKey on the name', async () => {
    const answer = await call(sim.url, 'GET', '/v1/usg/dcs/sp/corp?searchKey=enterprise%20b', { token: tokens.sp });
    expect((answer.json as { data: { id: string }[] }).data.map((c) => c.id)).toEqual([CORP_B.corpId]);
  });

  it('shows one enterprise by id', async () => {
    const answer = await call(sim.url, 'GET', `/v1/usg/dcs/sp/corp/${CORP_B.corpId}`, { token: tokens.sp });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ id: CORP_B.corpId, basicInfo: { name: CORP_B.name } });
  });

  it('answers basicInfo with the fields of Huawei\'s QueryCorpBasicResultDTO only: no id (the id is top-level), on list and show', async () => {
    const list = await call(sim.url, 'GET', '/v1/usg/dcs/sp/corp', { token: tokens.sp });
    const show = await call(sim.url, 'GET', `/v1/usg/dcs/sp/corp/${CORP_B.corpId}`, { token: tokens.sp });

    const basicInfos = [...(list.json as { data: { basicInfo: object }[] }).data.map((corp) => corp.basicInfo), (show.json as { basicInfo: object }).basicInfo];
    for (const basicInfo of basicInfos) {
      expect(Object.keys(basicInfo).sort()).toEqual(['address', 'country', 'description', 'email', 'fax', 'name', 'phone', 'spId']);
    }
  });

  it('returns 403 for an enterprise admin', async () => {
    const answer = await call(sim.url, 'GET', '/v1/usg/dcs/sp/corp', { token: tokens.corpAAdmin });
    expect(answer.status).toBe(403);
  });
});
