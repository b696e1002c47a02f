/** Lambda entry for `PUT /v1/usg/dcs/sp/corp/{corp_id}/resource`. */
import { getHuaweiClient } from './shared/huawei/client.js';
import { modResourcesBodySchema } from './shared/huawei/schemas.js';
import { createRelayHandler } from './shared/http/pipeline.js';
import { MODIFY_RESOURCES_ROUTE } from './shared/routes.js';
import { modifyResources } from './relay/modify-resources.js';

export const handler = createRelayHandler({
  route: MODIFY_RESOURCES_ROUTE,
  pathParameters: ['corp_id'],
  bodySchema: modResourcesBodySchema,
  handle: ({ pathParameters, body, call }) =>
    modifyResources({ corpId: pathParameters.corp_id, items: body }, call, { client: getHuaweiClient() }),
});
