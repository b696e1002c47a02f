/**
 * Request-body schemas of the relayed Huawei APIs, following the seed documents to the letter.
 *
 * Strict where the seeds are silent: unknown fields, `null` and wrong JSON types are refused, so a typo such as
 * `guestPwd` is reported instead of silently ignored (Huawei's own SDKs send only the documented fields).
 * Lenient exactly where the seeds show Huawei is: the modify-VMR cURL sends `"allowGustFirst":"false"`, so
 * boolean fields accept the strings "true" and "false" too. Validated bodies are relayed as the client wrote
 * them; `toBoolean` gives code that needs a real boolean (the registry) the normalised value.
 *
 * Written with zod's mini API (same package, same core and messages as the classic API): its functions are
 * tree-shaken, so a function that validates only these bodies bundles about 15 KiB of zod instead of 440 KiB and
 * imports it in a few ms instead of about 26 ms (docs/performance.md). Each check keeps the classic method's
 * meaning: `.min`/`.max` on strings are minLength/maxLength, on numbers minimum/maximum (>=, <=).
 */
import * as z from 'zod/mini';
import {
  EXPIRE_DATE_MAX_MS,
  EXPIRE_DATE_MIN_MS,
  MAX_RESOURCE_ITEMS,
  MIN_RESOURCE_ITEMS,
  PASSWORD_MAX_DIGITS,
  PASSWORD_MIN_DIGITS,
  PASSWORD_PATTERN,
  RESOURCE_ID_PATTERN,
  VMR_NAME_MAX_LENGTH,
  VMR_NAME_MIN_LENGTH,
} from '../limits.js';

/** The ten resource types of ModResourceDTO (the modify API lists no IDEA_HUB). */
export const RESOURCE_TYPES = [
  'VMR',
  'CONF_CALL',
  'HARD_1080P',
  'HARD_720P',
  'SOFT',
  'ROOM',
  'LIVE',
  'RECORD',
  'HARD_THIRD_PARTY',
  'HUAWEI_VISION',
] as const;

export type ResourceType = (typeof RESOURCE_TYPES)[number];

const PASSWORD_RULE = `must be ${PASSWORD_MIN_DIGITS} to ${PASSWORD_MAX_DIGITS} digits`;

/** "required" when absent, otherwise the rule the value breaks. */
function requiredOr(rule: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : rule);
}

/** A JSON boolean, or the strings "true"/"false" that Huawei also accepts (seed cURL). */
const lenientBoolean = z.union([z.boolean(), z.literal('true'), z.literal('false')], {
  error: 'must be true or false',
});

const strictBoolean = z.boolean({ error: 'must be true or false' });

export type LenientBoolean = z.infer<typeof lenientBoolean>;

export function toBoolean(value: LenientBoolean): boolean {
  return value === true || value === 'true';
}


const modVmrFields = z.strictObject(
  {
    vmrName: z
      .string({ error: `must be a string of ${VMR_NAME_MIN_LENGTH} to ${VMR_NAME_MAX_LENGTH} characters` })
      .check(
        z.minLength(VMR_NAME_MIN_LENGTH, { error: `must be ${VMR_NAME_MIN_LENGTH} to ${VMR_NAME_MAX_LENGTH} characters` }),
        z.maxLength(VMR_NAME_MAX_LENGTH, { error: `must be ${VMR_NAME_MIN_LENGTH} to ${VMR_NAME_MAX_LENGTH} characters` }),
      ),
    chairPwd: z
      .string({ error: `must be a string of ${PASSWORD_MIN_DIGITS} to ${PASSWORD_MAX_DIGITS} digits` })
      .check(z.regex(PASSWORD_PATTERN, { error: PASSWORD_RULE })),
    // "" means "no guest password".
    gustPwd: z
      .string({ error: `must be a string: empty (no guest password) or ${PASSWORD_MIN_DIGITS} to ${PASSWORD_MAX_DIGITS} digits` })
      .check(
        z.refine((value: string) => value === '' || PASSWORD_PATTERN.test(value), {
          error: `must be empty (no guest password) or ${PASSWORD_MIN_DIGITS} to ${PASSWORD_MAX_DIGITS} digits`,
        }),
      ),
    allowGustFirst: lenientBoolean,
    gustFirstNotice: lenientBoolean,
  },
  { error: 'must be a JSON object' },
);

/** Body of `PUT /v1/usg/dcs/member/vmr/{id}` (ModVmrDTO). Every field is optional. */
export const modVmrBodySchema = z.partial(modVmrFields);

export type ModVmrBody = z.infer<typeof modVmrBodySchema>;

const EXPIRE_DATE_RULE = 'must be an epoch timestamp in milliseconds (an integer of 13 digits)';

function modResourceItemSchemaWith<B extends z.ZodMiniType>(booleanSchema: B) {
  return z.strictObject(
    {
      id: z
        .string({ error: requiredOr('must be a string') })
        .check(z.regex(RESOURCE_ID_PATTERN, { error: 'must be 1 to 64 characters of A-Z, a-z, 0-9, _ or -' })),
      type: z.optional(z.enum(RESOURCE_TYPES, { error: `must be one of ${RESOURCE_TYPES.join(', ')}` })),
      expireDate: z.optional(
        z
          .number({ error: EXPIRE_DATE_RULE })
          .check(
            z.int({ error: EXPIRE_DATE_RULE }),
            z.minimum(EXPIRE_DATE_MIN_MS, { error: EXPIRE_DATE_RULE }),
            z.maximum(EXPIRE_DATE_MAX_MS, { error: EXPIRE_DATE_RULE }),
          ),
      ),
      isDisabled: z.optional(booleanSchema),
    },
    { error: 'must be a JSON object' },
  );
}

/**
 * One ModResourceDTO as the relay sends it to Huawei (booleans are real booleans). The SP API and the sweeper
 * build these.
 */
export const modResourceItemSchema = modResourceItemSchemaWith(strictBoolean);
export type ModResourceItem = z.infer<typeof modResourceItemSchema>;

/** One ModResourceDTO as a client may send it to the relay ("true"/"false" accepted, like Huawei). */
export const modResourceRequestItemSchema = modResourceItemSchemaWith(lenientBoolean);
export type ModResourceRequestItem = z.infer<typeof modResourceRequestItemSchema>;

const ITEMS_RULE = `must be a JSON array of ${MIN_RESOURCE_ITEMS} to ${MAX_RESOURCE_ITEMS} resources`;

/** Body of `PUT /v1/usg/dcs/sp/corp/{corp_id}/resource`: 1 to 100 ModResourceDTO items. */
export const modResourcesBodySchema = z
  .array(modResourceRequestItemSchema, { error: ITEMS_RULE })
  .check(z.minLength(MIN_RESOURCE_ITEMS, { error: ITEMS_RULE }), z.maxLength(MAX_RESOURCE_ITEMS, { error: ITEMS_RULE }));

export type ModResourcesBody = z.infer<typeof modResourcesBodySchema>;

/** The canonical item (real booleans) for a validated request item, for code that needs typed values. */
export function normaliseResourceItem(item: ModResourceRequestItem): ModResourceItem {
  const normalised: ModResourceItem = { id: item.id };
  if (item.type !== undefined) normalised.type = item.type;
  if (item.expireDate !== undefined) normalised.expireDate = item.expireDate;
  if (item.isDisabled !== undefined) normalised.isDisabled = toBoolean(item.isDisabled);
  return normalised;
}
