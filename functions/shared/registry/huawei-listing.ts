/**
 * Huawei's answer to SearchResource (`GET /v1/usg/dcs/sp/corp/{corp_id}/resource`) read as observations for the
 * state model, and the paging both the verified sweep and the sync use. The page size is the largest Huawei
 * allows as far as we know: its maximum `limit` is undocumented, 100 is our assumption (docs/simulator.md).
 */
import { groupBy } from '../group-by.js';
import * as z from 'zod/mini';
import { RESOURCE_TYPES } from '../huawei/schemas.js';
import type { ResourceType } from '../huawei/schemas.js';
import type { ObservedResource } from './state.js';

export const SEARCH_PAGE_LIMIT = 100;
/** SearchResource `status`: 1 = past its expireDate and not disabled (a query-only state). */
export const HUAWEI_STATUS_EXPIRED = 1;
export const HUAWEI_STATUS_DISABLED = 2;

const pageSchema = z.object({
  count: z.number().check(z.int(), z.nonnegative()),
  data: z.array(z.object({ id: z.string(), type: z.string(), expireDate: z.number(), status: z.number().check(z.int()) })),
});

/** One resource as Huawei lists it. */
export interface ListedResource extends ObservedResource {
  id: string;
}

export interface ListingPage {
  /** Total matching resources (not only this page). */
  count: number;
  resources: ListedResource[];
}

/** Parses one page; undefined when the body is not a SearchResource page. Unknown types are skipped. */
export function parseListingPage(json: unknown): ListingPage | undefined {
  const parsed = pageSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const resources: ListedResource[] = [];
  for (const r of parsed.data.data) {
    if (!(RESOURCE_TYPES as readonly string[]).includes(r.type)) continue;
    resources.push({ id: r.id, type: r.type as ResourceType, expireDate: r.expireDate, disabled: r.status === HUAWEI_STATUS_DISABLED });
  }
  return { count: parsed.data.count, resources };
}

/**
 * Reads every page of a listing, `SEARCH_PAGE_LIMIT` at a time, by offset. `fetchPage` returns undefined when a
 * page could not be read; then the whole listing is undefined (a partial listing must never be taken as "absent").
 * Pages are read before anything is changed, so the offsets do not shift under the reader.
 */
export async function readAllPages(fetchPage: (offset: number) => Promise<ListingPage | undefined>): Promise<ListedResource[] | undefined> {
  const all: ListedResource[] = [];
  for (let offset = 0; ; offset += SEARCH_PAGE_LIMIT) {
    const page = await fetchPage(offset);
    if (page === undefined) return undefined;
    all.push(...page.resources);
    if (offset + SEARCH_PAGE_LIMIT >= page.count) return all;
  }
}

/** Listed resources grouped by id. */
export function byId(resources: readonly ListedResource[]): Map<string, ListedResource[]> {
  return groupBy(resources, (r) => r.id);
}

/** The pages a listing of `count` resources takes (at least one: an empty listing is one call). */
export function pagesFor(count: number): number {
  return Math.max(1, Math.ceil(count / SEARCH_PAGE_LIMIT));
}
