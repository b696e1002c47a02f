/**
 * The two bad-input properties, shared by both routes:
 *
 * - every invalid request gets the 4xx its defect calls for, in Huawei's error shape, naming the field or header;
 *   none of them reaches Huawei (the simulator's request log) or changes the registry (a full Scan before and
 *   after);
 * - every valid request is relayed once, as sent, and answered 2xx.
 *
 * Side effects of invalid requests are checked once per property run rather than per case (a Scan per case would
 * take most of the CI budget); each case carries its own X-Request-Id, so a relayed one is named precisely.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { expect } from 'vitest';
import type { HttpRoute } from '../../../functions/shared/routes.js';
import type { RecordedRequest } from '../../../local/simulator/control-client.js';
import { invalidRequest, validRequest } from '../../support/arbitraries.js';
import type { InvalidRequest, RouteFixture, ValidRequest } from '../../support/arbitraries.js';
import { lambdaContext } from '../../support/events.js';
import { relayedRequests } from '../../support/stack.js';
import type { LambdaStack, RelayHandler } from '../../support/stack.js';
import { propertyParameters, reportCount } from './property-runs.js';
import { eventFor, expectRefusal, headerOf, setHeader } from './relay-cases.js';

export interface RouteUnderTest {
  label: string;
  route: HttpRoute;
  handler: RelayHandler;
  fixture: RouteFixture;
}

export async function invalidRequestsAreRefused(stack: LambdaStack, target: RouteUnderTest, numRuns: number): Promise<void> {
  // Prepare
  await stack.control.clearRequests();
  const registryBefore = await stack.registry.scanAll();
  const defects = new Map<string, string>();
  let cases = 0;

  // Act, and assess each answer
  await fc.assert(
    fc.asyncProperty(invalidRequest(target.fixture), async (request: InvalidRequest) => {
      cases += 1;
      if (request.expected.names !== 'X-Request-Id') {
        const requestId = `bad-${cases}`;
        setHeader(request, 'x-request-id', requestId);
        defects.set(requestId, request.expected.defect);
      }
      const result = await target.handler(eventFor(target.route, request), lambdaContext());
      expectRefusal(result, request);
    }),
    propertyParameters(numRuns),
  );

  // Assess the side effects of all of them. Refusals do no I/O, so the loop above may have kept the event loop
  // from running timers for a long time: let the servers' keep-alive timers close idle sockets first, or the
  // next request could pick one just as it is closed.
  await sleep(10);
  const relayed = await relayedRequests(stack.control);
  expect(relayed.map((r) => `${r.method} ${r.path} (${defects.get(r.requestId) ?? `request id ${r.requestId}`})`)).toEqual([]);
  expect(await stack.registry.scanAll()).toEqual(registryBefore);
  reportCount(`bad input, ${target.label}, invalid requests`, cases);
}

/** Checks made after a valid request was answered and relayed (e.g. what the registry recorded). */
export type AfterValid = (request: ValidRequest, relayed: RecordedRequest) => Promise<void>;

export async function validRequestsAreRelayed(
  stack: LambdaStack,
  target: RouteUnderTest,
  numRuns: number,
  options: { upstreamBody: (request: ValidRequest) => unknown; afterEach?: AfterValid },
): Promise<void> {
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(validRequest(target.fixture), async (request: ValidRequest) => {
      // Prepare
      cases += 1;
      await stack.control.clearRequests();

      // Act
      const result: APIGatewayProxyStructuredResultV2 = await target.handler(eventFor(target.route, request), lambdaContext());

      // Assess
      expect(result.statusCode, String(result.body)).toBe(200);
      const relayed = await relayedRequests(stack.control);
      expect(relayed).toHaveLength(1);
      const [upstream] = relayed as [RecordedRequest];
      const param = Object.values(request.pathParameters ?? {})[0];
      expect(upstream).toMatchObject({ method: target.route.method, path: target.route.path.replace(/\{[^}]+\}/, param ?? ''), status: 200 });
      expect(upstream.body).toEqual(options.upstreamBody(request));
      expect(upstream.requestId).toBe(result.headers?.['x-request-id']);
      const sentId = headerOf(request, 'x-request-id');
      if (sentId !== undefined && sentId !== '') expect(upstream.requestId).toBe(sentId);
      await options.afterEach?.(request, upstream);
    }),
    propertyParameters(numRuns),
  );
  reportCount(`bad input, ${target.label}, valid requests`, cases);
}
