/**
 * The OpenAPI 3.1 description of every route the relay serves, built from the route table and the very zod
 * schemas the handlers validate with (zod 4 converts them to JSON Schema 2020-12, OpenAPI 3.1's dialect). Written
 * to docs/openapi.json by `npm run openapi`; a test keeps that file equal to this function's output, and the local
 * runtime serves it at `GET /_local/openapi.json`.
 */
import * as z from 'zod/mini';
import { RELAY_ERRORS } from '../../functions/shared/http/relay-errors.js';
import type { RelayErrorDefinition } from '../../functions/shared/http/relay-errors.js';
import { modResourcesBodySchema, modVmrBodySchema } from '../../functions/shared/huawei/schemas.js';
import {
  ACCESS_TOKEN_PATTERN,
  PATH_PARAM_PATTERN,
  PATH_PARAM_RULE,
  REQUEST_ID_PATTERN,
  SUPPORTED_LANGUAGES,
} from '../../functions/shared/limits.js';
import {
  HTTP_ROUTES,
  MODIFY_RESOURCES_ROUTE,
  MODIFY_VMR_ROUTE,
  PASSTHROUGH_PREFIXES,
  REGISTRY_CORP_RESOURCES_ROUTE,
  REGISTRY_EXPIRING_ROUTE,
  REGISTRY_HISTORY_ROUTE,
  REGISTRY_ROUTES,
  pathParameterNames,
} from '../../functions/shared/routes.js';
import { corpResourcesQuerySchema, expiringQuerySchema, historyQuerySchema } from '../../functions/registry-api/schemas.js';
import type { HttpRoute } from '../../functions/shared/routes.js';

type JsonObject = Record<string, unknown>;

/** Request-body schema of each validated relay route: the schema its handler passes to createRelayHandler. */
export const RELAY_BODY_SCHEMAS: Readonly<Record<string, z.ZodMiniType>> = {
  [MODIFY_VMR_ROUTE.id]: modVmrBodySchema,
  [MODIFY_RESOURCES_ROUTE.id]: modResourcesBodySchema,
};

/** Huawei's error body, which every refusal of the relay uses. */
export const huaweiErrorBodySchema = z.object({
  error_code: z.string(),
  error_msg: z.string(),
  request_id: z.string(),
});

/** JSON Schema (2020-12) of a zod schema as a request accepts it, without the `$schema` key OpenAPI does not need. */
export function jsonSchemaOf(schema: z.ZodMiniType): JsonObject {
  const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonObject;
  delete converted.$schema;
  return converted;
}

const pathParameterSchema = z.string().check(z.regex(PATH_PARAM_PATTERN));

function pathParameters(template: string): JsonObject[] {
  return pathParameterNames(template).map((name) => ({
    name,
    in: 'path',
    required: true,
    description: PATH_PARAM_RULE,
    schema: jsonSchemaOf(pathParameterSchema),
  }));
}

const RELAY_HEADERS: JsonObject[] = [
  {
    name: 'X-Access-Token',
    in: 'header',
    required: true,
    description: 'The Huawei token of the caller (enterprise user or SP administrator), forwarded as is.',
    schema: jsonSchemaOf(z.string().check(z.regex(ACCESS_TOKEN_PATTERN))),
  },
  {
    name: 'X-Request-Id',
    in: 'header',
    required: false,
    description: 'Forwarded to Huawei; generated (32 hex characters) when absent.',
    schema: jsonSchemaOf(z.string().check(z.regex(REQUEST_ID_PATTERN))),
  },
  {
    name: 'Accept-Language',
    in: 'header',
    required: false,
    description: `Forwarded when it names one of ${SUPPORTED_LANGUAGES.join(', ')}; dropped otherwise.`,
    schema: { type: 'string' },
  },
];

/** A response per status, listing the relay's error codes that use it. */
function errorResponses(errors: readonly RelayErrorDefinition[]): Record<string, JsonObject> {
  const byStatus = new Map<number, RelayErrorDefinition[]>();
  for (const error of errors) byStatus.set(error.status, [...(byStatus.get(error.status) ?? []), error]);
  const responses: Record<string, JsonObject> = {};
  for (const [status, definitions] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: definitions.map((definition) => `${definition.code}: ${definition.meaning}`).join('; '),
      headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/HuaweiError' } } },
    };
  }
  return responses;
}

/** Every code but the `$default` route's and the registry API's own. */
const RELAY_ROUTE_ERRORS: readonly RelayErrorDefinition[] = Object.values(RELAY_ERRORS).filter(
  (error) => error !== RELAY_ERRORS.noRoute && error !== RELAY_ERRORS.invalidQueryParameter,
);

function relayOperation(route: HttpRoute): JsonObject {
  const bodySchema = RELAY_BODY_SCHEMAS[route.id];
  if (bodySchema === undefined) throw new Error(`no request-body schema for route ${route.id}`);
  return {
    operationId: route.id,
    summary: route.description,
    tags: ['relay'],
    parameters: [...pathParameters(route.path), ...RELAY_HEADERS],
    requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(bodySchema) } } },
    responses: {
      '200': {
        description: "Huawei applied the change (and, for resources, the registry recorded it). Huawei's answer, passed through.",
        headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } },
      },
      ...errorResponses(RELAY_ROUTE_ERRORS),
      default: {
        description: "Any other answer of Huawei (its own 4xx and 5xx in the same error shape), passed through unchanged.",
        content: { 'application/json': { schema: { $ref: '#/components/schemas/HuaweiError' } } },
      },
    },
  };
}

/** Query-parameter schema of each registry API route: the schema its handler parses the query with. */
export const REGISTRY_QUERY_SCHEMAS: Readonly<Record<string, z.ZodMiniType>> = {
  [REGISTRY_CORP_RESOURCES_ROUTE.id]: corpResourcesQuerySchema,
  [REGISTRY_EXPIRING_ROUTE.id]: expiringQuerySchema,
  [REGISTRY_HISTORY_ROUTE.id]: historyQuerySchema,
};

const REGISTRY_RESPONSES: Readonly<Record<string, string>> = {
  [REGISTRY_CORP_RESOURCES_ROUTE.id]:
    '`{corpId, items: [{corpId, resourceId, type?, status, expireDate?, disabledAt?, inDoubtSince?, reenableOwedSince?, rejections, lastErrorCode?, adoptedAt?, lastChange: {at, requestId?}}], nextCursor?}`. A page filtered by status may be shorter than `limit` while `nextCursor` is set.',
  [REGISTRY_EXPIRING_ROUTE.id]:
    '`{from, to, items: [{corpId, resourceId, type?, status, expireDate}], itemsRead, nextFrom?}`, ordered by expiry; `itemsRead` is the due-index entries the window cost; `nextFrom` is set past 1000 entries.',
  [REGISTRY_HISTORY_ROUTE.id]:
    '`{corpId, resourceId, changes: [{type?, version, at, source: relay|sweep|sync, sourceId?, before, after}]}` in the order the changes happened; `before` is null for a creation or when the previous entry expired.',
};

const REGISTRY_ERRORS: readonly RelayErrorDefinition[] = [
  RELAY_ERRORS.invalidPathParameter,
  RELAY_ERRORS.invalidHeader,
  RELAY_ERRORS.invalidQueryParameter,
  RELAY_ERRORS.internal,
  RELAY_ERRORS.registryUnavailable,
];

/** Each property of a query object schema as an OpenAPI query parameter. */
function queryParameters(schema: z.ZodMiniType): JsonObject[] {
  const converted = jsonSchemaOf(schema) as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(converted.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: converted.required?.includes(name) ?? false,
    schema: property,
  }));
}

function registryOperation(route: HttpRoute): JsonObject {
  const querySchema = REGISTRY_QUERY_SCHEMAS[route.id];
  if (querySchema === undefined) throw new Error(`no query schema for route ${route.id}`);
  return {
    operationId: route.id,
    summary: route.description,
    tags: ['registry'],
    security: [{ sigv4: [] }],
    parameters: [...pathParameters(route.path), ...queryParameters(querySchema)],
    responses: {
      '200': {
        description: REGISTRY_RESPONSES[route.id] ?? 'JSON',
        headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } },
        content: { 'application/json': { schema: { type: 'object' } } },
      },
      ...errorResponses(REGISTRY_ERRORS),
      '403': { description: 'API Gateway refused the call: it is not signed (SigV4) by a principal allowed to invoke the route.' },
    },
  };
}

const PASSTHROUGH_METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;

/** `/v1/usg/{proxy}`: the catch-all route of a Huawei prefix, described as a passthrough, not as Huawei's API. */
function passthroughPath(prefix: string): [string, JsonObject] {
  const operations: JsonObject = {
    parameters: [
      {
        name: 'proxy',
        in: 'path',
        required: true,
        description: 'The rest of the Huawei path (one or more segments).',
        schema: { type: 'string' },
      },
    ],
  };
  for (const method of PASSTHROUGH_METHODS) {
    operations[method] = {
      operationId: `passthrough-${prefix.replaceAll('/', '')}-${method}`,
      summary: `Passed through to Huawei Cloud Meeting unchanged (any path under ${prefix} no validated route takes).`,
      description:
        "Not validated by the relay: the request goes to the configured Huawei origin as is and Huawei's answer comes back " +
        "as is. See Huawei Cloud Meeting's API reference. Present only when the CDK context `passthrough` is on.",
      tags: ['passthrough'],
      responses: {
        default: { description: "Huawei's answer, unchanged." },
        ...errorResponses([RELAY_ERRORS.upstreamUnavailable, RELAY_ERRORS.upstreamTimeout]),
      },
    };
  }
  return [`${prefix}{proxy}`, operations];
}

export interface OpenApiDocumentOptions {
  /** Extra paths (e.g. the registry API), already in OpenAPI form. */
  extraPaths?: Readonly<Record<string, JsonObject>>;
  version?: string;
}

export function buildOpenApiDocument(options: OpenApiDocumentOptions = {}): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of HTTP_ROUTES) {
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = relayOperation(route);
  }
  for (const route of REGISTRY_ROUTES) {
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = registryOperation(route);
  }
  Object.assign(paths, options.extraPaths ?? {});
  for (const prefix of PASSTHROUGH_PREFIXES) {
    const [path, item] = passthroughPath(prefix);
    paths[path] = item;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'meeting-relay',
      version: options.version ?? '0.1.0',
      description:
        "Relay for Huawei Cloud Meeting: the same paths as Huawei's API, with two validated routes whose changes are " +
        "recorded in a resource registry, and Huawei's other paths passed through. Every error the relay itself " +
        "answers is in Huawei's shape (error_code, error_msg, request_id). A method and path no route takes gets 404 " +
        `${RELAY_ERRORS.noRoute.code}.`,
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'Local runtime (npm start)' }],
    tags: [
      { name: 'relay', description: 'Validated routes: the body is checked before Huawei sees it.' },
      { name: 'passthrough', description: "Huawei's other paths, relayed unchanged." },
      {
        name: 'registry',
        description: "The registry read API for the SP's operators: IAM (SigV4) signed calls only, under a prefix of our own.",
      },
    ],
    paths,
    components: {
      schemas: { HuaweiError: jsonSchemaOf(huaweiErrorBodySchema) },
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'AWS Signature Version 4 (execute-api): API Gateway\'s IAM authorizer checks it.',
        },
      },
      headers: {
        'X-Request-Id': {
          description: "Huawei's request id, or the relay's own when Huawei sent none or the relay answered itself.",
          schema: { type: 'string' },
        },
      },
    },
  };
}

/** The document as written to docs/openapi.json (two-space indent, final newline). */
export function openApiDocumentText(document: JsonObject = buildOpenApiDocument()): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Repo-relative path of the written document. */
export const OPENAPI_FILE = 'docs/openapi.json';
