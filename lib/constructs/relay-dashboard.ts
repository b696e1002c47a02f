import { Duration } from 'aws-cdk-lib';
import { AlarmStatusWidget, Dashboard, GraphWidget, Metric, TextWidget, type IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../functions/shared/service-identity.js';

export const DASHBOARD_PERIOD = Duration.minutes(5);

/** The sweep report fields the dashboard graphs (each published as a metric of that name, report.ts). */
export const SWEEP_DASHBOARD_METRICS = ['due', 'disabled', 'failed', 'spCalls'] as const;
export const SYNC_DASHBOARD_METRICS = ['adopted', 'repaired'] as const;

export interface RelayDashboardProps {
  httpApi: HttpApi;
  /** Route paths with their method, graphed per route (API Gateway's detailed metrics: Resource and Method). */
  routes: ReadonlyArray<{ method: string; path: string }>;
  sweeperService: string;
  syncService: string;
  noticesService: string;
  noticesSentMetric: string;
  alarms: readonly IAlarm[];
}

/**
 * One CloudWatch dashboard: relay requests, 4xx, 5xx and latency per route; the sweep's due, disabled, failed,
 * lateness and SP calls; the sync's adopted and repaired; notices sent; and the state of every alarm.
 */
export class RelayDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: RelayDashboardProps) {
    super(scope, id);
    const apiMetric = (metricName: string, route: { method: string; path: string }, statistic: string) =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiId: props.httpApi.apiId, Stage: '$default', Resource: route.path, Method: route.method },
        statistic,
        period: DASHBOARD_PERIOD,
        label: `${route.method} ${route.path}`,
      });
    const serviceMetric = (service: string, metricName: string, statistic = 'Sum') =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service }, statistic, period: DASHBOARD_PERIOD, label: metricName });

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) });
    this.dashboard.addWidgets(new TextWidget({ markdown: '# meeting-relay\nRelay routes, sweep, sync, expiry notices and alarms.', width: 24, height: 2 }));
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Relay requests per route', left: props.routes.map((r) => apiMetric('Count', r, 'Sum')), width: 12 }),
      new GraphWidget({ title: 'Relay latency p99 per route (ms)', left: props.routes.map((r) => apiMetric('Latency', r, 'p99')), width: 12 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Relay 4xx per route', left: props.routes.map((r) => apiMetric('4xx', r, 'Sum')), width: 12 }),
      new GraphWidget({ title: 'Relay 5xx per route', left: props.routes.map((r) => apiMetric('5xx', r, 'Sum')), width: 12 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Sweep: due, disabled, failed, SP calls', left: SWEEP_DASHBOARD_METRICS.map((m) => serviceMetric(props.sweeperService, m)), width: 8 }),
      new GraphWidget({ title: 'Sweep lateness (oldest due item, ms)', left: [serviceMetric(props.sweeperService, 'oldestLatenessMs', 'Maximum')], width: 8 }),
      new GraphWidget({
        title: 'Sync adopted and repaired; notices sent',
        left: SYNC_DASHBOARD_METRICS.map((m) => serviceMetric(props.syncService, m)),
        right: [serviceMetric(props.noticesService, props.noticesSentMetric)],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24 }));
  }
}
