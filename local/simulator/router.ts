import type { Handler } from './simulation.js';

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path with `:name` segments, e.g. `/v1/usg/dcs/member/vmr/:id`. */
  pattern: string;
  handler: Handler;
}

export interface RouteMatch {
  handler: Handler;
  params: Record<string, string>;
}

/** A tiny exact-segment router: literal segments must match, `:name` segments capture one segment. */
export class Router {
  private readonly routes: { method: string; segments: string[]; handler: Handler }[] = [];

  constructor(routes: readonly Route[]) {
    for (const route of routes) {
      this.routes.push({ method: route.method, segments: route.pattern.split('/'), handler: route.handler });
    }
  }

  match(method: string, path: string): RouteMatch | undefined {
    const segments = path.split('/');
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let matched = true;
      for (let i = 0; i < segments.length && matched; i += 1) {
        const expected = route.segments[i] ?? '';
        const actual = segments[i] ?? '';
        if (expected.startsWith(':')) {
          let decoded: string;
          try {
            decoded = decodeURIComponent(actual);
          } catch {
            decoded = actual;
          }
          params[expected.slice(1)] = decoded;
        } else if (expected !== actual) {
          matched = false;
        }
      }
      if (matched) return { handler: route.handler, params };
    }
    return undefined;
  }
}
