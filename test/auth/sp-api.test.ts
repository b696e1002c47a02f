import { beforeEach, describe, expect, it } from 'vitest';
import { use } from '../support/stack.js';
import { SpTokenProvider } from '../../functions/shared/auth/token-provider.js';
import { UpstreamTimeoutError } from '../../functions/shared/huawei/client.js';
import { RelayError } from '../../functions/shared/http/relay-errors.js';
import type { ModResourceItem } from '../../functions/shared/huawei/schemas.js';
import { SpApi } from '../../functions/shared/huawei/sp-api.js';
import { CORP_A, CORP_B, OTHER_SP_CORP } from '../../local/simulator/demo-data.js';
import { ERROR_CODES } from '../../local/simulator/error-codes.js';
import { APP_AUTH, APP_ID_DOCUMENT, startHarness, summarise, SwitchableCredentials } from './helpers/sp-harness.js';

// Against the simulator over loopback HTTP, through the production Huawei client and token provider.

const RESOURCE_PATH = `/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource`;
const SOFT_RESOURCE_ID = 'a1c0f0e2b3d4458f9a0b1c2d3e4f5a02';

const h = use(startHarness);
let api: SpApi;

beforeEach(async () => {
  await h.control.reset();
  const tokens = new SpTokenProvider({ client: h.client, credentials: new SwitchableCredentials(APP_ID_DOCUMENT), now: h.clock.now });
  api = new SpApi({ client: h.client, tokens });
});

interface ResourcePage {
  count: number;
  data: Array<{ id: string; type: string; status: number; expireDate: number }>;
}

async function refusal(act: () => Promise<unknown>): Promise<RelayError> {
  const error = await act().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof RelayError)) throw new Error(`expected RelayError, got ${String(error)}`);
  return error;
}

describe('updateResources', () => {
  it('PUTs the items with the SP token and the X-Request-Id, and Huawei applies them', async () => {
    // Prepare
    const items: ModResourceItem[] = [{ id: SOFT_RESOURCE_ID, type: 'SOFT', isDisabled: true }];
    // Act
    const response = await api.updateResources(CORP_A.corpId, items, { requestId: 'sweep-0001' });
    // Assess
    expect(response.status).toBe(200);
    const put = (await h.control.requests({ method: 'PUT' }))[0];
    expect(put).toMatchObject({ path: RESOURCE_PATH, status: 200, requestId: 'sweep-0001', body: items });
    const readBack = await api.queryResources(CORP_A.corpId, { searchKey: SOFT_RESOURCE_ID });
    expect((readBack.json as ResourcePage).data).toEqual([expect.objectContaining({ id: SOFT_RESOURCE_ID, status: 2 })]);
  });

  it("returns Huawei's error answer as it is, not thrown", async () => {
    const response = await api.updateResources(CORP_A.corpId, [{ id: 'ffffffffffffffffffffffffffffffff', isDisabled: true }]);
    expect(response.status).toBe(400);
    expect((response.json as { error_code: string }).error_code).toBe(ERROR_CODES.resourceNotFound.code);
  });

  it('refuses a corpId that breaks the path-parameter rule before any request is made', async () => {
    const error = await refusal(() => api.updateResources('../818803911', [{ id: SOFT_RESOURCE_ID, isDisabled: true }]));
    expect(error.kind).toBe('invalidPathParameter');
    expect(error.message).toBe('corpId must be 1 to 64 characters of A-Z, a-z, 0-9, _ or -');
    expect(await h.control.requests()).toEqual([]);
  });

  it('refuses more than 100 items before any request is made', async () => {
    const items = Array.from({ length: 101 }, () => ({ id: SOFT_RESOURCE_ID, isDisabled: true }));
    const error = await refusal(() => api.updateResources(CORP_A.corpId, items));
    expect(error.kind).toBe('invalidBody');
    expect(error.message).toBe('items must hold 1 to 100 items');
    expect(await h.control.requests()).toEqual([]);
  });

  it('refuses an empty batch before any request is made', async () => {
    const error = await refusal(() => api.updateResources(CORP_A.corpId, []));
    expect(error.message).toBe('items must hold 1 to 100 items');
    expect(await h.control.requests()).toEqual([]);
  });

  it('refuses an expireDate in seconds, naming the item and field', async () => {
    const error = await refusal(() => api.updateResources(CORP_A.corpId, [{ id: SOFT_RESOURCE_ID, expireDate: 1767225600 }]));
    expect(error.message).toBe('items.0.expireDate must be an epoch timestamp in milliseconds (an integer of 13 digits)');
    expect(await h.control.requests()).toEqual([]);
  });

  it('refuses an X-Request-Id with a space before any request is made', async () => {
    const error = await refusal(() => api.updateResources(CORP_A.corpId, [{ id: SOFT_RESOURCE_ID, isDisabled: true }], { requestId: 'a b' }));
    expect(error.kind).toBe('invalidHeader');
    expect(await h.control.requests()).toEqual([]);
  });

  it('passes the deadline to the client: one already past fails the call without sending it', async () => {
    // Prepare: log in first, so that only the resource call meets the deadline.
    await api.listCorps();
    await h.control.clearRequests();
    // Act
    const error = await api
      .updateResources(CORP_A.corpId, [{ id: SOFT_RESOURCE_ID, isDisabled: true }], { deadline: Date.now() - 1 })
      .catch((caught: unknown) => caught);
    // Assess
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(await h.control.requests()).toEqual([]);
  });
});

describe('queryResources', () => {
  it('sends the filters as query parameters and leaves out the ones not given', async () => {
    // Act
    const response = await api.queryResources(CORP_A.corpId, { type: 'VMR', status: 0, offset: 0, limit: 5, searchKey: undefined });
    // Assess
    expect(response.status).toBe(200);
    const page = response.json as ResourcePage;
    expect(page.data.map((r) => r.id)).toEqual([CORP_A.vmrResourceId]);
    const get = (await h.control.requests({ method: 'GET' }))[0];
    expect(get?.query).toEqual({ type: 'VMR', status: '0', offset: '0', limit: '5' });
  });

  it('filters by expiry window', async () => {
    // From 2027 to 2036: the demo's already expired resources (2025) and far-future ones (2050) fall outside.
    const response = await api.queryResources(CORP_B.corpId, { startExpireDate: 1800000000000, endExpireDate: 2100000000000 });
    const ids = (response.json as ResourcePage).data.map((r) => r.id);
    expect(ids).toEqual(['b2d1e0f3a4c5469e8b1c2d3e4f5a6b01', 'b2d1e0f3a4c5469e8b1c2d3e4f5a6b02']);
  });

  it('refuses a corpId with a slash before any request is made', async () => {
    const error = await refusal(() => api.queryResources('818803911/resource', {}));
    expect(error.kind).toBe('invalidPathParameter');
    expect(await h.control.requests()).toEqual([]);
  });
});

describe('listCorps', () => {
  it("lists the SP's own enterprises only", async () => {
    const response = await api.listCorps({ limit: 10 });
    expect(response.status).toBe(200);
    const ids = (response.json as { data: Array<{ id: string }> }).data.map((c) => c.id);
    expect(ids.sort()).toEqual([CORP_A.corpId, CORP_B.corpId]);
    expect(ids).not.toContain(OTHER_SP_CORP.corpId);
    expect(summarise(await h.control.requests())).toEqual([`POST ${APP_AUTH} 200`, 'GET /v1/usg/dcs/sp/corp 200']);
  });
});
