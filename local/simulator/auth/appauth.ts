import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { HuaweiError, invalidParameter } from '../error-codes.js';
import { headerValue } from '../http-io.js';
import type { Reply, RequestContext, Simulation } from '../simulation.js';
import type { SimApp, SimUser } from '../state.js';
import { optionalString, requireInteger, requireObject, requireString } from '../validation.js';
import { readClientType } from './client-types.js';
import { tokenResponse } from './token-response.js';

interface AppAuthHeader {
  signature: string;
  /** base64(appId) when the optional `,access=` part was sent. */
  access: string | undefined;
}

const HEADER_PATTERN = /^HMAC-SHA256\s+signature=([0-9A-Fa-f]{64})\s*(?:,\s*access=([A-Za-z0-9+/=]*))?\s*$/;

function parseHeader(header: string | undefined): AppAuthHeader | undefined {
  const match = HEADER_PATTERN.exec(header ?? '');
  if (match?.[1] === undefined) return undefined;
  return { signature: match[1].toLowerCase(), access: match[2] };
}

/** SP-mode message: `appId:corpId:userId:expireTime:nonce`, empty parts kept (documented + SDKs). */
function expectedSignature(app: SimApp, corpId: string, userId: string, expireTime: number, nonce: string): string {
  const message = `${app.appId}:${corpId}:${userId}:${expireTime}:${nonce}`;
  return createHmac('sha256', Buffer.from(app.appKey, 'utf8')).update(message, 'utf8').digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The identity an SP-mode App ID login resolves to; unknown userIds are auto-registered (forum answer). */
function resolveIdentity(sim: Simulation, app: SimApp, corpId: string, userId: string, userName: string | undefined): SimUser {
  const { state } = sim;
  if (corpId === '') {
    if (userId !== '') throw invalidParameter('corpId', 'is required with userId when an SP-mode app signs in a user');
    const admin = state.spAdmin(app.spId);
    if (admin === undefined) throw new HuaweiError('appIdCheckFailed', 'The SP has no administrator.');
    return admin;
  }
  const corp = state.corps.get(corpId);
  if (corp === undefined || corp.spId !== app.spId) {
    throw new HuaweiError('appIdCheckFailed', 'corpId is not an enterprise of this app\'s SP.');
  }
  if (userId === '') {
    const admin = state.corpDefaultAdmin(corpId);
    if (admin === undefined) throw new HuaweiError('appIdCheckFailed', 'The enterprise has no default administrator.');
    return admin;
  }
  return (
    state.findCorpUserByThirdAccount(corpId, userId) ??
    state.addUser({
      account: `Auto-${randomBytes(16).toString('hex')}`,
      name: userName ?? userId,
      userType: 2,
      adminType: 2,
      corpId,
      spId: app.spId,
      thirdAccount: userId,
    })
  );
}

/** `POST /v2/usg/acs/auth/appauth`: App ID login with an HMAC-SHA256 signature (CreateAppIdToken). */
export function appIdLogin(sim: Simulation, ctx: RequestContext): Reply {
  const body = requireObject(ctx.body, 'body');
  const appId = requireString(body, 'appId', { min: 1, max: 64 });
  const clientType = readClientType(body);
  const expireTime = requireInteger(body, 'expireTime', { min: 0 });
  const nonce = requireString(body, 'nonce', { min: 32, max: 64 });
  const userId = optionalString(body, 'userId', { max: 64 }) ?? '';
  const corpId = optionalString(body, 'corpId', { max: 64 }) ?? '';
  const userName = optionalString(body, 'userName', { max: 128 });
  for (const key of ['userEmail', 'userPhone', 'deptCode']) optionalString(body, key, { max: 255 });

  const header = parseHeader(headerValue(ctx.headers, 'authorization'));
  if (header === undefined) {
    throw new HuaweiError('appIdCheckFailed', 'Authorization must be "HMAC-SHA256 signature=<hex>[,access=<base64(appId)>]".');
  }
  const app = sim.state.apps.get(appId);
  if (app === undefined) throw new HuaweiError('appIdCheckFailed');
  if (header.access !== undefined && Buffer.from(header.access, 'base64').toString('utf8') !== appId) {
    throw new HuaweiError('appIdCheckFailed', 'access does not match appId.');
  }
  // expireTime 0 means the signature never expires; otherwise the server refuses it once its time is later.
  if (expireTime !== 0 && sim.now() > expireTime * 1000) throw new HuaweiError('appIdSignatureExpired');
  if (!sameHex(header.signature, expectedSignature(app, corpId, userId, expireTime, nonce))) {
    throw new HuaweiError('appIdCheckFailed');
  }

  const user = resolveIdentity(sim, app, corpId, userId, userName);
  const record = sim.tokens.issue(user.id, clientType, ctx.remoteAddress);
  return { status: 200, body: tokenResponse(record, user, sim.state, record.createdAt, appId) };
}
