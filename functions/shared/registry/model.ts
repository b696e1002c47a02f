/**
 * The shape of a stored resource item, parsed on every read so that a malformed item fails loudly instead of
 * steering a sweep. Never holds a token or any other secret.
 */
import { z } from 'zod';
import { RESOURCE_TYPES } from '../huawei/schemas.js';
import type { ResourceType } from '../huawei/schemas.js';
import { ITEM_STATUSES } from './state.js';

export const upstreamErrorSchema = z.object({ errorCode: z.string(), errorMsg: z.string() });
export type UpstreamError = z.infer<typeof upstreamErrorSchema>;

export const registryItemSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  corpId: z.string(),
  resourceId: z.string(),
  type: z.enum(RESOURCE_TYPES).optional(),
  /** See state.ts for the meaning of each status and flag. */
  status: z.enum(ITEM_STATUSES),
  expireDate: z.number().int().optional(),
  disabledAt: z.number().int().optional(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  lastRequestId: z.string().optional(),
  rejections: z.number().int().nonnegative(),
  lastError: upstreamErrorSchema.optional(),
  failedAt: z.number().int().optional(),
  goneAt: z.number().int().optional(),
  /** Set when the item was first recorded by a sync (adopted from Huawei) rather than the relay. */
  adoptedAt: z.number().int().optional(),
  version: z.number().int().nonnegative(),
  reenableOwedSince: z.number().int().optional(),
  inDoubtSince: z.number().int().optional(),
  claimedBy: z.string().optional(),
  claimExpiresAt: z.number().int().optional(),
  dueShard: z.string().optional(),
  dueAt: z.number().int().optional(),
});

export type RegistryItem = z.infer<typeof registryItemSchema>;

/** What the due index projects: enough to claim an item and put it into a batch. */
export const dueEntrySchema = registryItemSchema.pick({
  pk: true,
  sk: true,
  corpId: true,
  resourceId: true,
  type: true,
  status: true,
  expireDate: true,
  version: true,
  rejections: true,
  claimedBy: true,
  claimExpiresAt: true,
  reenableOwedSince: true,
  inDoubtSince: true,
  dueShard: true,
  dueAt: true,
});

export type DueEntry = z.infer<typeof dueEntrySchema>;

export { dueAtOf, isDue, mayBeDisabledByUs, shouldBeDisabled } from './state.js';
export type { ItemStatus } from './state.js';

export interface ResourceRef {
  corpId: string;
  resourceId: string;
  type?: ResourceType | undefined;
}

export function describeRef(ref: ResourceRef): string {
  return `${ref.corpId}/${ref.resourceId}/${ref.type ?? '*'}`;
}
