import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RegistryTable } from './registry-table.js';
import { RelayFunction } from './relay-function.js';
import type { TableAccess } from './relay-function.js';

/**
 * Asynchronous delivery limits of a scheduled registry job. A run that fails or arrives late is not worth
 * repeating: the next scheduled run does the same work from the current state, so retries would only stack
 * overlapping runs.
 */
export const SCHEDULED_ASYNC = {
  /** Lambda's own retries after a failed run. */
  retryAttempts: 0,
  /** Events older than this are dropped (to the failure queue) instead of run late. */
  maxEventAge: Duration.minutes(2),
  /** EventBridge's retries when invoking Lambda itself fails (throttling, service errors). */
  targetRetryAttempts: 2,
} as const;

export interface ScheduledJobProps {
  entry: string;
  handlerExport: string;
  serviceName: string;
  /** Function description (and the schedule's, prefixed "Starts"). */
  description: string;
  ruleDescription: string;
  memorySize: number;
  timeout: Duration;
  /** EventBridge schedule expression, e.g. "rate(1 minute)". */
  schedule: string;
  /** The event the schedule sends (default: EventBridge's scheduled event). */
  input?: Readonly<Record<string, unknown>>;
  logRetention: RetentionDays;
  environment: Record<string, string>;
  table: RegistryTable;
  /** What the job may do on the registry table. */
  tableAccess: TableAccess;
  /** Registry indexes the job queries (least privilege: none unless listed). */
  indexNames: readonly string[];
  /** The SP credentials, for jobs that call Huawei (not the notices). */
  secret?: ISecret;
}

/**
 * A scheduled job over the registry and the SP API (the sweeper, the sync): its function (reads the SP secret,
 * reads and writes the table as `tableAccess` allows), the schedule that starts it, and the queue where runs that failed or could not be
 * delivered end up (alarmed on by RelayAlarms).
 */
export class ScheduledJob extends Construct {
  readonly function: RelayFunction;
  readonly failureQueue: Queue;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);

    this.failureQueue = new Queue(this, 'FailureQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: `This queue is itself the terminal failure destination of the ${props.serviceName} job (Lambda on-failure destination and EventBridge target DLQ); operators inspect it, nothing consumes it, so a further DLQ would never receive anything.`,
    });

    this.function = new RelayFunction(this, 'Function', {
      entry: props.entry,
      handlerExport: props.handlerExport,
      description: props.description,
      serviceName: props.serviceName,
      memorySize: props.memorySize,
      timeout: props.timeout,
      logRetention: props.logRetention,
      environment: props.environment,
      retryAttempts: SCHEDULED_ASYNC.retryAttempts,
      maxEventAge: SCHEDULED_ASYNC.maxEventAge,
      onFailure: new SqsDestination(this.failureQueue),
    });
    this.function.bindTable({ table: props.table, access: props.tableAccess, indexNames: [...props.indexNames] });
    if (props.secret) this.function.bindSecret(props.secret);

    this.rule = this.addSchedule('Schedule', props.schedule, props.ruleDescription, props.input);
  }

  /** Another schedule starting the same function (same delivery limits and failure queue), with its own event. */
  addSchedule(id: string, schedule: string, description: string, input?: Readonly<Record<string, unknown>>): Rule {
    return new Rule(this, id, {
      description,
      schedule: Schedule.expression(schedule),
      targets: [
        new LambdaFunction(this.function, {
          ...(input === undefined ? {} : { event: RuleTargetInput.fromObject(input) }),
          retryAttempts: SCHEDULED_ASYNC.targetRetryAttempts,
          maxEventAge: SCHEDULED_ASYNC.maxEventAge,
          deadLetterQueue: this.failureQueue,
        }),
      ],
    });
  }
}
