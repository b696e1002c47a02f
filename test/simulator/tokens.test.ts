import { describe, expect, it } from 'vitest';
import { CORP_A, SP_ADMIN } from '../../local/simulator/demo-data.js';
import { call, errorCode, manualClock, useSimulator } from './support.js';

const TTL_SECONDS = 3600;
const clock = manualClock(Date.UTC(2026, 0, 1));
const sim = useSimulator({ now: clock.now, tokenTtlSeconds: TTL_SECONDS });

interface TokenAnswer {
  accessToken: string;
  refreshToken: string;
  validPeriod: number;
  expireTime: number;
}

async function login(clientType = 72): Promise<TokenAnswer> {
  const answer = await call(sim.url, 'POST', '/v1/usg/acs/auth/account', {
    headers: { Authorization: `Basic ${Buffer.from(`${SP_ADMIN.account}:${SP_ADMIN.password}`).toString('base64')}` },
    body: { account: SP_ADMIN.account, clientType },
  });
  expect(answer.status).toBe(200);
  return answer.json as TokenAnswer;
}

/** A cheap authenticated call: the SP's enterprise list. */
function useToken(token: string) {
  return call(sim.url, 'GET', '/v1/usg/dcs/sp/corp', { token });
}

describe('token lifetime', () => {
  it('reports the configured TTL in validPeriod and expireTime', async () => {
    const token = await login();
    expect(token.validPeriod).toBe(TTL_SECONDS);
    expect(token.expireTime).toBe(Math.floor(clock.now() / 1000) + TTL_SECONDS);
  });

  it('accepts a token until its TTL has passed and answers 401 USG.000000004 after', async () => {
    // Prepare
    const token = await login();
    // Act
    clock.advance(TTL_SECONDS * 1000 - 1);
    const justBefore = await useToken(token.accessToken);
    clock.advance(1);
    const atExpiry = await useToken(token.accessToken);
    // Assess
    expect(justBefore.status).toBe(200);
    expect(atExpiry.status).toBe(401);
    expect(errorCode(atExpiry)).toBe('USG.000000004');
  });

  it('returns 401 USG.000000004 without X-Access-Token', async () => {
    const answer = await call(sim.url, 'GET', '/v1/usg/dcs/sp/corp');
    expect(answer.status).toBe(401);
    expect(errorCode(answer)).toBe('USG.000000004');
  });

  it('returns 401 USG.000000004 for a made-up token', async () => {
    const answer = await useToken('stbNotARealTokenAtAll000000000000000');
    expect(answer.status).toBe(401);
    expect(errorCode(answer)).toBe('USG.000000004');
  });

  it('revokes every live token on POST /_simulator/tokens/expire', async () => {
    // Prepare
    const first = await login();
    const second = await login();
    // Act
    const revoked = await sim.control.expireTokens();
    // Assess
    expect(revoked).toBeGreaterThanOrEqual(2);
    expect((await useToken(first.accessToken)).status).toBe(401);
    expect((await useToken(second.accessToken)).status).toBe(401);
    expect((await login()).accessToken).toMatch(/^stb/);
  });
});

describe('token limits', () => {
  it('evicts the oldest of 64 clientType-72 tokens when a 65th is issued', async () => {
    // Prepare
    await sim.control.expireTokens();
    const tokens: string[] = [];
    for (let i = 0; i < 64; i += 1) {
      tokens.push((await login()).accessToken);
      clock.advance(1);
    }
    const allLiveBefore = await Promise.all(tokens.map(async (t) => (await useToken(t)).status));
    // Act
    const sixtyFifth = await login();
    // Assess
    expect(allLiveBefore.every((s) => s === 200)).toBe(true);
    expect((await useToken(tokens[0] ?? '')).status).toBe(401);
    expect((await useToken(tokens[1] ?? '')).status).toBe(200);
    expect((await useToken(tokens[63] ?? '')).status).toBe(200);
    expect((await useToken(sixtyFifth.accessToken)).status).toBe(200);
  });

  it('keeps one live token for any other clientType: a new login replaces the previous one', async () => {
    // Prepare
    const apiToken = await login(72);
    const first = await login(0);
    // Act
    const second = await login(0);
    // Assess
    expect((await useToken(first.accessToken)).status).toBe(401);
    expect((await useToken(second.accessToken)).status).toBe(200);
    expect((await useToken(apiToken.accessToken)).status).toBe(200);
  });
});

describe('PUT /v1/usg/acs/token (refresh)', () => {
  it('extends the token in place: same string, later expiry', async () => {
    // Prepare
    const token = await login();
    clock.advance(30 * 60 * 1000);
    // Act
    const answer = await call(sim.url, 'PUT', '/v1/usg/acs/token', { token: token.accessToken });
    clock.advance(45 * 60 * 1000);
    const afterOriginalExpiry = await useToken(token.accessToken);
    // Assess
    expect(answer.status).toBe(200);
    const refreshed = answer.json as TokenAnswer;
    expect(refreshed.accessToken).toBe(token.accessToken);
    expect(refreshed.expireTime).toBe(token.expireTime + 30 * 60);
    expect(afterOriginalExpiry.status).toBe(200);
  });

  it('also accepts the refresh token and revives an expired access token', async () => {
    // Prepare
    const token = await login();
    clock.advance(TTL_SECONDS * 1000 + 1);
    expect((await useToken(token.accessToken)).status).toBe(401);
    // Act
    const answer = await call(sim.url, 'PUT', '/v1/usg/acs/token', { token: token.refreshToken });
    // Assess
    expect(answer.status).toBe(200);
    expect((answer.json as TokenAnswer).accessToken).toBe(token.accessToken);
    expect((await useToken(token.accessToken)).status).toBe(200);
  });

  it('returns 401 USG.000000004 for an expired access token', async () => {
    const token = await login();
    clock.advance(TTL_SECONDS * 1000);
    const answer = await call(sim.url, 'PUT', '/v1/usg/acs/token', { token: token.accessToken });
    expect(answer.status).toBe(401);
    expect(errorCode(answer)).toBe('USG.000000004');
  });
});

describe('POST /v1/usg/acs/token/validate', () => {
  it('returns the token object for a live token', async () => {
    const token = await login();
    clock.advance(10_000);
    const answer = await call(sim.url, 'POST', '/v1/usg/acs/token/validate', { body: { token: token.accessToken, needGenNewToken: false } });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ accessToken: token.accessToken, validPeriod: TTL_SECONDS - 10 });
  });

  it('issues a new working token when needGenNewToken is true', async () => {
    const token = await login();
    const answer = await call(sim.url, 'POST', '/v1/usg/acs/token/validate', { body: { token: token.accessToken, needGenNewToken: true } });
    const fresh = (answer.json as TokenAnswer).accessToken;
    expect(answer.status).toBe(200);
    expect(fresh).not.toBe(token.accessToken);
    expect((await useToken(fresh)).status).toBe(200);
  });

  it('returns 401 USG.000000004 for an expired token', async () => {
    const token = await login();
    clock.advance(TTL_SECONDS * 1000);
    const answer = await call(sim.url, 'POST', '/v1/usg/acs/token/validate', { body: { token: token.accessToken, needGenNewToken: false } });
    expect(answer.status).toBe(401);
    expect(errorCode(answer)).toBe('USG.000000004');
  });

  it('returns 400 when needGenNewToken is missing', async () => {
    const token = await login();
    const answer = await call(sim.url, 'POST', '/v1/usg/acs/token/validate', { body: { token: token.accessToken } });
    expect(answer.status).toBe(400);
  });
});

describe('DELETE /v1/usg/acs/token (logout)', () => {
  it('answers 200 with an empty body and the token stops working', async () => {
    // Prepare
    const token = await login();
    // Act
    const answer = await call(sim.url, 'DELETE', '/v1/usg/acs/token', { token: token.accessToken });
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    const after = await useToken(token.accessToken);
    expect(after.status).toBe(401);
    expect(errorCode(after)).toBe('USG.000000004');
  });

  it('leaves the identity\'s other tokens alive', async () => {
    const kept = await login();
    const dropped = await login();
    await call(sim.url, 'DELETE', '/v1/usg/acs/token', { token: dropped.accessToken });
    expect((await useToken(kept.accessToken)).status).toBe(200);
  });

  it('returns 401 for a token that is already logged out', async () => {
    const token = await login();
    await call(sim.url, 'DELETE', '/v1/usg/acs/token', { token: token.accessToken });
    const again = await call(sim.url, 'DELETE', '/v1/usg/acs/token', { token: token.accessToken });
    expect(again.status).toBe(401);
  });
});

describe('token scope', () => {
  it('keeps tokens of different identities apart under the 64-token rule', async () => {
    // Prepare
    const alice = await call(sim.url, 'POST', '/v1/usg/acs/auth/account', {
      headers: { Authorization: `Basic ${Buffer.from(`${CORP_A.user.account}:${CORP_A.user.password}`).toString('base64')}` },
      body: { account: CORP_A.user.account, clientType: 72 },
    });
    const aliceToken = (alice.json as TokenAnswer).accessToken;
    // Act: 64 SP admin logins
    for (let i = 0; i < 64; i += 1) await login();
    // Assess
    expect((await call(sim.url, 'GET', '/v1/usg/dcs/member/vmr', { token: aliceToken })).status).toBe(200);
  });
});
