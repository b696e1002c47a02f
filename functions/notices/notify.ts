/**
 * Expiry notices: every active resource whose expiry falls within the next `noticeDays` is announced once per
 * resource and expiry date, as one event per enterprise per run. A renewal moves the expiry, so the new date gets
 * its own notice; a disabled or gone resource is not in the due index's expiry range and gets none.
 *
 * Exactly once per (resource, expiry): before publishing, the run claims a marker item per notice with a
 * conditional put (`attribute_not_exists`), so overlapping runs cannot both announce it. If publishing then
 * fails, the run deletes its claims so the next run announces them (a crash in between loses those notices:
 * at most once, by choice: a duplicate e-mail is worse than a missed one the registry API still shows).
 *
 * Events carry ids, types and dates only: never a token, a secret or an SP credential.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { RegistryUnavailableError } from '../shared/registry/errors.js';
import type { RegistryStore } from '../shared/registry/store.js';
import { KEY_PREFIX } from '../shared/registry/table.js';

export const NOTICE_SOURCE = 'meeting-relay';
export const NOTICE_DETAIL_TYPE = 'Resources expiring';
const DAY_MS = 86_400_000;
/** Markers outlive their expiry date by this much, then the table's TTL removes them. */
const MARKER_RETENTION_MS = 30 * DAY_MS;

export interface ExpiringResource {
  resourceId: string;
  type?: string;
  expireDate: number;
}

/** The detail of one event: one enterprise's newly announced expiries. */
export interface ExpiryNotice {
  corpId: string;
  noticeDays: number;
  resources: ExpiringResource[];
}

export interface NoticePublisher {
  publish(notices: readonly ExpiryNotice[]): Promise<void>;
}

export interface NoticeDeps {
  store: RegistryStore;
  documentClient: DynamoDBDocumentClient;
  publisher: NoticePublisher;
  noticeDays: number;
  now: number;
}

export interface NoticeReport {
  /** Active resources expiring in the window (due-index entries read: `itemsRead`). */
  expiring: number;
  itemsRead: number;
  /** Newly announced (resource, expiry) pairs, and the events that carried them. */
  noticesSent: number;
  events: number;
}

export function noticeMarkerKey(corpId: string, resource: ExpiringResource): { pk: string; sk: string } {
  return { pk: `${KEY_PREFIX.notice}${corpId}`, sk: `${resource.resourceId}#${resource.type ?? KEY_PREFIX.anyType}#${resource.expireDate}` };
}

export async function sendExpiryNotices(deps: NoticeDeps): Promise<NoticeReport> {
  const to = deps.now + deps.noticeDays * DAY_MS;
  const { entries, itemsRead } = await deps.store.queryDueWindow(deps.now, to);
  const expiring = entries.filter(
    (entry) =>
      entry.status === 'active' &&
      entry.reenableOwedSince === undefined &&
      entry.expireDate !== undefined &&
      entry.expireDate >= deps.now &&
      entry.expireDate < to,
  );
  const claimed = new Map<string, ExpiringResource[]>();
  for (const entry of expiring) {
    const resource: ExpiringResource = { resourceId: entry.resourceId, expireDate: entry.expireDate ?? 0 };
    if (entry.type !== undefined) resource.type = entry.type;
    if (await claimMarker(deps, entry.corpId, resource)) claimed.set(entry.corpId, [...(claimed.get(entry.corpId) ?? []), resource]);
  }
  const notices: ExpiryNotice[] = [...claimed].map(([corpId, resources]) => ({ corpId, noticeDays: deps.noticeDays, resources }));
  if (notices.length) {
    try {
      await deps.publisher.publish(notices);
    } catch (error) {
      for (const notice of notices) for (const resource of notice.resources) await releaseMarker(deps, notice.corpId, resource);
      throw error;
    }
  }
  return {
    expiring: expiring.length,
    itemsRead,
    noticesSent: notices.reduce((sum, notice) => sum + notice.resources.length, 0),
    events: notices.length,
  };
}

async function claimMarker(deps: NoticeDeps, corpId: string, resource: ExpiringResource): Promise<boolean> {
  try {
    await deps.documentClient.send(
      new PutCommand({
        TableName: deps.store.tableName,
        Item: { ...noticeMarkerKey(corpId, resource), noticedAt: deps.now, purgeAt: Math.floor((resource.expireDate + MARKER_RETENTION_MS) / 1000) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw new RegistryUnavailableError('PutItem (notice marker)', { cause: error });
  }
}

async function releaseMarker(deps: NoticeDeps, corpId: string, resource: ExpiringResource): Promise<void> {
  await deps.documentClient.send(new DeleteCommand({ TableName: deps.store.tableName, Key: noticeMarkerKey(corpId, resource) }));
}

