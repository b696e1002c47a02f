/**
 * DynamoDB did not answer or refused a registry read or write (not a failed condition: those are results).
 * The relay answers 503 in Huawei's error shape; the sweeper leaves the work for the next sweep.
 */
export class RegistryUnavailableError extends Error {
  constructor(operation: string, options?: { cause?: unknown }) {
    super(`registry ${operation} failed`, options);
    this.name = 'RegistryUnavailableError';
  }
}

/**
 * The relay's record kept losing races with other writers of the same resources (each time it re-read,
 * re-decided and re-relayed). The upstream update was applied; the caller retries the idempotent PUT (503).
 */
export class RegistryConflictError extends Error {
  readonly resourceIds: readonly string[];
  constructor(resourceIds: readonly string[], attempts: number) {
    super(`registry record still conflicting after ${attempts} attempts for ${resourceIds.length} resource id(s)`);
    this.name = 'RegistryConflictError';
    this.resourceIds = resourceIds;
  }
}
