import { authenticate, isSpAdmin, type Session } from '../auth/session.js';
import { HuaweiError } from '../error-codes.js';
import type { RequestContext, Simulation } from '../simulation.js';
import type { SimCorp } from '../state.js';
import { checkPathId } from '../validation.js';

/** Callers of SP APIs must be SP administrators: 401 without a live token, 403 for any other role. */
export function requireSpAdmin(sim: Simulation, ctx: RequestContext): Session {
  const session = authenticate(sim, ctx);
  if (!isSpAdmin(session.user)) throw new HuaweiError('forbidden', 'Only an SP administrator may call SP APIs.');
  return session;
}

/** The `{corp_id}` enterprise: validated, known (else 400) and one of the caller SP's own (else 403). */
export function requireOwnCorp(sim: Simulation, ctx: RequestContext, session: Session, param = 'corp_id'): SimCorp {
  const corpId = checkPathId(ctx.params[param] ?? '', param);
  const corp = sim.state.corps.get(corpId);
  if (corp === undefined) throw new HuaweiError('corpNotFound', `${param}: enterprise ${corpId} does not exist`);
  if (corp.spId !== session.user.spId) {
    throw new HuaweiError('forbidden', `${param}: enterprise ${corpId} does not belong to the caller's SP`);
  }
  return corp;
}
