/**
 * Seeded random fault schedules for the resource route, the sweeper and the sync: a few resources, then steps
 * that each inject disruptions (faults in the simulator, token revocation) and run relay updates, sweeps and
 * changes made at Huawei directly (renewals, disables, deletions, new resources) side by side.
 * Also the model of what Huawei and the registry must hold once every update has been answered 2xx.
 */
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { RESOURCE_TYPES } from '../../../functions/shared/huawei/schemas.js';
import type { ResourceType } from '../../../functions/shared/huawei/schemas.js';
import type { FaultSpec } from '../../../local/simulator/control-client.js';

/** Where faults are injected: the SP resource API (written by the relay and the sweeper) and the sweeper's login. */
export const SP_RESOURCE_PREFIX = '/v1/usg/dcs/sp/corp/';
export const SP_APP_LOGIN_PATH = '/v2/usg/acs/auth/appauth';

/** The relay is given this long by its (simulated) Lambda: its upstream deadline is 1.5 s shorter (0.5 s). */
export const RELAY_REMAINING_MS = 2_000;
/**
 * A sweep during the schedule: 3 s of upstream work (8 s less the sweeper's 3 s safety margin and 2 s kept for
 * recording). Ample, so that a slow machine does not make a sweeper call time out (see `Step.actions`).
 */
export const SWEEP_REMAINING_MS = 8_000;
/** A delay past the relay's upstream deadline: the call times out, and Huawei applies it later. */
export const TIMEOUT_DELAY_MS = 800;

export type IntentKind = 'renew' | 'expire' | 'disable' | 'enable';

export interface ScheduleResource {
  /** One type, or (one time in four) two types under the same id. */
  types: ResourceType[];
  /** Already past its expiry when registered (the first sweep must disable it). */
  initiallyExpired: boolean;
}

export interface RelayAction {
  kind: 'relay';
  resource: number;
  intent: IntentKind;
  /** Index into the resource's types, or undefined for a type-less update (every type of the id). */
  typeIndex: number | undefined;
}

/**
 * The third actor: someone changing Huawei directly (the SP console, a billing system), never through the relay.
 * `resource` actions touch one of the schedule's resources; `add` creates a resource nobody registered.
 */
export type HuaweiAction =
  | { kind: 'huawei'; change: 'renew' | 'disable' | 'delete'; resource: number }
  | { kind: 'huawei'; change: 'add'; type: ResourceType; expired: boolean };

export type Action = RelayAction | HuaweiAction | { kind: 'sweep' };

export type Disruption = { kind: 'fault'; spec: FaultSpec } | { kind: 'revoke-tokens' };

export interface Step {
  /** Injected first, in order; the faults end with the step. */
  disruptions: Disruption[];
  /**
   * The sweeps run to their end before the updates start (instead of side by side). Set when the step has both
   * faults and sweeps: a sweep that gives up releases its claims, and an update that read an item while it was
   * claimed writes the released claim back, a known bug proven by sweep-claim-race.test.ts.
   */
  sweepsFirst: boolean;
  /**
   * Then run side by side; relay actions of one step touch distinct resources. Two more known bugs are kept out
   * of the schedules (each is proven by its own test): a step with a delay past the deadlines runs no sweep
   * (sweep-timeout-race.test.ts), and a step with a sweep sends ids of two types only type-less updates
   * (sweep-typeless-race.test.ts).
   */
  actions: Action[];
}

export interface Schedule {
  resources: ScheduleResource[];
  steps: Step[];
}

const resourceType = fc.constantFrom(...RESOURCE_TYPES);

const scheduleResource: Arbitrary<ScheduleResource> = fc.record({
  types: fc.oneof(
    { weight: 3, arbitrary: resourceType.map((type) => [type]) },
    { weight: 1, arbitrary: fc.uniqueArray(resourceType, { minLength: 2, maxLength: 2 }) },
  ),
  initiallyExpired: fc.boolean(),
});

const method = (path: string) => (path === SP_APP_LOGIN_PATH ? 'POST' : 'PUT');

/** Faults on the writes the product makes (never on the reads the test itself uses to check Huawei). */
const faultSpec: Arbitrary<FaultSpec> = fc
  .tuple(fc.constantFrom(SP_RESOURCE_PREFIX, SP_RESOURCE_PREFIX, SP_RESOURCE_PREFIX, SP_APP_LOGIN_PATH), fc.nat({ max: 4 }), fc.nat({ max: 2 ** 31 - 1 }))
  .chain(([path, kind, seed]): Arbitrary<FaultSpec> => {
    const base = { path, method: method(path) };
    switch (kind) {
      case 0:
        // Up to 6 in a row: more than the client's retries, so some updates and sweeps fail outright.
        return fc.record({ status: fc.constantFrom(500, 502, 503, 504, 429), count: fc.integer({ min: 1, max: 6 }) }).map((f) => ({ ...base, ...f }));
      case 1:
        return fc.integer({ min: 1, max: 5 }).map((count) => ({ ...base, reset: true, count }));
      case 2:
        return fc.record({ delayMs: fc.integer({ min: 20, max: 150 }), count: fc.integer({ min: 1, max: 4 }) }).map((f) => ({ ...base, ...f }));
      case 3:
        return fc.constant({ ...base, delayMs: TIMEOUT_DELAY_MS, count: 1 });
      default:
        return fc.integer({ min: 2, max: 8 }).map((count) => ({ ...base, status: 503, rate: 0.5, seed, count }));
    }
  });

function isPastDeadline(disruption: Disruption): boolean {
  return disruption.kind === 'fault' && (disruption.spec.delayMs ?? 0) >= TIMEOUT_DELAY_MS;
}

const disruption: Arbitrary<Disruption> = fc.oneof(
  { weight: 5, arbitrary: faultSpec.map((spec) => ({ kind: 'fault' as const, spec })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'revoke-tokens' as const }) },
);

function stepFor(resources: readonly ScheduleResource[]): Arbitrary<Step> {
  const relay = (index: number): Arbitrary<RelayAction> =>
    fc.record({
      kind: fc.constant('relay' as const),
      resource: fc.constant(index),
      intent: fc.constantFrom<IntentKind>('renew', 'expire', 'disable', 'enable'),
      typeIndex: fc.option(fc.nat({ max: (resources[index]?.types.length ?? 1) - 1 }), { nil: undefined, freq: 4 }),
    });
  const huawei: Arbitrary<HuaweiAction> = fc.oneof(
    fc.record({ kind: fc.constant('huawei' as const), change: fc.constantFrom('renew' as const, 'disable' as const, 'delete' as const), resource: fc.nat({ max: resources.length - 1 }) }),
    fc.record({ kind: fc.constant('huawei' as const), change: fc.constant('add' as const), type: resourceType, expired: fc.boolean() }),
  );
  const actions = fc
    .tuple(fc.uniqueArray(fc.nat({ max: resources.length - 1 }), { maxLength: 3 }), fc.nat({ max: 2 }), fc.array(huawei, { maxLength: 1 }))
    .chain(([indexes, sweeps, direct]) =>
      fc
        .tuple(...indexes.map(relay))
        // A direct change never touches a resource a relay action of the same step updates: Huawei would apply
        // the two in either order and no model could say which one the caller meant to win.
        .map((relays): Action[] => [
          ...relays,
          ...direct.filter((d) => d.change === 'add' || !indexes.includes(d.resource)),
          ...Array.from({ length: sweeps }, () => ({ kind: 'sweep' as const })),
        ]),
    )
    .filter((list) => list.length > 0);
  return fc.record({ disruptions: fc.array(disruption, { maxLength: 2 }), actions }).map((input): Step => {
    let generated = input;
    let hasSweep = generated.actions.some((action) => action.kind === 'sweep');
    // A direct disable beside a sweep of the same resource is either ours-then-theirs (a no-op, the registry keeps
    // "disabled for expiry") or theirs-then-ours (a manual disable): no model can tell, so the step runs no sweep.
    if (generated.actions.some((a) => a.kind === 'huawei' && a.change === 'disable')) {
      generated = { ...generated, actions: generated.actions.filter((a) => a.kind !== 'sweep') };
      hasSweep = false;
    }
    const step = { ...generated, sweepsFirst: hasSweep && generated.disruptions.some((d) => d.kind === 'fault') };
    if (step.disruptions.some(isPastDeadline)) return { ...step, sweepsFirst: false, actions: step.actions.filter((action) => action.kind !== 'sweep') };
    if (!hasSweep) return step;
    // Beside a sweep, ids with two types get type-less updates only: a typed update racing the sweeper's
    // type-less disable of the same id goes unnoticed, a known bug proven by sweep-typeless-race.test.ts.
    return {
      ...step,
      actions: step.actions.map((action) =>
        action.kind === 'relay' && (resources[action.resource]?.types.length ?? 1) > 1 ? { ...action, typeIndex: undefined } : action,
      ),
    };
  });
}

export const schedule: Arbitrary<Schedule> = fc
  .array(scheduleResource, { minLength: 2, maxLength: 5 })
  .chain((resources) => fc.record({ resources: fc.constant(resources), steps: fc.array(stepFor(resources), { minLength: 2, maxLength: 5 }) }));

// ---------------------------------------------------------------------------------------------------------------
// The model

/** What one (id, type) should be once every update was answered 2xx and one sweep ran. */
export interface ModelState {
  expireDate: number;
  /** The last isDisabled a caller set was true, or someone disabled it at Huawei directly since. */
  manuallyDisabled: boolean;
  /**
   * Disabled at Huawei directly while a disable of ours was in doubt or a re-enable owed: by design the product
   * then takes the disable as its own and may push an enable (docs/registry-and-sweeper.md, in doubt). Either
   * end state is right, as long as the registry agrees with Huawei.
   */
  eitherState?: boolean;
  /** Deleted at Huawei: must end absent there and `gone` in the registry. */
  deleted?: boolean;
}

/** The ModResourceDTO fields an intent sends. `at` keeps every expiry distinct, so each can be told apart. */
export function intentChange(intent: IntentKind, now: number, at: number): { expireDate?: number; isDisabled?: boolean } {
  switch (intent) {
    case 'renew':
      return { expireDate: now + 30 * 86_400_000 + at };
    case 'expire':
      return { expireDate: now - 2 * 86_400_000 - at };
    case 'disable':
      return { isDisabled: true };
    case 'enable':
      return { isDisabled: false };
  }
}

/** Folds one accepted change into the model of the types it applies to. */
export function applyToModel(state: ModelState, change: { expireDate?: number; isDisabled?: boolean }): ModelState {
  const next: ModelState = {
    expireDate: change.expireDate ?? state.expireDate,
    manuallyDisabled: change.isDisabled ?? state.manuallyDisabled,
  };
  // A caller's explicit state settles what an earlier direct disable left open.
  if (change.isDisabled === undefined && state.eitherState) next.eitherState = true;
  return next;
}

/** Disabled upstream after the final sweep: manually, or because it has expired. */
export function shouldEndDisabled(state: ModelState, now: number): boolean {
  return state.manuallyDisabled || state.expireDate <= now;
}
