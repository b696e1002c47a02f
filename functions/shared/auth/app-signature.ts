import { createHmac, randomBytes } from 'node:crypto';
import type { AppIdCredentials } from './credentials.js';

/**
 * Signing for Huawei's App ID login (`POST /v2/usg/acs/auth/appauth`) as the SP administrator: SP mode with
 * both corpId and userId empty, so the signed message is `appId:::expireTime:nonce`.
 */

/** Seconds the signature stays valid: long enough for retries and clock skew, short enough to limit replay. */
export const SIGNATURE_LIFETIME_SECONDS = 300;

/** Huawei's clientType for API callers: up to 64 live tokens per account, so logins do not evict each other. */
export const API_CLIENT_TYPE = 72;

/** 24 random bytes as hex: 48 characters, inside Huawei's 32-64 range. */
export function createNonce(): string {
  return randomBytes(24).toString('hex');
}

export function spAdminSignatureMessage(appId: string, expireTime: number, nonce: string): string {
  // corpId and userId stay empty; both separators are kept.
  return `${appId}:::${expireTime}:${nonce}`;
}

/** Lower-case hex HMAC-SHA256 keyed with the UTF-8 appKey (Huawei's Java SDK and Terraform emit lower case). */
export function hmacSha256Hex(key: string, message: string): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex');
}

export function appAuthorizationHeader(appId: string, signature: string): string {
  return `HMAC-SHA256 signature=${signature},access=${Buffer.from(appId, 'utf8').toString('base64')}`;
}

export interface AppAuthRequest {
  headers: Record<string, string>;
  body: { appId: string; clientType: number; expireTime: number; nonce: string };
}

/**
 * Builds a freshly signed SP-admin App ID login. Build a new one for every attempt: a resent nonce may be
 * refused as a replay.
 */
export function buildSpAdminAppAuth(
  credentials: Pick<AppIdCredentials, 'appId' | 'appKey'>,
  nowMs: number,
  nonce: string = createNonce(),
): AppAuthRequest {
  const expireTime = Math.floor(nowMs / 1000) + SIGNATURE_LIFETIME_SECONDS;
  const signature = hmacSha256Hex(credentials.appKey, spAdminSignatureMessage(credentials.appId, expireTime, nonce));
  return {
    headers: {
      Authorization: appAuthorizationHeader(credentials.appId, signature),
      'X-Token-Type': 'LongTicket',
    },
    body: { appId: credentials.appId, clientType: API_CLIENT_TYPE, expireTime, nonce },
  };
}
