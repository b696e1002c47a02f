/**
 * The three Huawei request headers the relay understands: X-Request-Id (forwarded, generated when absent),
 * X-Access-Token (required, forwarded as is, never logged) and Accept-Language (forwarded when Huawei supports it).
 * Header names arrive lowercased (API Gateway v2 and the header normaliser both do it).
 */
import { randomBytes } from 'node:crypto';
import { ACCESS_TOKEN_PATTERN, REQUEST_ID_PATTERN, SUPPORTED_LANGUAGES } from '../limits.js';
import { RelayError } from './relay-errors.js';

export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];

type Headers = Readonly<Record<string, string | undefined>>;

/** A request id in Huawei's own form: 32 lowercase hex characters (as in every documented Huawei answer). */
export function newRequestId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The client's X-Request-Id, or a new one in Huawei's form when it sent none. An invalid one is reported after the fact (the
 * error response still needs an id, so the caller gets a fresh one for it).
 */
export function readRequestId(headers: Headers): { requestId: string; invalid: boolean } {
  const raw = headers['x-request-id'];
  if (raw === undefined || raw === '') return { requestId: newRequestId(), invalid: false };
  if (!REQUEST_ID_PATTERN.test(raw)) return { requestId: newRequestId(), invalid: true };
  return { requestId: raw, invalid: false };
}

export const REQUEST_ID_RULE = 'X-Request-Id: must be 1 to 128 printable ASCII characters without spaces';

/** The access token, unchanged. Absent or blank: 401. Not token-shaped (e.g. two joined by a comma): 400. */
export function readAccessToken(headers: Headers): string {
  const raw = headers['x-access-token'];
  if (raw === undefined || raw.trim() === '') {
    throw new RelayError('missingAccessToken', 'X-Access-Token: required');
  }
  if (!ACCESS_TOKEN_PATTERN.test(raw)) {
    throw new RelayError('invalidHeader', 'X-Access-Token: must be 1 to 2048 characters of A-Z, a-z, 0-9 or ._~+/=-');
  }
  return raw;
}

/**
 * The language to forward, from an `Accept-Language` that may be a browser-style list
 * (`en-US,en;q=0.9`): the supported tag with the highest weight, matched case-insensitively. Anything else is
 * dropped rather than refused, so Huawei applies its default (zh-CN), as it would for an unknown value.
 */
export function pickLanguage(headers: Headers): SupportedLanguage | undefined {
  const raw = headers['accept-language'];
  if (raw === undefined) return undefined;
  let best: { language: SupportedLanguage; weight: number } | undefined;
  for (const part of raw.split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const language = SUPPORTED_LANGUAGES.find((supported) => supported.toLowerCase() === tag.trim().toLowerCase());
    if (language === undefined) continue;
    const weight = parseWeight(params);
    if (weight > 0 && (best === undefined || weight > best.weight)) best = { language, weight };
  }
  return best?.language;
}

function parseWeight(params: readonly string[]): number {
  for (const param of params) {
    const [name, value] = param.trim().split('=');
    if (name?.trim().toLowerCase() === 'q') {
      const weight = Number(value);
      return Number.isFinite(weight) ? weight : 0;
    }
  }
  return 1;
}
