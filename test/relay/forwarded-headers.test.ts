/**
 * What the relay sends upstream, seen by a capturing HTTP server on 127.0.0.1 standing in for Huawei (the
 * simulator does not record request headers).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { use } from '../support/stack.js';
import { handler as modifyVmrHandler } from '../../functions/vmr/handler.js';
import { ENV } from '../../functions/shared/env.js';
import { resetHuaweiClient } from '../../functions/shared/huawei/client.js';
import { MODIFY_VMR_ROUTE } from '../../functions/shared/routes.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { httpApiEvent, lambdaContext } from '../support/events.js';
import { startScriptedUpstream } from './helpers/scripted-upstream.js';

const TOKEN = 'stbVbWSIgzfOQ8JnbmPIoBIR3ig8xnVScQOF';
const upstream = use(startScriptedUpstream);

beforeAll(async () => {
  process.env[ENV.huaweiBaseUrl] = upstream.url;
  await resetHuaweiClient();
});

afterAll(async () => {
  await resetHuaweiClient();
});

beforeEach(() => {
  upstream.seen.length = 0;
  upstream.script([], { status: 200 });
});

function vmrEvent(headers: Record<string, string>) {
  return httpApiEvent({
    route: MODIFY_VMR_ROUTE,
    pathParameters: { id: CORP_A.vmrId },
    headers: { 'content-type': 'application/json', 'x-access-token': TOKEN, ...headers },
    body: '{"vmrName":"test","allowGustFirst":"false"}',
  });
}

describe('headers relayed to Huawei', () => {
  it('forwards X-Access-Token unchanged and X-Request-Id as given', async () => {
    await modifyVmrHandler(vmrEvent({ 'x-request-id': 'fbbc91569f0efed914e0427fc2a9c4ac' }), lambdaContext());

    expect(upstream.seen[0]?.headers['x-access-token']).toBe(TOKEN);
    expect(upstream.seen[0]?.headers['x-request-id']).toBe('fbbc91569f0efed914e0427fc2a9c4ac');
  });

  it('generates a request id in Huawei\'s form (32 lowercase hex) when the client sent none, and answers with the same one', async () => {
    const result = await modifyVmrHandler(vmrEvent({}), lambdaContext());

    const sent = upstream.seen[0]?.headers['x-request-id'];
    expect(sent).toMatch(/^[0-9a-f]{32}$/);
    expect(result.headers?.['x-request-id']).toBe(sent);
  });

  it('returns Huawei\'s own X-Request-Id when Huawei answers with a different one', async () => {
    upstream.script([{ status: 200, headers: { 'x-request-id': '539e8b710378987ffc5eb844b5e5c290' } }]);

    const result = await modifyVmrHandler(vmrEvent({ 'x-request-id': 'client-id' }), lambdaContext());

    expect(result.headers?.['x-request-id']).toBe('539e8b710378987ffc5eb844b5e5c290');
  });

  it.each([
    ['en-US', 'en-US'],
    ['zh-CN', 'zh-CN'],
    ['fr-FR,en-US;q=0.9', 'en-US'],
  ])('forwards Accept-Language %j as %s', async (header, expected) => {
    await modifyVmrHandler(vmrEvent({ 'accept-language': header }), lambdaContext());

    expect(upstream.seen[0]?.headers['accept-language']).toBe(expected);
  });

  it('drops an Accept-Language Huawei does not support instead of refusing the request', async () => {
    const result = await modifyVmrHandler(vmrEvent({ 'accept-language': 'fr-FR' }), lambdaContext());

    expect(result.statusCode).toBe(200);
    expect(upstream.seen[0]?.headers['accept-language']).toBeUndefined();
  });

  it('relays the body with the values the client wrote, string booleans included', async () => {
    await modifyVmrHandler(vmrEvent({}), lambdaContext());

    expect(JSON.parse(upstream.seen[0]?.body ?? '')).toEqual({ vmrName: 'test', allowGustFirst: 'false' });
  });

  it('relays to the configured origin only, whatever Host the client sent', async () => {
    const event = vmrEvent({ host: 'evil.example' });

    await modifyVmrHandler(event, lambdaContext());

    expect(upstream.seen).toHaveLength(1);
    expect(upstream.seen[0]?.headers.host).toBe(new URL(upstream.url).host);
  });

  it('passes Huawei\'s status, error body, content type and Retry-After through unchanged', async () => {
    const huaweiError = '{"error_code":"APIG.0308","error_msg":"The throttling threshold has been reached","request_id":"r-429"}';
    upstream.script([], { status: 429, headers: { 'retry-after': '60', 'x-request-id': 'r-429' }, body: huaweiError });

    const result = await modifyVmrHandler(vmrEvent({}), lambdaContext());

    expect(result.statusCode).toBe(429);
    expect(result.body).toBe(huaweiError);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json;charset=UTF-8', 'retry-after': '60', 'x-request-id': 'r-429' });
  });
});
