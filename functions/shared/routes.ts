/**
 * The relay's HTTP routes, declared once: which paths are ours (validated by a function), which pass through to
 * Huawei unchanged, and what answers everything else. The local API Gateway emulator, the CDK stack and the tests
 * all read this table; the handlers use it to build the upstream path, which is the same as the route's path
 * (the relay mirrors Huawei's paths, so a Huawei client only changes its base URL).
 */
import { PATH_PARAM_PATTERN } from './limits.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface HttpRoute {
  /** Stable identifier (used for function names and logs). */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path syntax, e.g. `/v1/usg/dcs/member/vmr/{id}`. */
  readonly path: string;
  /** Repo-relative path of the handler module. */
  readonly entry: string;
  /** Name of the exported handler in `entry`. */
  readonly handlerExport: 'handler';
  readonly description: string;
}

export const MODIFY_VMR_ROUTE = {
  id: 'modify-vmr',
  method: 'PUT',
  path: '/v1/usg/dcs/member/vmr/{id}',
  entry: 'functions/vmr/handler.ts',
  handlerExport: 'handler',
  description: 'Modify a cloud meeting room or personal meeting ID (enterprise user token).',
} as const satisfies HttpRoute;

export const MODIFY_RESOURCES_ROUTE = {
  id: 'modify-resources',
  method: 'PUT',
  path: '/v1/usg/dcs/sp/corp/{corp_id}/resource',
  entry: 'functions/resources/handler.ts',
  handlerExport: 'handler',
  description: 'Modify the expiry and suspension state of enterprise resources (SP administrator token).',
} as const satisfies HttpRoute;

export const HTTP_ROUTES: readonly HttpRoute[] = [MODIFY_VMR_ROUTE, MODIFY_RESOURCES_ROUTE];

/**
 * The registry read API for the SP's operators (not for enterprise callers): under a prefix of our own, never one
 * of Huawei's, and always behind API Gateway's IAM (SigV4) authorizer, whatever `authorizationMode` the relay
 * routes use. One function serves all three (functions/registry-api/handler.ts).
 */
export const REGISTRY_API_PREFIX = '/_registry/v1';
const REGISTRY_API_ENTRY = 'functions/registry-api/handler.ts';

export const REGISTRY_CORP_RESOURCES_ROUTE = {
  id: 'registry-corp-resources',
  method: 'GET',
  path: `${REGISTRY_API_PREFIX}/corps/{corp_id}/resources`,
  entry: REGISTRY_API_ENTRY,
  handlerExport: 'handler',
  description: "An enterprise's registered resources with their state, expiry and last change (paged, filter by status).",
} as const satisfies HttpRoute;

export const REGISTRY_EXPIRING_ROUTE = {
  id: 'registry-expiring',
  method: 'GET',
  path: `${REGISTRY_API_PREFIX}/expiring`,
  entry: REGISTRY_API_ENTRY,
  handlerExport: 'handler',
  description: 'Active resources of every enterprise whose expiry falls in a window, read from the due index.',
} as const satisfies HttpRoute;

export const REGISTRY_HISTORY_ROUTE = {
  id: 'registry-history',
  method: 'GET',
  path: `${REGISTRY_API_PREFIX}/corps/{corp_id}/resources/{resource_id}/history`,
  entry: REGISTRY_API_ENTRY,
  handlerExport: 'handler',
  description: "One resource's changes in order: time, source (relay request id, sweep id, sync id), state before and after.",
} as const satisfies HttpRoute;

export const REGISTRY_ROUTES: readonly HttpRoute[] = [REGISTRY_CORP_RESOURCES_ROUTE, REGISTRY_EXPIRING_ROUTE, REGISTRY_HISTORY_ROUTE];

/** Id of the one function behind REGISTRY_ROUTES (memory table, construct id). */
export const REGISTRY_API_FUNCTION_ID = 'registry-api';

/**
 * Huawei's API path prefixes. Every request under one of them that no validated route takes goes to the configured
 * Huawei origin unchanged (logins, token refresh, every GET, every other SP and enterprise API). The set is every
 * first two segments of the paths in Huawei's SDK route lists (huaweicloud-sdk-python-v3 `meeting_client.py`,
 * huaweicloud-sdk-go-v3 `meeting_meta.go`): usg (accounts, enterprises, auth), mmc (meetings), mms, wss (webinars)
 * and metrics. Anything else is ours to refuse.
 */
export const PASSTHROUGH_PREFIXES = ['/v1/usg/', '/v2/usg/', '/v1/mmc/', '/v2/mms/', '/v1/wss/', '/v1/metrics/'] as const;

export type PassthroughPrefix = (typeof PASSTHROUGH_PREFIXES)[number];

/** The passthrough prefix a raw request path starts with (case-sensitive, as API Gateway matches routes). */
export function passthroughPrefixOf(rawPath: string): PassthroughPrefix | undefined {
  return PASSTHROUGH_PREFIXES.find((prefix) => rawPath.startsWith(prefix) && rawPath.length > prefix.length);
}

/** API Gateway path of a prefix's catch-all route, e.g. `/v1/usg/{proxy+}`. */
export function passthroughRoutePath(prefix: PassthroughPrefix): string {
  return `${prefix}{proxy+}`;
}

/**
 * What answers a request no route takes (an unknown path, a wrong method on a validated path with passthrough
 * off): API Gateway's `$default` route, so the answer is Huawei's error shape with an X-Request-Id instead of API
 * Gateway's own `{"message":"Not Found"}`.
 */
export const NO_ROUTE = {
  id: 'no-route',
  entry: 'functions/no-route/handler.ts',
  handlerExport: 'handler',
  description: 'Answers requests no route takes: 404 RELAY.404001 in Huawei\'s error shape.',
} as const;

/** `PUT /v1/usg/dcs/member/vmr/{id}`: API Gateway's route key. */
export function routeKey(route: { method: string; path: string }): string {
  return `${route.method} ${route.path}`;
}

/** Names of the `{param}` placeholders of a path template, in order. */
export function pathParameterNames(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
}

/**
 * Fills a path template with parameters that must already match `PATH_PARAM_PATTERN`; refuses anything else, so
 * no request value can add a path segment, a query or another host.
 */
export function fillPath(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^}]+)\}/g, (_placeholder, name: string) => {
    const value = params[name];
    if (value === undefined || !PATH_PARAM_PATTERN.test(value)) {
      throw new Error(`path parameter ${name} is missing or invalid`);
    }
    return value;
  });
}
