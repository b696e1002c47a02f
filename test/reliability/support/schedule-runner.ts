/**
 * Runs one fault schedule against the in-process stack, the way real callers and the scheduler would:
 *
 * - a caller (the SP administrator) sends each update through the deployed resource handler and retries it on
 *   5xx and 429 (the relay's errors say "retry"), logging in again when Huawei rejects its token; an update that
 *   still fails stays first in line for its resource, so updates of one resource land in the order they were
 *   made, as a client that retries before moving on would;
 * - sweeps run through the deployed sweeper handler, side by side with the updates;
 * - a third actor changes Huawei directly (renewals, disables, deletions, new resources), never through the relay;
 * - after every 2xx, the change is checked to be applied upstream (the simulator logged that request id
 *   answered 200 with the item) and recorded (the registry holds it), and Huawei holds the new expiry;
 * - once the schedule is over, faults stop, pending updates are retried to success, one sync and one sweep run,
 *   and every resource is compared, in Huawei and in the registry, with the model of what the callers and the
 *   direct changes asked for: Huawei and the registry agree, no resource with a future expiry is disabled by us,
 *   and none past its expiry is left enabled.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { expect } from 'vitest';
import type { ModResourceItem, ResourceType } from '../../../functions/shared/huawei/schemas.js';
import { effectiveRecord } from '../../../functions/resources/relay-recording.js';
import { MODIFY_RESOURCES_ROUTE, fillPath } from '../../../functions/shared/routes.js';
import type { SweepReport } from '../../../functions/sweep/report.js';
import { CORP_A } from '../../../local/simulator/demo-data.js';
import { loginDemo } from '../../../local/simulator/demo-login.js';
import { httpApiEvent, lambdaContext } from '../../support/events.js';
import { applyToModel, intentChange, RELAY_REMAINING_MS, shouldEndDisabled, SWEEP_REMAINING_MS } from './fault-schedule.js';
import type { Action, HuaweiAction, ModelState, RelayAction, Schedule } from './fault-schedule.js';
import type { LambdaStack } from '../../support/stack.js';
import { upstreamResources } from './upstream.js';
import type { UpstreamResource } from './upstream.js';

const CORP = CORP_A.corpId;
const RESOURCE_PATH = fillPath(MODIFY_RESOURCES_ROUTE.path, { corp_id: CORP });
const DAY_MS = 86_400_000;
/** Attempts a caller makes at one update within one step (the faults may outlast them). */
const ATTEMPTS_PER_STEP = 3;
/** Once faults have stopped, an update must succeed within this many attempts (a busy machine may time one out). */
const ATTEMPTS_AFTER_FAULTS = 8;
/** The final sweep runs with a Lambda's normal time budget. */
const FINAL_SWEEP_REMAINING_MS = 60_000;

/** Totals over all schedules, for the report. */
export interface ScheduleTotals {
  schedules: number;
  steps: number;
  updates: number;
  relayCalls: number;
  answered2xx: number;
  answeredOther: Record<string, number>;
  /** Updates still unanswered 2xx when their step ended (finished after the faults stopped). */
  carriedOver: number;
  sweeps: number;
  /** Changes made at Huawei directly, by kind. */
  direct: Record<string, number>;
  faults: number;
  revocations: number;
}

export function emptyTotals(): ScheduleTotals {
  return { schedules: 0, steps: 0, updates: 0, relayCalls: 0, answered2xx: 0, answeredOther: {}, carriedOver: 0, sweeps: 0, direct: {}, faults: 0, revocations: 0 };
}

interface PendingUpdate {
  number: number;
  action: RelayAction;
  item: ModResourceItem;
  types: ResourceType[];
  attempts: number;
  /** The request id of the attempt answered 2xx. */
  acceptedAs?: string;
}

interface ResourceState {
  id: string;
  types: ResourceType[];
  queue: PendingUpdate[];
  /** Serialises the updates of one resource. */
  busy: Promise<void>;
}

/** The SP administrator as a relay client: its token, renewed when Huawei rejects it. */
export class Caller {
  private token: string | undefined;

  constructor(private readonly baseUrl: string) {}

  async currentToken(): Promise<string> {
    this.token ??= await this.login();
    return this.token;
  }

  async renewToken(): Promise<string> {
    this.token = await this.login();
    return this.token;
  }

  private async login(): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await loginDemo.spAdmin(this.baseUrl);
      } catch (error) {
        if (attempt >= 5) throw error;
        await sleep(20);
      }
    }
  }

  /** Huawei's resources of the test enterprise, read with this caller's token. */
  async upstream(): Promise<Map<string, UpstreamResource>> {
    try {
      return await upstreamResources(this.baseUrl, await this.currentToken(), CORP);
    } catch {
      return upstreamResources(this.baseUrl, await this.renewToken(), CORP);
    }
  }
}

export class ScheduleRunner {
  private scheduleNumber = 0;
  private updateNumber = 0;
  /** Ids deleted at Huawei in the current schedule: no relay update is sent for them any more. */
  private deleted = new Set<string>();
  /** Resources created at Huawei directly in the current schedule (by `id/type`), never registered by the relay. */
  private added: string[] = [];

  constructor(
    private readonly stack: LambdaStack,
    private readonly caller: Caller,
    readonly totals: ScheduleTotals,
  ) {}

  async run(schedule: Schedule): Promise<void> {
    const number = ++this.scheduleNumber;
    const now = Date.now();
    this.deleted = new Set();
    this.added = [];
    await this.startClean();
    const resources = await this.addAndRegister(schedule, number, now);
    const model = new Map<string, ModelState>();
    schedule.resources.forEach((resource, index) => {
      const expireDate = initialExpiry(resource.initiallyExpired, now, index);
      for (const type of resource.types) model.set(`${resourceId(number, index)}/${type}`, { expireDate, manuallyDisabled: false });
    });

    for (const step of schedule.steps) {
      this.totals.steps++;
      for (const disruption of step.disruptions) {
        if (disruption.kind === 'fault') {
          await this.stack.control.addFault(disruption.spec);
          this.totals.faults++;
        } else {
          await this.stack.control.expireTokens();
          this.totals.revocations++;
        }
      }
      const run = (actions: readonly Action[]) => Promise.all(actions.map((action) => this.perform(action, resources, model, now)));
      if (step.sweepsFirst) {
        await run(step.actions.filter((action) => action.kind === 'sweep'));
        await run(step.actions.filter((action) => action.kind !== 'sweep'));
      } else {
        await run(step.actions);
      }
      await this.stack.control.clearFaults();
      await this.settleInFlight();
    }

    // Faults have stopped; every update still pending is retried until it is answered 2xx.
    for (const resource of resources) {
      if (resource.queue.length > 0) this.totals.carriedOver += resource.queue.length;
      await this.drain(resource, model, ATTEMPTS_AFTER_FAULTS);
      expect(resource.queue.map((u) => u.item), `updates of ${resource.id} still failing after the faults stopped`).toEqual([]);
    }

    const synced = await this.stack.handlers.sync({}, lambdaContext({ remainingMs: FINAL_SWEEP_REMAINING_MS }));
    const report = await this.sweep(FINAL_SWEEP_REMAINING_MS);
    await this.expectFinalState(resources, model, report, synced.problems);
    this.totals.schedules++;
  }

  private async startClean(): Promise<void> {
    await this.stack.control.reset();
    for (const item of await this.stack.registry.scanAll()) {
      await this.stack.registry.dynamo.documentClient.send(
        new DeleteCommand({ TableName: this.stack.registry.dynamo.tableName, Key: { pk: item.pk, sk: item.sk } }),
      );
    }
  }

  /** Adds the schedule's resources upstream (as an SP would), then registers them through the relay. */
  private async addAndRegister(schedule: Schedule, number: number, now: number): Promise<ResourceState[]> {
    const resources = schedule.resources.map((resource, index) => ({
      id: resourceId(number, index),
      types: resource.types,
      queue: [],
      busy: Promise.resolve(),
    }));
    const additions = schedule.resources.flatMap((resource, index) =>
      resource.types.map((type) => ({ id: resourceId(number, index), type, count: 1, expireDate: initialExpiry(resource.initiallyExpired, now, index) })),
    );
    const add = async (token: string) =>
      fetch(`${this.stack.simulator.url}${RESOURCE_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-access-token': token },
        body: JSON.stringify(additions),
      });
    let added = await add(await this.caller.currentToken());
    // The token may have been revoked at the end of the previous schedule.
    if (added.status === 401) added = await add(await this.caller.renewToken());
    expect(added.status, await added.text()).toBe(200);
    // Ids with two types are registered without a type (a type-less item stands for both): registering one
    // type and later sending a type-less update leaves the other type unrecorded (registry-coverage.test.ts).
    const registration = schedule.resources.map((resource, index) => {
      const expireDate = initialExpiry(resource.initiallyExpired, now, index);
      const id = resourceId(number, index);
      return resource.types.length === 1 ? { id, type: resource.types[0], expireDate } : { id, expireDate };
    });
    await this.sendUntilAccepted(registration, `s${number}-register`);
    return resources;
  }

  private async perform(action: Action, resources: ResourceState[], model: Map<string, ModelState>, now: number): Promise<void> {
    if (action.kind === 'sweep') {
      await this.sweep(SWEEP_REMAINING_MS);
      return;
    }
    if (action.kind === 'huawei') {
      await this.changeAtHuawei(action, resources, model, now);
      return;
    }
    const resource = resources[action.resource] as ResourceState;
    if (this.deleted.has(resource.id)) return;
    const number = ++this.updateNumber;
    const type = action.typeIndex === undefined ? undefined : resource.types[action.typeIndex];
    const item: ModResourceItem = { id: resource.id, ...(type === undefined ? {} : { type }), ...intentChange(action.intent, now, number) };
    resource.queue.push({ number, action, item, types: type === undefined ? resource.types : [type], attempts: 0 });
    this.totals.updates++;
    await this.drain(resource, model, ATTEMPTS_PER_STEP);
  }

  /** The third actor: a change made at Huawei directly, applied to the model as Huawei applies it. */
  private async changeAtHuawei(action: HuaweiAction, resources: ResourceState[], model: Map<string, ModelState>, now: number): Promise<void> {
    const number = ++this.updateNumber;
    if (action.change === 'add') {
      const id = `s${this.scheduleNumber}-new${number}`;
      const expireDate = action.expired ? now - 3 * DAY_MS - number : now + 20 * DAY_MS + number;
      await this.direct('POST', RESOURCE_PATH, [{ id, type: action.type, count: 1, expireDate }]);
      model.set(`${id}/${action.type}`, { expireDate, manuallyDisabled: false });
      this.added.push(`${id}/${action.type}`);
      this.count('add');
      return;
    }
    const resource = resources[action.resource] as ResourceState;
    // A deleted id stays deleted; an id with updates still pending is not deleted (they would be refused).
    if (this.deleted.has(resource.id) || (action.change === 'delete' && resource.queue.length > 0)) return;
    await resource.busy;
    if (action.change === 'renew') {
      const expireDate = now + 40 * DAY_MS + number;
      await this.direct('PUT', RESOURCE_PATH, [{ id: resource.id, expireDate }]);
      for (const type of resource.types) {
        const key = `${resource.id}/${type}`;
        model.set(key, { ...(model.get(key) as ModelState), expireDate });
      }
    } else if (action.change === 'disable') {
      const before = await this.caller.upstream();
      const records = await this.stack.registry.store.listResource(CORP, resource.id);
      await this.direct('PUT', RESOURCE_PATH, [{ id: resource.id, isDisabled: true }]);
      for (const type of resource.types) {
        const key = `${resource.id}/${type}`;
        // Already disabled at Huawei: nothing changed there, nothing to model.
        if (before.get(key)?.isDisabled !== false) continue;
        const record = effectiveRecord(records, type);
        const ours = record?.inDoubtSince !== undefined || record?.reenableOwedSince !== undefined;
        model.set(key, { ...(model.get(key) as ModelState), manuallyDisabled: true, ...(ours ? { eitherState: true } : {}) });
      }
    } else {
      await this.direct('POST', `${RESOURCE_PATH}/delete`, [resource.id]);
      this.deleted.add(resource.id);
      for (const type of resource.types) {
        const key = `${resource.id}/${type}`;
        model.set(key, { ...(model.get(key) as ModelState), deleted: true });
      }
    }
    this.count(action.change);
  }

  private count(kind: string): void {
    this.totals.direct[kind] = (this.totals.direct[kind] ?? 0) + 1;
  }

  /** A call to Huawei's own API (not the relay), retried through the step's faults until Huawei answers 200. */
  private async direct(method: 'PUT' | 'POST', path: string, body: unknown): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let status = 0;
      let text = '';
      try {
        const response = await fetch(`${this.stack.simulator.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', 'x-access-token': await this.caller.currentToken() },
          body: JSON.stringify(body),
        });
        status = response.status;
        text = await response.text();
      } catch {
        // A reset fault: try again.
      }
      if (status === 200) return;
      if (status === 401) await this.caller.renewToken();
      else if (status !== 0 && status < 500 && status !== 429) throw new Error(`a direct change was refused: ${status} ${text}`);
      if (attempt >= 20) throw new Error(`a direct change kept failing: ${status} ${text}`);
      await sleep(20);
    }
  }

  /** Sends the resource's pending updates in order; stops at one that fails `attempts` times in a row. */
  private drain(resource: ResourceState, model: Map<string, ModelState>, attempts: number): Promise<void> {
    const next = resource.busy.then(async () => {
      while (resource.queue.length > 0) {
        const update = resource.queue[0] as PendingUpdate;
        if (!(await this.deliver(update, attempts))) return;
        await this.expectAppliedAndRecorded(update);
        for (const type of update.types) {
          const key = `${resource.id}/${type}`;
          model.set(key, applyToModel(model.get(key) as ModelState, update.item));
        }
        resource.queue.shift();
      }
    });
    resource.busy = next.catch(() => {});
    return next;
  }

  /** True once the update is answered 2xx; false after `attempts` retryable failures. */
  private async deliver(update: PendingUpdate, attempts: number): Promise<boolean> {
    for (let tries = 0; tries < attempts; ) {
      update.attempts++;
      const requestId = `u${update.number}-a${update.attempts}`;
      const answer = await this.send([update.item], requestId);
      const status = answer.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        this.totals.answered2xx++;
        update.acceptedAs = requestId;
        return true;
      }
      this.totals.answeredOther[status] = (this.totals.answeredOther[status] ?? 0) + 1;
      const code = (JSON.parse(String(answer.body || '{}')) as { error_code?: string }).error_code;
      if (status === 401 && code === 'USG.000000004') {
        // Huawei rejected the caller's token (revoked): log in again; that try does not count.
        await this.caller.renewToken();
        continue;
      }
      if (status < 500 && status !== 429) throw new Error(`a valid update was refused: ${status} ${String(answer.body)}`);
      tries++;
    }
    return false;
  }

  /** Without faults, but a busy machine may still time a call out: retried like any caller would. */
  private async sendUntilAccepted(items: readonly ModResourceItem[], requestId: string): Promise<void> {
    let answer: APIGatewayProxyStructuredResultV2 | undefined;
    for (let attempt = 1; attempt <= ATTEMPTS_AFTER_FAULTS; attempt++) {
      answer = await this.send(items, `${requestId}-a${attempt}`);
      if (answer.statusCode === 200) return;
      if (answer.statusCode === 401) await this.caller.renewToken();
      else if ((answer.statusCode ?? 0) < 500) break;
    }
    throw new Error(`registering the schedule's resources failed: ${answer?.statusCode} ${String(answer?.body)}`);
  }

  private async send(items: readonly ModResourceItem[], requestId: string): Promise<APIGatewayProxyStructuredResultV2> {
    this.totals.relayCalls++;
    const event = httpApiEvent({
      route: MODIFY_RESOURCES_ROUTE,
      pathParameters: { corp_id: CORP },
      headers: { 'content-type': 'application/json', 'x-access-token': await this.caller.currentToken(), 'x-request-id': requestId },
      body: [...items],
    });
    return this.stack.handlers.modifyResources(event, lambdaContext({ remainingMs: RELAY_REMAINING_MS }));
  }

  private async sweep(remainingMs: number): Promise<SweepReport> {
    this.totals.sweeps++;
    return this.stack.handlers.sweep({}, lambdaContext({ remainingMs }));
  }

  /**
   * Right after a 2xx: Huawei answered 200 to that very request with this item, the registry records the change
   * for every type it applied to, and Huawei holds the new expiry (the sweeper never changes expiries).
   */
  private async expectAppliedAndRecorded(update: PendingUpdate): Promise<void> {
    const requestId = update.acceptedAs;
    const where = `update ${JSON.stringify(update.item)} answered 2xx as ${requestId}`;
    const logged = await this.stack.control.requests({ path: RESOURCE_PATH, method: 'PUT' });
    const accepted = logged.filter((r) => r.requestId === requestId && r.status === 200);
    const carried = accepted.some((r) =>
      (r.body as ModResourceItem[]).some(
        (item) =>
          item.id === update.item.id &&
          item.type === update.item.type &&
          (update.item.expireDate === undefined || item.expireDate === update.item.expireDate) &&
          (update.item.isDisabled === undefined || item.isDisabled === update.item.isDisabled),
      ),
    );
    expect(carried, `${where}: not applied upstream`).toBe(true);

    const records = await this.stack.registry.store.listResource(CORP, update.item.id);
    const upstream = await this.caller.upstream();
    const now = Date.now();
    for (const type of update.types) {
      const record = effectiveRecord(records, type);
      expect(record, `${where}: nothing recorded for ${type}`).toBeDefined();
      if (update.item.expireDate !== undefined) {
        expect(record?.expireDate, `${where}: registry expireDate of ${type}`).toBe(update.item.expireDate);
        expect(upstream.get(`${update.item.id}/${type}`)?.expireDate, `${where}: Huawei's expireDate of ${type}`).toBe(update.item.expireDate);
      }
      if (update.item.isDisabled === true) expect(record, `${where}: registry state of ${type}`).toMatchObject({ status: 'disabled-manual' });
      if (update.item.isDisabled === false && record?.status.startsWith('disabled')) {
        // Only a sweep that ran meanwhile may have disabled it again, and only for expiry.
        expect(record.status === 'disabled-expired' && (record.expireDate ?? Infinity) <= now, `${where}: registry state of ${type}`).toBe(true);
      }
    }
  }

  /** Waits until Huawei has finished every request it received (delayed ones included). */
  private async settleInFlight(): Promise<void> {
    const giveUpAt = Date.now() + 10_000;
    for (;;) {
      const inFlight = (await this.stack.control.requests()).filter((r) => r.status === 0 && r.fault !== 'reset');
      if (inFlight.length === 0) return;
      if (Date.now() > giveUpAt) throw new Error(`Huawei requests still in flight: ${inFlight.map((r) => r.path).join(', ')}`);
      await sleep(20);
    }
  }

  /**
   * After the final sweep, every resource in Huawei and its registry item are what the callers asked for: due
   * ones disabled (for expiry), renewed ones enabled, manual disables in place, and the registry agreeing with
   * Huawei item by item.
   */
  private async expectFinalState(
    resources: readonly ResourceState[],
    model: ReadonlyMap<string, ModelState>,
    report: SweepReport,
    syncProblems: readonly string[],
  ): Promise<void> {
    const upstream = await this.caller.upstream();
    const now = Date.now();
    const problems: string[] = [];
    const keys = [...resources.flatMap((r) => r.types.map((type) => ({ id: r.id, type }))), ...this.added.map(splitKey)];
    for (const { id, type } of keys) {
      const records = await this.stack.registry.store.listResource(CORP, id);
      const key = `${id}/${type}`;
      const expected = model.get(key) as ModelState;
      const actual = upstream.get(key);
      const record = effectiveRecord(records, type);
      const state = (label: string, value: unknown) => `${label}=${JSON.stringify(value)}`;
      if (expected.deleted) {
        if (actual !== undefined) problems.push(`${key}: deleted at Huawei but listed there`);
        if (record?.status !== 'gone') problems.push(`${key}: deleted at Huawei, registry ${state('status', record?.status)}, expected gone`);
        continue;
      }
      const disabled = expected.eitherState ? actual?.isDisabled : shouldEndDisabled(expected, now);
      if (actual?.expireDate !== expected.expireDate || actual.isDisabled !== disabled) {
        problems.push(`${key}: Huawei ${state('expireDate', actual?.expireDate)} ${state('disabled', actual?.isDisabled)}, expected ${state('expireDate', expected.expireDate)} ${state('disabled', disabled)}`);
      }
      const status = expected.eitherState
        ? disabled
          ? record?.status
          : 'active'
        : expected.manuallyDisabled
          ? 'disabled-manual'
          : disabled
            ? 'disabled-expired'
            : 'active';
      const registryDisabled = record?.status === 'disabled-manual' || record?.status === 'disabled-expired';
      if (record?.expireDate !== expected.expireDate || record.status !== status || registryDisabled !== disabled) {
        problems.push(`${key}: registry ${state('expireDate', record?.expireDate)} ${state('status', record?.status)}, expected ${state('status', status)}`);
      }
    }
    const context = { status: report.status, problems: report.problems, unreconciled: report.unreconciled, syncProblems };
    expect(problems, `final sync and sweep: ${JSON.stringify(context)}`).toEqual([]);
  }
}

function splitKey(key: string): { id: string; type: ResourceType } {
  const [id, type] = key.split('/') as [string, ResourceType];
  return { id, type };
}

function resourceId(schedule: number, index: number): string {
  return `s${schedule}-r${index}`;
}

function initialExpiry(expired: boolean, now: number, index: number): number {
  return expired ? now - DAY_MS - index * 1000 : now + 10 * DAY_MS + index * 1000;
}
