import { createHmac, randomBytes } from 'node:crypto';
import { CORP_A, CORP_B, SP_ADMIN, SP_APP } from './demo-data.js';

/**
 * Client-side helpers that log demo identities in to the simulator (or any Huawei-compatible server) and
 * return an access token. For tests and local tooling; production code uses the auth engineer's provider.
 */

const API_CLIENT_TYPE = 72;

async function postForToken(url: string, headers: Record<string, string>, body: unknown): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json;charset=UTF-8', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) {
    // The error body is Huawei's {error_code, error_msg}: safe to show, it never echoes credentials.
    throw new Error(`login failed: HTTP ${response.status} ${text}`);
  }
  const token = (JSON.parse(text) as { accessToken?: unknown }).accessToken;
  if (typeof token !== 'string') throw new Error('login failed: no accessToken in the answer');
  return token;
}

/** Account login (`POST /v1/usg/acs/auth/account`, Basic) with clientType 72. */
export function loginWithAccount(baseUrl: string, account: string, password: string): Promise<string> {
  const basic = Buffer.from(`${account}:${password}`, 'utf8').toString('base64');
  return postForToken(
    `${baseUrl}/v1/usg/acs/auth/account`,
    { Authorization: `Basic ${basic}` },
    { account, clientType: API_CLIENT_TYPE },
  );
}

export interface AppIdIdentity {
  appId: string;
  appKey: string;
  /** Empty or absent with an empty userId: the SP administrator. */
  corpId?: string;
  /** Empty or absent: the enterprise's default administrator. */
  userId?: string;
}

/** App ID login in SP mode (`POST /v2/usg/acs/auth/appauth`), signature `appId:corpId:userId:expireTime:nonce`. */
export function loginWithAppId(baseUrl: string, identity: AppIdIdentity, expireTime = 0): Promise<string> {
  const corpId = identity.corpId ?? '';
  const userId = identity.userId ?? '';
  const nonce = randomBytes(24).toString('hex');
  const message = `${identity.appId}:${corpId}:${userId}:${expireTime}:${nonce}`;
  const signature = createHmac('sha256', identity.appKey).update(message).digest('hex');
  const access = Buffer.from(identity.appId, 'utf8').toString('base64');
  const body: Record<string, unknown> = { appId: identity.appId, clientType: API_CLIENT_TYPE, expireTime, nonce };
  if (corpId !== '') body.corpId = corpId;
  if (userId !== '') body.userId = userId;
  return postForToken(
    `${baseUrl}/v2/usg/acs/auth/appauth`,
    { Authorization: `HMAC-SHA256 signature=${signature},access=${access}`, 'X-Token-Type': 'LongTicket' },
    body,
  );
}

/** The demo identities, logged in by account. */
export const loginDemo = {
  spAdmin: (baseUrl: string) => loginWithAccount(baseUrl, SP_ADMIN.account, SP_ADMIN.password),
  spAdminByAppId: (baseUrl: string) => loginWithAppId(baseUrl, { appId: SP_APP.appId, appKey: SP_APP.appKey }),
  corpAAdmin: (baseUrl: string) => loginWithAccount(baseUrl, CORP_A.admin.account, CORP_A.admin.password),
  alice: (baseUrl: string) => loginWithAccount(baseUrl, CORP_A.user.account, CORP_A.user.password),
  corpBAdmin: (baseUrl: string) => loginWithAccount(baseUrl, CORP_B.admin.account, CORP_B.admin.password),
  bob: (baseUrl: string) => loginWithAccount(baseUrl, CORP_B.user.account, CORP_B.user.password),
} as const;
