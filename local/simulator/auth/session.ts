import { HuaweiError } from '../error-codes.js';
import { headerValue } from '../http-io.js';
import type { RequestContext, Simulation } from '../simulation.js';
import type { SimUser } from '../state.js';
import type { TokenRecord } from './tokens.js';

export interface Session {
  user: SimUser;
  token: TokenRecord;
}

/** The caller behind `X-Access-Token`: 401 USG.000000004 when it is missing, unknown, expired or revoked. */
export function authenticate(sim: Simulation, ctx: RequestContext): Session {
  const accessToken = headerValue(ctx.headers, 'x-access-token');
  if (accessToken === undefined || accessToken === '') {
    throw new HuaweiError('invalidToken', 'X-Access-Token is missing.');
  }
  const token = sim.tokens.findLive(accessToken);
  const user = token === undefined ? undefined : sim.state.users.get(token.userId);
  if (token === undefined || user === undefined) throw new HuaweiError('invalidToken');
  return { user, token };
}

export function isSpAdmin(user: SimUser): boolean {
  return user.userType === 1;
}

export function isCorpAdmin(user: SimUser): boolean {
  return user.userType === 2 && (user.adminType === 0 || user.adminType === 1);
}

export function isCorpMember(user: SimUser): boolean {
  return user.userType === 2 && user.adminType === 2;
}
