import { Duration } from 'aws-cdk-lib';
import type { Rule } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import type { SyncMode } from '../../functions/sync/changed-corps.js';
import { ScheduledJob } from './scheduled-job.js';
import { functionMemoryMb } from './relay-function.js';
import type { SweeperProps } from './sweeper.js';

export const SYNC_MEMORY_MB = functionMemoryMb('sync');
/**
 * Lambda's maximum: a full pass over 100k resources takes minutes (see the README's performance section); the
 * sync stops starting enterprises 30 s before it and the next run continues.
 */
export const SYNC_TIMEOUT = Duration.minutes(15);

/** The event each schedule sends (functions/sync/changed-corps.ts `syncModeOf`). */
export const SYNC_EVENTS = {
  frequent: { mode: 'incremental' },
  daily: { mode: 'full' },
} as const satisfies Record<string, { mode: SyncMode }>;

export interface RegistrySyncProps extends SweeperProps {
  /** EventBridge schedule of the full pass (the frequent `schedule` runs incremental syncs). */
  fullSchedule: string;
}

/**
 * The sync: pages the SP's enterprises and their resources, adopts what the registry does not know, repairs
 * drift. Two schedules start it: the frequent one incremental (only enterprises Huawei's operation records show
 * changed), the daily one a full pass (every enterprise), the safety net. Reads the table and writes whole items
 * with conditional puts (no update, no delete, no index), reads the SP secret.
 */
export class RegistrySync extends ScheduledJob {
  /** The daily full pass's schedule (`rule` is the frequent, incremental one). */
  readonly fullPassRule: Rule;

  constructor(scope: Construct, id: string, props: RegistrySyncProps) {
    const { fullSchedule, ...jobProps } = props;
    super(scope, id, {
      ...jobProps,
      input: SYNC_EVENTS.frequent,
      description: 'meeting-relay sync: adopts every SP resource into the registry and repairs drift from Huawei',
      ruleDescription: 'Starts the meeting-relay registry sync (incremental: enterprises with operation records)',
      memorySize: SYNC_MEMORY_MB,
      timeout: SYNC_TIMEOUT,
      tableAccess: 'readPut',
      indexNames: [],
    });
    this.fullPassRule = this.addSchedule('FullPassSchedule', fullSchedule, 'Starts the meeting-relay registry sync (full pass: every enterprise)', SYNC_EVENTS.daily);
  }
}
