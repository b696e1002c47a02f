import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeIssues } from '../../functions/shared/http/issues.js';
import {
  RESOURCE_TYPES,
  modResourceItemSchema,
  modResourcesBodySchema,
  modVmrBodySchema,
  normaliseResourceItem,
} from '../../functions/shared/huawei/schemas.js';
import { MAX_ERROR_MESSAGE_LENGTH, MAX_RESOURCE_ITEMS } from '../../functions/shared/limits.js';

/** The error_msg the relay would answer, or 'ok'. */
function vmrVerdict(body: unknown): string {
  const result = modVmrBodySchema.safeParse(body);
  return result.success ? 'ok' : describeIssues(result.error.issues);
}

function resourcesVerdict(body: unknown): string {
  const result = modResourcesBodySchema.safeParse(body);
  return result.success ? 'ok' : describeIssues(result.error.issues);
}

const RESOURCE_ID = '733ff391f2a14360af3b93bd1325f9f9';

describe('modify-VMR body', () => {
  it('accepts the seed example request body exactly as written', () => {
    const seed = JSON.parse(`{
    "vmrName": "test's cloud meeting room",
    "chairPwd": "123456",
    "gustPwd": "654321",
    "allowGustFirst": false
}`);
    expect(vmrVerdict(seed)).toBe('ok');
  });

  it('accepts the seed cURL body with allowGustFirst as the string "false" and relays it unchanged', () => {
    const seed = JSON.parse('{"vmrName":"test","chairPwd":"123456","gustPwd":"654321","allowGustFirst":"false"}');
    const result = modVmrBodySchema.parse(seed);
    expect(result.allowGustFirst).toBe('false');
  });

  it('accepts an empty object, since every field is optional', () => {
    expect(vmrVerdict({})).toBe('ok');
  });

  it.each([
    ['4 digits', '1234'],
    ['16 digits', '1234567890123456'],
    ['leading zeros', '0000'],
  ])('accepts chairPwd with %s', (_label, chairPwd) => {
    expect(vmrVerdict({ chairPwd })).toBe('ok');
  });

  it.each([
    ['3 digits', '123'],
    ['17 digits', '12345678901234567'],
    ['letters', '12a456'],
    ['a space', '1234 56'],
    ['full-width digits', '１２３４'],
    ['an empty string', ''],
  ])('returns "chairPwd: must be 4 to 16 digits" when chairPwd has %s', (_label, chairPwd) => {
    expect(vmrVerdict({ chairPwd })).toBe('chairPwd: must be 4 to 16 digits');
  });

  it('refuses chairPwd given as a JSON number (leading zeros would be lost)', () => {
    expect(vmrVerdict({ chairPwd: 123456 })).toBe('chairPwd: must be a string of 4 to 16 digits');
  });

  it('accepts an empty gustPwd, meaning no guest password', () => {
    expect(vmrVerdict({ gustPwd: '' })).toBe('ok');
  });

  it.each([['123'], ['12345678901234567'], ['abcd']])('refuses gustPwd %j naming the empty-or-digits rule', (gustPwd) => {
    expect(vmrVerdict({ gustPwd })).toBe('gustPwd: must be empty (no guest password) or 4 to 16 digits');
  });

  it('accepts every 4 to 16 digit string as a password (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{4,16}$/), (pwd) => vmrVerdict({ chairPwd: pwd, gustPwd: pwd }) === 'ok'),
    );
  });

  it('refuses every password that is not 4 to 16 digits (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }).filter((value) => !/^[0-9]{4,16}$/.test(value)),
        (pwd) => vmrVerdict({ chairPwd: pwd }) === 'chairPwd: must be 4 to 16 digits',
      ),
    );
  });

  it('accepts vmrName of 1 and of 128 characters', () => {
    expect(vmrVerdict({ vmrName: 'a' })).toBe('ok');
    expect(vmrVerdict({ vmrName: 'a'.repeat(128) })).toBe('ok');
  });

  it('refuses vmrName that is empty or longer than 128 characters', () => {
    expect(vmrVerdict({ vmrName: '' })).toBe('vmrName: must be 1 to 128 characters');
    expect(vmrVerdict({ vmrName: 'a'.repeat(129) })).toBe('vmrName: must be 1 to 128 characters');
  });

  it('counts vmrName in characters, so 128 CJK or emoji characters fit and 129 do not', () => {
    expect(vmrVerdict({ vmrName: '会'.repeat(128) })).toBe('ok');
    expect(vmrVerdict({ vmrName: '😀'.repeat(128) })).toBe('ok');
    expect(vmrVerdict({ vmrName: '😀'.repeat(129) })).toBe('vmrName: must be 1 to 128 characters');
  });

  it.each([[true], [false], ['true'], ['false']])('accepts allowGustFirst and gustFirstNotice as %j', (value) => {
    expect(vmrVerdict({ allowGustFirst: value, gustFirstNotice: value })).toBe('ok');
  });

  it.each([['yes'], ['TRUE'], [1], [0], [null]])('refuses allowGustFirst %j as not true or false', (value) => {
    expect(vmrVerdict({ allowGustFirst: value })).toBe('allowGustFirst: must be true or false');
  });

  it('refuses null for a string field instead of treating it as absent', () => {
    expect(vmrVerdict({ vmrName: null })).toBe('vmrName: must be a string of 1 to 128 characters');
  });

  it('refuses an unknown field by name, so a typo is not silently ignored', () => {
    expect(vmrVerdict({ guestPwd: '1234' })).toBe('guestPwd: unknown field');
  });

  it('refuses __proto__ and constructor keys without touching any prototype', () => {
    const body = JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
    expect(vmrVerdict(body)).toBe('__proto__: unknown field; constructor: unknown field');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([[[]], [null], ['text'], [42]])('refuses a body that is not a JSON object (%j)', (body) => {
    expect(vmrVerdict(body)).toBe('body: must be a JSON object');
  });

  it('lists every broken field in one message, joined with "; "', () => {
    expect(vmrVerdict({ chairPwd: '1', vmrName: '' })).toBe('vmrName: must be 1 to 128 characters; chairPwd: must be 4 to 16 digits');
  });
});

describe('modify-resources body', () => {
  const item = { expireDate: 2549030400000, id: RESOURCE_ID, isDisabled: false, type: 'VMR' };

  it('accepts the seed example request body exactly as written', () => {
    const seed = JSON.parse(`[
    {
        "expireDate": 2549030400000,
        "id": "733ff391f2a14360af3b93bd1325f9f9",
        "isDisabled": false,
        "type": "VMR"
    }
]`);
    expect(resourcesVerdict(seed)).toBe('ok');
  });

  it('accepts an item with only its id (every other field is optional)', () => {
    expect(resourcesVerdict([{ id: RESOURCE_ID }])).toBe('ok');
  });

  it.each(RESOURCE_TYPES.map((type) => [type]))('accepts resource type %s', (type) => {
    expect(resourcesVerdict([{ id: RESOURCE_ID, type }])).toBe('ok');
  });

  it('refuses a type outside the ten documented ones, listing them', () => {
    expect(resourcesVerdict([{ id: RESOURCE_ID, type: 'IDEA_HUB' }])).toBe(`[0].type: must be one of ${RESOURCE_TYPES.join(', ')}`);
    expect(resourcesVerdict([{ id: RESOURCE_ID, type: 'vmr' }])).toContain('[0].type: must be one of VMR');
  });

  it('accepts 1 and 100 items', () => {
    expect(resourcesVerdict([item])).toBe('ok');
    expect(resourcesVerdict(Array.from({ length: MAX_RESOURCE_ITEMS }, () => item))).toBe('ok');
  });

  it('refuses 0 and 101 items', () => {
    expect(resourcesVerdict([])).toBe('body: must be a JSON array of 1 to 100 resources');
    expect(resourcesVerdict(Array.from({ length: 101 }, () => item))).toBe('body: must be a JSON array of 1 to 100 resources');
  });

  it('refuses a body that is an object rather than an array', () => {
    expect(resourcesVerdict(item)).toBe('body: must be a JSON array of 1 to 100 resources');
  });

  it('returns "[3].id: required" when the fourth item has no id', () => {
    expect(resourcesVerdict([item, item, item, { type: 'VMR' }])).toBe('[3].id: required');
  });

  it('refuses an id that is not a string or breaks the id rule', () => {
    expect(resourcesVerdict([{ id: 42 }])).toBe('[0].id: must be a string');
    expect(resourcesVerdict([{ id: '' }])).toBe('[0].id: must be 1 to 64 characters of A-Z, a-z, 0-9, _ or -');
    expect(resourcesVerdict([{ id: '../corp' }])).toBe('[0].id: must be 1 to 64 characters of A-Z, a-z, 0-9, _ or -');
    expect(resourcesVerdict([{ id: 'a'.repeat(65) }])).toBe('[0].id: must be 1 to 64 characters of A-Z, a-z, 0-9, _ or -');
  });

  it('accepts expireDate at the 13-digit millisecond bounds', () => {
    expect(resourcesVerdict([{ id: RESOURCE_ID, expireDate: 1_000_000_000_000 }])).toBe('ok');
    expect(resourcesVerdict([{ id: RESOURCE_ID, expireDate: 9_999_999_999_999 }])).toBe('ok');
  });

  it.each([
    ['a timestamp in seconds', 2549030400],
    ['a 14-digit number', 10_000_000_000_000],
    ['a fraction', 2549030400000.5],
    ['a negative number', -1],
    ['a numeric string', '2549030400000'],
  ])('refuses expireDate given as %s', (_label, expireDate) => {
    expect(resourcesVerdict([{ id: RESOURCE_ID, expireDate }])).toBe(
      '[0].expireDate: must be an epoch timestamp in milliseconds (an integer of 13 digits)',
    );
  });

  it('accepts isDisabled as a boolean or the strings "true"/"false", and refuses anything else', () => {
    expect(resourcesVerdict([{ id: RESOURCE_ID, isDisabled: true }])).toBe('ok');
    expect(resourcesVerdict([{ id: RESOURCE_ID, isDisabled: 'false' }])).toBe('ok');
    expect(resourcesVerdict([{ id: RESOURCE_ID, isDisabled: 'no' }])).toBe('[0].isDisabled: must be true or false');
  });

  it('refuses an unknown field inside an item by its path', () => {
    expect(resourcesVerdict([item, { id: RESOURCE_ID, count: 3 }])).toBe('[1].count: unknown field');
  });

  it('refuses an item that is not an object', () => {
    expect(resourcesVerdict([RESOURCE_ID])).toBe('[0]: must be a JSON object');
  });

  it('caps the message when many items are broken, saying how many more problems there are', () => {
    const message = resourcesVerdict(Array.from({ length: 100 }, () => ({ type: 'VMR' })));
    expect(message.length).toBeLessThanOrEqual(MAX_ERROR_MESSAGE_LENGTH + 30);
    expect(message.startsWith('[0].id: required; [1].id: required')).toBe(true);
    expect(message).toMatch(/; \.\.\. and \d+ more$/);
  });

  it('normalises "true"/"false" strings to booleans for code that needs typed items', () => {
    const normalised = normaliseResourceItem({ id: RESOURCE_ID, isDisabled: 'true', expireDate: 2549030400000 });
    expect(normalised).toEqual({ id: RESOURCE_ID, isDisabled: true, expireDate: 2549030400000 });
    expect(modResourceItemSchema.safeParse(normalised).success).toBe(true);
  });

  it('keeps the canonical item schema strict: the SP API never sends string booleans', () => {
    expect(modResourceItemSchema.safeParse({ id: RESOURCE_ID, isDisabled: 'false' }).success).toBe(false);
  });
});
