/**
 * The shape of a stored resource item, parsed on every read so that a malformed item fails loudly instead of
 * steering a sweep. Never holds a token or any other secret.
 */
import { z } from 'zod';
import { RESOURCE_TYPES } from '../huawei/schemas.js';
import type { ResourceType } from '../huawei/schemas.js';

export type DisabledReason = 'expired' | 'manual';

export const upstreamErrorSchema = z.object({ errorCode: z.string(), errorMsg: z.string() });
export type UpstreamError = z.infer<typeof upstreamErrorSchema>;

export const registryItemSchema = z.object({
  pk: z.string(),
  sk: z.string(),
  corpId: z.string(),
  resourceId: z.string(),
  type: z.enum(RESOURCE_TYPES).optional(),
  expireDate: z.number().int().optional(),
  disabled: z.boolean(),
  disabledReason: z.enum(['expired', 'manual']).optional(),
  disabledAt: z.number().int().optional(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  lastRequestId: z.string().optional(),
  rejections: z.number().int().nonnegative(),
  lastError: upstreamErrorSchema.optional(),
  failedAt: z.number().int().optional(),
  version: z.number().int().nonnegative(),
  reenablePendingSince: z.number().int().optional(),
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
  expireDate: true,
  version: true,
  rejections: true,
  claimedBy: true,
  claimExpiresAt: true,
  reenablePendingSince: true,
  dueShard: true,
  dueAt: true,
});

export type DueEntry = z.infer<typeof dueEntrySchema>;

export type ItemState = 'active' | 'disabled-expired' | 'disabled-manual' | 'failed';

export function itemState(item: Pick<RegistryItem, 'disabled' | 'disabledReason' | 'failedAt'>): ItemState {
  if (item.disabled) return item.disabledReason === 'manual' ? 'disabled-manual' : 'disabled-expired';
  if (item.failedAt !== undefined) return 'failed';
  return 'active';
}

/** Active with an expiry at or before `now`: what the sweeper must disable. */
export function isDue(item: Pick<RegistryItem, 'disabled' | 'disabledReason' | 'failedAt' | 'expireDate'>, now: number): boolean {
  return itemState(item) === 'active' && item.expireDate !== undefined && item.expireDate <= now;
}

/** The item belongs in the due index: it may become due later, or it waits for a re-enable. */
export function belongsInDueIndex(
  item: Pick<RegistryItem, 'disabled' | 'failedAt' | 'expireDate' | 'reenablePendingSince'>,
): boolean {
  return !item.disabled && item.failedAt === undefined && (item.expireDate !== undefined || item.reenablePendingSince !== undefined);
}

/** The index sort key: when the sweeper must act on the item. */
export function dueAtOf(item: Pick<RegistryItem, 'expireDate' | 'reenablePendingSince'>): number | undefined {
  return item.reenablePendingSince ?? item.expireDate;
}

/**
 * Whether Huawei should currently have the resource disabled, as far as the registry knows; undefined for a
 * failed item, whose upstream state the sweeper could not set.
 */
export function shouldBeDisabled(
  item: Pick<RegistryItem, 'disabled' | 'disabledReason' | 'failedAt' | 'expireDate'>,
  now: number,
): boolean | undefined {
  if (item.disabled) return true;
  if (item.failedAt !== undefined) return undefined;
  return isDue(item, now);
}

export interface ResourceRef {
  corpId: string;
  resourceId: string;
  type?: ResourceType | undefined;
}

export function describeRef(ref: ResourceRef): string {
  return `${ref.corpId}/${ref.resourceId}/${ref.type ?? '*'}`;
}
