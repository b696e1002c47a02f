import { timingSafeEqual } from 'node:crypto';
import { HuaweiError, invalidParameter } from '../error-codes.js';
import { headerValue } from '../http-io.js';
import type { Reply, RequestContext, Simulation } from '../simulation.js';
import { optionalInteger, requireObject, requireString } from '../validation.js';
import { readClientType } from './client-types.js';
import { tokenResponse, userInfo } from './token-response.js';

interface BasicCredentials {
  account: string;
  password: string;
}

function parseBasic(header: string | undefined): BasicCredentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { account: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function samePassword(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `POST /v1/usg/acs/auth/account`: Basic account login (CreateToken). */
export function accountLogin(sim: Simulation, ctx: RequestContext): Reply {
  const body = requireObject(ctx.body, 'body');
  const account = requireString(body, 'account', { min: 1, max: 255 });
  const clientType = readClientType(body);
  const createTokenType = optionalInteger(body, 'createTokenType', { min: 0, max: 1 }) ?? 0;

  const credentials = parseBasic(headerValue(ctx.headers, 'authorization'));
  if (credentials === undefined) throw new HuaweiError('accountAuthFailed', 'Authorization must be Basic base64(account:password).');
  if (credentials.account !== account) throw invalidParameter('account', 'must equal the account in the Authorization header');

  const user = sim.state.findUserByAccount(account);
  const passwordOk =
    user?.password !== undefined &&
    credentials.password.length >= 8 &&
    credentials.password.length <= 32 &&
    samePassword(credentials.password, user.password);
  if (user === undefined || !passwordOk) throw new HuaweiError('accountAuthFailed');

  if (createTokenType === 1) {
    // Credential check only: no token is issued.
    return { status: 200, body: { user: userInfo(user, sim.state, null), clientType } };
  }
  const record = sim.tokens.issue(user.id, clientType, ctx.remoteAddress);
  return { status: 200, body: tokenResponse(record, user, sim.state, record.createdAt, null) };
}
