/**
 * Bad input on `PUT /v1/usg/dcs/member/vmr/{id}`, property-based: the deployed handler called in-process with
 * real-shaped HTTP API v2 events, relaying to a real simulator, with the registry on dynalite.
 */
import { beforeAll, describe, it } from 'vitest';
import { MODIFY_VMR_ROUTE } from '../../functions/shared/routes.js';
import { CORP_A, DEMO_VMRS } from '../../local/simulator/demo-data.js';
import { invalidVmrBody, validVmrBody } from '../support/arbitraries.js';
import type { RouteFixture } from '../support/arbitraries.js';
import { invalidRequestsAreRefused, validRequestsAreRelayed } from './support/bad-input.js';
import type { RouteUnderTest } from './support/bad-input.js';
import { startLambdaStack, use } from '../support/stack.js';
import { hangGuardMs, runs } from './support/property-runs.js';

/** Generated cases per CI run (times 10 with LONG_TESTS=1). */
const INVALID_CASES = 4_500;
const VALID_CASES = 1_000;

const stack = use(startLambdaStack);
let target: RouteUnderTest;

beforeAll(() => {
  const { alice } = stack.tokens;
  const fixture: RouteFixture = {
    paramName: 'id',
    validParams: DEMO_VMRS.filter((vmr) => vmr.ownerAccount === CORP_A.user.account).map((vmr) => vmr.id),
    token: alice,
    validBody: validVmrBody,
    invalidBody: invalidVmrBody,
  };
  target = { label: 'modify VMR', route: MODIFY_VMR_ROUTE, handler: stack.handlers.modifyVmr, fixture };
});

describe('modify VMR route, generated bad input', () => {
  it(
    'refuses every invalid request with its 4xx in Huawei\'s error shape naming the field or header, relaying nothing and changing no registry item',
    async () => {
      await invalidRequestsAreRefused(stack, target, runs(INVALID_CASES));
    },
    hangGuardMs(60_000),
  );

  it(
    'relays every valid request once, as sent, and answers 200',
    async () => {
      await validRequestsAreRelayed(stack, target, runs(VALID_CASES), { upstreamBody: (request) => request.parsedBody });
    },
    hangGuardMs(60_000),
  );
});
