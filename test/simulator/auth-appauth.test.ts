import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CORP_A, CORP_B, OTHER_SP_CORP, SP_APP, SP_ID } from '../../local/simulator/demo-data.js';
import { call, errorCode, errorMsg, useSimulator } from './support.js';

const sim = useSimulator();

/** The signature is computed here with node:crypto, independently of the simulator's code. */
function sign(key: string, message: string, hexCase: 'lower' | 'upper' = 'lower'): string {
  const hex = createHmac('sha256', Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex');
  return hexCase === 'upper' ? hex.toUpperCase() : hex;
}

interface AppAuthInput {
  corpId?: string;
  userId?: string;
  expireTime?: number;
  nonce?: string;
  appKey?: string;
  hexCase?: 'lower' | 'upper';
  /** 'right' base64(appId), 'none' to leave `,access=` out, or an explicit value. */
  access?: 'right' | 'none' | string;
  /** Sign this message instead of the one the body implies. */
  signedMessage?: string;
}

function appAuth(input: AppAuthInput = {}) {
  const corpId = input.corpId ?? '';
  const userId = input.userId ?? '';
  const expireTime = input.expireTime ?? Math.floor(Date.now() / 1000) + 600;
  const nonce = input.nonce ?? randomBytes(24).toString('hex');
  const message = input.signedMessage ?? `${SP_APP.appId}:${corpId}:${userId}:${expireTime}:${nonce}`;
  const signature = sign(input.appKey ?? SP_APP.appKey, message, input.hexCase);
  const access = input.access ?? 'right';
  let authorization = `HMAC-SHA256 signature=${signature}`;
  if (access === 'right') authorization += `,access=${Buffer.from(SP_APP.appId).toString('base64')}`;
  else if (access !== 'none') authorization += `,access=${access}`;
  const body: Record<string, unknown> = { appId: SP_APP.appId, clientType: 72, expireTime, nonce };
  if (corpId !== '') body.corpId = corpId;
  if (userId !== '') body.userId = userId;
  return call(sim.url, 'POST', '/v2/usg/acs/auth/appauth', {
    headers: { Authorization: authorization, 'X-Token-Type': 'LongTicket' },
    body,
  });
}

interface TokenAnswer {
  accessToken: string;
  user: { userType: number; adminType: number; companyId: string | null; spId: string; thirdAccount: string | null; userId: string; appId: string };
}

describe('POST /v2/usg/acs/auth/appauth', () => {
  it('logs in the SP admin with the appId:::expireTime:nonce form', async () => {
    const answer = await appAuth();
    expect(answer.status).toBe(200);
    const token = answer.json as TokenAnswer;
    expect(token.accessToken).toMatch(/^stb[A-Za-z0-9]{33}$/);
    expect(token.user).toMatchObject({ userType: 1, adminType: 0, companyId: null, spId: SP_ID, appId: SP_APP.appId });
  });

  for (const corp of [CORP_A, CORP_B]) {
    it(`logs in the default admin of ${corp.corpId} with the appId:corpId::expireTime:nonce form`, async () => {
      const answer = await appAuth({ corpId: corp.corpId });
      expect(answer.status).toBe(200);
      expect((answer.json as TokenAnswer).user).toMatchObject({ userType: 2, adminType: 0, companyId: corp.corpId });
    });

    it(`logs in the user ${corp.user.thirdUserId} of ${corp.corpId} with the full form`, async () => {
      const answer = await appAuth({ corpId: corp.corpId, userId: corp.user.thirdUserId });
      expect(answer.status).toBe(200);
      expect((answer.json as TokenAnswer).user).toMatchObject({
        userType: 2,
        adminType: 2,
        companyId: corp.corpId,
        thirdAccount: corp.user.thirdUserId,
      });
    });
  }

  it('maps the App ID user to the same account as the password login, so it can edit its own VMR', async () => {
    // Prepare
    const login = await appAuth({ corpId: CORP_A.corpId, userId: CORP_A.user.thirdUserId });
    const token = (login.json as TokenAnswer).accessToken;
    // Act
    const update = await call(sim.url, 'PUT', `/v1/usg/dcs/member/vmr/${CORP_A.vmrId}`, { token, body: { vmrName: 'via app id' } });
    const rooms = await call(sim.url, 'GET', '/v1/usg/dcs/member/vmr', { token });
    // Assess
    expect(update.status).toBe(200);
    const names = (rooms.json as { data: { id: string; vmrName: string }[] }).data;
    expect(names.find((r) => r.id === CORP_A.vmrId)?.vmrName).toBe('via app id');
  });

  it('accepts an upper-case hex signature', async () => {
    const answer = await appAuth({ hexCase: 'upper' });
    expect(answer.status).toBe(200);
  });

  it('accepts a signature without ",access="', async () => {
    const answer = await appAuth({ access: 'none' });
    expect(answer.status).toBe(200);
  });

  it('returns 401 when ",access=" does not decode to the appId', async () => {
    const answer = await appAuth({ access: Buffer.from('someone-else').toString('base64') });
    expect(answer.status).toBe(401);
    expect(errorCode(answer)).toBe('USG.206010025');
  });

  it('returns 401 for a signature made with the wrong appKey', async () => {
    const answer = await appAuth({ appKey: 'not-the-app-key' });
    expect(answer.status).toBe(401);
    expect(errorCode(answer)).toBe('USG.206010025');
    expect(answer.json).not.toHaveProperty('accessToken');
  });

  it('returns 401 when the signed message differs from the body (userId signed, not sent)', async () => {
    const expireTime = Math.floor(Date.now() / 1000) + 600;
    const nonce = randomBytes(24).toString('hex');
    const answer = await appAuth({
      corpId: CORP_A.corpId,
      expireTime,
      nonce,
      signedMessage: `${SP_APP.appId}:${CORP_A.corpId}:${CORP_A.user.thirdUserId}:${expireTime}:${nonce}`,
    });
    expect(answer.status).toBe(401);
  });

  it('returns 401 with the expiry code when expireTime is in the past', async () => {
    const answer = await appAuth({ expireTime: Math.floor(Date.now() / 1000) - 60 });
    expect(answer.status).toBe(401);
    expect(errorCode(answer)).toBe('USG.206010057');
  });

  it('accepts expireTime 0 as a signature that never expires', async () => {
    const answer = await appAuth({ expireTime: 0 });
    expect(answer.status).toBe(200);
  });

  it('returns 400 when expireTime is negative', async () => {
    const answer = await appAuth({ expireTime: -1 });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain('expireTime');
  });

  it.each([
    [31, 400],
    [32, 200],
    [64, 200],
    [65, 400],
  ])('answers %i-character nonces with %i', async (length, status) => {
    const answer = await appAuth({ nonce: 'n'.repeat(length) });
    expect(answer.status).toBe(status);
    if (status === 400) expect(errorMsg(answer)).toContain('nonce');
  });

  it('returns 401 for an unknown appId', async () => {
    const expireTime = Math.floor(Date.now() / 1000) + 600;
    const nonce = randomBytes(24).toString('hex');
    const answer = await call(sim.url, 'POST', '/v2/usg/acs/auth/appauth', {
      headers: { Authorization: `HMAC-SHA256 signature=${sign(SP_APP.appKey, `unknown-app:::${expireTime}:${nonce}`)}` },
      body: { appId: 'unknown-app', clientType: 72, expireTime, nonce },
    });
    expect(answer.status).toBe(401);
  });

  it('returns 401 when the Authorization header is missing', async () => {
    const answer = await call(sim.url, 'POST', '/v2/usg/acs/auth/appauth', {
      body: { appId: SP_APP.appId, clientType: 72, expireTime: 0, nonce: 'n'.repeat(32) },
    });
    expect(answer.status).toBe(401);
  });

  it('returns 401 for an enterprise of another SP', async () => {
    const answer = await appAuth({ corpId: OTHER_SP_CORP.corpId });
    expect(answer.status).toBe(401);
  });

  it('returns 400 when an SP-mode app signs a userId without a corpId', async () => {
    const answer = await appAuth({ userId: CORP_A.user.thirdUserId });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain('corpId');
  });

  it('auto-registers an unknown userId as a plain enterprise user', async () => {
    // Act
    const first = await appAuth({ corpId: CORP_B.corpId, userId: 'carol' });
    const second = await appAuth({ corpId: CORP_B.corpId, userId: 'carol' });
    // Assess
    expect(first.status).toBe(200);
    const user = (first.json as TokenAnswer).user;
    expect(user).toMatchObject({ userType: 2, adminType: 2, companyId: CORP_B.corpId, thirdAccount: 'carol' });
    expect((second.json as TokenAnswer).user.userId).toBe(user.userId);
  });

  it('returns 400 naming appId when it is missing', async () => {
    const answer = await call(sim.url, 'POST', '/v2/usg/acs/auth/appauth', {
      headers: { Authorization: `HMAC-SHA256 signature=${'a'.repeat(64)}` },
      body: { clientType: 72, expireTime: 0, nonce: 'n'.repeat(32) },
    });
    expect(answer.status).toBe(400);
    expect(errorMsg(answer)).toContain('appId');
  });
});
