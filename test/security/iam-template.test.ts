/**
 * The whole CloudFormation template, not only the functions' roles (test/cdk/stack.test.ts covers those one by
 * one): every policy document anywhere (role policies, trust policies, queue, topic and key policies) and every
 * Lambda invoke permission grants no wildcard action and no wildcard resource, except the few AWS requires,
 * each named here with the reason. Checked for the default configuration and for the one that adds every
 * optional resource (IAM authorization, alarm e-mail with its encrypted topic, imported secret).
 */
import type { CfnElement } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { HTTP_ROUTES, REGISTRY_ROUTES } from '../../functions/shared/routes.js';
import { removeSynthOutputs, resourcesOfType, synthMeetingRelay } from '../cdk/synth-helpers.js';
import type { TemplateJson } from '../cdk/synth-helpers.js';

const CONFIGURATIONS = {
  defaults: {},
  'every optional resource': {
    authorizationMode: 'IAM',
    alarmEmail: 'ops@example.com',
    spCredentialsSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:meeting-relay/sp-AbC123',
  },
} as const;

/** One statement of a policy document, with where it was found. */
interface FoundStatement {
  resourceId: string;
  resourceType: string;
  effect: string;
  actions: string[];
  resources: unknown[];
  principal: unknown;
  condition: unknown;
}

/** One wildcard AWS requires, and how to recognise the statement that carries it. */
interface AllowedWildcard {
  name: string;
  why: string;
  matches(statement: FoundStatement): boolean;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();
const onlyStar = (resources: readonly unknown[]) => resources.length === 1 && resources[0] === '*';

const ALLOWED_WILDCARDS: readonly AllowedWildcard[] = [
  {
    name: 'X-Ray trace writes on "*"',
    why: 'xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions; tracing needs them',
    matches: (s) =>
      s.resourceType === 'AWS::IAM::Policy' && sameSet(s.actions, ['xray:PutTelemetryRecords', 'xray:PutTraceSegments']) && onlyStar(s.resources),
  },
  {
    name: 'KMS key policy: the account administers its key',
    why: 'a key policy without the account root would make the key unmanageable; in a key policy "*" means this key',
    matches: (s) =>
      s.resourceType === 'AWS::KMS::Key' && sameSet(s.actions, ['kms:*']) && onlyStar(s.resources) && JSON.stringify(s.principal).includes(':root'),
  },
  {
    name: 'KMS key policy: CloudWatch encrypts alarm notifications',
    why: 'alarms publish to the encrypted topic only if CloudWatch may use its key (kms:GenerateDataKey* is the documented grant); "*" means this key',
    matches: (s) =>
      s.resourceType === 'AWS::KMS::Key' &&
      sameSet(s.actions, ['kms:Decrypt', 'kms:GenerateDataKey*']) &&
      onlyStar(s.resources) &&
      JSON.stringify(s.principal) === JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }),
  },
];

/** Every statement of every policy document in the template, wherever it sits. */
function statementsIn(json: TemplateJson): FoundStatement[] {
  const found: FoundStatement[] = [];
  const walk = (value: unknown, resourceId: string, resourceType: string) => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, resourceId, resourceType);
    } else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if (Array.isArray(record.Statement)) {
        for (const statement of record.Statement as Array<Record<string, unknown>>) {
          found.push({
            resourceId,
            resourceType,
            effect: String(statement.Effect),
            actions: [statement.Action ?? statement.NotAction].flat().map(String),
            resources: [statement.Resource ?? statement.NotResource].flat(),
            principal: statement.Principal,
            condition: statement.Condition,
          });
        }
      } else {
        for (const inner of Object.values(record)) walk(inner, resourceId, resourceType);
      }
    }
  };
  for (const [id, resource] of Object.entries(json.Resources)) walk(resource.Properties, id, resource.Type);
  return found;
}

function hasWildcard(statement: FoundStatement): boolean {
  return statement.actions.some((action) => action.includes('*')) || statement.resources.some((resource) => typeof resource === 'string' && resource.includes('*'));
}

const synths = Object.entries(CONFIGURATIONS).map(([name, context]) => {
  const { json, stack } = synthMeetingRelay({ context });
  return { name, json, stack };
});

afterAll(() => {
  removeSynthOutputs();
});

describe.each(synths)('the CloudFormation template ($name)', ({ json, stack }) => {
  it('has no Allow statement with a wildcard action or resource beyond the named AWS-required ones', () => {
    // Prepare
    const statements = statementsIn(json);

    // Act
    const unexplained = statements
      .filter((s) => s.effect === 'Allow' && hasWildcard(s))
      .filter((s) => !ALLOWED_WILDCARDS.some((allowed) => allowed.matches(s)))
      .map((s) => `${s.resourceId} (${s.resourceType}): ${s.actions.join(', ')} on ${JSON.stringify(s.resources)}`);

    // Assess
    expect(statements.length).toBeGreaterThan(0);
    expect(unexplained).toEqual([]);
  });

  it('has Deny statements only to refuse plain-HTTP access', () => {
    const denies = statementsIn(json).filter((s) => s.effect === 'Deny');

    for (const deny of denies) expect(deny.condition, deny.resourceId).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
  });

  it('lets API Gateway invoke each route function only from this API and on that function\'s own route', () => {
    const permissions = resourcesOfType(json, 'AWS::Lambda::Permission').filter(([, p]) => p.Properties?.Principal === 'apigateway.amazonaws.com');
    const apiId = resourcesOfType(json, 'AWS::ApiGatewayV2::Api')[0]?.[0];
    const noRouteFunctionId = stack.getLogicalId(stack.noRouteFunction.node.defaultChild as CfnElement);

    // One per validated route, one per registry API route (one function serves them), and the $default route's.
    expect(permissions).toHaveLength(HTTP_ROUTES.length + REGISTRY_ROUTES.length + 1);
    for (const [id, permission] of permissions) {
      const properties = permission.Properties ?? {};
      const parts = properties.SourceArn?.['Fn::Join']?.[1] as unknown[] | undefined;
      expect(properties.Principal, id).toBe('apigateway.amazonaws.com');
      expect(properties.Action, id).toBe('lambda:InvokeFunction');
      expect(parts, id).toContainEqual({ Ref: apiId });
      const suffix = String(parts?.at(-1));
      if (properties.FunctionName?.['Fn::GetAtt']?.[0] === noRouteFunctionId) {
        // The $default route has no path of its own: any route of this API, for a function that reads and calls nothing.
        expect(suffix, id).toBe('/*/*');
        continue;
      }
      // Any stage and method of this API (HTTP API's own ARN shape), on exactly one route path.
      expect([...HTTP_ROUTES, ...REGISTRY_ROUTES].map((route) => `/*/*${route.path}`), id).toContain(suffix);
    }
  });

  it('lets EventBridge invoke only the sweeper, the sync and the notices, each only from its own schedule rules', () => {
    const others = resourcesOfType(json, 'AWS::Lambda::Permission').filter(([, p]) => p.Properties?.Principal !== 'apigateway.amazonaws.com');
    const rules = resourcesOfType(json, 'AWS::Events::Rule');

    // The sweeper's, the notices', and the sync's two (hourly incremental, daily full pass).
    expect(rules).toHaveLength(4);
    expect(others).toHaveLength(4);
    for (const [ruleId, rule] of rules) {
      const targetArn = rule.Properties?.Targets?.[0]?.Arn;
      const permissions = others.filter(([, p]) => JSON.stringify(p.Properties?.SourceArn) === JSON.stringify({ 'Fn::GetAtt': [ruleId, 'Arn'] }));
      expect(permissions, ruleId).toHaveLength(1);
      expect(permissions[0]?.[1].Properties, ruleId).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', FunctionName: targetArn });
    }
  });
});

describe('the list of allowed wildcards', () => {
  it('holds only exceptions the templates still need', () => {
    const all = synths.flatMap(({ json }) => statementsIn(json)).filter((s) => s.effect === 'Allow' && hasWildcard(s));

    for (const allowed of ALLOWED_WILDCARDS) {
      expect(all.some((s) => allowed.matches(s)), `${allowed.name} (${allowed.why})`).toBe(true);
    }
  });
});
