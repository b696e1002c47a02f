/**
 * Local API Gateway (HTTP API) emulator: node:http on 127.0.0.1 that turns each request into a payload-2.0 event,
 * invokes the very handler module the route table names (the one that gets deployed), and maps the result back
 * to HTTP like API Gateway does. Like the deployed API it can also pass Huawei's other paths through to the
 * configured origin (passthrough.ts) and answer everything else with the `$default` route's function, and it can
 * listen on https too (for SDKs that insist on it).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { HTTP_ROUTES, NO_ROUTE, REGISTRY_ROUTES, passthroughPrefixOf, routeKey } from '../../functions/shared/routes.js';
import type { HttpRoute } from '../../functions/shared/routes.js';
import { createPassthrough } from './passthrough.js';
import type { Passthrough } from './passthrough.js';
import { apiGatewayRequestId, buildHttpApiEvent, buildLambdaContext } from './http-api-event.js';
import { INTERNAL_SERVER_ERROR, NOT_FOUND, PAYLOAD_TOO_LARGE, SERVICE_UNAVAILABLE, toHttpAnswer } from './http-api-result.js';
import type { HttpAnswer } from './http-api-result.js';
import { matchRoute } from './route-matcher.js';
import { RELAY_FUNCTION_TIMEOUT_MS } from '../../functions/shared/limits.js';

export type LambdaHttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

/** A route served by an in-process handler rather than a module of the route table (e.g. `POST /_local/sweep`). */
export interface LocalRoute {
  id: string;
  method: string;
  path: string;
  handler: LambdaHttpHandler;
}

export interface GatewayOptions {
  /** 0 picks a free port; default 3000. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Routes whose `entry` modules are imported; default the product's route table (relay and registry API). */
  routes?: readonly HttpRoute[];
  extraRoutes?: readonly LocalRoute[];
  /** The functions' configured timeout: sets `getRemainingTimeInMillis`; past it the gateway answers 503. */
  functionTimeoutMs?: number;
  /** HTTP API's request payload limit (10 MB). */
  maxPayloadBytes?: number;
  /**
   * Origin that Huawei's other paths pass through to (the catch-all routes of PASSTHROUGH_PREFIXES); absent: no
   * passthrough routes, as with the CDK context `passthrough=false`.
   */
  passthroughOrigin?: string;
  /** Serve the `$default` route with NO_ROUTE's function (Huawei-shaped 404); otherwise API Gateway's bare 404. */
  defaultRoute?: boolean;
  /** Also listen on https with this key and certificate (PEM). */
  https?: { port: number; key: string; cert: string };
  /** One line per request (method, path, status, ms), for the local runtime's console. */
  onRequest?: (line: string) => void;
}

export interface RunningGateway {
  url: string;
  port: number;
  /** Set when the https listener runs. */
  httpsUrl: string | undefined;
  stop(): Promise<void>;
}

export const DEFAULT_GATEWAY_PORT = 3000;
/** The relay functions' timeout, as the CDK stack configures it (one value in functions/shared/limits.ts). */
export const DEFAULT_FUNCTION_TIMEOUT_MS = RELAY_FUNCTION_TIMEOUT_MS;
export const HTTP_API_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface ServedRoute {
  id: string;
  method: string;
  path: string;
  load: () => Promise<LambdaHttpHandler>;
}

interface Served {
  routes: readonly ServedRoute[];
  passthrough: Passthrough | undefined;
  defaultRoute: ServedRoute | undefined;
  functionTimeoutMs: number;
  maxPayloadBytes: number;
}

/** Imports the handler a route-table entry names, exactly as it will be bundled. */
export async function loadRouteHandler(route: Pick<HttpRoute, 'entry' | 'handlerExport'>): Promise<LambdaHttpHandler> {
  const module = (await import(pathToFileURL(resolve(REPO_ROOT, route.entry)).href)) as Record<string, unknown>;
  const handler = module[route.handlerExport];
  if (typeof handler !== 'function') throw new Error(`${route.entry} does not export a function named ${route.handlerExport}`);
  return handler as LambdaHttpHandler;
}

export async function startGateway(options: GatewayOptions = {}): Promise<RunningGateway> {
  const routes: ServedRoute[] = [
    ...(options.routes ?? [...HTTP_ROUTES, ...REGISTRY_ROUTES]).map((route) => ({ ...route, load: once(() => loadRouteHandler(route)) })),
    ...(options.extraRoutes ?? []).map((route) => ({ ...route, load: () => Promise.resolve(route.handler) })),
  ];
  const defaultRoute: ServedRoute | undefined =
    options.defaultRoute === true ? { id: NO_ROUTE.id, method: 'ANY', path: '$default', load: once(() => loadRouteHandler(NO_ROUTE)) } : undefined;
  // Import every handler now: a broken module fails the start, not the first request.
  await Promise.all([...routes, ...(defaultRoute ? [defaultRoute] : [])].map((route) => route.load()));
  const served: Served = {
    routes,
    defaultRoute,
    passthrough: options.passthroughOrigin === undefined ? undefined : createPassthrough(options.passthroughOrigin),
    functionTimeoutMs: options.functionTimeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS,
    maxPayloadBytes: options.maxPayloadBytes ?? HTTP_API_MAX_PAYLOAD_BYTES,
  };

  const listener: RequestListener = (req, res) => {
    const startedAt = Date.now();
    void serve(req, served).then((answer) => {
      send(res, answer);
      options.onRequest?.(`${req.method} ${req.url} -> ${answer.status} (${Date.now() - startedAt} ms)`);
    });
  };
  const host = options.host ?? '127.0.0.1';
  const servers: Server[] = [];
  try {
    const http = await listen(createServer(listener), options.port ?? DEFAULT_GATEWAY_PORT, host);
    servers.push(http.server);
    let httpsUrl: string | undefined;
    if (options.https !== undefined) {
      const https = await listen(createHttpsServer({ key: options.https.key, cert: options.https.cert }, listener), options.https.port, host);
      servers.push(https.server);
      httpsUrl = `https://${https.host}:${https.port}`;
    }
    return {
      url: `http://${http.host}:${http.port}`,
      port: http.port,
      httpsUrl,
      stop: async () => {
        await Promise.all(servers.map(close));
        await served.passthrough?.close();
      },
    };
  } catch (error) {
    await Promise.all(servers.map(close));
    await served.passthrough?.close();
    throw error;
  }
}

async function listen(server: Server, port: number, host: string): Promise<{ server: Server; host: string; port: number }> {
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolveListen());
  });
  const address = server.address() as AddressInfo;
  return { server, host: address.family === 'IPv6' ? `[${address.address}]` : address.address, port: address.port };
}

function close(server: Server): Promise<void> {
  return new Promise<void>((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}

async function serve(req: IncomingMessage, served: Served): Promise<HttpAnswer> {
  const body = await readBody(req, served.maxPayloadBytes);
  if (body === undefined) return PAYLOAD_TOO_LARGE;
  const method = (req.method ?? 'GET').toUpperCase();
  const url = req.url ?? '/';
  const rawPath = url.split('?')[0] ?? '/';
  // API Gateway's route selection: the validated routes are more specific than a prefix's `{proxy+}`, and
  // `$default` takes what nothing else does.
  const match = matchRoute(served.routes, method, rawPath);
  if (match === undefined && served.passthrough !== undefined && passthroughPrefixOf(rawPath) !== undefined) {
    const answer = await served.passthrough.forward({ method, target: url, rawHeaders: req.rawHeaders, body });
    answer.headers['apigw-requestid'] = apiGatewayRequestId();
    return answer;
  }
  const target = match ?? (served.defaultRoute === undefined ? undefined : { route: served.defaultRoute, pathParameters: {} });
  if (target === undefined) return NOT_FOUND;

  const startedAt = Date.now();
  const event = buildHttpApiEvent(
    {
      method,
      url,
      rawHeaders: req.rawHeaders,
      body,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      httpVersion: req.httpVersion,
    },
    { routeKey: target.route === served.defaultRoute ? '$default' : routeKey(target.route), pathParameters: target.pathParameters },
    startedAt,
  );
  const context = buildLambdaContext({ functionName: `meeting-relay-${target.route.id}`, timeoutMs: served.functionTimeoutMs, startedAt });
  const answer = await invoke(target.route, event, context, served.functionTimeoutMs);
  answer.headers['apigw-requestid'] = event.requestContext.requestId;
  return answer;
}

async function invoke(route: ServedRoute, event: APIGatewayProxyEventV2, context: Context, timeoutMs: number): Promise<HttpAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<HttpAnswer>((resolveTimeout) => {
    timer = setTimeout(() => resolveTimeout(cloneAnswer(SERVICE_UNAVAILABLE)), timeoutMs);
  });
  const invocation = (async () => {
    try {
      const handler = await route.load();
      return toHttpAnswer(await handler(event, context));
    } catch (error) {
      // What Lambda would write to CloudWatch for an unhandled error.
      console.error(`[gateway] ${route.id} failed:`, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      return cloneAnswer(INTERNAL_SERVER_ERROR);
    }
  })();
  try {
    return cloneAnswer(await Promise.race([invocation, timedOut]));
  } finally {
    clearTimeout(timer);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolveBody(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: HttpAnswer): void {
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.setHeader('content-length', answer.body.length);
  res.end(answer.body);
}

function cloneAnswer(answer: HttpAnswer): HttpAnswer {
  return { status: answer.status, headers: { ...answer.headers }, body: answer.body };
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => {
    promise ??= load();
    return promise;
  };
}
