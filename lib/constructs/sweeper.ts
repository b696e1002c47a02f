import { Duration } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { RegistryTable } from './registry-table.js';
import { functionMemoryMb } from './relay-function.js';
import { SCHEDULED_ASYNC, ScheduledJob } from './scheduled-job.js';

/** The sweeper's asynchronous delivery limits (those of every scheduled registry job). */
export const SWEEP_ASYNC = SCHEDULED_ASYNC;

export const SWEEPER_MEMORY_MB = functionMemoryMb('sweeper');
/** Long enough for a large expiry wave in batches of 100; the sweeper's lease keeps runs from overlapping. */
export const SWEEPER_TIMEOUT = Duration.minutes(5);

export interface SweeperProps {
  entry: string;
  handlerExport: string;
  serviceName: string;
  /** EventBridge schedule expression, e.g. "rate(1 minute)". */
  schedule: string;
  logRetention: RetentionDays;
  environment: Record<string, string>;
  table: RegistryTable;
  secret: ISecret;
}

/** The expiry sweeper: queries the due index, disables what Huawei confirms expired. */
export class Sweeper extends ScheduledJob {
  constructor(scope: Construct, id: string, props: SweeperProps) {
    super(scope, id, {
      ...props,
      description: 'meeting-relay expiry sweeper: disables registered resources past their expireDate',
      ruleDescription: 'Starts the meeting-relay expiry sweeper',
      memorySize: SWEEPER_MEMORY_MB,
      timeout: SWEEPER_TIMEOUT,
      tableAccess: 'readWrite',
      indexNames: [props.table.dueIndexName],
    });
  }
}
