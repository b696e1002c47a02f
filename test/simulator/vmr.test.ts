import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CORP_A, CORP_B, DEMO_VMRS } from '../../local/simulator/demo-data.js';
import { loginDemo } from '../../local/simulator/demo-login.js';
import { call, errorCode, errorMsg, useSimulator } from './support.js';

const sim = useSimulator();
const tokens = { alice: '', bob: '', corpAAdmin: '', spAdmin: '' };

beforeAll(async () => {
  tokens.alice = await loginDemo.alice(sim.url);
  tokens.bob = await loginDemo.bob(sim.url);
  tokens.corpAAdmin = await loginDemo.corpAAdmin(sim.url);
  tokens.spAdmin = await loginDemo.spAdmin(sim.url);
});

beforeEach(async () => {
  await sim.control.reset();
});

interface MemberVmr {
  id: string;
  vmrName: string;
  chairPwd: string;
  gustPwd: string;
  allowGustFirst: boolean;
  gustFirstNotice: boolean;
  vmrMode: number;
}

const SEED_VMR = DEMO_VMRS.find((v) => v.id === CORP_A.vmrId);
if (SEED_VMR === undefined) throw new Error('demo data lacks the seed VMR');
const SEED = SEED_VMR;
const VMR_PATH = `/v1/usg/dcs/member/vmr/${CORP_A.vmrId}`;

async function aliceRoom(): Promise<MemberVmr> {
  const answer = await call(sim.url, 'GET', '/v1/usg/dcs/member/vmr', { token: tokens.alice });
  const room = (answer.json as { data: MemberVmr[] }).data.find((r) => r.id === CORP_A.vmrId);
  if (room === undefined) throw new Error('alice lost her room');
  return room;
}

function putVmr(body: unknown, token = tokens.alice, path = VMR_PATH) {
  return call(sim.url, 'PUT', path, { token, body });
}

describe('PUT /v1/usg/dcs/member/vmr/{id}: the seed examples', () => {
  it('applies the documented example request verbatim', async () => {
    // Prepare: the example body exactly as in the seed document, whitespace included.
    const rawBody = '{\n    "vmrName": "test\'s cloud meeting room",\n    "chairPwd": "123456",\n    "gustPwd": "654321",\n    "allowGustFirst": false\n}';
    // Act
    const answer = await call(sim.url, 'PUT', VMR_PATH, { token: tokens.alice, rawBody, headers: { 'Content-Type': 'application/json' } });
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect(answer.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(await aliceRoom()).toMatchObject({ vmrName: "test's cloud meeting room", chairPwd: '123456', gustPwd: '654321', allowGustFirst: false });
  });

  it('applies the seed cURL body with "allowGustFirst":"false" as a string', async () => {
    // Prepare: the seed room starts with allowGustFirst true, so the change is visible.
    expect((await aliceRoom()).allowGustFirst).toBe(true);
    const rawBody = '{"vmrName":"test","chairPwd":"123456","gustPwd":"654321","allowGustFirst":"false"}';
    // Act
    const answer = await call(sim.url, 'PUT', VMR_PATH, { token: tokens.alice, rawBody, headers: { 'content-type': 'application/json' } });
    // Assess
    expect(answer.status).toBe(200);
    expect(await aliceRoom()).toMatchObject({ vmrName: 'test', chairPwd: '123456', gustPwd: '654321', allowGustFirst: false });
  });
});

describe('PUT /v1/usg/dcs/member/vmr/{id}: field rules', () => {
  it.each([
    ['0 characters', '', 400],
    ['1 character', 'a', 200],
    ['128 characters', 'n'.repeat(128), 200],
    ['129 characters', 'n'.repeat(129), 400],
    ['128 non-ASCII characters', '会'.repeat(128), 200],
  ])('answers a vmrName of %s with %i', async (_label, vmrName, status) => {
    const answer = await putVmr({ vmrName });
    expect(answer.status).toBe(status);
    if (status === 200) expect((await aliceRoom()).vmrName).toBe(vmrName);
    else expect(errorMsg(answer)).toContain('vmrName');
  });

  for (const field of ['chairPwd', 'gustPwd'] as const) {
    it.each([
      ['3 digits', '123', 400],
      ['4 digits', '1234', 200],
      ['16 digits', '1234567890123456', 200],
      ['17 digits', '12345678901234567', 400],
      ['letters', '12ab56', 400],
      ['a space', '1234 56', 400],
    ])(`answers a ${field} of %s with %i`, async (_label, value, status) => {
      const answer = await putVmr({ [field]: value });
      expect(answer.status).toBe(status);
      const room = await aliceRoom();
      if (status === 200) {
        expect(room[field]).toBe(value);
      } else {
        expect(errorCode(answer)).toBe('USG.000000001');
        expect(errorMsg(answer)).toContain(field);
        expect(errorMsg(answer)).toContain('4 to 16 digits');
        expect(room[field]).toBe(SEED[field]);
      }
    });
  }

  it('returns 400 when chairPwd is a JSON number', async () => {
    const answer = await putVmr({ chairPwd: 123456 });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain('chairPwd');
  });

  it('clears the guest password when gustPwd is ""', async () => {
    expect((await aliceRoom()).gustPwd).not.toBe('');
    const answer = await putVmr({ gustPwd: '' });
    expect(answer.status).toBe(200);
    expect((await aliceRoom()).gustPwd).toBe('');
  });

  it('returns 400 when chairPwd is ""', async () => {
    const answer = await putVmr({ chairPwd: '' });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain('chairPwd');
  });

  for (const field of ['allowGustFirst', 'gustFirstNotice'] as const) {
    it.each([
      [true, true],
      [false, false],
      ['true', true],
      ['false', false],
    ])(`sets ${field} from %j`, async (value, expected) => {
      // Prepare: start from the opposite value so the change is visible.
      await putVmr({ [field]: !expected });
      // Act
      const answer = await putVmr({ [field]: value });
      // Assess
      expect(answer.status).toBe(200);
      expect((await aliceRoom())[field]).toBe(expected);
    });

    it.each([['yes'], [1], ['TRUE ']])(`returns 400 when ${field} is %j`, async (value) => {
      const answer = await putVmr({ [field]: value });
      expect(answer.status).toBe(400);
      expect(errorMsg(answer)).toContain(field);
    });
  }

  it('changes nothing when one field of the body is invalid', async () => {
    const answer = await putVmr({ vmrName: 'renamed', chairPwd: '12' });
    expect(answer.status).toBe(400);
    expect((await aliceRoom()).vmrName).toBe(SEED.vmrName);
  });

  it('accepts an empty object and changes nothing', async () => {
    const before = await aliceRoom();
    const answer = await putVmr({});
    expect(answer.status).toBe(200);
    expect(await aliceRoom()).toEqual(before);
  });

  it('treats null fields as absent', async () => {
    const answer = await putVmr({ vmrName: null, chairPwd: '9999' });
    expect(answer.status).toBe(200);
    expect(await aliceRoom()).toMatchObject({ vmrName: SEED.vmrName, chairPwd: '9999' });
  });

  it('returns 400 when the body is an array', async () => {
    const answer = await putVmr([{ vmrName: 'x' }]);
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain('body');
  });

  it('returns 400 when the body is not valid JSON', async () => {
    const answer = await call(sim.url, 'PUT', VMR_PATH, { token: tokens.alice, rawBody: '{"vmrName":' });
    expect(answer.status).toBe(400);
  });

  it('returns 400 when the body is not sent as JSON', async () => {
    const answer = await call(sim.url, 'PUT', VMR_PATH, { token: tokens.alice, rawBody: '{"vmrName":"x"}', headers: { 'Content-Type': 'text/plain' } });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain('Content-Type');
  });

  it('accepts "application/json; charset=UTF-8" with a space', async () => {
    const answer = await call(sim.url, 'PUT', VMR_PATH, {
      token: tokens.alice,
      rawBody: '{"vmrName":"spaced"}',
      headers: { 'Content-Type': 'application/json; charset=UTF-8' },
    });
    expect(answer.status).toBe(200);
    expect((await aliceRoom()).vmrName).toBe('spaced');
  });

  it('edits the personal meeting ID entry (vmrMode 0) too', async () => {
    const personal = DEMO_VMRS.find((v) => v.ownerAccount === CORP_A.user.account && v.vmrMode === 0);
    const answer = await putVmr({ vmrName: 'My PMI' }, tokens.alice, `/v1/usg/dcs/member/vmr/${personal?.id ?? ''}`);
    expect(answer.status).toBe(200);
    const rooms = await call(sim.url, 'GET', '/v1/usg/dcs/member/vmr?specialVmr=false', { token: tokens.alice });
    expect((rooms.json as { data: MemberVmr[] }).data).toEqual([expect.objectContaining({ id: personal?.id, vmrName: 'My PMI' })]);
  });
});

describe('PUT /v1/usg/dcs/member/vmr/{id}: who may change what', () => {
  it('returns 400 when a user updates another user\'s VMR, and changes nothing', async () => {
    // Act
    const answer = await putVmr({ vmrName: 'stolen' }, tokens.bob);
    // Assess
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('USG.201050001');
    expect((await aliceRoom()).vmrName).toBe(SEED.vmrName);
  });

  it('returns the same 400 for an unknown VMR id', async () => {
    const unknown = await putVmr({ vmrName: 'x' }, tokens.alice, '/v1/usg/dcs/member/vmr/ff80808167ef1edf0167f33d650c9999');
    const foreign = await putVmr({ vmrName: 'x' }, tokens.alice, `/v1/usg/dcs/member/vmr/${CORP_B.vmrId}`);
    expect(unknown.status).toBe(400);
    expect(errorCode(unknown)).toBe('USG.201050001');
    expect(errorCode(foreign)).toBe('USG.201050001');
  });

  it('returns 400 for an id that is not a well-formed VMR id', async () => {
    const answer = await putVmr({ vmrName: 'x' }, tokens.alice, `/v1/usg/dcs/member/vmr/${'a'.repeat(65)}`);
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain('id');
  });

  it('returns 403 for the enterprise admin, and changes nothing', async () => {
    const answer = await putVmr({ vmrName: 'admin edit' }, tokens.corpAAdmin);
    expect(answer.status).toBe(403);
    expect((await aliceRoom()).vmrName).toBe(SEED.vmrName);
  });

  it('returns 403 for the SP admin', async () => {
    const answer = await putVmr({ vmrName: 'sp edit' }, tokens.spAdmin);
    expect(answer.status).toBe(403);
  });

  it('returns 401 USG.000000004 without a token', async () => {
    const answer = await call(sim.url, 'PUT', VMR_PATH, { body: { vmrName: 'x' } });
    expect(answer.status).toBe(401);
    expect(errorCode(answer)).toBe('USG.000000004');
  });
});

describe('GET /v1/usg/dcs/member/vmr', () => {
  it('lists only the caller\'s rooms, with passwords', async () => {
    const answer = await call(sim.url, 'GET', '/v1/usg/dcs/member/vmr', { token: tokens.alice });
    const page = answer.json as { count: number; data: MemberVmr[] };
    const own = DEMO_VMRS.filter((v) => v.ownerAccount === CORP_A.user.account);
    expect(page.count).toBe(own.length);
    expect(page.data.map((r) => r.id).sort()).toEqual(own.map((v) => v.id).sort());
    expect(page.data.find((r) => r.id === CORP_A.vmrId)).toMatchObject({ chairPwd: SEED.chairPwd, gustPwd: SEED.gustPwd });
  });

  it('filters cloud rooms with specialVmr=true', async () => {
    const answer = await call(sim.url, 'GET', '/v1/usg/dcs/member/vmr?specialVmr=true', { token: tokens.alice });
    expect((answer.json as { data: MemberVmr[] }).data.map((r) => r.vmrMode)).toEqual([1]);
  });

  it('filters by searchKey on the room name', async () => {
    const answer = await call(sim.url, 'GET', `/v1/usg/dcs/member/vmr?searchKey=${encodeURIComponent('cloud meeting')}`, { token: tokens.alice });
    expect((answer.json as { data: MemberVmr[] }).data.map((r) => r.id)).toEqual([CORP_A.vmrId]);
  });

  it('returns 403 for the enterprise admin', async () => {
    const answer = await call(sim.url, 'GET', '/v1/usg/dcs/member/vmr', { token: tokens.corpAAdmin });
    expect(answer.status).toBe(403);
  });
});

describe('GET /v1/usg/dcs/corp/vmr', () => {
  it('lists the enterprise\'s cloud rooms for its admin, without passwords', async () => {
    // Prepare
    await putVmr({ vmrName: 'seen by admin' });
    // Act
    const answer = await call(sim.url, 'GET', '/v1/usg/dcs/corp/vmr', { token: tokens.corpAAdmin });
    // Assess
    expect(answer.status).toBe(200);
    const page = answer.json as { count: number; data: Record<string, unknown>[] };
    expect(page.count).toBe(1);
    expect(page.data[0]).toMatchObject({ id: CORP_A.vmrId, vmrName: 'seen by admin', status: 0, member: { id: CORP_A.user.account } });
    expect(page.data[0]).not.toHaveProperty('chairPwd');
    expect(page.data[0]).not.toHaveProperty('gustPwd');
  });

  it('returns 403 for an enterprise user', async () => {
    const answer = await call(sim.url, 'GET', '/v1/usg/dcs/corp/vmr', { token: tokens.alice });
    expect(answer.status).toBe(403);
  });

  it('returns 403 for the SP admin', async () => {
    const answer = await call(sim.url, 'GET', '/v1/usg/dcs/corp/vmr', { token: tokens.spAdmin });
    expect(answer.status).toBe(403);
  });

  it('returns 400 for status=3', async () => {
    const answer = await call(sim.url, 'GET', '/v1/usg/dcs/corp/vmr?status=3', { token: tokens.corpAAdmin });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain('status');
  });
});
