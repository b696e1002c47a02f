/**
 * Checks on the raw request body, made before any parsing: content type (and charset), size, presence and
 * encoding. JSON is UTF-8 (RFC 8259 section 8.1): a body in any other charset, or with bytes that are not UTF-8,
 * is refused rather than decoded lossily (a replaced byte would silently change the caller's data).
 */
import { MAX_BODY_BYTES } from '../limits.js';
import { RelayError } from './relay-errors.js';

/** `application/json`, any case, with or without parameters such as `charset=UTF-8`. */
const JSON_CONTENT_TYPE = /^application\/json\s*(;.*)?$/i;

/** `charset` values that name UTF-8 (WHATWG's label list has both). */
const UTF8_CHARSETS = new Set(['utf-8', 'utf8']);

export const CHARSET_RULE = 'Content-Type: charset must be UTF-8';
export const UTF8_BODY_RULE = 'body: must be UTF-8 text';

export function assertJsonContentType(contentType: string | undefined): void {
  if (contentType === undefined || !JSON_CONTENT_TYPE.test(contentType.trim())) {
    throw new RelayError('unsupportedContentType', 'Content-Type: must be application/json');
  }
  const charset = charsetOf(contentType);
  if (charset !== undefined && !UTF8_CHARSETS.has(charset.toLowerCase())) {
    throw new RelayError('unsupportedContentType', CHARSET_RULE);
  }
}

/** The `charset` parameter's value (quotes removed), if any. */
function charsetOf(contentType: string): string | undefined {
  for (const parameter of contentType.split(';').slice(1)) {
    const separator = parameter.indexOf('=');
    if (separator === -1 || parameter.slice(0, separator).trim().toLowerCase() !== 'charset') continue;
    return parameter.slice(separator + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** An unpaired UTF-16 surrogate: a string holding one has no UTF-8 encoding. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The body as text, refusing bytes that are not UTF-8 (400). API Gateway delivers a body it does not treat as
 * text base64-encoded: those bytes are decoded strictly here, never with replacement characters.
 */
export function utf8BodyText(body: string, isBase64Encoded: boolean): string {
  if (!isBase64Encoded) {
    if (LONE_SURROGATE.test(body)) throw new RelayError('malformedJson', UTF8_BODY_RULE);
    return body;
  }
  try {
    return STRICT_UTF8.decode(Buffer.from(body, 'base64'));
  } catch {
    throw new RelayError('malformedJson', UTF8_BODY_RULE);
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
