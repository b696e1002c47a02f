/**
 * The ModResourceDTO items that disable or re-enable one registry item upstream.
 *
 * A typed item is one DTO with its type. A type-less item stands for "every type with this id", and a DTO
 * without type changes all of them, which is right unless a typed sibling in the registry must end in the
 * other state (a renewed type must stay enabled; a manually disabled one must stay disabled). Then the types
 * are read back from Huawei (SearchResource by id) and only the others are sent, each with its type.
 */
import * as z from 'zod/mini';
import type { ModResourceItem, ResourceType } from '../shared/huawei/schemas.js';
import { RESOURCE_TYPES } from '../shared/huawei/schemas.js';
import { shouldBeDisabled } from '../shared/registry/model.js';
import type { RegistryItem } from '../shared/registry/model.js';
import { isSuccess, upstreamErrorOf } from './run.js';
import type { SweepRun } from './run.js';

export type UpstreamAction = 'disable' | 'enable';

const SEARCH_PAGE_LIMIT = 100;
/** A resource id exists under at most one entry per type; more pages than this means the search is not by id. */
const MAX_SEARCH_PAGES = 5;

const searchPageSchema = z.object({
  count: z.number().check(z.int(), z.nonnegative()),
  data: z.array(z.object({ id: z.string(), type: z.string() })),
});

/** The items to send, and for a type-less item the versions of its typed siblings they were worked out from. */
export interface UpstreamPlan {
  items: ModResourceItem[];
  /** sk -> version of each typed item of the id as read (empty for a typed item). */
  siblings: ReadonlyMap<string, number>;
}

/** The items to send, or undefined when they could not be worked out this sweep (Huawei unreachable). */
export async function upstreamItemsFor(
  run: SweepRun,
  item: RegistryItem,
  action: UpstreamAction,
): Promise<ModResourceItem[] | undefined> {
  return (await upstreamPlanFor(run, item, action))?.items;
}

export async function upstreamPlanFor(run: SweepRun, item: RegistryItem, action: UpstreamAction): Promise<UpstreamPlan | undefined> {
  const isDisabled = action === 'disable';
  if (item.type !== undefined) return { items: [{ id: item.resourceId, type: item.type, isDisabled }], siblings: new Map() };

  const all = await run.store.listResource(item.corpId, item.resourceId);
  run.report.itemsRead += all.length;
  const typed = all.filter((s) => s.type !== undefined);
  const siblings = new Map(typed.map((s) => [s.sk, s.version]));
  const now = run.now();
  const keepAsIs = typed.filter((s) => shouldBeDisabled(s, now) !== isDisabled);
  if (keepAsIs.length === 0) return { items: [{ id: item.resourceId, isDisabled }], siblings };

  const types = await typesUpstream(run, item.corpId, item.resourceId);
  if (types === undefined) return undefined;
  const excluded = new Set(keepAsIs.map((s) => s.type));
  return { items: types.filter((t) => !excluded.has(t)).map((type) => ({ id: item.resourceId, type, isDisabled })), siblings };
}

async function typesUpstream(run: SweepRun, corpId: string, resourceId: string): Promise<ResourceType[] | undefined> {
  const types = new Set<ResourceType>();
  for (let page = 0; page < MAX_SEARCH_PAGES; page++) {
    const offset = page * SEARCH_PAGE_LIMIT;
    const outcome = await run.callSp(`search resource ${corpId}/${resourceId}`, (opts) =>
      run.spApi.queryResources(corpId, { searchKey: resourceId, offset, limit: SEARCH_PAGE_LIMIT }, opts),
    );
    if (!outcome.answered) return undefined;
    const { response } = outcome;
    const parsed = isSuccess(response) ? searchPageSchema.safeParse(response.json) : undefined;
    if (!parsed?.success) {
      const error = upstreamErrorOf(response);
      run.problem(`search resource ${corpId}/${resourceId}: HTTP ${response.status} ${error.errorCode}`);
      return undefined;
    }
    for (const entry of parsed.data.data) {
      if (entry.id === resourceId && (RESOURCE_TYPES as readonly string[]).includes(entry.type)) types.add(entry.type as ResourceType);
    }
    if (offset + SEARCH_PAGE_LIMIT >= parsed.data.count) break;
  }
  return [...types];
}
