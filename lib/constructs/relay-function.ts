import { RemovalPolicy, Validations, type Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ENV } from '../../functions/shared/env.js';
import { FUNCTION_NODE_OPTIONS, LAMBDA_RUNTIME, nodejsFunctionBundling } from '../bundling.js';
import { DEPS_LOCK_FILE, PROJECT_ROOT } from '../paths.js';

/**
 * Memory (MB) of each function, by route id or `sweeper`: the one place the stack reads it. Chosen from the
 * measured import time and duration (docs/performance.md, "Memory per function"): the functions need 50-70 MB of
 * RSS, so memory buys CPU (Lambda gives 1 vCPU at 1,769 MB, proportionally less below), and each relay call is
 * usually a cold start. `npm run bench` prints the size its rule suggests next to these.
 */
export const FUNCTION_MEMORY_MB: Readonly<Record<string, number>> = {
  'modify-vmr': 1024,
  // The rule of docs/performance.md (estimated import at this memory's CPU share <= 100 ms): about 84 ms on an idle
  // core since the registry model moved to zod/mini (was about 110 ms, hence one full vCPU at 1,769 MB).
  'modify-resources': 1536,
  sweeper: 512,
  // Pages every enterprise's resources: mostly waiting on Huawei, with bursts of parsing and registry writes.
  sync: 1024,
  // The `$default` route (NO_ROUTE): one small JSON answer, no upstream; the smallest size does.
  'no-route': 128,
  // The registry read API: a few Queries and a JSON answer per call, like the VMR relay's work.
  'registry-api': 1024,
  // A few index Queries and conditional puts per hour.
  notices: 512,
};

/** For a function not in the table yet (a new route): the relays' size. */
export const DEFAULT_FUNCTION_MEMORY_MB = 1024;

export function functionMemoryMb(functionId: string): number {
  return FUNCTION_MEMORY_MB[functionId] ?? DEFAULT_FUNCTION_MEMORY_MB;
}

/** What a function may do with the registry table. */
export type TableAccess = 'read' | 'readWrite' | 'readPut';

/**
 * The DynamoDB actions behind each access level: exactly the calls the registry code makes (GetItem, Query,
 * conditional PutItem/UpdateItem, DeleteItem for the sweeper's lease), nothing table-administrative and no scans.
 * DeleteItem adds no power to a writer that can already PutItem over any item. The two batch calls add none either:
 * BatchGetItem (the resource relay reads all keys of an update in one request, `RegistryStore.getMany`) reads what
 * GetItem reads, and BatchWriteItem (the history entries of concurrent writes, registry/history-writer.ts, in the
 * stores built with `batchHistory`) puts and deletes what PutItem and DeleteItem do.
 */
export const TABLE_ACTIONS: Readonly<Record<TableAccess, readonly string[]>> = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
  ],
  /**
   * The sync: reads, and writes whole items with conditional puts; never updates in place or deletes (so no
   * BatchWriteItem, which could delete: its store writes history one PutItem at a time, `batchHistory` off).
   */
  readPut: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
};

export const SECRET_ACTIONS: readonly string[] = ['secretsmanager:GetSecretValue'];

/** X-Ray's write actions accept only `*` as resource (no resource-level permissions exist for them). */
export const XRAY_WILDCARD_ACTIONS: readonly string[] = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

export interface RelayFunctionProps
  extends Pick<NodejsFunctionProps, 'retryAttempts' | 'maxEventAge' | 'onFailure'> {
  /** Absolute path of the TypeScript entry file. */
  entry: string;
  /** Name of the handler export in the entry, e.g. "handler". */
  handlerExport: string;
  description: string;
  /** Powertools service name: the `service` key in logs and the `service` dimension of metrics. */
  serviceName: string;
  memorySize: number;
  timeout: Duration;
  logRetention: RetentionDays;
  environment?: Record<string, string>;
}

export interface BindTableOptions {
  table: ITableV2;
  access: TableAccess;
  /** Global secondary indexes this function queries; access to an index must be granted by name. */
  indexNames?: readonly string[];
}

/**
 * A Lambda function with the project's defaults: newest Node.js runtime, ARM64, ESM bundle with source maps,
 * active tracing, its own log group with retention (no LogRetention custom resource) and its own role that holds
 * only what the function is bound to. `bindTable` and `bindSecret` set the environment variable and the grant in
 * one call, so neither half can be forgotten.
 */
export class RelayFunction extends NodejsFunction {
  readonly functionLogGroup: LogGroup;
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: RelayFunctionProps) {
    // Built before super() so the function starts with them: the default role would carry the
    // AWSLambdaBasicExecutionRole managed policy (cdk-nag IAM4) and write to a log group of its own making.
    const executionRole = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.description}`,
    });
    const functionLogGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    super(scope, id, {
      entry: props.entry,
      handler: props.handlerExport,
      description: props.description,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: DEPS_LOCK_FILE,
      runtime: LAMBDA_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      tracing: Tracing.ACTIVE,
      role: executionRole,
      logGroup: functionLogGroup,
      bundling: nodejsFunctionBundling(),
      environment: {
        ...nodeOptionsEnvironment(),
        [ENV.powertoolsServiceName]: props.serviceName,
        ...props.environment,
      },
      retryAttempts: props.retryAttempts,
      maxEventAge: props.maxEventAge,
      onFailure: props.onFailure,
    });

    this.executionRole = executionRole;
    this.functionLogGroup = functionLogGroup;
    functionLogGroup.grantWrite(executionRole);

    Validations.of(executionRole).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason: `Active tracing needs ${XRAY_WILDCARD_ACTIONS.join(' and ')}, which support no resource-level permissions; every other statement of this role names its resources.`,
    });
  }

  /** Sets REGISTRY_TABLE_NAME and grants exactly the actions of `access` on the table (and named indexes). */
  bindTable(options: BindTableOptions): void {
    const { table, access, indexNames = [] } = options;
    this.addEnvironment(ENV.registryTableName, table.tableName);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: [...TABLE_ACTIONS[access]],
        resources: [table.tableArn, ...indexNames.map((indexName) => `${table.tableArn}/index/${indexName}`)],
      }),
    );
  }

  /** Sets SP_CREDENTIALS_SECRET_ARN and grants reading that one secret's value. */
  bindSecret(secret: ISecret): void {
    this.addEnvironment(ENV.spCredentialsSecretArn, secret.secretArn);
    this.addToRolePolicy(new PolicyStatement({ actions: [...SECRET_ACTIONS], resources: [secret.secretArn] }));
    // A secret encrypted with a customer-managed key also needs decrypt on that key.
    secret.encryptionKey?.grantDecrypt(this);
  }
}

/** NODE_OPTIONS only when there is something to set: an empty variable would still be one more setting to read. */
function nodeOptionsEnvironment(): Record<string, string> {
  return FUNCTION_NODE_OPTIONS === '' ? {} : { NODE_OPTIONS: FUNCTION_NODE_OPTIONS };
}
