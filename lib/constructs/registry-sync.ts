import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ScheduledJob } from './scheduled-job.js';
import { functionMemoryMb } from './relay-function.js';
import type { SweeperProps } from './sweeper.js';

export const SYNC_MEMORY_MB = functionMemoryMb('sync');
/**
 * Lambda's maximum: a full pass over 100k resources takes minutes (see the README's performance section); the
 * sync stops starting enterprises 30 s before it and the next run continues.
 */
export const SYNC_TIMEOUT = Duration.minutes(15);

/**
 * The sync: pages the SP's enterprises and their resources, adopts what the registry does not know, repairs
 * drift. Reads the table and writes whole items with conditional puts (no update, no delete, no index), reads
 * the SP secret.
 */
export class RegistrySync extends ScheduledJob {
  constructor(scope: Construct, id: string, props: SweeperProps) {
    super(scope, id, {
      ...props,
      description: 'meeting-relay sync: adopts every SP resource into the registry and repairs drift from Huawei',
      ruleDescription: 'Starts the meeting-relay registry sync',
      memorySize: SYNC_MEMORY_MB,
      timeout: SYNC_TIMEOUT,
      tableAccess: 'readPut',
      indexNames: [],
    });
  }
}
