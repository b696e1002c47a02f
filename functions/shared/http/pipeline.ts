/**
 * The middy pipeline shared by the relay's HTTP handlers. Order matters:
 *
 *  0. own copy    (the middlewares below rewrite a copy of the event; the delivered one is left as it was)
 *  1. responses   (registered early, so its onError runs last and sees every error; maps it to Huawei's shape,
 *                  puts X-Request-Id on every answer, logs one line per request)
 *  2. Powertools logger context (never logs the event: it holds the access token)
 *  3. header normaliser (lowercase names)
 *  4. headers: X-Request-Id (400), X-Access-Token (401/400), Accept-Language (dropped when unsupported)
 *  5. path parameters (400)
 *  6. body: Content-Type and charset (415), size on the raw body (413), presence (400), UTF-8 bytes (400; a
 *     base64 body is decoded here, strictly, so nothing after this sees a replaced byte)
 *  7. JSON parsing by @middy/http-json-body-parser (its 415 for bad JSON is re-mapped to 400)
 *  8. zod validation of the body (400 naming each field and rule)
 *  then the route's logic function with validated input.
 */
import middy from '@middy/core';
import type { MiddlewareObj, MiddyfiedHandler } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod/mini';
import { logger } from '../observability.js';
import { PATH_PARAM_PATTERN, PATH_PARAM_RULE } from '../limits.js';
import { RelayError } from './relay-errors.js';
import { pathParameterNames } from '../routes.js';
import type { HttpRoute } from '../routes.js';
import { assertBodyPresent, assertBodySize, assertJsonContentType, utf8BodyText } from './body.js';
import { relayDeadline } from './deadline.js';
import { classifyError, errorResultFor } from './error-mapper.js';
import { describeIssues } from './issues.js';
import { pickLanguage, readAccessToken, readRequestId, REQUEST_ID_RULE } from './request-headers.js';
import type { SupportedLanguage } from './request-headers.js';

/** What a logic function needs to call Huawei on the client's behalf. Holds the token: never log it. */
export interface RelayCall {
  requestId: string;
  accessToken: string;
  language: SupportedLanguage | undefined;
  /** Absolute epoch ms by which the upstream call must be over. */
  deadline: number;
}

export interface RelayInput<P extends string, B> {
  pathParameters: Readonly<Record<P, string>>;
  body: B;
  call: RelayCall;
}

export interface RelayHandlerSpec<P extends string, B> {
  route: HttpRoute;
  /** Names of the route's `{param}`s; must match the route's path. */
  pathParameters: readonly P[];
  /** A zod mini schema: the classic API would put all of zod into the bundle (docs/performance.md). */
  bodySchema: z.ZodMiniType<B>;
  handle: (input: RelayInput<P, B>) => Promise<APIGatewayProxyStructuredResultV2>;
  now?: () => number;
}

export type RelayHandler = MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>;

/** Per-request state filled by the middlewares. */
interface RelayState {
  requestId: string;
  startedAt: number;
  accessToken?: string;
  language?: SupportedLanguage;
  pathParameters?: Record<string, string>;
  body?: unknown;
}

/**
 * The pipeline's own copy of the delivered event, carrying the request's state as a plain field. The middlewares
 * (the header normaliser, the JSON parser) rewrite this copy, never the caller's event.
 */
type RelayEvent = APIGatewayProxyEventV2 & { relayState: RelayState };

/**
 * The media type and charset were checked by bodyChecks, case-insensitively; the parser's own check is
 * case-sensitive, so it is turned off (an option of 6.4.5's code that its .d.ts does not declare).
 */
const JSON_PARSER_OPTIONS = { disableContentTypeCheck: true } as Parameters<typeof httpJsonBodyParser>[0];

type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>;
type Middleware = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>;

export function createRelayHandler<P extends string, B>(spec: RelayHandlerSpec<P, B>): RelayHandler {
  const declared = pathParameterNames(spec.route.path);
  if (declared.join() !== spec.pathParameters.join()) {
    throw new Error(`route ${spec.route.id}: path parameters ${declared.join()} do not match ${spec.pathParameters.join()}`);
  }
  const now = spec.now ?? Date.now;
  const stateOf = (request: Request): RelayState => {
    const event = request.event as Partial<RelayEvent>;
    // Only missing when the copy itself failed (no event at all): the error answer still needs a request id.
    return event.relayState ?? { requestId: readRequestId({}).requestId, startedAt: now() };
  };

  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(ownCopyOfEvent(now))
    .use(responses(spec.route, stateOf, now))
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(httpHeaderNormalizer())
    .use(relayHeaders(stateOf, now))
    .use(pathParameters(spec.pathParameters, stateOf))
    .use(bodyChecks())
    .use(httpJsonBodyParser(JSON_PARSER_OPTIONS))
    .use(bodyValidation(spec.bodySchema, stateOf))
    .handler(async (event, context) => {
      const state = (event as RelayEvent).relayState;
      if (state.accessToken === undefined || state.pathParameters === undefined) {
        throw new Error('relay pipeline did not run');
      }
      return spec.handle({
        pathParameters: state.pathParameters as Record<P, string>,
        body: state.body as B,
        call: {
          requestId: state.requestId,
          accessToken: state.accessToken,
          language: state.language,
          deadline: relayDeadline(now(), context.getRemainingTimeInMillis?.()),
        },
      });
    });
}

/** Replaces the delivered event with a shallow copy (headers included), so invoking twice with one event answers the same. */
function ownCopyOfEvent(now: () => number): Middleware {
  return {
    before: (request) => {
      const delivered = request.event;
      const copy: RelayEvent = {
        ...delivered,
        ...(delivered.headers === undefined ? {} : { headers: { ...delivered.headers } }),
        relayState: { requestId: readRequestId({}).requestId, startedAt: now() },
      };
      request.event = copy;
    },
  };
}

function responses(route: HttpRoute, stateOf: (request: Request) => RelayState, now: () => number): Middleware {
  const finish = (request: Request, result: APIGatewayProxyStructuredResultV2, errorCode?: string) => {
    const state = stateOf(request);
    result.headers = { ...result.headers, 'x-request-id': String(result.headers?.['x-request-id'] ?? state.requestId) };
    logger.info('request finished', {
      route: route.id,
      status: result.statusCode,
      requestId: state.requestId,
      durationMs: now() - state.startedAt,
      ...(errorCode === undefined ? {} : { errorCode }),
    });
    return result;
  };
  return {
    after: (request) => {
      request.response = finish(request, request.response ?? { statusCode: 500 });
    },
    onError: (request) => {
      const mapped = classifyError(request.error);
      const state = stateOf(request);
      if (mapped.isFailure) {
        const error = request.error;
        logger.error('request failed', {
          route: route.id,
          requestId: state.requestId,
          errorName: error?.name,
          errorMessage: error?.message,
          cause: describeCause(error?.cause),
        });
      }
      const result = errorResultFor(mapped, state.requestId);
      request.response = finish(request, result, JSON.parse(String(result.body)).error_code as string);
    },
  };
}

function relayHeaders(stateOf: (request: Request) => RelayState, now: () => number): Middleware {
  return {
    before: (request) => {
      const headers = request.event.headers ?? {};
      const { requestId, invalid } = readRequestId(headers);
      const state = stateOf(request);
      state.requestId = requestId;
      state.startedAt = now();
      logger.appendKeys({ relayRequestId: requestId });
      if (invalid) throw new RelayError('invalidHeader', REQUEST_ID_RULE);
      state.accessToken = readAccessToken(headers);
      state.language = pickLanguage(headers);
    },
  };
}

function pathParameters(names: readonly string[], stateOf: (request: Request) => RelayState): Middleware {
  return {
    before: (request) => {
      const values: Record<string, string> = {};
      const problems: string[] = [];
      for (const name of names) {
        const value = request.event.pathParameters?.[name];
        if (value === undefined || !PATH_PARAM_PATTERN.test(value)) problems.push(`${name}: ${PATH_PARAM_RULE}`);
        else values[name] = value;
      }
      if (problems.length > 0) throw new RelayError('invalidPathParameter', problems.join('; '));
      stateOf(request).pathParameters = values;
    },
  };
}

function bodyChecks(): Middleware {
  return {
    before: (request) => {
      const { headers, body, isBase64Encoded } = request.event;
      assertJsonContentType(headers?.['content-type']);
      assertBodySize(body, isBase64Encoded);
      assertBodyPresent(body, isBase64Encoded);
      // The pipeline's own copy of the event (ownCopyOfEvent): the delivered one keeps its body.
      request.event.body = utf8BodyText(body ?? '', isBase64Encoded);
      request.event.isBase64Encoded = false;
    },
  };
}

function bodyValidation<B>(schema: z.ZodMiniType<B>, stateOf: (request: Request) => RelayState): Middleware {
  return {
    before: (request) => {
      // The JSON parser replaced the body text with the parsed value.
      const parsed = schema.safeParse(request.event.body as unknown);
      if (!parsed.success) throw new RelayError('invalidBody', describeIssues(parsed.error.issues));
      stateOf(request).body = parsed.data;
    },
  };
}

/** Names and codes only: a cause's message may quote upstream data. */
function describeCause(cause: unknown): string | undefined {
  if (!(cause instanceof Error)) return undefined;
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' ? `${cause.name} ${code}` : cause.name;
}
