/**
 * Body encodings (issue 15, item 5). JSON is UTF-8 (RFC 8259): a body declared in another charset is refused
 * with 415, and bytes that are not UTF-8 with 400, both in Huawei's shape, before anything is relayed or recorded.
 * Before the fix, `charset=latin1` was accepted and a byte that is not UTF-8 reached Huawei as U+FFFD.
 *
 * Covered the two ways a body reaches the handler: raw bytes over HTTP through the local API Gateway emulator,
 * and HTTP API events as API Gateway builds them (a binary body base64-encoded with `isBase64Encoded: true`).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { handler as modifyVmrHandler } from '../../functions/vmr/handler.js';
import { MODIFY_RESOURCES_ROUTE, MODIFY_VMR_ROUTE } from '../../functions/shared/routes.js';
import { startGateway } from '../../local/gateway/index.js';
import type { RunningGateway } from '../../local/gateway/index.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { httpApiEvent, lambdaContext } from '../support/events.js';
import { send } from './helpers/http.js';
import type { RawAnswer } from './helpers/http.js';
import { relayedRequests, startLambdaStack, use } from '../support/stack.js';

const sim = use(startLambdaStack);
let gateway: RunningGateway;

const VMR_PATH = `/v1/usg/dcs/member/vmr/${CORP_A.vmrId}`;
const RESOURCE_PATH = `/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource`;
const CHARSET_RULE = 'Content-Type: charset must be UTF-8';
const UTF8_RULE = 'body: must be UTF-8 text';

/** `{"vmrName":"caf<byte>"}` with one raw byte in place of é. */
function vmrBodyWithByte(byte: number): Buffer {
  return Buffer.concat([Buffer.from('{"vmrName":"caf'), Buffer.from([byte]), Buffer.from('"}')]);
}

function resourceBodyWithByte(byte: number): Buffer {
  return Buffer.concat([Buffer.from(`[{"id":"${CORP_A.vmrResourceId}","type":"VMR","expireDate":2549030400000,"x":"`), Buffer.from([byte]), Buffer.from('"}]')]);
}

beforeAll(async () => {
  gateway = await startGateway({ port: 0 });
});

afterAll(async () => {
  await gateway.stop();
});

beforeEach(async () => {
  await sim.control.reset();
});

function put(path: string, token: string, contentType: string, body: Buffer): Promise<RawAnswer> {
  return send(`${gateway.url}${path}`, { method: 'PUT', headers: { 'content-type': contentType, 'X-Access-Token': token }, body });
}

async function registryItems(): Promise<number> {
  const page = await sim.registry.dynamo.documentClient.send(new ScanCommand({ TableName: sim.registry.dynamo.tableName, ConsistentRead: true }));
  return page.Items?.length ?? 0;
}

function expectRefusal(answer: RawAnswer, status: number, code: string, message: string): void {
  const body = answer.json as { error_code: string; error_msg: string; request_id: string };
  expect(answer.status).toBe(status);
  expect(Object.keys(body ?? {}).sort()).toEqual(['error_code', 'error_msg', 'request_id']);
  expect(body).toMatchObject({ error_code: code, error_msg: message });
  expect(answer.headers['x-request-id']).toBe(body.request_id);
}

describe('over HTTP through the gateway emulator', () => {
  it.each([
    ['application/json; charset=latin1', 0xe9],
    ['application/json;charset=ISO-8859-1', 0xe9],
    ['application/json; charset="windows-1252"', 0xe9],
    ['application/json; charset=utf-16', 0x65],
  ])('answers 415 RELAY.415001 for %s and relays nothing', async (contentType, byte) => {
    const answer = await put(VMR_PATH, sim.tokens.alice, contentType, vmrBodyWithByte(byte));

    expectRefusal(answer, 415, 'RELAY.415001', CHARSET_RULE);
    expect(await relayedRequests(sim.control)).toEqual([]);
  });

  it.each([
    ['a lone continuation byte', 0x80],
    ['a byte that never occurs in UTF-8', 0xff],
    ['a latin1 é sent without a charset', 0xe9],
  ])('answers 400 RELAY.400003 for %s in a JSON body and relays nothing', async (_label, byte) => {
    const answer = await put(VMR_PATH, sim.tokens.alice, 'application/json', vmrBodyWithByte(byte));

    expectRefusal(answer, 400, 'RELAY.400003', UTF8_RULE);
    expect(await relayedRequests(sim.control)).toEqual([]);
  });

  it('answers 400 on the resource route and neither relays nor records anything', async () => {
    const answer = await put(RESOURCE_PATH, sim.tokens.spAdmin, 'application/json;charset=UTF-8', resourceBodyWithByte(0xc3));

    expectRefusal(answer, 400, 'RELAY.400003', UTF8_RULE);
    expect(await relayedRequests(sim.control)).toEqual([]);
    expect(await registryItems()).toBe(0);
  });

  it.each([['application/json; charset=utf-8'], ['application/json;charset="UTF-8"'], ['application/json; charset=utf8'], ['application/json']])(
    'relays UTF-8 text sent as %s unchanged',
    async (contentType) => {
      const answer = await put(VMR_PATH, sim.tokens.alice, contentType, Buffer.from('{"vmrName":"café 会议"}', 'utf8'));

      expect(answer.status).toBe(200);
      const [relayed] = await relayedRequests(sim.control);
      expect(relayed?.body).toEqual({ vmrName: 'café 会议' });
    },
  );
});

describe('HTTP API events as API Gateway delivers them', () => {
  it('answers 400 RELAY.400003 for a base64 body that is not UTF-8, and relays nothing', async () => {
    const event = httpApiEvent({
      route: MODIFY_VMR_ROUTE,
      pathParameters: { id: CORP_A.vmrId },
      headers: { 'content-type': 'application/json', 'x-access-token': sim.tokens.alice },
    });
    event.body = vmrBodyWithByte(0xff).toString('base64');
    event.isBase64Encoded = true;

    const result = await modifyVmrHandler(event, lambdaContext());

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(String(result.body))).toMatchObject({ error_code: 'RELAY.400003', error_msg: UTF8_RULE });
    expect(await relayedRequests(sim.control)).toEqual([]);
  });

  it('answers 400 RELAY.400003 for a text body holding a lone surrogate (no UTF-8 encoding exists for it)', async () => {
    const event = httpApiEvent({
      route: MODIFY_VMR_ROUTE,
      pathParameters: { id: CORP_A.vmrId },
      headers: { 'content-type': 'application/json', 'x-access-token': sim.tokens.alice },
      body: '{"vmrName":"caf\uD800"}',
    });

    const result = await modifyVmrHandler(event, lambdaContext());

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(String(result.body))).toMatchObject({ error_code: 'RELAY.400003', error_msg: UTF8_RULE });
    expect(await relayedRequests(sim.control)).toEqual([]);
  });

  it('answers 415 RELAY.415001 for charset=latin1 even when every byte is ASCII', async () => {
    const event = httpApiEvent({
      route: MODIFY_RESOURCES_ROUTE,
      pathParameters: { corp_id: CORP_A.corpId },
      headers: { 'content-type': 'application/json; charset=latin1', 'x-access-token': sim.tokens.spAdmin },
      body: [{ id: CORP_A.vmrResourceId, type: 'VMR', isDisabled: false }],
    });
    const { handler } = await import('../../functions/resources/handler.js');

    const result = await handler(event, lambdaContext());

    expect(result.statusCode).toBe(415);
    expect(JSON.parse(String(result.body))).toMatchObject({ error_code: 'RELAY.415001', error_msg: CHARSET_RULE });
    expect(await relayedRequests(sim.control)).toEqual([]);
    expect(await registryItems()).toBe(0);
  });

  it('relays a base64 body of valid UTF-8 unchanged', async () => {
    const event = httpApiEvent({
      route: MODIFY_VMR_ROUTE,
      pathParameters: { id: CORP_A.vmrId },
      headers: { 'content-type': 'application/json', 'x-access-token': sim.tokens.alice },
      body: '{"vmrName":"café 会议"}',
      base64: true,
    });

    const result = await modifyVmrHandler(event, lambdaContext());

    expect(result.statusCode).toBe(200);
    const [relayed] = await relayedRequests(sim.control);
    expect(relayed?.body).toEqual({ vmrName: 'café 会议' });
  });
});
