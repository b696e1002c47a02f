/**
 * fast-check generators for requests to the relay's two routes: valid ones, and invalid ones that are a valid
 * request with exactly one defect, each carrying the answer the relay must give (status, error code, and the
 * field or header `error_msg` must name).
 *
 * Every limit comes from functions/shared/limits.ts and the schemas' own lists, so a changed limit moves the
 * generators with it. Valid requests use the simulator's demo data (ids that exist upstream), so a valid request
 * must be relayed and accepted.
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { RELAY_ERRORS } from '../../functions/shared/http/relay-errors.js';
import { modResourceRequestItemSchema, modVmrBodySchema, RESOURCE_TYPES } from '../../functions/shared/huawei/schemas.js';
import type { ModResourceRequestItem, ModVmrBody } from '../../functions/shared/huawei/schemas.js';
import {
  ACCESS_TOKEN_PATTERN,
  EXPIRE_DATE_MAX_MS,
  EXPIRE_DATE_MIN_MS,
  MAX_BODY_BYTES,
  MAX_RESOURCE_ITEMS,
  MIN_RESOURCE_ITEMS,
  PASSWORD_MAX_DIGITS,
  PASSWORD_MIN_DIGITS,
  PATH_PARAM_PATTERN,
  REQUEST_ID_PATTERN,
  SUPPORTED_LANGUAGES,
  VMR_NAME_MAX_LENGTH,
  VMR_NAME_MIN_LENGTH,
} from '../../functions/shared/limits.js';
import type { RelayErrorKind } from '../../functions/shared/http/relay-errors.js';

/** The upper bound of a pattern's `{min,max}` quantifier, read from the pattern itself. */
function maxLengthOf(pattern: RegExp): number {
  const max = Number(/\{\d+,(\d+)\}/.exec(pattern.source)?.[1]);
  if (!Number.isInteger(max)) throw new Error(`no {min,max} in ${pattern.source}`);
  return max;
}

export const PATH_PARAM_MAX_LENGTH = maxLengthOf(PATH_PARAM_PATTERN);
export const REQUEST_ID_MAX_LENGTH = maxLengthOf(REQUEST_ID_PATTERN);
export const ACCESS_TOKEN_MAX_LENGTH = maxLengthOf(ACCESS_TOKEN_PATTERN);

// ---------------------------------------------------------------------------------------------------------------
// Shapes

/** One request as API Gateway would hand it to the handler. */
export interface GeneratedRequest {
  /** Undefined: the event has no `pathParameters` at all. */
  pathParameters: Record<string, string> | undefined;
  headers: Record<string, string>;
  /** Keep the header names' case (API Gateway lowercases; the handler must cope either way). */
  keepHeaderCase: boolean;
  /** Raw body text, undefined for none. */
  body: string | undefined;
  /** Deliver the body base64-encoded (as API Gateway does for non-text content types). */
  base64: boolean;
}

/** What the relay must answer to an invalid request. */
export interface ExpectedRefusal {
  /** Short label of the defect, for failure messages. */
  defect: string;
  kind: RelayErrorKind;
  /** Text `error_msg` must contain: the field path (`[3].expireDate`, `vmrName`, `body`) or the header name. */
  names: string;
}

export interface InvalidRequest extends GeneratedRequest {
  expected: ExpectedRefusal;
}

export interface ValidRequest extends GeneratedRequest {
  /** The parsed body the relay must send upstream (before the registry normalises booleans). */
  parsedBody: unknown;
}

/** What one route needs from the caller of these generators. */
export interface RouteFixture {
  /** Name of the route's one path parameter (`id`, `corp_id`). */
  paramName: string;
  /** Path parameter values a valid request may carry (they exist upstream and the token may change them). */
  validParams: readonly string[];
  /** Access token of a caller allowed to make the change. */
  token: string;
  validBody: Arbitrary<unknown>;
  invalidBody: Arbitrary<BodyDefect>;
}

/** An invalid body: its text and the refusal it must get. */
export interface BodyDefect {
  text: string;
  expected: ExpectedRefusal;
}

export function expectedStatus(expected: ExpectedRefusal): number {
  return RELAY_ERRORS[expected.kind].status;
}

export function expectedCode(expected: ExpectedRefusal): string {
  return RELAY_ERRORS[expected.kind].code;
}

// ---------------------------------------------------------------------------------------------------------------
// Building blocks

/** Any safe integer in [min, max] (fc.integer stops at 32 bits; epoch milliseconds need more). */
export function safeInteger(min: number, max: number): Arbitrary<number> {
  return fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number);
}

/** An integer in [min, max], with both ends given extra weight (one draw in four is an end). */
export function boundedInteger(min: number, max: number): Arbitrary<number> {
  return fc.oneof({ weight: 1, arbitrary: fc.constantFrom(min, max) }, { weight: 3, arbitrary: safeInteger(min, max) });
}

/** A string of exactly `length` units drawn from `unit`. */
function stringOfLength(unit: Arbitrary<string>, length: number): Arbitrary<string> {
  return fc.array(unit, { minLength: length, maxLength: length }).map((units) => units.join(''));
}

/** A string of `min`..`max` units from `unit`, the two boundary lengths weighted. */
export function stringBetween(unit: Arbitrary<string>, min: number, max: number): Arbitrary<string> {
  return boundedInteger(min, max).chain((length) => stringOfLength(unit, length));
}

const DIGITS = '0123456789';
const digit = fc.constantFrom(...DIGITS.split(''));

/**
 * Characters that trip up naive code: right-to-left text and overrides, zero-width and joiner characters, a BOM,
 * full-width letters and digits, other scripts' digits, combining marks, emoji (astral, two UTF-16 units), lone
 * surrogates, controls and JSON/URL/path punctuation. Each is one code point.
 */
export const UNICODE_EDGE_CHARACTERS: readonly string[] = [
  '\u202e', // right-to-left override
  '\u200f', // right-to-left mark
  'ع', // Arabic letter
  'ש', // Hebrew letter
  '\u200b', // zero-width space
  '\u200d', // zero-width joiner
  '\u2060', // word joiner
  '\ufeff', // byte-order mark
  'Ａ', // full-width A
  '１', // full-width digit one
  '٣', // Arabic-Indic digit three
  '۳', // extended Arabic-Indic digit three
  '\u0301', // combining acute accent
  '😀', // astral: two UTF-16 code units
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  '\u0000',
  '\u0007',
  '\n',
  '\r',
  '\t',
  '\u007f',
  '\u0085', // next line
  '\u2028', // line separator
  '"',
  '\\',
  '/',
  '.',
  '%',
  '@',
  ':',
  '?',
  '#',
  ' ',
  '<',
  '>',
];

/** One code point: an edge character, any code point, or plain ASCII. */
export const anyCharacter: Arbitrary<string> = fc.oneof(
  fc.constantFrom(...UNICODE_EDGE_CHARACTERS),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
);

/** Printable ASCII without space: the characters of a valid X-Request-Id. */
const requestIdCharacter = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code));

const pathParamCharacter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'.split(''));

/** A JSON value of the wrong type for a string field (numbers, booleans, null, arrays, objects). */
const notAString: Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
);

/** Neither `true`/`false` nor the strings "true"/"false". */
const notALenientBoolean: Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('TRUE', 'False', 'yes', 'no', '1', '0', '', ' true', 'true ', 1, 0, null, [], {}),
  fc.string().filter((value) => value !== 'true' && value !== 'false'),
  fc.integer(),
);

const lenientBoolean = fc.constantFrom<boolean | 'true' | 'false'>(true, false, 'true', 'false');

// ---------------------------------------------------------------------------------------------------------------
// Path parameters

/**
 * Path parameter values the relay must refuse: traversal (decoded and still encoded, as API Gateway may hand
 * either), encoded and plain slashes, host-changing forms (`@host`, absolute URLs, `//host`), query and fragment
 * characters, control characters, other scripts, and lengths past the limit.
 */
export const invalidPathParam: Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '.',
    '..',
    '%2e%2e',
    '%2E%2E',
    '..%2F..%2Fadmin',
    '../../v1/usg/dcs/sp/corp',
    '..\\..\\x',
    'a/b',
    'a%2Fb',
    'a%2fb',
    '%252e%252e',
    '@evil.example',
    'user@evil.example',
    'evil.example:443',
    'http://evil.example',
    'https:%2F%2Fevil.example',
    '//evil.example',
    'a?limit=1000',
    'a#frag',
    'a b',
    'a\u0000b',
    'a\r\nX-Injected: 1',
    'ｆｆ８０', // full-width
    '١٢٣٤', // Arabic-Indic digits
    'ab\u200bcd', // zero-width space
    '\u202eabc', // RTL override
    'a\ud800', // lone surrogate
  ),
  // Too long: one past the limit, or much more.
  fc.integer({ min: PATH_PARAM_MAX_LENGTH + 1, max: PATH_PARAM_MAX_LENGTH * 8 }).chain((length) => stringOfLength(pathParamCharacter, length)),
  // Otherwise fine characters with at least one that is not allowed.
  fc
    .tuple(stringBetween(pathParamCharacter, 0, 20), anyCharacter, stringBetween(pathParamCharacter, 0, 20))
    .map(([before, bad, after]) => `${before}${bad}${after}`)
    .filter((value) => !PATH_PARAM_PATTERN.test(value)),
);

// ---------------------------------------------------------------------------------------------------------------
// Headers

const VALID_CONTENT_TYPES = [
  'application/json',
  'application/json;charset=UTF-8',
  'application/json; charset=utf-8',
  'Application/JSON',
  'APPLICATION/JSON;CHARSET=UTF-8',
  'application/json ; charset=UTF-8',
] as const;

/** Content types the relay must refuse (415). `base64` says how API Gateway delivers a body of that type. */
const INVALID_CONTENT_TYPES: ReadonlyArray<{ value: string; base64: boolean }> = [
  { value: 'text/plain', base64: false },
  { value: 'text/json', base64: false },
  { value: 'application/x-www-form-urlencoded', base64: true },
  { value: 'multipart/form-data; boundary=xyz', base64: true },
  { value: 'application/xml', base64: false },
  { value: 'application/jsonp', base64: false },
  { value: 'application/json-patch+json', base64: false },
  { value: 'application/problem+json', base64: false },
  { value: 'application/json,text/plain', base64: false }, // two headers joined by API Gateway
  { value: 'json', base64: true },
  { value: '', base64: true },
  { value: 'application/octet-stream', base64: true },
];

/** Accept-Language values, supported or not: never a reason to refuse. */
const anyAcceptLanguage: Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SUPPORTED_LANGUAGES, 'en-us', 'fr-FR,en-US;q=0.8', 'de-DE', '*', 'zh-CN;q=0', 'en-US;q=abc', ''),
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
);

/** The header set of a valid request: the token, a JSON content type, optionally a request id and a language. */
function validHeaders(token: string): Arbitrary<{ headers: Record<string, string>; keepHeaderCase: boolean }> {
  return fc
    .record({
      contentType: fc.constantFrom(...VALID_CONTENT_TYPES),
      requestId: fc.option(stringBetween(requestIdCharacter, 1, REQUEST_ID_MAX_LENGTH), { nil: undefined }),
      language: fc.option(anyAcceptLanguage, { nil: undefined }),
      capitalised: fc.boolean(),
    })
    .map(({ contentType, requestId, language, capitalised }) => {
      const name = (lower: string, capital: string) => (capitalised ? capital : lower);
      const headers: Record<string, string> = {
        [name('content-type', 'Content-Type')]: contentType,
        [name('x-access-token', 'X-Access-Token')]: token,
      };
      if (requestId !== undefined) headers[name('x-request-id', 'X-Request-Id')] = requestId;
      if (language !== undefined) headers[name('accept-language', 'Accept-Language')] = language;
      return { headers, keepHeaderCase: capitalised };
    });
}

/** Changes to a valid request's headers that make it invalid, with the refusal each must get. */
function headerDefect(token: string): Arbitrary<{ apply: (request: GeneratedRequest) => void; expected: ExpectedRefusal }> {
  const setHeader = (name: string, value: string | undefined) => (request: GeneratedRequest) => {
    for (const existing of Object.keys(request.headers)) {
      if (existing.toLowerCase() === name) delete request.headers[existing];
    }
    if (value !== undefined) request.headers[name] = value;
  };
  const badTokens: Arbitrary<string> = fc.oneof(
    fc.constantFrom(`${token},${token}`, `${token}, ${token}`, `Bearer ${token}`, `${token}\n`, `${token}\u0000`, `"${token}"`, `${token};`),
    fc.integer({ min: ACCESS_TOKEN_MAX_LENGTH + 1, max: ACCESS_TOKEN_MAX_LENGTH * 2 }).map((length) => 'a'.repeat(length)),
    fc
      .tuple(fc.nat({ max: token.length }), anyCharacter)
      .map(([at, bad]) => `${token.slice(0, at)}${bad}${token.slice(at)}`)
      .filter((value) => value.trim() !== '' && !ACCESS_TOKEN_PATTERN.test(value)),
  );
  const badRequestIds: Arbitrary<string> = fc.oneof(
    fc.integer({ min: REQUEST_ID_MAX_LENGTH + 1, max: REQUEST_ID_MAX_LENGTH * 4 }).map((length) => 'r'.repeat(length)),
    fc
      .tuple(stringBetween(requestIdCharacter, 0, 10), anyCharacter, stringBetween(requestIdCharacter, 0, 10))
      .map(([before, bad, after]) => `${before}${bad}${after}`)
      .filter((value) => value !== '' && !REQUEST_ID_PATTERN.test(value)),
  );
  return fc.oneof(
    fc.constant({
      apply: setHeader('x-access-token', undefined),
      expected: { defect: 'X-Access-Token missing', kind: 'missingAccessToken' as const, names: 'X-Access-Token' },
    }),
    fc.constantFrom('', ' ', '\t').map((blank) => ({
      apply: setHeader('x-access-token', blank),
      expected: { defect: 'X-Access-Token blank', kind: 'missingAccessToken' as const, names: 'X-Access-Token' },
    })),
    badTokens.map((bad) => ({
      apply: setHeader('x-access-token', bad),
      expected: { defect: 'X-Access-Token malformed', kind: 'invalidHeader' as const, names: 'X-Access-Token' },
    })),
    badRequestIds.map((bad) => ({
      apply: setHeader('x-request-id', bad),
      expected: { defect: 'X-Request-Id malformed', kind: 'invalidHeader' as const, names: 'X-Request-Id' },
    })),
    fc.constant({
      apply: setHeader('content-type', undefined),
      expected: { defect: 'Content-Type missing', kind: 'unsupportedContentType' as const, names: 'Content-Type' },
    }),
    fc.constantFrom(...INVALID_CONTENT_TYPES).map(({ value, base64 }) => ({
      apply: (request: GeneratedRequest) => {
        setHeader('content-type', value)(request);
        request.base64 = base64;
      },
      expected: { defect: `Content-Type ${JSON.stringify(value)}`, kind: 'unsupportedContentType' as const, names: 'Content-Type' },
    })),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Bodies shared by both routes

/** Inserts `"key": valueText` into the JSON text of an object. */
export function withExtraKey(objectText: string, key: string, valueText: string): string {
  const member = `${JSON.stringify(key)}:${valueText}`;
  return objectText === '{}' ? `{${member}}` : `${objectText.slice(0, -1)},${member}}`;
}

/** Text that is not one JSON document. `validText` is a valid body to break. */
function malformedJson(validText: Arbitrary<string>): Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      ' ',
      '\n\t ',
      '{',
      '[',
      '{"vmrName":"x",}',
      '[{"id":"a",}]',
      "{'vmrName':'x'}",
      '{vmrName:"x"}',
      '{"expireDate":NaN}',
      '[{"expireDate":Infinity}]',
      '{"a":1}/* comment */',
      '// comment\n{}',
      '{}{}',
      '[][]',
      'undefined',
      'True',
      '\ufeff{}', // byte-order mark before the document
      '{"vmrName":"a\u0001b"}', // raw control character inside a string
      '{"a":"\\x41"}',
      '{"a":01}',
      '[1,2,,3]',
    ),
    // A valid document cut short.
    validText.chain((text) =>
      text.length < 2 ? fc.constant('{') : fc.integer({ min: 1, max: text.length - 1 }).map((end) => text.slice(0, end)),
    ).filter((text) => !isJson(text)),
    // Deep nesting left open.
    fc.integer({ min: 2, max: 5_000 }).map((depth) => '['.repeat(depth)),
  );
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A body over MAX_BODY_BYTES: valid JSON padded, invalid JSON, or multi-byte characters counted in bytes. */
function oversizedBody(validText: Arbitrary<string>): Arbitrary<string> {
  return fc.oneof(
    fc.tuple(validText, fc.integer({ min: 1, max: 2_000 })).map(([text, extra]) => text + ' '.repeat(MAX_BODY_BYTES - Buffer.byteLength(text) + extra)),
    fc.integer({ min: 1, max: 2_000 }).map((extra) => '{'.repeat(MAX_BODY_BYTES + extra)),
    // 4 bytes per character but 2 UTF-16 units: over the limit in bytes while under it in .length.
    fc.constant(`{"vmrName":"${'😀'.repeat(Math.ceil(MAX_BODY_BYTES / 4) + 1)}"}`),
  );
}

/** Defects any JSON route refuses before looking at the schema. */
function syntaxDefects(validText: Arbitrary<string>): Arbitrary<BodyDefect> {
  return fc.oneof(
    { weight: 3, arbitrary: malformedJson(validText).map((text) => ({ text, expected: { defect: 'malformed JSON', kind: 'malformedJson' as const, names: 'body' } })) },
    { weight: 1, arbitrary: fc.constant({ text: '', expected: { defect: 'empty body', kind: 'malformedJson' as const, names: 'body' } }) },
    { weight: 1, arbitrary: oversizedBody(validText).map((text) => ({ text, expected: { defect: 'body over the limit', kind: 'bodyTooLarge' as const, names: 'body' } })) },
  );
}

/** Keys that are not fields of the DTO (`known`), prototype-polluting ones first. */
function unknownKey(known: readonly string[]): Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'),
    fc
      .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_'.split('')), minLength: 1, maxLength: 20 })
      .filter((key) => !known.includes(key)),
  );
}

const VMR_FIELDS = Object.keys(modVmrBodySchema.shape);
const RESOURCE_ITEM_FIELDS = Object.keys(modResourceRequestItemSchema.shape);

/** JSON text of a value nested `depth` arrays deep. */
function nestedArrays(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** Nesting depths whose text leaves room for the rest of a body (up to 99 other items) under MAX_BODY_BYTES. */
const deepNesting = fc.integer({ min: 2, max: Math.floor((MAX_BODY_BYTES - 16 * 1024) / 2) });

// ---------------------------------------------------------------------------------------------------------------
// Modify VMR

/** Valid vmrName: 1 to 128 code points of anything, unicode edge cases included. */
export const validVmrName = stringBetween(anyCharacter, VMR_NAME_MIN_LENGTH, VMR_NAME_MAX_LENGTH);
export const validPassword = stringBetween(digit, PASSWORD_MIN_DIGITS, PASSWORD_MAX_DIGITS);

/** One generator per ModVmrDTO field; a field added to the schema fails the type check here until it has one. */
const vmrFieldValues = {
  vmrName: validVmrName,
  chairPwd: validPassword,
  gustPwd: fc.oneof(fc.constant(''), validPassword),
  allowGustFirst: lenientBoolean,
  gustFirstNotice: lenientBoolean,
} satisfies { [K in keyof Required<ModVmrBody>]: Arbitrary<ModVmrBody[K]> };

/** Valid ModVmrDTO bodies: any subset of the fields (the empty object included). */
export const validVmrBody: Arbitrary<Record<string, unknown>> = fc.record(vmrFieldValues, { requiredKeys: [] });

/** Strings that are not 4 to 16 ASCII digits. */
const invalidPassword: Arbitrary<string> = fc.oneof(
  stringBetween(digit, 0, PASSWORD_MIN_DIGITS - 1).filter((value) => value !== ''),
  stringBetween(digit, PASSWORD_MAX_DIGITS + 1, PASSWORD_MAX_DIGITS * 3),
  fc.constantFrom('１２３４５６', '١٢٣٤٥٦', '۱۲۳۴', '12 34', ' 1234', '1234 ', '+1234', '-1234', '1234\n', '12.34', '1e10', 'abcd', '123٤'),
  fc
    .tuple(stringBetween(digit, 2, 8), anyCharacter, stringBetween(digit, 2, 8))
    .map(([before, bad, after]) => `${before}${bad}${after}`)
    .filter((value) => !/^[0-9]*$/.test(value)),
);

// Lengths count code points, as the schema does: two lone surrogate units drawn side by side pair up into one code
// point, so a draw of 129 units can hold only 128 characters (seed 1321140646 found it).
const tooLongVmrName = fc
  .integer({ min: VMR_NAME_MAX_LENGTH + 1, max: VMR_NAME_MAX_LENGTH * 3 })
  .chain((length) => stringOfLength(anyCharacter, length))
  .filter((value) => [...value].length > VMR_NAME_MAX_LENGTH);

type FieldDefect = { field: string; value: unknown; defect: string };

const vmrFieldDefect: Arbitrary<FieldDefect> = fc.oneof(
  notAString.map((value) => ({ field: 'vmrName', value, defect: 'vmrName not a string' })),
  fc.constant({ field: 'vmrName', value: '', defect: 'vmrName empty' }),
  tooLongVmrName.map((value) => ({ field: 'vmrName', value, defect: 'vmrName too long' })),
  fc.oneof(notAString, invalidPassword).map((value) => ({ field: 'chairPwd', value, defect: 'chairPwd not 4-16 digits' })),
  fc
    .oneof(notAString, invalidPassword)
    .filter((value) => value !== '')
    .map((value) => ({ field: 'gustPwd', value, defect: 'gustPwd not empty or 4-16 digits' })),
  fc.constantFrom('allowGustFirst', 'gustFirstNotice').chain((field) =>
    notALenientBoolean.map((value) => ({ field, value, defect: `${field} not a boolean` })),
  ),
  deepNesting.map((depth) => ({ field: 'vmrName', value: { __nested: depth }, defect: 'vmrName deeply nested' })),
);

/** JSON text of a value, expanding the deep-nesting marker without building the structure in memory. */
function valueText(value: unknown): string {
  if (typeof value === 'object' && value !== null && '__nested' in value) return nestedArrays((value as { __nested: number }).__nested);
  return JSON.stringify(value);
}

/** Invalid ModVmrDTO bodies, each with exactly one defect. */
export const invalidVmrBody: Arbitrary<BodyDefect> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.tuple(validVmrBody, vmrFieldDefect).map(([body, { field, value, defect }]) => {
      const rest = { ...body };
      delete rest[field];
      return { text: withExtraKey(JSON.stringify(rest), field, valueText(value)), expected: { defect, kind: 'invalidBody' as const, names: field } };
    }),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(validVmrBody, unknownKey(VMR_FIELDS), fc.oneof(fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)), deepNesting.map(nestedArrays))).map(
      ([body, key, value]) => ({
        text: withExtraKey(JSON.stringify(body), key, value),
        expected: { defect: `unknown key ${key}`, kind: 'invalidBody' as const, names: `${key}: unknown field` },
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.array(validVmrBody, { maxLength: 3 }).map((value) => JSON.stringify(value)),
        fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)).map((value) => JSON.stringify(value)),
        deepNesting.map(nestedArrays),
      )
      .map((text) => ({ text, expected: { defect: 'body not an object', kind: 'invalidBody' as const, names: 'body' } })),
  },
  { weight: 2, arbitrary: syntaxDefects(validVmrBody.map((body) => JSON.stringify(body))) },
);

// ---------------------------------------------------------------------------------------------------------------
// Modify enterprise resources

/** A resource that exists upstream: its id and its one type. */
export interface KnownResource {
  id: string;
  type: (typeof RESOURCE_TYPES)[number];
}

export const validExpireDate = boundedInteger(EXPIRE_DATE_MIN_MS, EXPIRE_DATE_MAX_MS);

/** The changeable ModResourceDTO fields (id and type name the resource); checked against the schema's type. */
const resourceChangeValues = {
  expireDate: validExpireDate,
  isDisabled: lenientBoolean,
} satisfies { [K in Exclude<keyof ModResourceRequestItem, 'id' | 'type'>]-?: Arbitrary<NonNullable<ModResourceRequestItem[K]>> };

/** A valid ModResourceDTO for a known resource: with or without its type, any subset of the changes. */
export function validResourceItem(resources: readonly KnownResource[]): Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      resource: fc.constantFrom(...resources),
      withType: fc.boolean(),
      change: fc.record(resourceChangeValues, { requiredKeys: [] }),
    })
    .map(({ resource, withType, change }) => ({ id: resource.id, ...(withType ? { type: resource.type } : {}), ...change }));
}

/** 1 to 100 valid items: both ends weighted, and mostly short (as real updates are, and cheaper to record). */
export function validResourceItems(resources: readonly KnownResource[]): Arbitrary<Array<Record<string, unknown>>> {
  const length = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(MIN_RESOURCE_ITEMS, MAX_RESOURCE_ITEMS) },
    { weight: 3, arbitrary: fc.integer({ min: MIN_RESOURCE_ITEMS, max: Math.min(10, MAX_RESOURCE_ITEMS) }) },
    { weight: 1, arbitrary: fc.integer({ min: MIN_RESOURCE_ITEMS, max: MAX_RESOURCE_ITEMS }) },
  );
  return length.chain((n) => fc.array(validResourceItem(resources), { minLength: n, maxLength: n }));
}

const invalidExpireDate: Arbitrary<unknown> = fc.oneof(
  safeInteger(0, EXPIRE_DATE_MIN_MS - 1), // seconds, or too early
  fc.constantFrom(EXPIRE_DATE_MIN_MS - 1, EXPIRE_DATE_MAX_MS + 1, Math.floor(Date.now() / 1000), -1, -EXPIRE_DATE_MIN_MS),
  safeInteger(EXPIRE_DATE_MAX_MS + 1, Number.MAX_SAFE_INTEGER),
  fc.double({ min: EXPIRE_DATE_MIN_MS, max: EXPIRE_DATE_MAX_MS, noNaN: true }).filter((value) => !Number.isInteger(value)),
  fc.constantFrom(1e300, -0.5, 1.5),
  validExpireDate.map((value) => String(value)), // numeric string
  fc.constantFrom(null, true, [], {}),
);

const invalidResourceType: Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('IDEA_HUB', 'vmr', 'Vmr', 'VMR ', '', 'SOFT\u0000', 'ＶＭＲ', null, 1, [], {}),
  fc.string({ maxLength: 12 }).filter((value) => !(RESOURCE_TYPES as readonly string[]).includes(value)),
);

function resourceFieldDefect(): Arbitrary<FieldDefect> {
  return fc.oneof(
    fc.oneof(notAString, invalidPathParam).map((value) => ({ field: 'id', value, defect: 'id invalid' })),
    fc.constant({ field: 'id', value: undefined, defect: 'id missing' }),
    invalidResourceType.map((value) => ({ field: 'type', value, defect: 'type invalid' })),
    invalidExpireDate.map((value) => ({ field: 'expireDate', value, defect: 'expireDate invalid' })),
    notALenientBoolean.map((value) => ({ field: 'isDisabled', value, defect: 'isDisabled not a boolean' })),
    deepNesting.map((depth) => ({ field: 'expireDate', value: { __nested: depth }, defect: 'expireDate deeply nested' })),
  );
}

/** Inserts `itemText` at `index` into the JSON text of an array of items. */
function itemsText(items: readonly Record<string, unknown>[], index: number, itemText: string): string {
  const texts = items.map((item) => JSON.stringify(item));
  texts.splice(index, 0, itemText);
  return `[${texts.join(',')}]`;
}

/** Invalid modify-resources bodies, each with exactly one defect. */
export function invalidResourcesBody(resources: readonly KnownResource[]): Arbitrary<BodyDefect> {
  const validItem = validResourceItem(resources);
  // Room for one more item: the defect goes into an array that is otherwise valid and not over the limit.
  const others = fc.array(validItem, { maxLength: MAX_RESOURCE_ITEMS - 1, size: 'medium' });
  const placed = <T>(defect: Arbitrary<T>) =>
    fc.tuple(others, defect).chain(([items, value]) => fc.nat({ max: items.length }).map((index) => ({ items, value, index })));

  return fc.oneof(
    {
      weight: 5,
      arbitrary: placed(fc.tuple(validItem, resourceFieldDefect())).map(({ items, value: [item, { field, value, defect }], index }) => {
        const rest = { ...item };
        delete rest[field];
        const text = value === undefined ? JSON.stringify(rest) : withExtraKey(JSON.stringify(rest), field, valueText(value));
        return { text: itemsText(items, index, text), expected: { defect, kind: 'invalidBody' as const, names: `[${index}].${field}` } };
      }),
    },
    {
      weight: 2,
      arbitrary: placed(fc.tuple(validItem, unknownKey(RESOURCE_ITEM_FIELDS))).map(({ items, value: [item, key], index }) => ({
        text: itemsText(items, index, withExtraKey(JSON.stringify(item), key, '{"polluted":true}')),
        expected: { defect: `unknown key ${key}`, kind: 'invalidBody' as const, names: `[${index}].${key}: unknown field` },
      })),
    },
    {
      weight: 1,
      arbitrary: placed(fc.oneof(notAString.filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)), fc.string())).map(
        ({ items, value, index }) => ({
          text: itemsText(items, index, JSON.stringify(value)),
          expected: { defect: 'item not an object', kind: 'invalidBody' as const, names: `[${index}]` },
        }),
      ),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          fc.constant('[]'),
          fc
            .integer({ min: MAX_RESOURCE_ITEMS + 1, max: MAX_RESOURCE_ITEMS + 30 })
            .chain((length) => fc.array(validItem, { minLength: length, maxLength: length }))
            .map((items) => JSON.stringify(items)),
          validItem.map((item) => JSON.stringify(item)), // one item, not in an array
          fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)).map((value) => JSON.stringify(value)),
          fc.constant('{"__proto__":[]}'),
        )
        .map((text) => ({ text, expected: { defect: 'body not an array of 1 to 100 items', kind: 'invalidBody' as const, names: 'body' } })),
    },
    { weight: 2, arbitrary: syntaxDefects(validResourceItems(resources).map((items) => JSON.stringify(items))) },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Whole requests

function base(fixture: RouteFixture, body: string, param: string): Arbitrary<GeneratedRequest> {
  return fc.tuple(validHeaders(fixture.token), fc.nat({ max: 9 })).map(([{ headers, keepHeaderCase }, dice]) => ({
    pathParameters: { [fixture.paramName]: param },
    headers,
    keepHeaderCase,
    body,
    // Now and then a JSON body arrives base64-encoded; the relay must decode it the same way.
    base64: dice === 0,
  }));
}

/** Valid requests for a route: they must be relayed and accepted. */
export function validRequest(fixture: RouteFixture): Arbitrary<ValidRequest> {
  return fc
    .tuple(fixture.validBody, fc.constantFrom(...fixture.validParams))
    .chain(([parsedBody, param]) => base(fixture, JSON.stringify(parsedBody), param).map((request) => ({ ...request, parsedBody })));
}

/** Invalid requests for a route: a valid request with one defect in a header, the path or the body. */
export function invalidRequest(fixture: RouteFixture): Arbitrary<InvalidRequest> {
  const validBodyText = fixture.validBody.map((body) => JSON.stringify(body));
  const param = fc.constantFrom(...fixture.validParams);
  return fc.oneof(
    {
      weight: 2,
      arbitrary: fc
        .tuple(validBodyText, param, headerDefect(fixture.token))
        .chain(([body, value, { apply, expected }]) =>
          base(fixture, body, value).map((request) => {
            apply(request);
            return { ...request, expected };
          }),
        ),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(validBodyText, fc.option(invalidPathParam, { nil: undefined, freq: 10 })).chain(([body, bad]) =>
        base(fixture, body, bad ?? '').map((request) => ({
          ...request,
          // No value at all: the event has no pathParameters (what a misconfigured route would deliver).
          pathParameters: bad === undefined ? undefined : { [fixture.paramName]: bad },
          expected: { defect: 'path parameter invalid', kind: 'invalidPathParameter' as const, names: `${fixture.paramName}: ` },
        })),
      ),
    },
    {
      weight: 6,
      arbitrary: fc
        .tuple(fixture.invalidBody, param)
        .chain(([{ text, expected }, value]) =>
          base(fixture, text, value).map((request) => ({ ...request, body: text === '' ? undefined : text, expected })),
        ),
    },
  );
}
