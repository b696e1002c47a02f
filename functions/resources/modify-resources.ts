/**
 * `PUT /v1/usg/dcs/sp/corp/{corp_id}/resource`: relays validated ModResourceDTO items and records every item
 * Huawei accepts in the registry (functions/resources/relay-recording.ts), so a 200 from this route always means
 * the update was also recorded. `RegistryUnavailableError` / `RegistryConflictError` thrown from here become
 * 503 RELAY.503001.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HuaweiClient, UpstreamResponse } from '../shared/huawei/client.js';
import { normaliseResourceItem } from '../shared/huawei/schemas.js';
import type { ModResourceItem, ModResourcesBody } from '../shared/huawei/schemas.js';
import type { RelayCall } from '../shared/http/pipeline.js';
import { callUpstream, toClientResult } from '../shared/http/upstream-call.js';
import { logger } from '../shared/observability.js';
import type { RegistryStore } from '../shared/registry/store.js';
import { MODIFY_RESOURCES_ROUTE, fillPath } from '../shared/routes.js';
import { relayAndRecord } from './relay-recording.js';

export interface ModifyResourcesInput {
  corpId: string;
  items: ModResourcesBody;
}

/** What the route needs besides the request; the registry part is built once per Lambda at cold start (config.ts). */
export interface ResourceRouteDeps {
  client: HuaweiClient;
  store: RegistryStore;
  /** RENEWAL_REENABLE: a renewal of a resource the sweeper disabled for expiry also re-enables it. */
  reenableRenewed: boolean;
  now?: () => number;
}

export async function modifyResources(
  input: ModifyResourcesInput,
  call: RelayCall,
  deps: ResourceRouteDeps,
): Promise<APIGatewayProxyStructuredResultV2> {
  const path = fillPath(MODIFY_RESOURCES_ROUTE.path, { corp_id: input.corpId });
  const relay = (items: readonly ModResourceItem[]): Promise<UpstreamResponse> =>
    callUpstream(deps.client, { method: MODIFY_RESOURCES_ROUTE.method, path, body: items }, call);
  // The registry needs typed values, so items go upstream with real booleans (Huawei accepts both).
  const items = input.items.map(normaliseResourceItem);
  const result = await relayAndRecord(
    { store: deps.store, now: deps.now ?? Date.now, reenableRenewed: deps.reenableRenewed, deadline: call.deadline },
    input.corpId,
    items,
    relay,
  );
  if (result.outcome === 'recorded' && (result.reenabled.length || result.reenableLater.length || result.upstreamCalls > 1)) {
    logger.info('registry adjusted a resource update', {
      requestId: call.requestId,
      corpId: input.corpId,
      reenabled: result.reenabled.length,
      reenableLater: result.reenableLater.length,
      upstreamCalls: result.upstreamCalls,
    });
  }
  return toClientResult(result.response, call);
}
