/**
 * `GET /_local/openapi.json`: the OpenAPI 3.1 document of the routes, built by the same code that writes
 * docs/openapi.json. Local runtime only: a gateway `extraRoute`, never deployed.
 */
import { openApiDocumentText } from '../lib/openapi/document.js';
import type { LocalRoute } from './gateway/index.js';
import { LOCAL_OPENAPI_PATH } from './settings.js';

export function localOpenApiRoute(): LocalRoute {
  const text = openApiDocumentText();
  return {
    id: 'local-openapi',
    method: 'GET',
    path: LOCAL_OPENAPI_PATH,
    handler: async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: text }),
  };
}
