/**
 * `PUT /v1/usg/dcs/sp/corp/{corp_id}/resource`: relays validated ModResourceDTO items with the SP administrator's
 * token, through the registry's `ResourceUpdateRecorder` (implemented by the registry, not here). The recorder is
 * required: a 200 from this route always means the update was also recorded.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HuaweiClient, UpstreamResponse } from '../shared/huawei/client.js';
import { normaliseResourceItem } from '../shared/huawei/schemas.js';
import type { ModResourceItem, ModResourcesBody } from '../shared/huawei/schemas.js';
import type { RelayCall } from '../shared/http/pipeline.js';
import { MODIFY_RESOURCES_ROUTE, fillPath } from '../shared/routes.js';
import { callUpstream, toClientResult } from './upstream-call.js';

export interface ModifyResourcesInput {
  corpId: string;
  items: ModResourcesBody;
}

/** Sends items upstream for this request (token, request id, deadline already bound) and returns Huawei's answer. */
export type RelayItems = (items: readonly ModResourceItem[]) => Promise<UpstreamResponse>;

/**
 * The registry's seam around the upstream call. It gets the validated items (booleans normalised) and a `relay`
 * function; it may read the registry first, change items (renewal re-enable adds `isDisabled: false`), call
 * `relay` once or more, record what Huawei accepted, and returns the Huawei answer to pass to the client.
 * `RegistryUnavailableError` / `RegistryConflictError` thrown from it become 503 RELAY.503001.
 */
export interface ResourceUpdateRecorder {
  relayAndRecord(corpId: string, items: readonly ModResourceItem[], relay: RelayItems, context: { requestId: string; deadline?: number }): Promise<UpstreamResponse>;
}

export async function modifyResources(
  input: ModifyResourcesInput,
  call: RelayCall,
  deps: { client: HuaweiClient; recorder: ResourceUpdateRecorder },
): Promise<APIGatewayProxyStructuredResultV2> {
  const path = fillPath(MODIFY_RESOURCES_ROUTE.path, { corp_id: input.corpId });
  const relay: RelayItems = (items) => callUpstream(deps.client, { method: MODIFY_RESOURCES_ROUTE.method, path, body: items }, call);
  // The registry needs typed values, so items go upstream with real booleans (Huawei accepts both).
  const items = input.items.map(normaliseResourceItem);
  const response = await deps.recorder.relayAndRecord(input.corpId, items, relay, { requestId: call.requestId, deadline: call.deadline });
  return toClientResult(response, call);
}
