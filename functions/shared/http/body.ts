/**
 * Checks on the raw request body, made before any parsing: content type and size.
 */
import { MAX_BODY_BYTES } from '../limits.js';
import { RelayError } from '../huawei/errors.js';

/** `application/json`, any case, with or without parameters such as `charset=UTF-8`. */
const JSON_CONTENT_TYPE = /^application\/json\s*(;.*)?$/i;

export function assertJsonContentType(contentType: string | undefined): void {
  if (contentType === undefined || !JSON_CONTENT_TYPE.test(contentType.trim())) {
    throw new RelayError('unsupportedContentType', 'Content-Type: must be application/json');
  }
}

/** Size in bytes of the body as the client sent it (base64 bodies are measured decoded). */
export function rawBodyBytes(body: string | undefined, isBase64Encoded: boolean): number {
  if (body === undefined) return 0;
  return isBase64Encoded ? Buffer.from(body, 'base64').length : Buffer.byteLength(body, 'utf8');
}

export function assertBodySize(body: string | undefined, isBase64Encoded: boolean): void {
  const bytes = rawBodyBytes(body, isBase64Encoded);
  if (bytes > MAX_BODY_BYTES) {
    throw new RelayError('bodyTooLarge', `body: must be at most ${MAX_BODY_BYTES} bytes (got ${bytes})`);
  }
}

export function assertBodyPresent(body: string | undefined, isBase64Encoded: boolean): void {
  if (rawBodyBytes(body, isBase64Encoded) === 0) {
    throw new RelayError('malformedJson', 'body: required (a JSON document)');
  }
}
