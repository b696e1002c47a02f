/**
 * Query parameters of the registry read API (zod mini, like the relay's bodies; the OpenAPI document is built
 * from these same schemas). Strict: an unknown parameter is refused, so a typo such as `stauts` is reported.
 */
import * as z from 'zod/mini';
import { RESOURCE_TYPES } from '../shared/huawei/schemas.js';
import { EXPIRE_DATE_MAX_MS, EXPIRE_DATE_MIN_MS } from '../shared/limits.js';
import { ITEM_STATUSES } from '../shared/registry/state.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;
/** The widest expiry window one call may ask for: its reads grow with the window. */
export const MAX_WINDOW_DAYS = 31;
export const DEFAULT_WINDOW_DAYS = 7;
/** The most entries one window answer holds; past it the answer says where to continue. */
export const MAX_WINDOW_ENTRIES = 1000;

/** A cursor is an opaque base64url token the previous page returned. */
const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,400}$/;

function integerParam(min: number, max: number, rule: string) {
  return z.coerce.number({ error: rule }).check(z.int({ error: rule }), z.minimum(min, { error: rule }), z.maximum(max, { error: rule }));
}

export const corpResourcesQuerySchema = z.strictObject(
  {
    status: z.optional(z.enum(ITEM_STATUSES, { error: `must be one of ${ITEM_STATUSES.join(', ')}` })),
    limit: z.optional(integerParam(1, MAX_PAGE_SIZE, `must be an integer from 1 to ${MAX_PAGE_SIZE}`)),
    cursor: z.optional(z.string().check(z.regex(CURSOR_PATTERN, { error: 'must be the nextCursor of a previous page' }))),
  },
  { error: 'unknown query parameter' },
);

const EPOCH_RULE = 'must be an epoch timestamp in milliseconds (an integer of 13 digits)';

export const expiringQuerySchema = z.strictObject({
  from: z.optional(integerParam(EXPIRE_DATE_MIN_MS, EXPIRE_DATE_MAX_MS, EPOCH_RULE)),
  days: z.optional(integerParam(1, MAX_WINDOW_DAYS, `must be an integer from 1 to ${MAX_WINDOW_DAYS}`)),
});

export const historyQuerySchema = z.strictObject({
  type: z.optional(z.enum(RESOURCE_TYPES, { error: `must be one of ${RESOURCE_TYPES.join(', ')}` })),
});

export type CorpResourcesQuery = z.infer<typeof corpResourcesQuerySchema>;
export type ExpiringQuery = z.infer<typeof expiringQuerySchema>;
export type HistoryQuery = z.infer<typeof historyQuerySchema>;
