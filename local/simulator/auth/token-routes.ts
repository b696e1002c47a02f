import { HuaweiError } from '../error-codes.js';
import { headerValue } from '../http-io.js';
import { EMPTY_OK, type Reply, type RequestContext, type Simulation } from '../simulation.js';
import { optionalBoolean, requireObject, requireString } from '../validation.js';
import { authenticate } from './session.js';
import { tokenResponse } from './token-response.js';

/**
 * `PUT /v1/usg/acs/token` (UpdateToken). Docs disagree on whether X-Access-Token carries the access token or
 * the refresh token, so both are accepted; the token is extended in place (same string, as in the example).
 */
export function refreshToken(sim: Simulation, ctx: RequestContext): Reply {
  const given = headerValue(ctx.headers, 'x-access-token') ?? '';
  const record = sim.tokens.findLive(given) ?? sim.tokens.findByRefreshToken(given);
  const user = record === undefined ? undefined : sim.state.users.get(record.userId);
  if (record === undefined || user === undefined) throw new HuaweiError('invalidToken');
  const now = sim.now();
  sim.tokens.extend(record, now);
  return { status: 200, body: tokenResponse(record, user, sim.state, now, null) };
}

/** `POST /v1/usg/acs/token/validate` (CheckToken): token in the body; 401 USG.000000004 when dead. */
export function validateToken(sim: Simulation, ctx: RequestContext): Reply {
  const body = requireObject(ctx.body, 'body');
  const token = requireString(body, 'token', { min: 1, max: 256 });
  const needGenNewToken = optionalBoolean(body, 'needGenNewToken');
  if (needGenNewToken === undefined) throw new HuaweiError('invalidParameter', 'needGenNewToken: is required');
  optionalBoolean(body, 'needAccountInfo');

  const record = sim.tokens.findLive(token);
  const user = record === undefined ? undefined : sim.state.users.get(record.userId);
  if (record === undefined || user === undefined) throw new HuaweiError('invalidToken');
  if (needGenNewToken) {
    const fresh = sim.tokens.issue(user.id, record.clientType, ctx.remoteAddress);
    return { status: 200, body: tokenResponse(fresh, user, sim.state, fresh.createdAt, null) };
  }
  return { status: 200, body: tokenResponse(record, user, sim.state, sim.now(), null) };
}

/** `DELETE /v1/usg/acs/token` (DeleteToken): logs the token out; 200 with an empty body. */
export function logout(sim: Simulation, ctx: RequestContext): Reply {
  const { token } = authenticate(sim, ctx);
  sim.tokens.revoke(token);
  return EMPTY_OK;
}
