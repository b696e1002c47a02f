import { describe, expect, it } from 'vitest';
import { assertBodySize, assertJsonContentType, rawBodyBytes } from '../../functions/shared/http/body.js';
import { relayDeadline } from '../../functions/shared/http/deadline.js';
import { classifyError, errorResultFor } from '../../functions/shared/http/error-mapper.js';
import { joinCapped } from '../../functions/shared/http/issues.js';
import { pickLanguage, readAccessToken, readRequestId } from '../../functions/shared/http/request-headers.js';
import { UpstreamTimeoutError, UpstreamUnavailableError } from '../../functions/shared/huawei/client.js';
import { RELAY_ERRORS, RelayError } from '../../functions/shared/http/relay-errors.js';
import { LAMBDA_SAFETY_MARGIN_MS, MAX_BODY_BYTES, RELAY_DEADLINE_MS } from '../../functions/shared/limits.js';
import { HTTP_ROUTES, fillPath, pathParameterNames, routeKey } from '../../functions/shared/routes.js';

/** Huawei's request-id form (32 lowercase hex), which the relay uses for the ids it makes up. */
const HUAWEI_REQUEST_ID = /^[0-9a-f]{32}$/;

function relayErrorOf(action: () => unknown): RelayError {
  try {
    action();
  } catch (error) {
    if (error instanceof RelayError) return error;
    throw error;
  }
  throw new Error('expected a RelayError');
}

describe('X-Request-Id', () => {
  it('keeps a valid client request id', () => {
    expect(readRequestId({ 'x-request-id': 'fbbc91569f0efed914e0427fc2a9c4ac' })).toEqual({
      requestId: 'fbbc91569f0efed914e0427fc2a9c4ac',
      invalid: false,
    });
  });

  it('generates an id in Huawei\'s form (32 lowercase hex) when the header is absent', () => {
    const { requestId, invalid } = readRequestId({});
    expect(requestId).toMatch(HUAWEI_REQUEST_ID);
    expect(invalid).toBe(false);
  });

  it.each([['has a space', 'a b'], ['is 129 characters', 'x'.repeat(129)], ['has a control character', 'a\u0007b'], ['is not ASCII', 'idé']])(
    'flags an id that %s and still provides a fresh Huawei-form id for the answer',
    (_label, value) => {
      const { requestId, invalid } = readRequestId({ 'x-request-id': value });
      expect(invalid).toBe(true);
      expect(requestId).toMatch(HUAWEI_REQUEST_ID);
    },
  );
});

describe('X-Access-Token', () => {
  it('returns the token unchanged', () => {
    expect(readAccessToken({ 'x-access-token': 'stbVbWSIgzfOQ8JnbmPIoBIR3ig8xnVScQOF' })).toBe('stbVbWSIgzfOQ8JnbmPIoBIR3ig8xnVScQOF');
  });

  it.each([['absent', undefined], ['empty', ''], ['blank', '   ']])('answers 401 RELAY.401001 when the token is %s', (_label, value) => {
    const error = relayErrorOf(() => readAccessToken(value === undefined ? {} : { 'x-access-token': value }));
    expect([error.status, error.code, error.message]).toEqual([401, 'RELAY.401001', 'X-Access-Token: required']);
  });

  it('answers 400 RELAY.400004 for two tokens joined by API Gateway with a comma', () => {
    const error = relayErrorOf(() => readAccessToken({ 'x-access-token': 'tokenA,tokenB' }));
    expect([error.status, error.code]).toEqual([400, 'RELAY.400004']);
    expect(error.message).toMatch(/^X-Access-Token: /);
  });
});

describe('Accept-Language', () => {
  it.each([
    ['en-US', 'en-US'],
    ['zh-CN', 'zh-CN'],
    ['EN-us', 'en-US'],
    ['fr-FR,en-US;q=0.8', 'en-US'],
    ['en-US;q=0.5, zh-CN;q=0.9', 'zh-CN'],
    ['zh-CN;q=0, en-US;q=0.1', 'en-US'],
  ])('forwards %j as %s', (header, expected) => {
    expect(pickLanguage({ 'accept-language': header })).toBe(expected);
  });

  it.each([['fr-FR'], ['en'], ['*'], ['en-US;q=0']])('drops %j, which Huawei does not support', (header) => {
    expect(pickLanguage({ 'accept-language': header })).toBeUndefined();
  });
});

describe('body checks', () => {
  it.each([['application/json'], ['application/json;charset=UTF-8'], ['application/json; charset=utf-8'], ['Application/JSON']])(
    'accepts content type %j',
    (contentType) => {
      expect(() => assertJsonContentType(contentType)).not.toThrow();
    },
  );

  it.each([[undefined], ['text/plain'], ['application/x-www-form-urlencoded'], ['application/jsonp'], ['application/vnd.api+json']])(
    'answers 415 RELAY.415001 for content type %j',
    (contentType) => {
      const error = relayErrorOf(() => assertJsonContentType(contentType));
      expect([error.status, error.code, error.message]).toEqual([415, 'RELAY.415001', 'Content-Type: must be application/json']);
    },
  );

  it('measures a base64 body decoded and a text body in UTF-8 bytes', () => {
    expect(rawBodyBytes(Buffer.from('{"a":"é"}').toString('base64'), true)).toBe(10);
    expect(rawBodyBytes('{"a":"é"}', false)).toBe(10);
  });

  it('accepts exactly 64 KiB and answers 413 RELAY.413001 one byte over', () => {
    expect(() => assertBodySize('x'.repeat(MAX_BODY_BYTES), false)).not.toThrow();
    const error = relayErrorOf(() => assertBodySize(Buffer.alloc(MAX_BODY_BYTES + 1).toString('base64'), true));
    expect([error.status, error.code, error.message]).toEqual([413, 'RELAY.413001', `body: must be at most ${MAX_BODY_BYTES} bytes (got ${MAX_BODY_BYTES + 1})`]);
  });
});

describe('deadline', () => {
  it('is 28 s away when the Lambda has plenty of time', () => {
    expect(relayDeadline(1_000, 900_000)).toBe(1_000 + RELAY_DEADLINE_MS);
  });

  it('ends a safety margin before the Lambda runs out of time', () => {
    expect(relayDeadline(1_000, 5_000)).toBe(1_000 + 5_000 - LAMBDA_SAFETY_MARGIN_MS);
  });

  it('falls back to 28 s when no remaining time is known', () => {
    expect(relayDeadline(1_000, undefined)).toBe(1_000 + RELAY_DEADLINE_MS);
  });
});

describe('error mapping', () => {
  it('maps upstream failures to 502 and 504 with relay codes', () => {
    expect(errorResultFor(classifyError(new UpstreamUnavailableError('refused', 4)), 'rid').statusCode).toBe(502);
    const timeout = errorResultFor(classifyError(new UpstreamTimeoutError('slow', 1)), 'rid');
    expect(timeout.statusCode).toBe(504);
    expect(JSON.parse(String(timeout.body))).toEqual({
      error_code: 'RELAY.504001',
      error_msg: 'Huawei Cloud Meeting did not answer within the deadline',
      request_id: 'rid',
    });
  });

  it('never shows an unexpected error\'s message in a 500', () => {
    const result = errorResultFor(classifyError(new Error('secret table name in stack')), 'rid');
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('secret');
    expect(JSON.parse(String(result.body))).toMatchObject({ error_code: 'RELAY.500001', error_msg: 'Internal error' });
  });

  it('puts the request id in both the header and the body', () => {
    const result = errorResultFor(classifyError(new RelayError('invalidBody', 'chairPwd: must be 4 to 16 digits')), 'req-1');
    expect(result.headers?.['x-request-id']).toBe('req-1');
    expect(JSON.parse(String(result.body)).request_id).toBe('req-1');
  });

  it('has one distinct code per error kind', () => {
    const codes = Object.values(RELAY_ERRORS).map((definition) => definition.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const definition of Object.values(RELAY_ERRORS)) expect(definition.code).toMatch(new RegExp(`^RELAY\\.${definition.status}\\d{3}$`));
  });

  it('caps joined messages and says how many were left out', () => {
    expect(joinCapped(['aaaa', 'bbbb', 'cccc'], 10)).toBe('aaaa; bbbb; ... and 1 more');
  });
});

describe('route table', () => {
  it('declares both Huawei routes with their entries', () => {
    expect(HTTP_ROUTES.map((route) => [routeKey(route), route.entry])).toEqual([
      ['PUT /v1/usg/dcs/member/vmr/{id}', 'functions/vmr/handler.ts'],
      ['PUT /v1/usg/dcs/sp/corp/{corp_id}/resource', 'functions/resources/handler.ts'],
    ]);
  });

  it('lists the path parameters of a template', () => {
    expect(pathParameterNames('/v1/usg/dcs/sp/corp/{corp_id}/resource')).toEqual(['corp_id']);
  });

  it('fills a template with valid parameters only', () => {
    expect(fillPath('/v1/usg/dcs/sp/corp/{corp_id}/resource', { corp_id: '818803911' })).toBe('/v1/usg/dcs/sp/corp/818803911/resource');
    expect(() => fillPath('/v1/usg/dcs/member/vmr/{id}', { id: '../../acs' })).toThrow(/invalid/);
    expect(() => fillPath('/v1/usg/dcs/member/vmr/{id}', {})).toThrow(/missing/);
  });
});
