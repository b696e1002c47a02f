/**
 * `PUT /v1/usg/dcs/member/vmr/{id}`: relays a validated ModVmrDTO with the enterprise user's own token.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HuaweiClient } from '../shared/huawei/client.js';
import type { ModVmrBody } from '../shared/huawei/schemas.js';
import type { RelayCall } from '../shared/http/pipeline.js';
import { MODIFY_VMR_ROUTE, fillPath } from '../shared/routes.js';
import { callUpstream, toClientResult } from '../shared/http/upstream-call.js';

export interface ModifyVmrInput {
  /** The VMR's unique id (path `{id}`), already validated. */
  vmrId: string;
  body: ModVmrBody;
}

export async function modifyVmr(
  input: ModifyVmrInput,
  call: RelayCall,
  deps: { client: HuaweiClient },
): Promise<APIGatewayProxyStructuredResultV2> {
  const response = await callUpstream(
    deps.client,
    { method: MODIFY_VMR_ROUTE.method, path: fillPath(MODIFY_VMR_ROUTE.path, { id: input.vmrId }), body: input.body },
    call,
  );
  return toClientResult(response, call);
}
