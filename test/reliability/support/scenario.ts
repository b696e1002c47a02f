/**
 * Small helpers for the hand-written race scenarios: resources added upstream, updates through the deployed
 * resource handler, sweeps through the deployed sweeper handler, and Huawei's view read back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { ModResourceRequestItem, ResourceType } from '../../../functions/shared/huawei/schemas.js';
import { MODIFY_RESOURCES_ROUTE, fillPath } from '../../../functions/shared/routes.js';
import type { SweepReport } from '../../../functions/sweep/report.js';
import { CORP_A } from '../../../local/simulator/demo-data.js';
import { httpApiEvent, lambdaContext } from '../../support/events.js';
import type { ManualClock } from '../../support/clock.js';
import { spApiFor, startLambdaStack } from '../../support/stack.js';
import type { LambdaStack, Stoppable } from '../../support/stack.js';
import { upstreamResources } from './upstream.js';
import type { UpstreamResource } from './upstream.js';

export const CORP = CORP_A.corpId;
export const RESOURCE_PATH = fillPath(MODIFY_RESOURCES_ROUTE.path, { corp_id: CORP });
export const DAY_MS = 86_400_000;

export class Scenario {
  constructor(
    readonly stack: LambdaStack,
    readonly spToken: string,
  ) {}

  /** Adds resources upstream, as the SP's ordering system would, with the given expiry. */
  async addUpstream(id: string, types: readonly ResourceType[], expireDate: number): Promise<void> {
    const answer = await fetch(`${this.stack.simulator.url}${RESOURCE_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-access-token': this.spToken },
      body: JSON.stringify(types.map((type) => ({ id, type, count: 1, expireDate }))),
    });
    expect(answer.status, await answer.text()).toBe(200);
  }

  /** One update through the resource handler, with the caller's X-Request-Id when given; returns its result. */
  relayed(items: readonly ModResourceRequestItem[], requestId?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-access-token': this.spToken };
    if (requestId !== undefined) headers['x-request-id'] = requestId;
    const event = httpApiEvent({ route: MODIFY_RESOURCES_ROUTE, pathParameters: { corp_id: CORP }, headers, body: [...items] });
    return this.stack.handlers.modifyResources(event, lambdaContext());
  }

  /** One update through the resource handler; returns its status. */
  async relay(items: readonly ModResourceRequestItem[], requestId?: string): Promise<number> {
    return (await this.relayed(items, requestId)).statusCode ?? 0;
  }

  sweep(remainingMs = 60_000): Promise<SweepReport> {
    return this.stack.handlers.sweep({}, lambdaContext({ remainingMs }));
  }

  /**
   * One sweep with the production sweep function and SP API, its clock `laterMs` ahead (virtual time: e.g. past
   * the in-doubt hold, without waiting for it).
   */
  async sweepLater(laterMs: number): Promise<SweepReport> {
    const { sweep } = await import('../../../functions/sweep/sweep.js');
    const { getSpApi } = await import('../../../functions/shared/huawei/sp-api.js');
    const now = () => Date.now() + laterMs;
    return sweep({
      store: this.stack.registry.store,
      lease: this.stack.registry.lease,
      spApi: getSpApi(),
      config: { dryRun: false, maxRejections: 3, concurrency: 4, leaseMs: 60_000, recordReserveMs: 2_000 },
      deadline: now() + 25_000,
      now,
    });
  }

  /**
   * One sweep with the production sweep function and an SP API whose Huawei client runs on `clock` (its `now` and
   * deadline timer): the sweep's upstream calls get `callBudgetMs` of virtual time, which passes only when the
   * test advances the clock, so a held call times out exactly when the test says.
   */
  async sweepOnClock(clock: ManualClock, callBudgetMs: number): Promise<SweepReport> {
    const { sweep } = await import('../../../functions/sweep/sweep.js');
    const { client, spApi } = spApiFor(this.stack.url, { now: clock.now, setTimer: clock.setTimer });
    const config = { dryRun: false, maxRejections: 3, concurrency: 4, leaseMs: 60_000, recordReserveMs: 2_000 };
    try {
      return await sweep({
        store: this.stack.registry.store,
        lease: this.stack.registry.lease,
        spApi,
        config,
        deadline: clock.now() + callBudgetMs + config.recordReserveMs,
        now: clock.now,
      });
    } finally {
      await client.close();
    }
  }

  /** Resolves once Huawei holds a PUT on the resource path (at a gate) without having answered it. */
  async heldPut(): Promise<void> {
    const giveUpAt = Date.now() + 10_000;
    while (!(await this.stack.control.requests({ path: RESOURCE_PATH, method: 'PUT' })).some((r) => r.status === 0)) {
      if (Date.now() > giveUpAt) throw new Error('no PUT was held');
      await sleep(5);
    }
  }

  /** Resolves once Huawei has answered (or dropped) every request it received. */
  async settled(): Promise<void> {
    const giveUpAt = Date.now() + 10_000;
    while ((await this.stack.control.requests()).some((r) => r.status === 0 && r.fault !== 'reset')) {
      if (Date.now() > giveUpAt) throw new Error('requests still in flight');
      await sleep(10);
    }
  }

  async upstream(id: string, type: ResourceType): Promise<UpstreamResource | undefined> {
    return (await upstreamResources(this.stack.simulator.url, this.spToken, CORP)).get(`${id}/${type}`);
  }
}

/** A Lambda stack (test/support/stack.ts) and a Scenario on it as the SP administrator; for `use(startScenario)`. */
export async function startScenario(): Promise<{ stack: LambdaStack; scenario: Scenario } & Stoppable> {
  const stack = await startLambdaStack();
  return { stack, scenario: new Scenario(stack, stack.tokens.spAdmin), stop: () => stack.stop() };
}
