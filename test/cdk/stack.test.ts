import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpCredentialsSchema } from '../../functions/shared/auth/credentials.js';
import { ENV } from '../../functions/shared/env.js';
import { REGISTRY_TABLE } from '../../functions/shared/registry/table.js';
import { METRICS_NAMESPACE } from '../../functions/shared/service-identity.js';
import {
  HTTP_ROUTES,
  MODIFY_RESOURCES_ROUTE,
  MODIFY_VMR_ROUTE,
  NO_ROUTE,
  PASSTHROUGH_PREFIXES,
  REGISTRY_ROUTES,
  passthroughRoutePath,
  routeKey,
} from '../../functions/shared/routes.js';
import { FUNCTION_NODE_OPTIONS, LAMBDA_RUNTIME } from '../../lib/bundling.js';
import { NOTICE_SCHEDULE } from '../../lib/constructs/expiry-notices.js';
import { FUNCTION_MEMORY_MB, TABLE_ACTIONS } from '../../lib/constructs/relay-function.js';
import { PLACEHOLDER_APP_ID } from '../../lib/constructs/sp-credentials-secret.js';
import {
  ROUTE_NEEDS,
  SWEEPER_FAILED_METRIC,
  SWEEPER_SERVICE_NAME,
} from '../../lib/meeting-relay-stack.js';
import { PROJECT_ROOT } from '../../lib/paths.js';
import {
  logicalId,
  onlyResourceOfType,
  removeSynthOutputs,
  resourcesOfType,
  roleOfFunction,
  statementsOfRole,
  synthMeetingRelay,
  type NormalisedStatement,
  type Synthesized,
} from './synth-helpers.js';

const IMPORTED_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:meeting-relay/sp-AbC123';

/** The only wildcard resource any function may hold: X-Ray's write actions have no resource-level scope. */
const ALLOWED_WILDCARD_ACTIONS = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

let defaults: Synthesized;

beforeAll(() => {
  defaults = synthMeetingRelay();
});

afterAll(() => {
  removeSynthOutputs();
});

/** Logical ids of the three functions in a synthesized stack. */
function functionIds(synth: Synthesized) {
  const vmr = synth.stack.routeFunctions.get(MODIFY_VMR_ROUTE.id);
  const resources = synth.stack.routeFunctions.get(MODIFY_RESOURCES_ROUTE.id);
  if (!vmr || !resources) throw new Error('route functions missing');
  return {
    vmr: logicalId(synth.stack, vmr),
    resources: logicalId(synth.stack, resources),
    sweeper: logicalId(synth.stack, synth.stack.sweeper.function),
    sync: logicalId(synth.stack, synth.stack.sync.function),
  };
}

function environmentOf(synth: Synthesized, functionId: string): Record<string, unknown> {
  return synth.json.Resources[functionId]?.Properties?.Environment?.Variables ?? {};
}

function statementsOfFunction(synth: Synthesized, functionId: string): NormalisedStatement[] {
  return statementsOfRole(synth.json, roleOfFunction(synth.json, functionId));
}

/** Statements without the two every function has (X-Ray, its own log group), for per-function comparisons. */
function specificStatements(synth: Synthesized, functionId: string): NormalisedStatement[] {
  const logGroupId = synth.json.Resources[functionId]?.Properties?.LoggingConfig?.LogGroup?.Ref;
  return statementsOfFunction(synth, functionId).filter(
    (statement) =>
      !statement.actions.every((action) => action.startsWith('xray:')) &&
      !(statement.actions.join() === 'logs:CreateLogStream,logs:PutLogEvents' &&
        JSON.stringify(statement.resources) === JSON.stringify([{ 'Fn::GetAtt': [logGroupId, 'Arn'] }])),
  );
}

const tableArn = (synth: Synthesized) => ({ 'Fn::GetAtt': [logicalId(synth.stack, synth.stack.registry), 'Arn'] });

describe('HTTP API', () => {
  it('has exactly the routes of the shared route table: the validated ones, a catch-all per Huawei prefix, and $default', () => {
    const routeKeys = resourcesOfType(defaults.json, 'AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties?.RouteKey);

    expect(routeKeys.sort()).toEqual(
      [...HTTP_ROUTES.map(routeKey), ...REGISTRY_ROUTES.map(routeKey), ...PASSTHROUGH_PREFIXES.map((prefix) => `ANY ${passthroughRoutePath(prefix)}`), '$default'].sort(),
    );
  });

  it('sends each route to its own function with the route table handler', () => {
    const ids = functionIds(defaults);
    const targets = new Map<string, string>();
    for (const [, route] of resourcesOfType(defaults.json, 'AWS::ApiGatewayV2::Route')) {
      const integrationId = route.Properties?.Target?.['Fn::Join']?.[1]?.[1]?.Ref;
      const integration = defaults.json.Resources[integrationId];
      targets.set(route.Properties?.RouteKey, integration?.Properties?.IntegrationUri?.['Fn::GetAtt']?.[0]);
    }

    expect(targets.get(routeKey(MODIFY_VMR_ROUTE))).toBe(ids.vmr);
    expect(targets.get(routeKey(MODIFY_RESOURCES_ROUTE))).toBe(ids.resources);
    for (const route of HTTP_ROUTES) {
      const functionId = targets.get(routeKey(route));
      expect(defaults.json.Resources[functionId ?? '']?.Properties?.Handler).toBe(`index.${route.handlerExport}`);
    }
  });

  it('declares what every route may access, and nothing for unknown routes', () => {
    expect(Object.keys(ROUTE_NEEDS).sort()).toEqual(HTTP_ROUTES.map((route) => route.id).sort());
  });

  it('throttles the $default stage with the configured limits', () => {
    const synth = synthMeetingRelay({ context: { throttlingRateLimit: 7, throttlingBurstLimit: 9 } });

    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 9 },
    });
  });

  it('writes JSON access logs without headers to a log group with the configured retention', () => {
    const [, stage] = onlyResourceOfType(defaults.json, 'AWS::ApiGatewayV2::Stage');
    const settings = stage.Properties?.AccessLogSettings;
    const logGroup = defaults.json.Resources[settings.DestinationArn['Fn::GetAtt'][0]];
    const format = JSON.parse(settings.Format) as Record<string, string>;

    expect(logGroup?.Properties?.RetentionInDays).toBe(30);
    expect(format.requestId).toBe('$context.requestId');
    expect(format.status).toBe('$context.status');
    expect(format.routeKey).toBe('$context.routeKey');
    expect(Object.values(format).some((variable) => /header|authorizer/i.test(variable))).toBe(false);
  });

  it('leaves the relay routes unauthorized by API Gateway in the default NONE mode', () => {
    const registryKeys = new Set(REGISTRY_ROUTES.map(routeKey));
    for (const [, route] of resourcesOfType(defaults.json, 'AWS::ApiGatewayV2::Route')) {
      if (registryKeys.has(route.Properties?.RouteKey)) continue;
      expect(route.Properties?.AuthorizationType ?? 'NONE').toBe('NONE');
    }
  });

  it('refuses unsigned calls of the registry API in every mode: IAM (SigV4) on each of its routes', () => {
    for (const synth of [defaults, synthMeetingRelay({ context: { authorizationMode: 'IAM' } })]) {
      const byKey = new Map(resourcesOfType(synth.json, 'AWS::ApiGatewayV2::Route').map(([, route]) => [route.Properties?.RouteKey, route]));
      for (const route of REGISTRY_ROUTES) {
        expect(route.path.startsWith('/_registry/'), route.path).toBe(true);
        expect(byKey.get(routeKey(route))?.Properties?.AuthorizationType, routeKey(route)).toBe('AWS_IAM');
      }
    }
  });

  it('sends the registry API routes to one function that may only read the table and its due index', () => {
    const functionId = logicalId(defaults.stack, defaults.stack.registryApiFunction);
    const integrations = integrationsByRouteKey(defaults.json);
    for (const route of REGISTRY_ROUTES) {
      expect(integrations.get(routeKey(route))?.IntegrationUri?.['Fn::GetAtt']?.[0], routeKey(route)).toBe(functionId);
    }
    const statements = specificStatements(defaults, functionId);
    expect(statements.flatMap((statement) => statement.actions).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(JSON.stringify(statements)).toContain(REGISTRY_TABLE.dueIndex.name);
    expect(environmentOf(defaults, functionId)[ENV.spCredentialsSecretArn]).toBeUndefined();
  });

  it('requires IAM (SigV4) authorization on every route in IAM mode', () => {
    const synth = synthMeetingRelay({ context: { authorizationMode: 'IAM' } });
    const routes = resourcesOfType(synth.json, 'AWS::ApiGatewayV2::Route');

    expect(routes).toHaveLength(HTTP_ROUTES.length + REGISTRY_ROUTES.length + PASSTHROUGH_PREFIXES.length + 1);
    for (const [, route] of routes) expect(route.Properties?.AuthorizationType).toBe('AWS_IAM');
  });
});

/** Each route key with its integration's properties. */
function integrationsByRouteKey(json: Synthesized['json']): Map<string, Record<string, any>> {
  const byKey = new Map<string, Record<string, any>>();
  for (const [, route] of resourcesOfType(json, 'AWS::ApiGatewayV2::Route')) {
    const integrationId = route.Properties?.Target?.['Fn::Join']?.[1]?.[1]?.Ref;
    byKey.set(route.Properties?.RouteKey, json.Resources[integrationId]?.Properties ?? {});
  }
  return byKey;
}

describe('passthrough (Huawei\'s other paths)', () => {
  it('sends each prefix\'s catch-all route straight to the same path at the configured origin, with no function in the path', () => {
    const synth = synthMeetingRelay({ context: { huaweiBaseUrl: 'https://api-intl.meeting.huaweicloud.com' } });
    const integrations = integrationsByRouteKey(synth.json);

    for (const prefix of PASSTHROUGH_PREFIXES) {
      expect(integrations.get(`ANY ${prefix}{proxy+}`), prefix).toEqual({
        ApiId: expect.anything(),
        IntegrationType: 'HTTP_PROXY',
        IntegrationMethod: 'ANY',
        IntegrationUri: `https://api-intl.meeting.huaweicloud.com${prefix}{proxy}`,
        PayloadFormatVersion: '1.0',
      });
    }
  });

  it('keeps the validated routes on their functions, which API Gateway prefers to a prefix\'s {proxy+}', () => {
    const integrations = integrationsByRouteKey(defaults.json);

    for (const route of HTTP_ROUTES) {
      expect(integrations.get(routeKey(route))?.IntegrationType).toBe('AWS_PROXY');
      expect(PASSTHROUGH_PREFIXES.some((prefix) => route.path.startsWith(prefix))).toBe(true);
    }
  });

  it('is removed whole by passthrough=false: no HTTP_PROXY integration and no catch-all route remain', () => {
    const synth = synthMeetingRelay({ context: { passthrough: 'false' } });
    const routeKeys = resourcesOfType(synth.json, 'AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties?.RouteKey);

    expect(routeKeys.sort()).toEqual([...HTTP_ROUTES.map(routeKey), ...REGISTRY_ROUTES.map(routeKey), '$default'].sort());
    expect(resourcesOfType(synth.json, 'AWS::ApiGatewayV2::Integration').map(([, integration]) => integration.Properties?.IntegrationType)).not.toContain('HTTP_PROXY');
  });

  it('answers every other request with the $default route\'s own small function, which reads and calls nothing', () => {
    const integrations = integrationsByRouteKey(defaults.json);
    const noRouteId = logicalId(defaults.stack, defaults.stack.noRouteFunction);
    const fn = defaults.json.Resources[noRouteId];

    expect(integrations.get('$default')).toMatchObject({ IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': [noRouteId, 'Arn'] } });
    expect(fn?.Properties).toMatchObject({ Handler: `index.${NO_ROUTE.handlerExport}`, MemorySize: 128, Timeout: 3 });
    // Issue 13: NODE_OPTIONS only when lib/bundling.ts sets flags (it no longer enables source maps).
    const expectedVariables = FUNCTION_NODE_OPTIONS === '' ? [ENV.powertoolsServiceName] : ['NODE_OPTIONS', ENV.powertoolsServiceName];
    expect(Object.keys(environmentOf(defaults, noRouteId)).sort()).toEqual(expectedVariables.sort());
    expect(specificStatements(defaults, noRouteId)).toEqual([]);
  });

  it('logs no header, query string, body, token or authorizer value in the access log, so logins and tokens never reach it', () => {
    const [, stage] = onlyResourceOfType(defaults.json, 'AWS::ApiGatewayV2::Stage');
    const variables = Object.values(JSON.parse(stage.Properties?.AccessLogSettings?.Format as string) as Record<string, string>);

    expect(variables.length).toBeGreaterThan(0);
    for (const variable of variables) {
      expect(variable, variable).toMatch(/^\$context\.[A-Za-z.]+$/);
      expect(variable, variable).not.toMatch(/header|querystring|query|body|token|authorization|authorizer|apikey|cookie/i);
    }
  });
});

describe('functions', () => {
  it('run the newest Node.js runtime aws-cdk-lib knows', () => {
    const newestNode = Runtime.ALL.filter((runtime) => /^nodejs\d+\.x$/.test(runtime.name))
      .map((runtime) => runtime.name)
      .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
      .at(-1);

    expect(LAMBDA_RUNTIME.name).toBe(newestNode);
  });

  it('all use that runtime on ARM64 with active tracing and the NODE_OPTIONS of lib/bundling.ts', () => {
    const functions = resourcesOfType(defaults.json, 'AWS::Lambda::Function');

    // The route functions, the $default route's, the registry API's, the sweeper, the sync and the notices.
    expect(functions).toHaveLength(HTTP_ROUTES.length + 5);
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: LAMBDA_RUNTIME.name,
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
      // Issue 13: --enable-source-maps parsed the map at every cold start; the maps are deployed, not applied.
      expect(fn.Properties?.Environment?.Variables?.NODE_OPTIONS).toBe(FUNCTION_NODE_OPTIONS === '' ? undefined : FUNCTION_NODE_OPTIONS);
    }
  });

  it('each log to their own retained log group with the configured retention, without a LogRetention resource', () => {
    const synth = synthMeetingRelay({ context: { logRetentionDays: 7 } });
    const logGroupIds = resourcesOfType(synth.json, 'AWS::Lambda::Function').map(
      ([, fn]) => fn.Properties?.LoggingConfig?.LogGroup?.Ref as string,
    );

    expect(new Set(logGroupIds).size).toBe(logGroupIds.length);
    for (const id of logGroupIds) {
      expect(synth.json.Resources[id]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: 7 },
        DeletionPolicy: 'Retain',
      });
    }
    expect(resourcesOfType(synth.json, 'Custom::LogRetention')).toHaveLength(0);
  });

  it('give each function the memory of FUNCTION_MEMORY_MB, the relays 25 s (below API Gateway\'s 30 s) and the sweeper 5 minutes', () => {
    const ids = functionIds(defaults);
    const sizing = (id: string) => {
      const properties = defaults.json.Resources[id]?.Properties;
      return { memory: properties?.MemorySize, timeout: properties?.Timeout };
    };

    // Issue 13: memory per function from measured init and duration (docs/performance.md), not 512 MB for all.
    expect(sizing(ids.vmr)).toEqual({ memory: FUNCTION_MEMORY_MB[MODIFY_VMR_ROUTE.id], timeout: 25 });
    expect(sizing(ids.resources)).toEqual({ memory: FUNCTION_MEMORY_MB[MODIFY_RESOURCES_ROUTE.id], timeout: 25 });
    expect(sizing(ids.sweeper)).toEqual({ memory: FUNCTION_MEMORY_MB.sweeper, timeout: 300 });
  });

  it('point every function at the configured upstream and name its Powertools service', () => {
    const synth = synthMeetingRelay({ context: { huaweiBaseUrl: 'https://meeting.example.com' } });
    const ids = functionIds(synth);

    for (const [key, id] of Object.entries(ids)) {
      expect(environmentOf(synth, id)[ENV.huaweiBaseUrl]).toBe('https://meeting.example.com');
      expect(environmentOf(synth, id).POWERTOOLS_SERVICE_NAME).toMatch(/^meeting-relay-/);
      expect(environmentOf(synth, id).POWERTOOLS_METRICS_NAMESPACE, key).toBe(METRICS_NAMESPACE);
    }
  });

  it('give the table name only to the functions bound to the table, and the secret ARN only to the sweeper', () => {
    const ids = functionIds(defaults);
    const tableRef = { Ref: logicalId(defaults.stack, defaults.stack.registry) };

    expect(environmentOf(defaults, ids.vmr)).not.toHaveProperty(ENV.registryTableName);
    expect(environmentOf(defaults, ids.resources)[ENV.registryTableName]).toEqual(tableRef);
    expect(environmentOf(defaults, ids.sweeper)[ENV.registryTableName]).toEqual(tableRef);
    expect(environmentOf(defaults, ids.vmr)).not.toHaveProperty(ENV.spCredentialsSecretArn);
    expect(environmentOf(defaults, ids.resources)).not.toHaveProperty(ENV.spCredentialsSecretArn);
    expect(environmentOf(defaults, ids.sweeper)).toHaveProperty(ENV.spCredentialsSecretArn);
  });

  it('pass the renewal re-enable switch to the resource relay and the dry-run switch to the sweeper', () => {
    const synth = synthMeetingRelay({ context: { renewalReenable: false, sweepDryRun: true } });
    const ids = functionIds(synth);

    expect(environmentOf(synth, ids.resources)[ENV.renewalReenable]).toBe('false');
    expect(environmentOf(synth, ids.sweeper)[ENV.sweepDryRun]).toBe('true');
    expect(environmentOf(synth, ids.vmr)).not.toHaveProperty(ENV.renewalReenable);
    expect(environmentOf(synth, ids.vmr)).not.toHaveProperty(ENV.sweepDryRun);
  });

  it('pass the sync\'s enterprise list to the sync only, and leave it unset by default', () => {
    const synth = synthMeetingRelay({ context: { syncCorpIds: '818803911,818803912' } });

    expect(environmentOf(synth, functionIds(synth).sync)[ENV.syncCorpIds]).toBe('818803911,818803912');
    expect(environmentOf(defaults, functionIds(defaults).sync)).not.toHaveProperty(ENV.syncCorpIds);
    expect(environmentOf(synth, functionIds(synth).sweeper)).not.toHaveProperty(ENV.syncCorpIds);
  });

  it('pass the notice window to the notices job', () => {
    const synth = synthMeetingRelay({ context: { expiryNoticeDays: 3 } });

    expect(environmentOf(synth, logicalId(synth.stack, synth.stack.notices.function))[ENV.expiryNoticeDays]).toBe('3');
    expect(environmentOf(defaults, logicalId(defaults.stack, defaults.stack.notices.function))[ENV.expiryNoticeDays]).toBe('7');
  });
});

describe('IAM', () => {
  it('gives every function its own role without managed policies', () => {
    const ids = functionIds(defaults);
    const roles = Object.values(ids).map((id) => roleOfFunction(defaults.json, id));

    expect(new Set(roles).size).toBe(Object.keys(ids).length);
    for (const role of roles) expect(defaults.json.Resources[role]?.Properties?.ManagedPolicyArns).toBeUndefined();
  });

  it('grants no wildcard action and no wildcard resource except X-Ray\'s', () => {
    for (const id of Object.values(functionIds(defaults))) {
      for (const statement of statementsOfFunction(defaults, id)) {
        expect(statement.effect).toBe('Allow');
        expect(statement.actions.filter((action) => action.includes('*'))).toEqual([]);
        if (statement.resources.some((resource) => typeof resource === 'string' && resource.includes('*'))) {
          expect(statement.resources).toEqual(['*']);
          expect(statement.actions).toEqual(ALLOWED_WILDCARD_ACTIONS);
        }
      }
    }
  });

  it('lets every function write only its own log group and traces', () => {
    for (const id of Object.values(functionIds(defaults))) {
      const logGroupId = defaults.json.Resources[id]?.Properties?.LoggingConfig?.LogGroup?.Ref;

      expect(statementsOfFunction(defaults, id)).toEqual(
        expect.arrayContaining([
          { effect: 'Allow', actions: ALLOWED_WILDCARD_ACTIONS, resources: ['*'] },
          { effect: 'Allow', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [{ 'Fn::GetAtt': [logGroupId, 'Arn'] }] },
        ]),
      );
    }
  });

  it('gives the VMR relay nothing beyond its logs and traces', () => {
    expect(specificStatements(defaults, functionIds(defaults).vmr)).toEqual([]);
  });

  it('lets the resource relay read and write registry items, without the index or the secret', () => {
    expect(specificStatements(defaults, functionIds(defaults).resources)).toEqual([
      { effect: 'Allow', actions: [...TABLE_ACTIONS.readWrite].sort(), resources: [tableArn(defaults)] },
    ]);
  });

  it('lets the sweeper read and write the table and its due index, read the secret and fill its failure queue', () => {
    const queueArn = { 'Fn::GetAtt': [logicalId(defaults.stack, defaults.stack.sweeper.failureQueue), 'Arn'] };
    const secretRef = { Ref: onlyResourceOfType(defaults.json, 'AWS::SecretsManager::Secret')[0] };

    expect(specificStatements(defaults, functionIds(defaults).sweeper)).toEqual(
      expect.arrayContaining([
        {
          effect: 'Allow',
          actions: [...TABLE_ACTIONS.readWrite].sort(),
          resources: [tableArn(defaults), { 'Fn::Join': ['', [tableArn(defaults), `/index/${REGISTRY_TABLE.dueIndex.name}`]] }],
        },
        { effect: 'Allow', actions: ['secretsmanager:GetSecretValue'], resources: [secretRef] },
        { effect: 'Allow', actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], resources: [queueArn] },
      ]),
    );
    expect(specificStatements(defaults, functionIds(defaults).sweeper)).toHaveLength(3);
  });

  it('lets the sync read the table and put items (no update, no delete, no index), read the secret and fill its own failure queue', () => {
    const queueArn = { 'Fn::GetAtt': [logicalId(defaults.stack, defaults.stack.sync.failureQueue), 'Arn'] };
    const secretRef = { Ref: onlyResourceOfType(defaults.json, 'AWS::SecretsManager::Secret')[0] };

    const statements = specificStatements(defaults, functionIds(defaults).sync);
    expect(statements).toEqual(
      expect.arrayContaining([
        { effect: 'Allow', actions: [...TABLE_ACTIONS.readPut].sort(), resources: [tableArn(defaults)] },
        { effect: 'Allow', actions: ['secretsmanager:GetSecretValue'], resources: [secretRef] },
        { effect: 'Allow', actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], resources: [queueArn] },
      ]),
    );
    expect(statements).toHaveLength(3);
    expect(environmentOf(defaults, functionIds(defaults).sync)).toMatchObject({ [ENV.syncDryRun]: 'false', POWERTOOLS_SERVICE_NAME: 'meeting-relay-sync' });
  });

  it('starts the sync hourly as an incremental run and daily as a full pass, both with its delivery limits and failure queue', () => {
    const ids = functionIds(defaults);
    const queueArn = { 'Fn::GetAtt': [logicalId(defaults.stack, defaults.stack.sync.failureQueue), 'Arn'] };
    const synth = synthMeetingRelay({ context: { syncSchedule: 'rate(2 hours)', syncFullSchedule: 'cron(0 1 * * ? *)' } });

    const ruleOf = (schedule: string, mode: string) => ({
      ScheduleExpression: schedule,
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [ids.sync, 'Arn'] },
          Input: JSON.stringify({ mode }),
          RetryPolicy: { MaximumEventAgeInSeconds: 120, MaximumRetryAttempts: 2 },
          DeadLetterConfig: { Arn: queueArn },
        },
      ],
    });
    defaults.template.hasResourceProperties('AWS::Events::Rule', ruleOf('rate(1 hour)', 'incremental'));
    defaults.template.hasResourceProperties('AWS::Events::Rule', ruleOf('cron(30 3 * * ? *)', 'full'));
    synth.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(2 hours)', Targets: [Match.objectLike({ Input: '{"mode":"incremental"}' })] });
    synth.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 1 * * ? *)', Targets: [Match.objectLike({ Input: '{"mode":"full"}' })] });
  });

  it('covers every DynamoDB call the function code makes', () => {
    // Prepare: the lib-dynamodb commands used anywhere under functions/, mapped to their IAM actions.
    const commandToAction: Record<string, string> = {
      Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', Query: 'Query', Scan: 'Scan',
      BatchGet: 'BatchGetItem', BatchWrite: 'BatchWriteItem', TransactGet: 'TransactGetItems', TransactWrite: 'TransactWriteItems',
    };
    const sources = readdirSync(path.join(PROJECT_ROOT, 'functions'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => readFileSync(path.join(PROJECT_ROOT, 'functions', file), 'utf8'));

    // Act
    const used = new Set(
      sources.flatMap((source) => [...source.matchAll(/new (\w+)Command\(/g)].map((match) => match[1] ?? '')).filter((name) => name in commandToAction),
    );

    // Assess
    expect(used.size).toBeGreaterThan(0);
    for (const command of used) expect(TABLE_ACTIONS.readWrite).toContain(`dynamodb:${commandToAction[command]}`);
  });
});

describe('registry table', () => {
  it('uses the shared key schema and due index', () => {
    defaults.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: REGISTRY_TABLE.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: REGISTRY_TABLE.sortKey.name, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: REGISTRY_TABLE.dueIndex.name,
          KeySchema: [
            { AttributeName: REGISTRY_TABLE.dueIndex.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: REGISTRY_TABLE.dueIndex.sortKey.name, KeyType: 'RANGE' },
          ],
          Projection: {
            ProjectionType: REGISTRY_TABLE.dueIndex.projection.type,
            NonKeyAttributes: [...REGISTRY_TABLE.dueIndex.projection.nonKeyAttributes],
          },
        },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: REGISTRY_TABLE.dueIndex.sortKey.name, AttributeType: REGISTRY_TABLE.dueIndex.sortKey.type },
      ]),
    });
  });

  it('is on-demand, encrypted, point-in-time recoverable, deletion-protected and retained', () => {
    const [, table] = onlyResourceOfType(defaults.json, 'AWS::DynamoDB::GlobalTable');

    expect(table).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [{ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }],
      },
    });
  });
});

describe('sweeper', () => {
  it('runs on the configured schedule', () => {
    const synth = synthMeetingRelay({ context: { sweepSchedule: 'rate(5 minutes)' } });

    defaults.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)' });
    synth.template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
  });

  it('is never retried and drops events older than 2 minutes into its failure queue', () => {
    const ids = functionIds(defaults);
    const queueArn = { 'Fn::GetAtt': [logicalId(defaults.stack, defaults.stack.sweeper.failureQueue), 'Arn'] };

    defaults.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.sweeper },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 120,
      DestinationConfig: { OnFailure: { Destination: queueArn } },
    });
    defaults.template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [ids.sweeper, 'Arn'] },
          RetryPolicy: { MaximumEventAgeInSeconds: 120, MaximumRetryAttempts: 2 },
          DeadLetterConfig: { Arn: queueArn },
        },
      ],
    });
  });

  it('has an encrypted failure queue that refuses plain-HTTP access', () => {
    const queueId = logicalId(defaults.stack, defaults.stack.sweeper.failureQueue);

    defaults.template.hasResource('AWS::SQS::Queue', { Properties: { SqsManagedSseEnabled: true } });
    defaults.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('SP credentials secret', () => {
  it('is created with a placeholder of the App ID shape and put-secret-value instructions', () => {
    const [, secret] = onlyResourceOfType(defaults.json, 'AWS::SecretsManager::Secret');
    const generator = secret.Properties?.GenerateSecretString;
    const placeholder = { ...JSON.parse(generator.SecretStringTemplate), [generator.GenerateStringKey]: 'generated-value' };

    expect(SpCredentialsSchema.parse(placeholder)).toEqual({ type: 'appId', appId: PLACEHOLDER_APP_ID, appKey: 'generated-value' });
    expect(secret.Properties?.Description).toContain('aws secretsmanager put-secret-value');
    expect(secret.DeletionPolicy).toBe('Retain');
    expect(secret.Properties).not.toHaveProperty('SecretString');
  });

  it('is readable by the sweeper\'s and the sync\'s roles only', () => {
    const secretId = onlyResourceOfType(defaults.json, 'AWS::SecretsManager::Secret')[0];
    const sweeperRole = roleOfFunction(defaults.json, functionIds(defaults).sweeper);
    const readers = resourcesOfType(defaults.json, 'AWS::IAM::Policy')
      .filter(([, policy]) => JSON.stringify(policy.Properties?.PolicyDocument).includes(`{"Ref":"${secretId}"}`))
      .flatMap(([, policy]) => (policy.Properties?.Roles as Array<{ Ref: string }>).map((role) => role.Ref));

    expect(readers.sort()).toEqual([sweeperRole, roleOfFunction(defaults.json, functionIds(defaults).sync)].sort());
    expect(resourcesOfType(defaults.json, 'AWS::SecretsManager::ResourcePolicy')).toHaveLength(0);
  });

  it('is imported by ARN when one is configured, and only the sweeper and the sync get that ARN', () => {
    const synth = synthMeetingRelay({ context: { spCredentialsSecretArn: IMPORTED_SECRET_ARN } });
    const ids = functionIds(synth);
    const grantees = resourcesOfType(synth.json, 'AWS::IAM::Policy')
      .filter(([, policy]) => JSON.stringify(policy.Properties?.PolicyDocument).includes(IMPORTED_SECRET_ARN))
      .flatMap(([, policy]) => (policy.Properties?.Roles as Array<{ Ref: string }>).map((role) => role.Ref));

    expect(resourcesOfType(synth.json, 'AWS::SecretsManager::Secret')).toHaveLength(0);
    expect(environmentOf(synth, ids.sweeper)[ENV.spCredentialsSecretArn]).toBe(IMPORTED_SECRET_ARN);
    expect(environmentOf(synth, ids.sync)[ENV.spCredentialsSecretArn]).toBe(IMPORTED_SECRET_ARN);
    expect(grantees.sort()).toEqual([roleOfFunction(synth.json, ids.sweeper), roleOfFunction(synth.json, ids.sync)].sort());
    expect(synth.json.Outputs?.SpCredentialsSecretArn?.Value).toBe(IMPORTED_SECRET_ARN);
  });
});

describe('alarms', () => {
  /** The one alarm on `metricName` (whose dimensions mention `about`, when given). */
  function alarmByMetric(synth: Synthesized, metricName: string, about?: string) {
    const found = resourcesOfType(synth.json, 'AWS::CloudWatch::Alarm').filter(
      ([, alarm]) => alarm.Properties?.MetricName === metricName && (about === undefined || JSON.stringify(alarm.Properties?.Dimensions).includes(about)),
    );
    if (found.length !== 1) throw new Error(`expected one alarm on ${metricName}, found ${found.length}`);
    return found[0]![1].Properties!;
  }

  it('fire on any sweeper error', () => {
    expect(alarmByMetric(defaults, 'Errors', functionIds(defaults).sweeper)).toMatchObject({
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionIds(defaults).sweeper } }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('fire on any resource the sweeper marks failed, read from the namespace and service the sweeper emits with', () => {
    const sweeperEnvironment = environmentOf(defaults, functionIds(defaults).sweeper);

    expect(alarmByMetric(defaults, SWEEPER_FAILED_METRIC)).toMatchObject({
      Namespace: sweeperEnvironment.POWERTOOLS_METRICS_NAMESPACE,
      Dimensions: [{ Name: 'service', Value: sweeperEnvironment.POWERTOOLS_SERVICE_NAME }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(sweeperEnvironment.POWERTOOLS_SERVICE_NAME).toBe(SWEEPER_SERVICE_NAME);
  });

  it('fire when the failure queue holds a message', () => {
    const queueId = logicalId(defaults.stack, defaults.stack.sweeper.failureQueue);
    const queueName = { 'Fn::GetAtt': [queueId, 'QueueName'] };

    expect(alarmByMetric(defaults, 'ApproximateNumberOfMessagesVisible', queueId)).toMatchObject({
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: queueName }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('fire on any sync error and on any sync run in its failure queue', () => {
    const queueId = logicalId(defaults.stack, defaults.stack.sync.failureQueue);

    expect(alarmByMetric(defaults, 'Errors', functionIds(defaults).sync)).toMatchObject({
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionIds(defaults).sync } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarmByMetric(defaults, 'ApproximateNumberOfMessagesVisible', queueId)).toMatchObject({
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 0,
    });
  });

  it('fire when more than 5% of relay requests answer 5xx', () => {
    const apiRef = { Ref: logicalId(defaults.stack, defaults.stack.api.httpApi) };
    const rateAlarm = resourcesOfType(defaults.json, 'AWS::CloudWatch::Alarm').find(([, alarm]) => alarm.Properties?.Metrics)?.[1];
    const metrics = rateAlarm?.Properties?.Metrics as Array<Record<string, any>>;
    const metricNames = metrics.filter((metric) => metric.MetricStat).map((metric) => metric.MetricStat.Metric);

    expect(rateAlarm?.Properties).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' });
    expect(metrics.find((metric) => metric.Expression)?.Expression).toBe('IF(requests > 0, 100 * errors / requests, 0)');
    expect(metricNames).toEqual(
      expect.arrayContaining([
        { Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: apiRef }] },
        { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: [{ Name: 'ApiId', Value: apiRef }] },
      ]),
    );
  });

  it('notify nobody and create no topic without an alarm e-mail', () => {
    expect(resourcesOfType(defaults.json, 'AWS::CloudWatch::Alarm')).toHaveLength(6);
    expect(resourcesOfType(defaults.json, 'AWS::SNS::Topic')).toHaveLength(0);
    for (const [, alarm] of resourcesOfType(defaults.json, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties?.AlarmActions).toBeUndefined();
    }
  });

  it('notify the alarm e-mail through an encrypted, SSL-only topic', () => {
    const synth = synthMeetingRelay({ context: { alarmEmail: 'ops@example.com' } });
    const [topicId, topic] = onlyResourceOfType(synth.json, 'AWS::SNS::Topic');
    const [keyId] = onlyResourceOfType(synth.json, 'AWS::KMS::Key');

    expect(topic.Properties?.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    synth.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    synth.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topicId },
    });
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    for (const [, alarm] of resourcesOfType(synth.json, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties?.AlarmActions).toEqual([{ Ref: topicId }]);
    }
  });
});

describe('outputs', () => {
  it('give the API URL, the table name and the secret ARN', () => {
    const outputs = defaults.json.Outputs ?? {};

    expect(outputs.ApiUrl?.Value).toBeDefined();
    expect(JSON.stringify(outputs.ApiUrl?.Value)).toContain(logicalId(defaults.stack, defaults.stack.api.httpApi));
    expect(outputs.RegistryTableName?.Value).toEqual({ Ref: logicalId(defaults.stack, defaults.stack.registry) });
    expect(outputs.SpCredentialsSecretArn?.Value).toEqual({ Ref: onlyResourceOfType(defaults.json, 'AWS::SecretsManager::Secret')[0] });
  });
});

describe('expiry notices', () => {
  it('run on their own hourly schedule, read the due index, put to the bus the stack creates, and get no SP secret', () => {
    const functionId = logicalId(defaults.stack, defaults.stack.notices.function);
    const busId = logicalId(defaults.stack, defaults.stack.notices.bus);
    const environment = environmentOf(defaults, functionId);

    expect(onlyResourceOfType(defaults.json, 'AWS::Events::EventBus')[0]).toBe(busId);
    expect(environment[ENV.noticeBusName]).toEqual({ Ref: busId });
    expect(environment[ENV.expiryNoticeDays]).toBe('7');
    expect(environment[ENV.spCredentialsSecretArn]).toBeUndefined();
    defaults.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: NOTICE_SCHEDULE,
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId, 'Arn'] } })],
    });
    const statements = specificStatements(defaults, functionId);
    expect(statements.flatMap((statement) => statement.actions)).toContain('events:PutEvents');
    expect(JSON.stringify(statements)).toContain(REGISTRY_TABLE.dueIndex.name);
    expect(JSON.stringify(statements)).not.toContain('secretsmanager');
  });
});

describe('dashboard', () => {
  const body = (): string => {
    const [, dashboard] = onlyResourceOfType(defaults.json, 'AWS::CloudWatch::Dashboard');
    return JSON.stringify(dashboard.Properties?.DashboardBody);
  };

  it('graphs requests, 4xx, 5xx and latency per route from the stage\'s detailed metrics', () => {
    defaults.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: Match.objectLike({ DetailedMetricsEnabled: true }) });
    const text = body();
    for (const metric of ['Count', '4xx', '5xx', 'Latency']) expect(text).toContain(`\\"AWS/ApiGateway\\",\\"${metric}\\"`);
    for (const route of [...HTTP_ROUTES, ...REGISTRY_ROUTES]) expect(text, route.path).toContain(route.path);
  });

  it('graphs the sweep, the sync and the notices from the metrics they publish, and shows every alarm', () => {
    const text = body();
    for (const metric of ['due', 'disabled', 'failed', 'spCalls', 'oldestLatenessMs', 'adopted', 'repaired', 'noticesSent']) {
      expect(text, metric).toContain(`\\"${metric}\\"`);
    }
    for (const service of ['meeting-relay-sweeper', 'meeting-relay-sync', 'meeting-relay-notices']) expect(text).toContain(service);
    const alarmIds = resourcesOfType(defaults.json, 'AWS::CloudWatch::Alarm').map(([id]) => id);
    expect(alarmIds.length).toBeGreaterThanOrEqual(6);
    for (const id of alarmIds) expect(text, id).toContain(id);
  });
});
