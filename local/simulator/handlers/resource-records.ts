import { pageOf } from '../paging.js';
import type { RecordFilter } from '../resource-records.js';
import type { Reply, RequestContext, Simulation } from '../simulation.js';
import { queryInteger } from '../validation.js';
import { readResourceSearch, resourceView } from './resources.js';

/**
 * `GET /v1/usg/dcs/sp/corp/{corp_id}/resource-record` (SearchResourceOpRecord): the enterprise's operation
 * records, filtered and paged like SearchResource (limit default 10, at most 100). Each item is the documented
 * QueryResourceResultDTO of the resource right after the operation, its status as of the operate time.
 */
export function queryResourceRecords(sim: Simulation, ctx: RequestContext): Reply {
  const { corp, query, paging, type } = readResourceSearch(sim, ctx);
  const filter: RecordFilter = {};
  if (type !== undefined) filter.type = type;
  if (query.typeId !== undefined && query.typeId !== '') filter.typeId = query.typeId;
  if (query.searchKey !== undefined && query.searchKey !== '') filter.searchKey = query.searchKey;
  for (const name of ['startExpireDate', 'endExpireDate', 'startOperateDate', 'endOperateDate'] as const) {
    const value = queryInteger(query, name, { min: 0 });
    if (value !== undefined) filter[name] = value;
  }
  const operateType = queryInteger(query, 'operateType', { min: 0, max: 4 });
  if (operateType !== undefined) filter.operateType = operateType;

  const page = pageOf(sim.state.records.find(corp.id, filter), paging);
  return { status: 200, body: { ...page, data: page.data.map((record) => resourceView(record.resource, record.operateDate)) } };
}
