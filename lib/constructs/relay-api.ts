import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { constructIdOf } from '../construct-id.js';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration, HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AuthorizationMode } from '../config.js';

/**
 * One JSON object per request. Only request metadata: never headers, query strings or bodies, which carry
 * callers' tokens, Authorization headers and login bodies (the passthrough routes carry logins). `path` is the
 * path without its query. `userArn` is the signing principal in IAM mode (empty otherwise).
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  userArn: '$context.identity.userArn',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
};

/** An HTTP route served by one function. */
export interface RelayRouteBinding {
  id: string;
  method: keyof typeof HttpMethod;
  path: string;
  handler: IFunction;
}

/** Huawei's other paths, each prefix's `{proxy+}` sent on to the same path at the origin. */
export interface PassthroughBinding {
  /** Huawei origin, e.g. `https://api.meeting.huaweicloud.com`. */
  origin: string;
  /** Path prefixes ending in `/`, e.g. `/v1/usg/`. */
  prefixes: readonly string[];
}

export interface RelayApiProps {
  routes: readonly RelayRouteBinding[];
  /** The registry read API's routes: always behind the IAM (SigV4) authorizer, whatever `authorizationMode` says. */
  operatorRoutes?: readonly RelayRouteBinding[];
  /** Absent: no passthrough routes (the `passthrough` context switch off). */
  passthrough?: PassthroughBinding;
  /** Answers every request no other route takes (`$default`), in Huawei's error shape. */
  defaultHandler: IFunction;
  authorizationMode: AuthorizationMode;
  throttle: { rateLimit: number; burstLimit: number };
  logRetention: RetentionDays;
}

/**
 * API Gateway HTTP API with the validated routes (one function each), one catch-all HTTP proxy route per Huawei
 * path prefix (API Gateway forwards to the origin itself: no function in the path) and a `$default` route whose
 * function answers everything else in Huawei's error shape. API Gateway picks the most specific route, so the
 * validated routes win over a prefix's `{proxy+}`. One `$default` stage: the API's URL is its root and paths
 * mirror Huawei's; its throttling covers every route.
 */
export class RelayApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogGroup: LogGroup;
  readonly routes: ReadonlyMap<string, HttpRoute>;
  /** Passthrough routes by prefix (empty with passthrough off). */
  readonly passthroughRoutes: ReadonlyMap<string, HttpRoute>;
  readonly defaultRoute: HttpRoute;
  /** The registry API's routes by id (IAM-authorized). */
  readonly operatorRoutes: ReadonlyMap<string, HttpRoute>;

  constructor(scope: Construct, id: string, props: RelayApiProps) {
    super(scope, id);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'meeting-relay: validates and relays Huawei Cloud Meeting VMR and enterprise-resource updates',
      createDefaultStage: false,
    });

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      // Per-route metrics (Resource, Method) for the dashboard.
      detailedMetricsEnabled: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const authorizer: IHttpRouteAuthorizer | undefined =
      props.authorizationMode === 'IAM' ? new HttpIamAuthorizer() : undefined;

    const routes = new Map<string, HttpRoute>();
    for (const route of props.routes) {
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.id}Integration`, route.handler),
        ...(authorizer ? { authorizer } : {}),
      });
      if (!httpRoute) throw new Error(`No route was created for ${route.method} ${route.path}`);
      if (!authorizer) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions::AwsSolutions-APIG4',
          reason:
            'Authorization mode NONE (the default): every request carries the caller\'s own Huawei X-Access-Token, which the relay checks for shape and Huawei verifies; the relay adds no credentials of its own to caller requests. Deployments whose callers are AWS principals set authorizationMode=IAM.',
        });
      }
      routes.set(route.id, httpRoute);
    }
    this.routes = routes;

    // Operators sign their calls with AWS credentials: the registry API never depends on the relay's mode.
    const operatorAuthorizer = authorizer ?? new HttpIamAuthorizer();
    const operatorRoutes = new Map<string, HttpRoute>();
    for (const route of props.operatorRoutes ?? []) {
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.id}Integration`, route.handler),
        authorizer: operatorAuthorizer,
      });
      if (!httpRoute) throw new Error(`No route was created for ${route.method} ${route.path}`);
      operatorRoutes.set(route.id, httpRoute);
    }
    this.operatorRoutes = operatorRoutes;

    const passthroughRoutes = new Map<string, HttpRoute>();
    for (const prefix of props.passthrough?.prefixes ?? []) {
      const origin = props.passthrough?.origin ?? '';
      const [httpRoute] = this.httpApi.addRoutes({
        path: `${prefix}{proxy+}`,
        methods: [HttpMethod.ANY],
        // `{proxy}` is the greedy path variable's value: the origin gets the very path the client sent.
        integration: new HttpUrlIntegration(`Passthrough${constructIdOf(prefix)}`, `${origin}${prefix}{proxy}`, { method: HttpMethod.ANY }),
        ...(authorizer ? { authorizer } : {}),
      });
      if (!httpRoute) throw new Error(`No passthrough route was created for ${prefix}`);
      if (!authorizer) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions::AwsSolutions-APIG4',
          reason:
            'Authorization mode NONE (the default): a passthrough route forwards the caller\'s request unchanged to Huawei, which authenticates it (login credentials or X-Access-Token); the relay adds no credentials and can reach only the configured Huawei origin. Deployments whose callers are AWS principals set authorizationMode=IAM.',
        });
      }
      passthroughRoutes.set(prefix, httpRoute);
    }
    this.passthroughRoutes = passthroughRoutes;

    this.defaultRoute = new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.httpApi,
      routeKey: HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration('NoRouteIntegration', props.defaultHandler),
      ...(authorizer ? { authorizer } : {}),
    });
    if (!authorizer) {
      Validations.of(this.defaultRoute).acknowledge({
        id: 'AwsSolutions::AwsSolutions-APIG4',
        reason:
          'Authorization mode NONE (the default): the $default route only answers 404 in Huawei\'s error shape for paths no other route takes; it reads nothing and calls nothing. Deployments whose callers are AWS principals set authorizationMode=IAM.',
      });
    }
  }
}
