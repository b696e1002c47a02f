import { randomBytes } from 'node:crypto';
import type { ResourceType } from '../demo-data.js';
import { HuaweiError, invalidParameter } from '../error-codes.js';
import { pageOf, readPaging } from '../paging.js';
import { OPERATE_TYPE } from '../resource-records.js';
import { EMPTY_OK, type Reply, type RequestContext, type Simulation } from '../simulation.js';
import { orderIdFor, type SimResource } from '../state.js';
import {
  ID_PATTERN,
  ID_RULE,
  optionalBoolean,
  optionalInteger,
  optionalString,
  queryInteger,
  requireArray,
  requireInteger,
  requireObject,
  requireString,
} from '../validation.js';
import { VMR_PACKAGES } from '../vmr-packages.js';
import { requireOwnCorp, requireSpAdmin } from './sp-scope.js';

/**
 * Documented: at most 100 items per add, modify or delete request. The simulator's own copy of Huawei's rule, on
 * purpose: it models Huawei independently of the relay's limits (functions/shared/limits.ts), so a wrong limit
 * in the relay shows up as a disagreement in tests instead of being shared by both.
 */
export const MAX_BATCH_ITEMS = 100;

/** The documented resource types (ModResourceDTO's list; IDEA_HUB is not supported here). */
export const RESOURCE_TYPES = [
  'VMR',
  'CONF_CALL',
  'HARD_1080P',
  'HARD_720P',
  'SOFT',
  'ROOM',
  'LIVE',
  'RECORD',
  'HARD_THIRD_PARTY',
  'HUAWEI_VISION',
] as const satisfies readonly ResourceType[];
// Fails to compile if demo-data's ResourceType gains a member this list lacks.
const allTypesListed: Exclude<ResourceType, (typeof RESOURCE_TYPES)[number]> extends never ? true : false = true;
void allTypesListed;

export const TYPE_RULE = `must be one of ${RESOURCE_TYPES.join(', ')}`;
export function isResourceType(value: string): value is ResourceType {
  return (RESOURCE_TYPES as readonly string[]).includes(value);
}

function optionalType(obj: Record<string, unknown>, field: string): ResourceType | undefined {
  const type = optionalString(obj, 'type', {}, field);
  if (type === undefined) return undefined;
  if (!isResourceType(type)) throw invalidParameter(field, TYPE_RULE);
  return type;
}

/** Documented status: 2 when disabled whatever its expiry, else 1 once past expireDate, else 0. */
export function resourceStatus(resource: SimResource, now: number): 0 | 1 | 2 {
  if (resource.isDisabled) return 2;
  return now > resource.expireDate ? 1 : 0;
}

/** QueryResourceResultDTO: a resource as SearchResource (and SearchResourceOpRecord) list it. */
export function resourceView(resource: SimResource, now: number): Record<string, unknown> {
  return {
    id: resource.id,
    type: resource.type,
    typeId: resource.typeId,
    typeDesc: resource.typeId === null ? null : (VMR_PACKAGES[resource.typeId]?.name ?? null),
    vmrMode: resource.type === 'VMR' ? 1 : null,
    count: resource.count,
    expireDate: resource.expireDate,
    orderId: resource.orderId,
    status: resourceStatus(resource, now),
    editable: true,
  };
}

/**
 * What SearchResource and SearchResourceOpRecord read alike: the SP admin's session on its own enterprise, the
 * page, and the optional `type` filter.
 */
export function readResourceSearch(sim: Simulation, ctx: RequestContext) {
  const session = requireSpAdmin(sim, ctx);
  const corp = requireOwnCorp(sim, ctx, session);
  const { query } = ctx;
  const type = query.type === undefined || query.type === '' ? undefined : query.type;
  if (type !== undefined && !isResourceType(type)) throw invalidParameter('type', TYPE_RULE);
  return { corp, query, paging: readPaging(query), type };
}

/** `GET /v1/usg/dcs/sp/corp/{corp_id}/resource` (SearchResource): paged, filtered, status derived. */
export function queryResources(sim: Simulation, ctx: RequestContext): Reply {
  const { corp, query, paging, type } = readResourceSearch(sim, ctx);
  const status = queryInteger(query, 'status', { min: 0, max: 2 });
  const start = queryInteger(query, 'startExpireDate', { min: 0 });
  const end = queryInteger(query, 'endExpireDate', { min: 0 });
  const searchKey = (query.searchKey ?? '').toLowerCase();
  const typeId = query.typeId === '' ? undefined : query.typeId;
  const now = sim.now();

  const matching = sim.state.corpResources(corp.id).filter(
    (r) =>
      (type === undefined || r.type === type) &&
      (typeId === undefined || r.typeId === typeId) &&
      (status === undefined || resourceStatus(r, now) === status) &&
      (start === undefined || r.expireDate >= start) &&
      (end === undefined || r.expireDate <= end) &&
      (searchKey === '' || r.id.toLowerCase().includes(searchKey) || r.orderId.includes(searchKey)),
  );
  const page = pageOf(matching, paging);
  return { status: 200, body: { ...page, data: page.data.map((r) => resourceView(r, now)) } };
}

interface ResourceUpdate {
  id: string;
  type?: ResourceType;
  expireDate?: number;
  isDisabled?: boolean;
}

function readUpdate(value: unknown, index: number): ResourceUpdate {
  const at = `[${index}]`;
  const obj = requireObject(value, at);
  const update: ResourceUpdate = { id: requireString(obj, 'id', { pattern: ID_PATTERN, patternRule: ID_RULE }, `${at}.id`) };
  const type = optionalType(obj, `${at}.type`);
  if (type !== undefined) update.type = type;
  const expireDate = optionalInteger(obj, 'expireDate', { min: 0 }, `${at}.expireDate`);
  if (expireDate !== undefined) update.expireDate = expireDate;
  const isDisabled = optionalBoolean(obj, 'isDisabled', `${at}.isDisabled`);
  if (isDisabled !== undefined) update.isDisabled = isDisabled;
  return update;
}

/**
 * `PUT /v1/usg/dcs/sp/corp/{corp_id}/resource` (UpdateResource). The whole batch is validated before anything
 * changes: one unknown id (or id+type) refuses the request and leaves every resource as it was.
 */
export function updateResources(sim: Simulation, ctx: RequestContext): Reply {
  const session = requireSpAdmin(sim, ctx);
  const corp = requireOwnCorp(sim, ctx, session);
  const items = requireArray(ctx.body, 'body', 1, MAX_BATCH_ITEMS).map(readUpdate);
  const resources = sim.state.corpResources(corp.id);
  const targets = items.map((item, index) => {
    const matches = resources.filter((r) => r.id === item.id && (item.type === undefined || r.type === item.type));
    if (matches.length === 0) {
      const what = item.type === undefined ? item.id : `${item.id} of type ${item.type}`;
      throw new HuaweiError('resourceNotFound', `[${index}].id: resource ${what} does not exist in enterprise ${corp.id}`);
    }
    return { item, matches };
  });
  const now = sim.now();
  for (const { item, matches } of targets) {
    for (const resource of matches) {
      if (item.expireDate !== undefined) resource.expireDate = item.expireDate;
      if (item.isDisabled !== undefined) resource.isDisabled = item.isDisabled;
      // One record per operation the item asked for, each showing the resource after the whole item.
      if (item.expireDate !== undefined) sim.state.records.add(OPERATE_TYPE.modify, resource, now);
      if (item.isDisabled !== undefined) sim.state.records.add(item.isDisabled ? OPERATE_TYPE.disable : OPERATE_TYPE.enable, resource, now);
    }
  }
  return EMPTY_OK;
}

interface ResourceAddition {
  id: string | undefined;
  type: ResourceType;
  typeId: string | undefined;
  count: number;
  expireDate: number;
}

function readAddition(value: unknown, index: number): ResourceAddition {
  const at = `[${index}]`;
  const obj = requireObject(value, at);
  const type = optionalType(obj, `${at}.type`);
  if (type === undefined) throw invalidParameter(`${at}.type`, 'is required');
  return {
    id: optionalString(obj, 'id', { pattern: ID_PATTERN, patternRule: ID_RULE }, `${at}.id`),
    type,
    typeId: optionalString(obj, 'typeId', { min: 1, max: 64 }, `${at}.typeId`),
    count: requireInteger(obj, 'count', { min: 1, max: 1_000_000 }, `${at}.count`),
    expireDate: requireInteger(obj, 'expireDate', { min: 0 }, `${at}.expireDate`),
  };
}

/**
 * `POST /v1/usg/dcs/sp/corp/{corp_id}/resource` (AddResource). Documented upsert: an item whose id already
 * exists (with that type) modifies it, limited to what UpdateResource may change (expireDate); otherwise a
 * resource is added, with a generated 32-hex id when none is given.
 */
export function addResources(sim: Simulation, ctx: RequestContext): Reply {
  const session = requireSpAdmin(sim, ctx);
  const corp = requireOwnCorp(sim, ctx, session);
  const items = requireArray(ctx.body, 'body', 1, MAX_BATCH_ITEMS).map(readAddition);
  const now = sim.now();
  for (const item of items) {
    const existing =
      item.id === undefined ? undefined : sim.state.corpResources(corp.id).find((r) => r.id === item.id && r.type === item.type);
    if (existing !== undefined) {
      existing.expireDate = item.expireDate;
      sim.state.records.add(OPERATE_TYPE.modify, existing, now);
      continue;
    }
    const id = item.id ?? randomBytes(16).toString('hex');
    const added: SimResource = {
      corpId: corp.id,
      id,
      type: item.type,
      typeId: item.typeId ?? null,
      count: item.count,
      expireDate: item.expireDate,
      isDisabled: false,
      orderId: orderIdFor(id),
    };
    sim.state.addResource(added);
    sim.state.records.add(OPERATE_TYPE.add, added, now);
  }
  return EMPTY_OK;
}

/**
 * `POST /v1/usg/dcs/sp/corp/{corp_id}/resource/delete` (DeleteResource): array of ids; every type under each id
 * goes. Unknown ids refuse the whole request (our assumption; Huawei's behaviour is unconfirmed).
 */
export function deleteResources(sim: Simulation, ctx: RequestContext): Reply {
  const session = requireSpAdmin(sim, ctx);
  const corp = requireOwnCorp(sim, ctx, session);
  const ids = requireArray(ctx.body, 'body', 1, MAX_BATCH_ITEMS).map((value, index) => {
    if (typeof value !== 'string' || !ID_PATTERN.test(value)) throw invalidParameter(`[${index}]`, `must be a resource id: ${ID_RULE}`);
    return value;
  });
  const resources = sim.state.corpResources(corp.id);
  ids.forEach((id, index) => {
    if (!resources.some((r) => r.id === id)) {
      throw new HuaweiError('resourceNotFound', `[${index}]: resource ${id} does not exist in enterprise ${corp.id}`);
    }
  });
  const doomed = new Set(ids);
  const now = sim.now();
  for (const r of resources) if (doomed.has(r.id)) sim.state.records.add(OPERATE_TYPE.delete, r, now);
  sim.state.resources.set(
    corp.id,
    resources.filter((r) => !doomed.has(r.id)),
  );
  return EMPTY_OK;
}
