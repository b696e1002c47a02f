import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ProjectionType,
  TableEncryptionV2,
  TableV2,
  type Attribute,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { IndexDefinition, KeyAttribute, TableDefinition } from '../../functions/shared/registry/table.js';

const ATTRIBUTE_TYPES: Readonly<Record<KeyAttribute['type'], AttributeType>> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
};

const PROJECTION_TYPES: Readonly<Record<IndexDefinition['projection']['type'], ProjectionType>> = {
  ALL: ProjectionType.ALL,
  KEYS_ONLY: ProjectionType.KEYS_ONLY,
  INCLUDE: ProjectionType.INCLUDE,
};

function attribute(key: KeyAttribute): Attribute {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}

export interface RegistryTableProps {
  /** The shared definition (functions/shared/registry/table.ts): keys, index and billing come only from it. */
  definition: TableDefinition;
}

/**
 * The resource registry: on-demand, point-in-time recovery, deletion protection, kept when the stack is deleted.
 *
 * Encryption uses the AWS-managed key (aws/dynamodb): key use shows in CloudTrail, there is no monthly key fee and
 * no key policy to maintain. A customer-managed key would add cost and a key policy for no finding: cdk-nag's
 * AwsSolutions pack checks PITR (DDB3), which is on, and DDB4 concerns DAX clusters, which this stack has none of.
 */
export class RegistryTable extends TableV2 {
  /** Names of the indexes functions may be granted Query on. */
  readonly dueIndexName: string;

  constructor(scope: Construct, id: string, props: RegistryTableProps) {
    const { definition } = props;
    const index = definition.dueIndex;
    // definition.billingMode is typed 'PAY_PER_REQUEST', which is Billing.onDemand().
    super(scope, id, {
      partitionKey: attribute(definition.partitionKey),
      sortKey: attribute(definition.sortKey),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // History entries (functions/shared/registry/history.ts) expire through it; resource items never carry it.
      timeToLiveAttribute: definition.timeToLiveAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: TableEncryptionV2.awsManagedKey(),
      globalSecondaryIndexes: [
        {
          indexName: index.name,
          partitionKey: attribute(index.partitionKey),
          sortKey: attribute(index.sortKey),
          projectionType: PROJECTION_TYPES[index.projection.type],
          ...(index.projection.type === 'INCLUDE' ? { nonKeyAttributes: [...index.projection.nonKeyAttributes] } : {}),
        },
      ],
    });
    this.dueIndexName = index.name;
  }
}
