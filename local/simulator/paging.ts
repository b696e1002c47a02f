import { queryInteger } from './validation.js';

/** Default page size of Huawei's USG list APIs (documented). */
export const DEFAULT_PAGE_LIMIT = 10;
/**
 * Largest `limit` accepted: Huawei documents none; 100 is our assumption (the same as its batch limit), so the
 * product never relies on larger pages. Marked assumed in docs/simulator.md.
 */
export const MAX_PAGE_LIMIT = 100;

export interface Page<T> {
  offset: number;
  limit: number;
  count: number;
  data: T[];
}

export interface PageRequest {
  offset: number;
  limit: number;
}

export function readPaging(query: Record<string, string>): PageRequest {
  return {
    offset: queryInteger(query, 'offset', { min: 0 }) ?? 0,
    limit: queryInteger(query, 'limit', { min: 1, max: MAX_PAGE_LIMIT }) ?? DEFAULT_PAGE_LIMIT,
  };
}

/** One page; an offset past the end gives the last page (documented), and `offset` reports where it starts. */
export function pageOf<T>(items: readonly T[], request: PageRequest): Page<T> {
  const count = items.length;
  let offset = request.offset;
  if (count > 0 && offset >= count) offset = Math.floor((count - 1) / request.limit) * request.limit;
  if (count === 0) offset = 0;
  return { offset, limit: request.limit, count, data: items.slice(offset, offset + request.limit) };
}
