import * as z from 'zod/mini';
import { SpCredentialsError } from './errors.js';

/**
 * The SP administrator's credentials: one JSON document, either an SP-mode App ID (Huawei's recommendation) or
 * a meeting account. Rules follow Huawei's documented limits; every message names the field and the rule and
 * never the value (zod does not echo input unless asked to).
 */

function text(options: { min: number; max?: number; trimmed?: boolean; noColon?: boolean }) {
  const length = options.max === undefined ? `at least ${options.min} character(s)` : `${options.min} to ${options.max} characters`;
  const checks: z.core.$ZodCheck<string>[] = [z.minLength(options.min, { error: `must be ${length}` })];
  if (options.max !== undefined) checks.push(z.maxLength(options.max, { error: `must be ${length}` }));
  if (options.trimmed) {
    // A trailing newline pasted into a secret is the commonest cause of a "wrong key" that is not wrong.
    checks.push(z.refine((value: string) => value === value.trim(), { error: 'must not start or end with whitespace' }));
  }
  if (options.noColon) {
    // Basic auth joins account and password with ":" (RFC 7617), so the account cannot contain one.
    checks.push(z.refine((value: string) => !value.includes(':'), { error: 'must not contain ":"' }));
  }
  return z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') }).check(...checks);
}

/** The `type` of an App ID credentials document. */
export const APP_ID_CREDENTIALS_TYPE = 'appId';

export const AppIdCredentialsSchema = z.object({
  type: z.literal(APP_ID_CREDENTIALS_TYPE),
  appId: text({ min: 1, max: 64, trimmed: true }),
  appKey: text({ min: 1, trimmed: true }),
});

export const AccountCredentialsSchema = z.object({
  type: z.literal('account'),
  account: text({ min: 1, max: 255, trimmed: true, noColon: true }),
  password: text({ min: 8, max: 32 }),
});

export const SpCredentialsSchema = z.discriminatedUnion('type', [AppIdCredentialsSchema, AccountCredentialsSchema], {
  error: (issue) => (issue.path?.length ? 'must be "appId" or "account"' : 'must be a JSON object with a "type" of "appId" or "account"'),
});

export type AppIdCredentials = z.infer<typeof AppIdCredentialsSchema>;
export type AccountCredentials = z.infer<typeof AccountCredentialsSchema>;
export type SpCredentials = z.infer<typeof SpCredentialsSchema>;
export type SpCredentialsType = SpCredentials['type'];

/**
 * Parses the credentials document. `origin` says where it came from (e.g. "SP_CREDENTIALS") so the message
 * tells the operator what to fix. Throws SpCredentialsError naming every offending field.
 */
export function parseSpCredentials(raw: string | Uint8Array, origin: string): SpCredentials {
  const textValue = typeof raw === 'string' ? raw : new TextDecoder('utf-8').decode(raw);
  let document: unknown;
  try {
    document = JSON.parse(textValue);
  } catch {
    // JSON.parse's own message quotes the text around the error, which would leak part of the secret.
    throw new SpCredentialsError(`SP credentials in ${origin} are not valid JSON`, []);
  }
  const result = SpCredentialsSchema.safeParse(document);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.map(String).join('.') : '(document)',
    rule: issue.message,
  }));
  const fields = [...new Set(problems.map((problem) => problem.field))];
  const details = problems.map((problem) => `${problem.field} ${problem.rule}`).join('; ');
  throw new SpCredentialsError(`SP credentials in ${origin} are invalid: ${details}`, fields);
}
