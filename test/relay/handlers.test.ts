/**
 * The deployed handler modules called in-process with realistic HTTP API v2 events, relaying to a real simulator
 * over loopback HTTP.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as modifyVmrHandler } from '../../functions/vmr/handler.js';
import { MODIFY_RESOURCES_ROUTE, MODIFY_VMR_ROUTE } from '../../functions/shared/routes.js';
import { CORP_A, CORP_B, DEMO_RESOURCES } from '../../local/simulator/demo-data.js';
import { httpApiEvent, lambdaContext, loadEventFixture } from '../support/events.js';
import { relayedRequests, startLambdaStack, use } from '../support/stack.js';

const sim = use(startLambdaStack);
// Loaded once the registry is bound: the resource route builds its registry recorder at cold start.
let modifyResourcesHandler: (typeof import('../../functions/resources/handler.js'))['handler'];

beforeAll(async () => {
  ({ handler: modifyResourcesHandler } = await import('../../functions/resources/handler.js'));
});

const RESOURCE_ITEM = { expireDate: 2549030400000, id: CORP_A.vmrResourceId, isDisabled: false, type: 'VMR' };

function errorBody(body: string | undefined): { error_code: string; error_msg: string; request_id: string } {
  return JSON.parse(body ?? '') as { error_code: string; error_msg: string; request_id: string };
}

async function aliceVmrs(): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${sim.url}/v1/usg/dcs/member/vmr?limit=100`, { headers: { 'X-Access-Token': sim.tokens.alice } });
  return ((await response.json()) as { data: Array<Record<string, unknown>> }).data;
}

beforeEach(async () => {
  await sim.control.reset();
});

describe('modify-VMR handler', () => {
  it('relays the captured seed cURL event and the simulator applies it', async () => {
    const event = loadEventFixture('http-api-v2-modify-vmr');
    event.headers['x-access-token'] = sim.tokens.alice;

    const result = await modifyVmrHandler(event, lambdaContext());

    expect(result.statusCode).toBe(200);
    const vmr = (await aliceVmrs()).find((candidate) => candidate.id === CORP_A.vmrId);
    expect(vmr).toMatchObject({ vmrName: 'test', chairPwd: '123456', gustPwd: '654321', allowGustFirst: false });
  });

  it('leaves the delivered event as it was, so one event invoked twice answers the same both times', async () => {
    const event = httpApiEvent({
      route: MODIFY_VMR_ROUTE,
      pathParameters: { id: CORP_A.vmrId },
      headers: { 'Content-Type': 'Application/JSON; charset=utf-8', 'X-Access-Token': sim.tokens.alice, 'X-Request-Id': 'twice-1' },
      keepHeaderCase: true,
      body: { vmrName: 'Twice' },
    });
    const delivered = structuredClone(event);

    const first = await modifyVmrHandler(event, lambdaContext());
    expect(event).toEqual(delivered);
    const second = await modifyVmrHandler(event, lambdaContext());

    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    expect(event).toEqual(delivered);
  });

  it('accepts mixed-case header names and returns the client\'s X-Request-Id', async () => {
    const event = httpApiEvent({
      route: MODIFY_VMR_ROUTE,
      pathParameters: { id: CORP_A.vmrId },
      headers: { 'Content-Type': 'application/json;charset=UTF-8', 'X-Access-Token': sim.tokens.alice, 'X-Request-Id': 'Mixed-Case-1' },
      keepHeaderCase: true,
      body: { vmrName: 'Mixed case' },
    });

    const result = await modifyVmrHandler(event, lambdaContext());

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['x-request-id']).toBe('Mixed-Case-1');
    const [relayed] = await relayedRequests(sim.control);
    expect(relayed?.requestId).toBe('Mixed-Case-1');
  });

  it('answers 400 RELAY.400002 for an invalid path id and relays nothing', async () => {
    const event = httpApiEvent({
      route: MODIFY_VMR_ROUTE,
      pathParameters: { id: 'ff808081.67ef' },
      headers: { 'content-type': 'application/json', 'x-access-token': sim.tokens.alice },
      body: { vmrName: 'x' },
    });

    const result = await modifyVmrHandler(event, lambdaContext());

    expect(result.statusCode).toBe(400);
    expect(errorBody(result.body)).toMatchObject({
      error_code: 'RELAY.400002',
      error_msg: 'id: must be 1 to 64 characters of A-Z, a-z, 0-9, _ or -',
    });
    expect(await relayedRequests(sim.control)).toEqual([]);
  });

  it('answers 400 RELAY.400003 for malformed JSON without echoing the body', async () => {
    const event = httpApiEvent({
      route: MODIFY_VMR_ROUTE,
      pathParameters: { id: CORP_A.vmrId },
      headers: { 'content-type': 'application/json', 'x-access-token': sim.tokens.alice },
      body: '{"chairPwd":"987654",',
    });

    const result = await modifyVmrHandler(event, lambdaContext());

    expect(result.statusCode).toBe(400);
    expect(errorBody(result.body)).toMatchObject({ error_code: 'RELAY.400003', error_msg: 'body: must be valid JSON' });
    expect(result.body).not.toContain('987654');
    expect(await relayedRequests(sim.control)).toEqual([]);
  });

  it('answers 400 RELAY.400004 for an invalid X-Request-Id, with a generated id in the header and the body', async () => {
    const event = httpApiEvent({
      route: MODIFY_VMR_ROUTE,
      pathParameters: { id: CORP_A.vmrId },
      headers: { 'content-type': 'application/json', 'x-access-token': sim.tokens.alice, 'x-request-id': 'has spaces' },
      body: { vmrName: 'x' },
    });

    const result = await modifyVmrHandler(event, lambdaContext());

    const body = errorBody(result.body);
    expect(result.statusCode).toBe(400);
    expect(body.error_code).toBe('RELAY.400004');
    expect(body.request_id).toMatch(/^[0-9a-f]{32}$/); // Huawei's form
    expect(result.headers?.['x-request-id']).toBe(body.request_id);
    expect(await relayedRequests(sim.control)).toEqual([]);
  });

  it('answers 504 RELAY.504001 when Huawei is slower than the Lambda\'s remaining time allows', async () => {
    await sim.control.addFault({ path: '/v1/usg/dcs/member/vmr', delayMs: 10_000 });
    const event = httpApiEvent({
      route: MODIFY_VMR_ROUTE,
      pathParameters: { id: CORP_A.vmrId },
      headers: { 'content-type': 'application/json', 'x-access-token': sim.tokens.alice },
      body: { vmrName: 'slow' },
    });

    // 2.5 s left: the relay's deadline ends 1.5 s later, well before the Lambda would be killed.
    const result = await modifyVmrHandler(event, lambdaContext({ remainingMs: 2_500 }));

    expect(result.statusCode).toBe(504);
    expect(errorBody(result.body)).toMatchObject({ error_code: 'RELAY.504001' });
  });
});

describe('modify-resources handler', () => {
  it('relays a base64-encoded JSON body and the simulator records the items', async () => {
    const event = httpApiEvent({
      route: MODIFY_RESOURCES_ROUTE,
      pathParameters: { corp_id: CORP_A.corpId },
      headers: { 'content-type': 'application/json', 'x-access-token': sim.tokens.spAdmin },
      body: [{ ...RESOURCE_ITEM, isDisabled: true }],
      base64: true,
    });

    const result = await modifyResourcesHandler(event, lambdaContext());

    expect(result.statusCode).toBe(200);
    const [relayed] = await relayedRequests(sim.control);
    expect(relayed).toMatchObject({ method: 'PUT', path: `/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource`, status: 200 });
    expect(relayed?.body).toEqual([{ expireDate: 2549030400000, id: CORP_A.vmrResourceId, isDisabled: true, type: 'VMR' }]);
  });

  it('answers 415 RELAY.415001 for the captured form-encoded (base64) event and relays nothing', async () => {
    const event = loadEventFixture('http-api-v2-modify-resources-form');
    event.headers['x-access-token'] = sim.tokens.spAdmin;

    const result = await modifyResourcesHandler(event, lambdaContext());

    expect(result.statusCode).toBe(415);
    expect(errorBody(result.body)).toMatchObject({ error_code: 'RELAY.415001', error_msg: 'Content-Type: must be application/json' });
    expect(await relayedRequests(sim.control)).toEqual([]);
  });

  it('answers 400 RELAY.400001 naming the item and the field, and relays nothing', async () => {
    const event = httpApiEvent({
      route: MODIFY_RESOURCES_ROUTE,
      pathParameters: { corp_id: CORP_A.corpId },
      headers: { 'content-type': 'application/json', 'x-access-token': sim.tokens.spAdmin },
      body: [RESOURCE_ITEM, RESOURCE_ITEM, RESOURCE_ITEM, { type: 'VMR' }],
    });

    const result = await modifyResourcesHandler(event, lambdaContext());

    expect(result.statusCode).toBe(400);
    expect(errorBody(result.body)).toMatchObject({ error_code: 'RELAY.400001', error_msg: '[3].id: required' });
    expect(await relayedRequests(sim.control)).toEqual([]);
  });

  it('passes Huawei\'s 403 through when an enterprise user\'s token calls the SP API', async () => {
    const event = httpApiEvent({
      route: MODIFY_RESOURCES_ROUTE,
      pathParameters: { corp_id: CORP_B.corpId },
      headers: { 'content-type': 'application/json', 'x-access-token': sim.tokens.bob },
      body: [{ id: DEMO_RESOURCES.find((resource) => resource.corpId === CORP_B.corpId)?.id ?? '' }],
    });

    const result = await modifyResourcesHandler(event, lambdaContext());

    const [relayed] = await relayedRequests(sim.control);
    expect(result.statusCode).toBe(403);
    expect(relayed?.status).toBe(403);
    expect(errorBody(result.body).error_code).toMatch(/^USG\./);
    expect(result.headers?.['x-request-id']).toBe(relayed?.requestId);
  });
});
