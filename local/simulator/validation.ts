import { invalidParameter } from './error-codes.js';

/**
 * Field readers that implement Huawei's documented rules and its observed leniency (the simulator's own copy of
 * Huawei's rules, deliberately apart from the relay's functions/shared/limits.ts and schemas: an independent model
 * catches a wrong relay rule instead of sharing it): JSON `null` counts as
 * absent, booleans also accept the strings "true"/"false" (the modify-VMR seed's cURL example sends
 * `"allowGustFirst":"false"` and succeeds). Every failure is a 400 naming the field and the rule.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireObject(value: unknown, field: string): JsonObject {
  if (!isObject(value)) throw invalidParameter(field, 'must be a JSON object');
  return value;
}

export function requireArray(value: unknown, field: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) throw invalidParameter(field, 'must be a JSON array');
  if (value.length < min || value.length > max) {
    throw invalidParameter(field, `must contain ${min} to ${max} items (got ${value.length})`);
  }
  return value;
}

function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

export function optionalBoolean(obj: JsonObject, key: string, field = key): boolean | undefined {
  const value = obj[key];
  if (isAbsent(value)) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalidParameter(field, 'must be a boolean (true or false)');
}

export function optionalString(
  obj: JsonObject,
  key: string,
  rule: { min?: number; max?: number; pattern?: RegExp; patternRule?: string } = {},
  field = key,
): string | undefined {
  const value = obj[key];
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'string') throw invalidParameter(field, 'must be a string');
  checkString(value, rule, field);
  return value;
}

export function requireString(
  obj: JsonObject,
  key: string,
  rule: { min?: number; max?: number; pattern?: RegExp; patternRule?: string } = {},
  field = key,
): string {
  const value = optionalString(obj, key, rule, field);
  if (value === undefined) throw invalidParameter(field, 'is required');
  return value;
}

/** Length counts Unicode characters (code points), not UTF-16 units. */
export function checkString(
  value: string,
  rule: { min?: number; max?: number; pattern?: RegExp; patternRule?: string },
  field: string,
): void {
  const length = [...value].length;
  const { min, max } = rule;
  if ((min !== undefined && length < min) || (max !== undefined && length > max)) {
    const bounds = max === undefined ? `at least ${min}` : min === undefined ? `at most ${max}` : `${min} to ${max}`;
    throw invalidParameter(field, `must be ${bounds} characters long (got ${length})`);
  }
  if (rule.pattern !== undefined && !rule.pattern.test(value)) {
    throw invalidParameter(field, rule.patternRule ?? `must match ${rule.pattern.source}`);
  }
}

/** Integers must be JSON numbers (no numeric strings): our assumption, Huawei's coercion is unconfirmed. */
export function optionalInteger(
  obj: JsonObject,
  key: string,
  rule: { min?: number; max?: number } = {},
  field = key,
): number | undefined {
  const value = obj[key];
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalidParameter(field, 'must be an integer');
  checkRange(value, rule, field);
  return value;
}

export function requireInteger(obj: JsonObject, key: string, rule: { min?: number; max?: number } = {}, field = key): number {
  const value = optionalInteger(obj, key, rule, field);
  if (value === undefined) throw invalidParameter(field, 'is required');
  return value;
}

function checkRange(value: number, rule: { min?: number; max?: number }, field: string): void {
  if (rule.min !== undefined && value < rule.min) throw invalidParameter(field, `must be at least ${rule.min}`);
  if (rule.max !== undefined && value > rule.max) throw invalidParameter(field, `must be at most ${rule.max}`);
}

/** Reads an integer query parameter (query values are strings by nature). */
export function queryInteger(
  query: Record<string, string>,
  key: string,
  rule: { min?: number; max?: number } = {},
): number | undefined {
  const raw = query[key];
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d{1,16}$/.test(raw)) throw invalidParameter(key, 'must be an integer');
  const value = Number(raw);
  checkRange(value, rule, key);
  return value;
}

export function queryBoolean(query: Record<string, string>, key: string): boolean | undefined {
  const raw = query[key];
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw invalidParameter(key, 'must be true or false');
}

/** Ids that may go into paths: letters, digits, `-` and `_`, at most 64 characters. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const ID_RULE = 'must be 1 to 64 letters, digits, "-" or "_"';

export function checkPathId(value: string, field: string): string {
  if (!ID_PATTERN.test(value)) throw invalidParameter(field, ID_RULE);
  return value;
}
