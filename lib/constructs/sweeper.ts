import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RegistryTable } from './registry-table.js';
import { RelayFunction, functionMemoryMb } from './relay-function.js';

/**
 * Asynchronous delivery limits. A sweep that fails or arrives late is not worth repeating: the next scheduled
 * sweep does the same work from the registry's current state, so retries would only stack overlapping runs.
 */
export const SWEEP_ASYNC = {
  /** Lambda's own retries after a failed run. */
  retryAttempts: 0,
  /** Events older than this are dropped (to the failure queue) instead of run late. */
  maxEventAge: Duration.minutes(2),
  /** EventBridge's retries when invoking Lambda itself fails (throttling, service errors). */
  targetRetryAttempts: 2,
} as const;

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

/**
 * The expiry sweeper: its function, the schedule that starts it, and the queue where runs that failed or could
 * not be delivered end up (alarmed on by RelayAlarms).
 */
export class Sweeper extends Construct {
  readonly function: RelayFunction;
  readonly failureQueue: Queue;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: SweeperProps) {
    super(scope, id);

    this.failureQueue = new Queue(this, 'FailureQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        'This queue is itself the terminal failure destination of the sweeper (Lambda on-failure destination and EventBridge target DLQ); operators inspect it, nothing consumes it, so a further DLQ would never receive anything.',
    });

    this.function = new RelayFunction(this, 'Function', {
      entry: props.entry,
      handlerExport: props.handlerExport,
      description: 'meeting-relay expiry sweeper: disables registered resources past their expireDate',
      serviceName: props.serviceName,
      memorySize: SWEEPER_MEMORY_MB,
      timeout: SWEEPER_TIMEOUT,
      logRetention: props.logRetention,
      environment: props.environment,
      retryAttempts: SWEEP_ASYNC.retryAttempts,
      maxEventAge: SWEEP_ASYNC.maxEventAge,
      onFailure: new SqsDestination(this.failureQueue),
    });
    this.function.bindTable({ table: props.table, access: 'readWrite', indexNames: [props.table.dueIndexName] });
    this.function.bindSecret(props.secret);

    this.rule = new Rule(this, 'Schedule', {
      description: 'Starts the meeting-relay expiry sweeper',
      schedule: Schedule.expression(props.schedule),
      targets: [
        new LambdaFunction(this.function, {
          retryAttempts: SWEEP_ASYNC.targetRetryAttempts,
          maxEventAge: SWEEP_ASYNC.maxEventAge,
          deadLetterQueue: this.failureQueue,
        }),
      ],
    });
  }
}
