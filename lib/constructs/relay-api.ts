import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  type HttpRoute,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AuthorizationMode } from '../config.js';

/**
 * One JSON object per request. Only request metadata: never headers or bodies, which carry callers' tokens.
 * `userArn` is the signing principal in IAM mode (empty otherwise).
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

export interface RelayApiProps {
  routes: readonly RelayRouteBinding[];
  authorizationMode: AuthorizationMode;
  throttle: { rateLimit: number; burstLimit: number };
  logRetention: RetentionDays;
}

/**
 * API Gateway HTTP API with exactly the given routes and no default route, so any other method or path gets
 * API Gateway's own 404. One `$default` stage: the API's URL is its root and paths mirror Huawei's.
 */
export class RelayApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogGroup: LogGroup;
  readonly routes: ReadonlyMap<string, HttpRoute>;

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
  }
}
