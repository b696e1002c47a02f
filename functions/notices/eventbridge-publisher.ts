/** Publishes expiry notices to the stack's EventBridge bus: one PutEvents entry per enterprise, 10 per call. */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { ExpiryNotice, NoticePublisher } from './notify.js';
import { NOTICE_DETAIL_TYPE, NOTICE_SOURCE } from './notify.js';

const PUT_EVENTS_MAX_ENTRIES = 10;

export class EventBridgePublisher implements NoticePublisher {
  constructor(
    private readonly busName: string,
    private readonly client = new EventBridgeClient({}),
  ) {}

  async publish(notices: readonly ExpiryNotice[]): Promise<void> {
    for (let start = 0; start < notices.length; start += PUT_EVENTS_MAX_ENTRIES) {
      const batch = notices.slice(start, start + PUT_EVENTS_MAX_ENTRIES);
      const output = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((notice) => ({
            EventBusName: this.busName,
            Source: NOTICE_SOURCE,
            DetailType: NOTICE_DETAIL_TYPE,
            Detail: JSON.stringify(notice),
          })),
        }),
      );
      if ((output.FailedEntryCount ?? 0) > 0) throw new Error(`EventBridge refused ${output.FailedEntryCount} notice events`);
    }
  }
}
