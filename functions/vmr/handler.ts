/** Lambda entry for `PUT /v1/usg/dcs/member/vmr/{id}`. */
import { getHuaweiClient } from '../shared/huawei/client.js';
import { modVmrBodySchema } from '../shared/huawei/schemas.js';
import { createRelayHandler } from '../shared/http/pipeline.js';
import { MODIFY_VMR_ROUTE } from '../shared/routes.js';
import { modifyVmr } from './modify-vmr.js';

export const handler = createRelayHandler({
  route: MODIFY_VMR_ROUTE,
  pathParameters: ['id'],
  bodySchema: modVmrBodySchema,
  handle: ({ pathParameters, body, call }) => modifyVmr({ vmrId: pathParameters.id, body }, call, { client: getHuaweiClient() }),
});
