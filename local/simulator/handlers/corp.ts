import { pageOf, readPaging } from '../paging.js';
import type { Reply, RequestContext, Simulation } from '../simulation.js';
import type { SimCorp, SimState } from '../state.js';
import { requireOwnCorp, requireSpAdmin } from './sp-scope.js';

function corpView(state: SimState, corp: SimCorp): Record<string, unknown> {
  const admin = state.corpDefaultAdmin(corp.id);
  return {
    id: corp.id,
    basicInfo: { name: corp.name, spId: corp.spId, address: null, country: null, phone: null, email: null, fax: null, description: null },
    adminInfo: admin === undefined ? null : { id: admin.id, account: admin.account, adminType: admin.adminType, name: admin.name, email: null, phone: null, country: null },
    resInfo: null,
    groupDTO: null,
  };
}

/** `GET /v1/usg/dcs/sp/corp`: the SP's own enterprises, paged; searchKey matches id, name or admin account. */
export function listSpCorps(sim: Simulation, ctx: RequestContext): Reply {
  const { user } = requireSpAdmin(sim, ctx);
  const paging = readPaging(ctx.query);
  const key = (ctx.query.searchKey ?? '').toLowerCase();
  const corps = [...sim.state.corps.values()].filter((corp) => {
    if (corp.spId !== user.spId) return false;
    if (key === '') return true;
    const admin = sim.state.corpDefaultAdmin(corp.id);
    return corp.id.includes(key) || corp.name.toLowerCase().includes(key) || (admin?.account.toLowerCase().includes(key) ?? false);
  });
  const page = pageOf(corps, paging);
  return { status: 200, body: { ...page, data: page.data.map((corp) => corpView(sim.state, corp)) } };
}

/** `GET /v1/usg/dcs/sp/corp/{id}`: one of the SP's enterprises. */
export function showSpCorp(sim: Simulation, ctx: RequestContext): Reply {
  const session = requireSpAdmin(sim, ctx);
  const corp = requireOwnCorp(sim, ctx, session, 'id');
  return { status: 200, body: corpView(sim.state, corp) };
}
