import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Evaluation window of every alarm. */
export const ALARM_PERIOD = Duration.minutes(5);

/** Relay 5xx answers, in percent of requests, above which the relay alarm fires (in 2 of 3 windows). */
export const RELAY_5XX_PERCENT_THRESHOLD = 5;

export interface RelayAlarmsProps {
  sweeper: IFunction;
  sync: IFunction;
  /** Where failed or undeliverable sync runs end up. */
  syncFailureQueue: IQueue;
  /** Count of registry items the sweeper marked failed (gave up disabling). */
  failedItemsMetric: IMetric;
  httpApi: HttpApi;
  failureQueue: IQueue;
  /** When set, alarms notify this address through an encrypted SNS topic. */
  alarmEmail: string | undefined;
}

/**
 * The conditions an operator must hear about: the sweeper erroring, resources the sweeper gave up on, the
 * relay answering 5xx, sweeps that landed in the failure queue, and the sync erroring or landing in its own. Without an e-mail the alarms still exist
 * (console, CLI); with one they notify it.
 */
export class RelayAlarms extends Construct {
  readonly sweeperErrors: Alarm;
  readonly failedItems: Alarm;
  readonly relay5xxRate: Alarm;
  readonly failureQueueDepth: Alarm;
  readonly syncErrors: Alarm;
  readonly syncFailureQueueDepth: Alarm;
  readonly topic: Topic | undefined;

  constructor(scope: Construct, id: string, props: RelayAlarmsProps) {
    super(scope, id);

    this.sweeperErrors = new Alarm(this, 'SweeperErrors', {
      alarmDescription: 'The meeting-relay sweeper failed at least one run (Lambda Errors). See its log group.',
      metric: props.sweeper.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      ...anyOccurrence(),
    });

    this.failedItems = new Alarm(this, 'FailedItems', {
      alarmDescription:
        'The sweeper marked registry resources failed: Huawei kept rejecting their disable. They stay enabled until fixed by hand.',
      metric: props.failedItemsMetric,
      ...anyOccurrence(),
    });

    const requests = props.httpApi.metricCount({ period: ALARM_PERIOD, statistic: 'Sum' });
    const serverErrors = props.httpApi.metricServerError({ period: ALARM_PERIOD, statistic: 'Sum' });
    this.relay5xxRate = new Alarm(this, 'Relay5xxRate', {
      alarmDescription: `More than ${RELAY_5XX_PERCENT_THRESHOLD}% of relay requests answered 5xx in 2 of the last 3 five-minute windows.`,
      metric: new MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: { requests, errors: serverErrors },
        label: 'Relay 5xx (% of requests)',
        period: ALARM_PERIOD,
      }),
      threshold: RELAY_5XX_PERCENT_THRESHOLD,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.failureQueueDepth = new Alarm(this, 'FailureQueueDepth', {
      alarmDescription:
        'Sweeper runs failed or could not be delivered and are waiting in the failure queue. Inspect, then purge the queue.',
      metric: props.failureQueue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }),
      ...anyOccurrence(),
    });

    this.syncErrors = new Alarm(this, 'SyncErrors', {
      alarmDescription: 'The meeting-relay sync failed at least one run (Lambda Errors): new resources are not adopted, drift is not repaired. See its log group.',
      metric: props.sync.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
      ...anyOccurrence(),
    });

    this.syncFailureQueueDepth = new Alarm(this, 'SyncFailureQueueDepth', {
      alarmDescription: 'Sync runs failed or could not be delivered and are waiting in the sync failure queue. Inspect, then purge the queue.',
      metric: props.syncFailureQueue.metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' }),
      ...anyOccurrence(),
    });

    this.topic = props.alarmEmail === undefined ? undefined : this.notificationTopic(props.alarmEmail);
    if (this.topic) {
      const action = new SnsAction(this.topic);
      for (const alarm of [this.sweeperErrors, this.failedItems, this.relay5xxRate, this.failureQueueDepth, this.syncErrors, this.syncFailureQueueDepth]) {
        alarm.addAlarmAction(action);
      }
    }
  }

  /**
   * An SNS topic encrypted with its own key. CloudWatch cannot publish to a topic encrypted with the AWS-managed
   * SNS key, so a customer-managed key (about 1 USD a month, only when an e-mail is configured) is the only way to
   * encrypt it; its policy lets CloudWatch use it.
   */
  private notificationTopic(email: string): Topic {
    const key = new Key(this, 'TopicKey', {
      description: 'meeting-relay: encrypts the alarm notification topic',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    const topic = new Topic(this, 'Topic', {
      displayName: 'meeting-relay alarms',
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    topic.addSubscription(new EmailSubscription(email));
    return topic;
  }
}

/** Fires on any occurrence in one window; no data means nothing happened. */
function anyOccurrence() {
  return {
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  } as const;
}
