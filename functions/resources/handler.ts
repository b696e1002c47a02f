/**
 * Lambda entry for `PUT /v1/usg/dcs/sp/corp/{corp_id}/resource`. Every update Huawei accepts is recorded in the
 * resource registry. The registry is set up at cold start, so a function without REGISTRY_TABLE_NAME fails its
 * init (and the local gateway fails its start) instead of answering 200 for updates it never recorded.
 */
import { getHuaweiClient } from '../shared/huawei/client.js';
import { modResourcesBodySchema } from '../shared/huawei/schemas.js';
import { createRelayHandler } from '../shared/http/pipeline.js';
import { MODIFY_RESOURCES_ROUTE } from '../shared/routes.js';
import { resourceRegistryFromEnv } from './config.js';
import { modifyResources } from './modify-resources.js';

const registry = resourceRegistryFromEnv();

export const handler = createRelayHandler({
  route: MODIFY_RESOURCES_ROUTE,
  pathParameters: ['corp_id'],
  bodySchema: modResourcesBodySchema,
  handle: ({ pathParameters, body, call }) =>
    modifyResources({ corpId: pathParameters.corp_id, items: body }, call, { client: getHuaweiClient(), ...registry }),
});
