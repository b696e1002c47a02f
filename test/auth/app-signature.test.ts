import { describe, expect, it } from 'vitest';
import {
  appAuthorizationHeader,
  buildSpAdminAppAuth,
  createNonce,
  hmacSha256Hex,
  SIGNATURE_LIFETIME_SECONDS,
  spAdminSignatureMessage,
} from '../../functions/shared/auth/app-signature.js';
import { SP_APP } from '../../local/simulator/demo-data.js';

// Expected values were computed outside this code base:
//   printf '%s' 'demo-sp-app:::1767225900:0123…' | openssl dgst -sha256 -hmac 'demo-sp-app-key-2026-0123456789ab'
//   printf '%s' 'demo-sp-app' | base64
const NOW_MS = Date.UTC(2026, 0, 1); // 1767225600 s
const NONCE = '0123456789abcdef0123456789abcdef0123456789abcdef';
const EXPECTED_EXPIRE_TIME = 1767225900;
const EXPECTED_SIGNATURE = '96168a5f10b3aa16c96d0691b13ffacc5e3a809d6b1fddb0c3395363f522e5ba';
const EXPECTED_ACCESS = 'ZGVtby1zcC1hcHA=';

describe('hmacSha256Hex', () => {
  it('matches RFC 4231 test case 2 in lower-case hex', () => {
    // Prepare / Act
    const digest = hmacSha256Hex('Jefe', 'what do ya want for nothing?');
    // Assess
    expect(digest).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
});

describe('spAdminSignatureMessage', () => {
  it('keeps corpId and userId empty with both separators: appId:::expireTime:nonce', () => {
    expect(spAdminSignatureMessage('app', 1700000000, 'n')).toBe('app:::1700000000:n');
  });
});

describe('buildSpAdminAppAuth', () => {
  it('signs appId:::expireTime:nonce with the appKey and sends the documented headers and body', () => {
    // Act
    const request = buildSpAdminAppAuth(SP_APP, NOW_MS, NONCE);
    // Assess
    expect(request.headers).toEqual({
      Authorization: `HMAC-SHA256 signature=${EXPECTED_SIGNATURE},access=${EXPECTED_ACCESS}`,
      'X-Token-Type': 'LongTicket',
    });
    expect(request.body).toEqual({ appId: SP_APP.appId, clientType: 72, expireTime: EXPECTED_EXPIRE_TIME, nonce: NONCE });
  });

  it('sets the signature expiry a short lifetime after now, in epoch seconds', () => {
    const request = buildSpAdminAppAuth(SP_APP, NOW_MS + 999, NONCE);
    expect(request.body.expireTime).toBe(Math.floor(NOW_MS / 1000) + SIGNATURE_LIFETIME_SECONDS);
    expect(SIGNATURE_LIFETIME_SECONDS).toBeLessThanOrEqual(600);
  });

  it('sends no corpId or userId, which would log in as an enterprise user instead of the SP admin', () => {
    const request = buildSpAdminAppAuth(SP_APP, NOW_MS, NONCE);
    expect(Object.keys(request.body).sort()).toEqual(['appId', 'clientType', 'expireTime', 'nonce']);
  });

  it('uses a fresh nonce for every request when none is given', () => {
    const first = buildSpAdminAppAuth(SP_APP, NOW_MS);
    const second = buildSpAdminAppAuth(SP_APP, NOW_MS);
    expect(first.body.nonce).not.toBe(second.body.nonce);
    expect(first.headers.Authorization).not.toBe(second.headers.Authorization);
  });
});

describe('createNonce', () => {
  it('returns 32 to 64 characters, different each time', () => {
    const nonces = Array.from({ length: 100 }, () => createNonce());
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{32,64}$/);
    expect(new Set(nonces).size).toBe(nonces.length);
  });
});

describe('appAuthorizationHeader', () => {
  it('base64-encodes the appId as UTF-8 in access=', () => {
    const header = appAuthorizationHeader('应用-1', 'ab');
    // printf '%s' '应用-1' | base64
    expect(header).toBe('HMAC-SHA256 signature=ab,access=5bqU55SoLTE=');
  });
});
