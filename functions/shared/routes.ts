/**
 * The relay's HTTP routes, declared once. The local API Gateway emulator and the CDK stack both read this table;
 * the handlers use it to build the upstream path, which is the same as the route's path (the relay mirrors
 * Huawei's paths, so a Huawei client only changes its base URL).
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
  entry: 'functions/modify-vmr.ts',
  handlerExport: 'handler',
  description: 'Modify a cloud meeting room or personal meeting ID (enterprise user token).',
} as const satisfies HttpRoute;

export const MODIFY_RESOURCES_ROUTE = {
  id: 'modify-resources',
  method: 'PUT',
  path: '/v1/usg/dcs/sp/corp/{corp_id}/resource',
  entry: 'functions/modify-resources.ts',
  handlerExport: 'handler',
  description: 'Modify the expiry and suspension state of enterprise resources (SP administrator token).',
} as const satisfies HttpRoute;

export const HTTP_ROUTES: readonly HttpRoute[] = [MODIFY_VMR_ROUTE, MODIFY_RESOURCES_ROUTE];

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
