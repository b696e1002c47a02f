/**
 * The sweeper's lease: one item, taken with a conditional put that succeeds only when nobody holds an
 * unexpired lease, so two overlapping sweeps never run together. Its expiry is set a little past the Lambda
 * timeout, so the lease of a crashed sweep runs out on its own; a finished sweep deletes it (only if still its
 * own).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RegistryUnavailableError } from './errors.js';
import { Expression } from './expression.js';
import { ATTR, REGISTRY_LEASE_KEY } from './table.js';

export type LeaseResult =
  | { acquired: true }
  | { acquired: false; heldBy: string | undefined; expiresAt: number | undefined };

export class SweepLease {
  private readonly db: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: { documentClient: DynamoDBDocumentClient; tableName: string }) {
    this.db = options.documentClient;
    this.tableName = options.tableName;
  }

  async acquire(request: { owner: string; now: number; durationMs: number }): Promise<LeaseResult> {
    const e = new Expression();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...REGISTRY_LEASE_KEY,
            [ATTR.leaseOwner]: request.owner,
            [ATTR.leaseAcquiredAt]: request.now,
            [ATTR.leaseExpiresAt]: request.now + request.durationMs,
          },
          ConditionExpression: `attribute_not_exists(${e.name(ATTR.pk)}) OR ${e.name(ATTR.leaseExpiresAt)} < ${e.value(request.now)}`,
          ...e.parameters(),
        }),
      );
      return { acquired: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) {
        throw new RegistryUnavailableError('PutItem (lease)', { cause: error });
      }
    }
    const holder = await this.holder();
    return { acquired: false, heldBy: holder?.owner, expiresAt: holder?.expiresAt };
  }

  /** Deletes the lease if this owner still holds it. False when it had expired and someone else took it. */
  async release(owner: string): Promise<boolean> {
    const e = new Expression();
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: REGISTRY_LEASE_KEY,
          ConditionExpression: `${e.name(ATTR.leaseOwner)} = ${e.value(owner)}`,
          ...e.parameters(),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw new RegistryUnavailableError('DeleteItem (lease)', { cause: error });
    }
  }

  async holder(): Promise<{ owner: string; expiresAt: number } | undefined> {
    let output;
    try {
      output = await this.db.send(new GetCommand({ TableName: this.tableName, Key: REGISTRY_LEASE_KEY, ConsistentRead: true }));
    } catch (error) {
      throw new RegistryUnavailableError('GetItem (lease)', { cause: error });
    }
    const item = output.Item;
    if (!item) return undefined;
    return { owner: String(item[ATTR.leaseOwner]), expiresAt: Number(item[ATTR.leaseExpiresAt]) };
  }
}
