/**
 * Matches a request to a route the way API Gateway HTTP API does: exact method, path template segments, `{name}`
 * matching one non-empty segment. No match (including a wrong method) is a 404.
 */
export interface RouteTemplate {
  method: string;
  path: string;
}

export interface RouteMatch<R extends RouteTemplate> {
  route: R;
  /** Decoded values (API Gateway hands handlers decoded path parameters). */
  pathParameters: Record<string, string>;
}

export function matchRoute<R extends RouteTemplate>(routes: readonly R[], method: string, rawPath: string): RouteMatch<R> | undefined {
  const segments = rawPath.split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const templateSegments = route.path.split('/');
    if (templateSegments.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    const matched = templateSegments.every((template, index) => {
      const actual = segments[index] ?? '';
      const parameter = /^\{([^}]+)\}$/.exec(template)?.[1];
      if (parameter === undefined) return template === actual;
      if (actual === '') return false;
      pathParameters[parameter] = safeDecode(actual);
      return true;
    });
    if (matched) return { route, pathParameters };
  }
  return undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
