/**
 * Turns every failure into Huawei's error shape with a relay error code. A 500 never shows internals.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { RELAY_ERRORS, RelayError } from './relay-errors.js';
import type { RelayErrorKind } from './relay-errors.js';
import { UpstreamTimeoutError, UpstreamUnavailableError } from '../huawei/client.js';
import { RegistryConflictError, RegistryUnavailableError } from '../registry/errors.js';
import { errorResult } from './responses.js';

export interface MappedError {
  kind: RelayErrorKind;
  message: string;
  /** True for failures that are the relay's or the upstream's fault (logged as errors, not as refusals). */
  isFailure: boolean;
}

export function classifyError(error: unknown): MappedError {
  if (error instanceof RelayError) {
    return { kind: error.kind, message: error.message, isFailure: error.status >= 500 };
  }
  if (error instanceof UpstreamUnavailableError) {
    return {
      kind: 'upstreamUnavailable',
      message: `Huawei Cloud Meeting could not be reached (${error.attempts} attempt${error.attempts === 1 ? '' : 's'})`,
      isFailure: true,
    };
  }
  if (error instanceof UpstreamTimeoutError) {
    return { kind: 'upstreamTimeout', message: 'Huawei Cloud Meeting did not answer within the deadline', isFailure: true };
  }
  // Huawei may already have applied the update; the PUT is idempotent, so a retry repairs the registry.
  if (error instanceof RegistryUnavailableError) {
    return { kind: 'registryUnavailable', message: 'The resource registry is unavailable; retry the request', isFailure: true };
  }
  if (error instanceof RegistryConflictError) {
    return {
      kind: 'registryUnavailable',
      message: 'Concurrent updates of this resource did not settle; nothing is confirmed, retry the request',
      isFailure: true,
    };
  }
  if (fromPackage(error, '@middy/http-json-body-parser')) {
    // The parser's own message can quote the body (and so a password): never pass it on.
    return { kind: 'malformedJson', message: 'body: must be valid JSON', isFailure: false };
  }
  if (error instanceof Error && error.name === 'TimeoutError' && fromPackage(error, '@middy/core')) {
    return { kind: 'upstreamTimeout', message: 'Huawei Cloud Meeting did not answer within the deadline', isFailure: true };
  }
  return { kind: 'internal', message: RELAY_ERRORS.internal.meaning, isFailure: true };
}

export function errorResultFor(mapped: MappedError, requestId: string): APIGatewayProxyStructuredResultV2 {
  const definition = RELAY_ERRORS[mapped.kind];
  return errorResult(definition.status, definition.code, mapped.message, requestId);
}

function fromPackage(error: unknown, name: string): boolean {
  if (!(error instanceof Error)) return false;
  const cause = error.cause as { package?: unknown } | undefined;
  return typeof cause === 'object' && cause !== null && cause.package === name;
}
