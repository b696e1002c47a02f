import { Duration } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env.js';
import type { RegistryTable } from './registry-table.js';
import { functionMemoryMb } from './relay-function.js';
import { ScheduledJob } from './scheduled-job.js';

/**
 * Hourly: notices are days ahead, so an hour's granularity is plenty, and each run costs a Query per due-index
 * shard over the notice window plus one conditional put per newly announced resource.
 */
export const NOTICE_SCHEDULE = 'rate(1 hour)';
export const NOTICES_TIMEOUT = Duration.minutes(5);

export interface ExpiryNoticesProps {
  entry: string;
  handlerExport: string;
  serviceName: string;
  logRetention: RetentionDays;
  environment: Record<string, string>;
  table: RegistryTable;
  expiryNoticeDays: number;
}

/**
 * The expiry notices: their own scheduled job (not the sweep or the sync: the sweep runs every minute and must
 * stay small, the sync needs the SP secret and writes only whole resource items; this job needs neither Huawei
 * nor the secret), reading the due index and writing its markers, and the EventBridge bus it publishes to.
 */
export class ExpiryNotices extends ScheduledJob {
  readonly bus: EventBus;

  constructor(scope: Construct, id: string, props: ExpiryNoticesProps) {
    const bus = new EventBus(scope, `${id}Bus`, { description: 'meeting-relay expiry notices (one event per enterprise per run)' });
    super(scope, id, {
      ...props,
      environment: { ...props.environment, [ENV.noticeBusName]: bus.eventBusName, [ENV.expiryNoticeDays]: String(props.expiryNoticeDays) },
      description: 'meeting-relay expiry notices: announces resources expiring soon, once per resource and expiry date',
      ruleDescription: 'Starts the meeting-relay expiry notices',
      memorySize: functionMemoryMb('notices'),
      timeout: NOTICES_TIMEOUT,
      schedule: NOTICE_SCHEDULE,
      tableAccess: 'readWrite',
      indexNames: [props.table.dueIndexName],
    });
    this.bus = bus;
    bus.grantPutEventsTo(this.function);
  }
}
