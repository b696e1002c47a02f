/**
 * Embedded DynamoDB for the local runtime, tests and benchmarks: dynalite in this process (in memory), with the
 * registry table created from its single definition in functions/shared/registry/table.ts.
 */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CreateTableCommandInput, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { createRegistryDocumentClient } from '../functions/shared/registry/document-client.js';
import { REGISTRY_TABLE } from '../functions/shared/registry/table.js';

export const LOCAL_REGION = 'us-east-1';
/** dynalite checks nothing; the SDK only needs some static credentials to sign with. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const DEFAULT_LOCAL_TABLE_NAME = 'meeting-relay-registry';

export interface RunningDynamo {
  /** `http://127.0.0.1:<port>`: give it to the SDK as `endpoint` or `AWS_ENDPOINT_URL_DYNAMODB`. */
  endpoint: string;
  port: number;
  tableName: string;
  /** SDK config that reaches this instance. */
  clientConfig: DynamoDBClientConfig;
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

export interface StartDynamoOptions {
  port?: number;
  host?: string;
  tableName?: string;
}

/** CreateTable input derived from the shared table definition (the CDK stack derives its TableV2 the same way). */
export function registryCreateTableInput(tableName: string): CreateTableCommandInput {
  const { partitionKey, sortKey, dueIndex } = REGISTRY_TABLE;
  const attributes = [partitionKey, sortKey, dueIndex.partitionKey, dueIndex.sortKey];
  return {
    TableName: tableName,
    BillingMode: REGISTRY_TABLE.billingMode,
    AttributeDefinitions: attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: partitionKey.name, KeyType: 'HASH' },
      { AttributeName: sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: dueIndex.name,
        KeySchema: [
          { AttributeName: dueIndex.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: dueIndex.sortKey.name, KeyType: 'RANGE' },
        ],
        Projection:
          dueIndex.projection.type === 'INCLUDE'
            ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...dueIndex.projection.nonKeyAttributes] }
            : { ProjectionType: dueIndex.projection.type },
      },
    ],
  };
}

export async function createRegistryTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(registryCreateTableInput(tableName)));
}

/** Starts dynalite on 127.0.0.1 (port 0 = any free port) and creates an empty registry table. */
export async function startDynamo(options: StartDynamoOptions = {}): Promise<RunningDynamo> {
  const server = dynalite({ createTableMs: 0 });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://${host}:${port}`;
  const tableName = options.tableName ?? DEFAULT_LOCAL_TABLE_NAME;
  const clientConfig: DynamoDBClientConfig = { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const client = new DynamoDBClient(clientConfig);
  const documentClient = createRegistryDocumentClient(clientConfig);
  try {
    await createRegistryTable(client, tableName);
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  return {
    endpoint,
    port,
    tableName,
    clientConfig,
    client,
    documentClient,
    async stop() {
      client.destroy();
      documentClient.destroy();
      await closeServer(server);
    },
  };
}

function closeServer(server: ReturnType<typeof dynalite>): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
