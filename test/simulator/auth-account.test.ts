import { describe, expect, it } from 'vitest';
import { CORP_A, CORP_B, SP_ADMIN, SP_ID } from '../../local/simulator/demo-data.js';
import { call, errorCode, errorMsg, useSimulator } from './support.js';

const sim = useSimulator();

function basic(account: string, password: string): string {
  return `Basic ${Buffer.from(`${account}:${password}`, 'utf8').toString('base64')}`;
}

function accountLogin(account: string, password: string, body: Record<string, unknown> = { account, clientType: 72 }) {
  return call(sim.url, 'POST', '/v1/usg/acs/auth/account', { headers: { Authorization: basic(account, password) }, body });
}

interface TokenAnswer {
  accessToken: string;
  validPeriod: number;
  expireTime: number;
  createTime: number;
  clientType: number;
  refreshToken: string;
  refreshValidPeriod: number;
  user: { userType: number; adminType: number; companyId: string | null; spId: string; ucloginAccount: string };
}

describe('POST /v1/usg/acs/auth/account', () => {
  const identities = [
    { name: 'SP admin', account: SP_ADMIN.account, password: SP_ADMIN.password, userType: 1, adminType: 0, companyId: null },
    { name: 'enterprise A admin', account: CORP_A.admin.account, password: CORP_A.admin.password, userType: 2, adminType: 0, companyId: CORP_A.corpId },
    { name: 'enterprise A user', account: CORP_A.user.account, password: CORP_A.user.password, userType: 2, adminType: 2, companyId: CORP_A.corpId },
    { name: 'enterprise B admin', account: CORP_B.admin.account, password: CORP_B.admin.password, userType: 2, adminType: 0, companyId: CORP_B.corpId },
    { name: 'enterprise B user', account: CORP_B.user.account, password: CORP_B.user.password, userType: 2, adminType: 2, companyId: CORP_B.corpId },
  ];

  for (const identity of identities) {
    it(`logs in the ${identity.name} and returns the documented token object`, async () => {
      // Act
      const answer = await accountLogin(identity.account, identity.password);
      // Assess
      expect(answer.status).toBe(200);
      const token = answer.json as TokenAnswer;
      expect(token.accessToken).toMatch(/^stb[A-Za-z0-9]{33}$/);
      expect(token.validPeriod).toBe(12 * 60 * 60);
      expect(token.expireTime * 1000).toBeGreaterThan(token.createTime);
      expect(token.expireTime - Math.floor(token.createTime / 1000)).toBeLessThanOrEqual(12 * 60 * 60);
      expect(token.clientType).toBe(72);
      expect(token.refreshToken).not.toBe(token.accessToken);
      expect(token.refreshValidPeriod).toBe(30 * 24 * 60 * 60);
      expect(token.user).toMatchObject({
        userType: identity.userType,
        adminType: identity.adminType,
        companyId: identity.companyId,
        spId: SP_ID,
        ucloginAccount: identity.account,
      });
    });
  }

  it('issues a token that authenticates business calls', async () => {
    // Prepare
    const login = await accountLogin(CORP_A.user.account, CORP_A.user.password);
    // Act
    const rooms = await call(sim.url, 'GET', '/v1/usg/dcs/member/vmr', { token: (login.json as TokenAnswer).accessToken });
    // Assess
    expect(rooms.status).toBe(200);
  });

  it('returns 401 for a wrong password', async () => {
    const answer = await accountLogin(CORP_A.user.account, `${CORP_A.user.password}x`);
    expect(answer.status).toBe(401);
    expect(errorCode(answer)).toBe('USG.000000006');
    expect(answer.json).not.toHaveProperty('accessToken');
  });

  it('returns 401 for an unknown account, the same answer as a wrong password', async () => {
    const wrong = await accountLogin(CORP_A.user.account, 'Wrong-pass-2026!');
    const unknown = await accountLogin('nobody@818803911', 'Wrong-pass-2026!');
    expect(unknown.status).toBe(401);
    expect(errorCode(unknown)).toBe(errorCode(wrong));
    expect(errorMsg(unknown)).toBe(errorMsg(wrong));
  });

  it('returns 401 when the Authorization header is not Basic', async () => {
    const answer = await call(sim.url, 'POST', '/v1/usg/acs/auth/account', {
      headers: { Authorization: 'Bearer abc' },
      body: { account: SP_ADMIN.account, clientType: 72 },
    });
    expect(answer.status).toBe(401);
  });

  it('returns 400 when the body account differs from the Basic account', async () => {
    const answer = await accountLogin(SP_ADMIN.account, SP_ADMIN.password, { account: CORP_A.admin.account, clientType: 72 });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain('account');
  });

  it('returns 400 naming clientType when it is missing', async () => {
    const answer = await accountLogin(SP_ADMIN.account, SP_ADMIN.password, { account: SP_ADMIN.account });
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('USG.000000001');
    expect(errorMsg(answer)).toContain('clientType');
  });

  it('returns 400 when clientType is not a known client type', async () => {
    const answer = await accountLogin(SP_ADMIN.account, SP_ADMIN.password, { account: SP_ADMIN.account, clientType: 99 });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain('clientType');
  });

  it('accepts clientType 0 (older documentation)', async () => {
    const answer = await accountLogin(SP_ADMIN.account, SP_ADMIN.password, { account: SP_ADMIN.account, clientType: 0 });
    expect(answer.status).toBe(200);
    expect((answer.json as TokenAnswer).clientType).toBe(0);
  });

  it('checks credentials without issuing a token when createTokenType is 1', async () => {
    const answer = await accountLogin(SP_ADMIN.account, SP_ADMIN.password, { account: SP_ADMIN.account, clientType: 72, createTokenType: 1 });
    expect(answer.status).toBe(200);
    expect(answer.json).not.toHaveProperty('accessToken');
    expect((answer.json as TokenAnswer).user.userType).toBe(1);
  });

  it('returns 400 when the body is not JSON', async () => {
    const answer = await call(sim.url, 'POST', '/v1/usg/acs/auth/account', {
      headers: { Authorization: basic(SP_ADMIN.account, SP_ADMIN.password) },
      rawBody: '{"account":',
    });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain('JSON');
  });
});
