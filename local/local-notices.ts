/**
 * Expiry notices in the local runtime: the same `sendExpiryNotices` as the deployed job, with a publisher that
 * prints each event and keeps it for `GET /_local/events` (instead of EventBridge). Runs at start and on
 * `POST /_local/notices`.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NOTICE_DETAIL_TYPE, NOTICE_SOURCE, sendExpiryNotices } from '../functions/notices/notify.js';
import type { ExpiryNotice, NoticePublisher, NoticeReport } from '../functions/notices/notify.js';
import type { RegistryStore } from '../functions/shared/registry/store.js';
import type { LocalRoute } from './gateway/index.js';
import { jsonResult } from './job-routes.js';
import { LOCAL_EVENTS_PATH, LOCAL_NOTICES_PATH } from './settings.js';

/** An event as EventBridge would carry it (the fields a rule matches on). */
export interface LocalEvent {
  source: string;
  'detail-type': string;
  time: string;
  detail: ExpiryNotice;
}

export class LocalNotices implements NoticePublisher {
  readonly events: LocalEvent[] = [];

  constructor(
    private readonly deps: { store: RegistryStore; documentClient: DynamoDBDocumentClient; noticeDays: number; log: (line: string) => void },
  ) {}

  async publish(notices: readonly ExpiryNotice[]): Promise<void> {
    for (const notice of notices) {
      const event: LocalEvent = { source: NOTICE_SOURCE, 'detail-type': NOTICE_DETAIL_TYPE, time: new Date().toISOString(), detail: notice };
      this.events.push(event);
      this.deps.log(`[notices] ${notice.corpId}: ${notice.resources.length} resource(s) expire within ${notice.noticeDays} days ${JSON.stringify(notice.resources)}`);
    }
  }

  runNow(now = Date.now()): Promise<NoticeReport> {
    return sendExpiryNotices({ store: this.deps.store, documentClient: this.deps.documentClient, publisher: this, noticeDays: this.deps.noticeDays, now });
  }

  routes(): LocalRoute[] {
    return [
      { id: 'local-notices', method: 'POST', path: LOCAL_NOTICES_PATH, handler: async () => jsonResult(200, await this.runNow()) },
      { id: 'local-events', method: 'GET', path: LOCAL_EVENTS_PATH, handler: async () => jsonResult(200, this.events) },
    ];
  }
}
