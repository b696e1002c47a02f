import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { z } from 'zod';
import { DEFAULT_HUAWEI_BASE_URL, parseHuaweiBaseUrl } from '../functions/shared/huawei/config.js';
import { SWEEP_DEFAULTS } from '../functions/sweep/config.js';
import { CORP_IDS_RULE, SYNC_DEFAULTS, parseCorpIds } from '../functions/sync/config.js';
import { DEFAULT_EXPIRY_NOTICE_DAYS, EXPIRY_NOTICE_DAYS_RANGE } from '../functions/notices/config.js';
import { RENEWAL_REENABLE_DEFAULT } from '../functions/resources/config.js';

/**
 * Deployment configuration, read from CDK context (`cdk.json` or `-c key=value`) and checked at synth time.
 * Values given with `-c` arrive as strings, so booleans and numbers also accept their string forms.
 * cdk.json repeats every default below so operators see them in one place; a test keeps the two equal.
 */

export const AUTHORIZATION_MODES = ['NONE', 'IAM'] as const;
export type AuthorizationMode = (typeof AUTHORIZATION_MODES)[number];

const RETENTION_DAYS: readonly number[] = Object.values(RetentionDays).filter((value) => typeof value === 'number');

/** `-c key=` gives an empty string and cdk.json may hold null: both mean "not set" for optional keys. */
function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional());
}

const booleanValue = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean({ error: 'must be true or false' }),
);

function numberValue(schema: z.ZodNumber) {
  return z.preprocess((value) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value), schema);
}

/**
 * EventBridge schedule expressions: `rate(1 minute)` (singular for 1, plural otherwise) or `cron(...)` with six
 * fields. EventBridge rejects the rest only at deploy time, so catch it at synth.
 */
const RATE_PATTERN = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON_PATTERN = /^cron\(\S+( \S+){5}\)$/;

function isScheduleExpression(value: string): boolean {
  const rate = RATE_PATTERN.exec(value);
  if (rate) {
    const amount = Number(rate[1]);
    const plural = rate[2]?.endsWith('s') ?? false;
    return amount >= 1 && plural === (amount !== 1);
  }
  return CRON_PATTERN.test(value);
}

/** A complete ARN (with Secrets Manager's 6-character suffix), so the sweeper's grant needs no wildcard. */
const COMPLETE_SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;

export const contextSchema = z.object({
  huaweiBaseUrl: z
    .string({ error: 'must be a string' })
    .default(DEFAULT_HUAWEI_BASE_URL)
    .transform((value, ctx) => {
      try {
        return parseHuaweiBaseUrl(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),
  sweepSchedule: z
    .string({ error: 'must be a string' })
    .refine(isScheduleExpression, {
      error: 'must be an EventBridge schedule such as "rate(1 minute)", "rate(5 minutes)" or "cron(0/5 * * * ? *)"',
    })
    .default('rate(1 minute)'),
  syncSchedule: z
    .string({ error: 'must be a string' })
    .refine(isScheduleExpression, {
      error: 'must be an EventBridge schedule such as "rate(1 hour)" or "cron(0 * * * ? *)"',
    })
    .default('rate(1 hour)'),
  syncFullSchedule: z
    .string({ error: 'must be a string' })
    .refine(isScheduleExpression, {
      error: 'must be an EventBridge schedule such as "cron(30 3 * * ? *)" or "rate(1 day)"',
    })
    .default('cron(30 3 * * ? *)'),
  authorizationMode: z.enum(AUTHORIZATION_MODES, { error: 'must be NONE or IAM' }).default('NONE'),
  throttlingRateLimit: numberValue(
    z.number({ error: 'must be a number' }).positive({ error: 'must be greater than 0' }).max(10_000, {
      error: 'must be at most 10000 (the default account quota)',
    }),
  ).default(50),
  throttlingBurstLimit: numberValue(
    z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(1, {
      error: 'must be at least 1',
    }).max(5_000, { error: 'must be at most 5000 (the default account quota)' }),
  ).default(100),
  logRetentionDays: numberValue(
    z.number({ error: 'must be a number' }).refine((days) => RETENTION_DAYS.includes(days), {
      error: `must be one of CloudWatch Logs' retention periods: ${RETENTION_DAYS.join(', ')}`,
    }),
  ).default(30),
  alarmEmail: optional(z.email({ error: 'must be an e-mail address' })),
  spCredentialsSecretArn: optional(
    z.string({ error: 'must be a string' }).regex(COMPLETE_SECRET_ARN, {
      error: 'must be the complete ARN of a Secrets Manager secret, including its 6-character suffix',
    }),
  ),
  // The functions' own defaults, so a stack without the key behaves as a function without the variable.
  sweepDryRun: booleanValue.default(SWEEP_DEFAULTS.dryRun),
  syncDryRun: booleanValue.default(SYNC_DEFAULTS.dryRun),
  renewalReenable: booleanValue.default(RENEWAL_REENABLE_DEFAULT),
  passthrough: booleanValue.default(true),
  syncCorpIds: z
    .string({ error: 'must be a string' })
    .default('')
    .transform((value, ctx) => {
      const parsed = parseCorpIds(value);
      if ('ids' in parsed) return parsed.ids;
      ctx.addIssue({ code: 'custom', message: `${CORP_IDS_RULE} (got "${parsed.invalid}")` });
      return z.NEVER;
    }),
  expiryNoticeDays: numberValue(
    z
      .number({ error: 'must be a whole number' })
      .int({ error: EXPIRY_NOTICE_DAYS_RANGE.rule })
      .min(EXPIRY_NOTICE_DAYS_RANGE.min, { error: EXPIRY_NOTICE_DAYS_RANGE.rule })
      .max(EXPIRY_NOTICE_DAYS_RANGE.max, { error: EXPIRY_NOTICE_DAYS_RANGE.rule }),
  ).default(DEFAULT_EXPIRY_NOTICE_DAYS),
});

export type StackConfig = z.output<typeof contextSchema>;
export type ContextKey = keyof typeof contextSchema.shape;
export const CONTEXT_KEYS = Object.keys(contextSchema.shape) as ContextKey[];

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses raw context values. Throws a ConfigError listing every bad key with its rule. */
export function parseConfig(raw: Partial<Record<ContextKey, unknown>>): StackConfig {
  const result = contextSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  - ${issue.path.map(String).join('.') || '(context)'}: ${issue.message}`);
  throw new ConfigError(
    `Invalid CDK context for meeting-relay (set values in cdk.json or with -c key=value):\n${lines.join('\n')}`,
  );
}

/** Reads every configuration key from a construct's context. */
export function configFromContext(node: Node): StackConfig {
  const raw: Partial<Record<ContextKey, unknown>> = {};
  for (const key of CONTEXT_KEYS) raw[key] = node.tryGetContext(key);
  return parseConfig(raw);
}
