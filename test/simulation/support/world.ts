/**
 * One simulated run: a scenario generated from a seed, the production relay protocol (`relayAndRecord`),
 * verified sweep (`sweep`) and sync (`sync`) as actors on one scheduler, Huawei in-process, then quiescence, one
 * clean sync and one clean sweep, and the invariants. Everything that varies comes from the chooser, so a seed
 * (or, in the exhaustive mode, a choice script) replays a run exactly.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { UpstreamTimeoutError, UpstreamUnavailableError } from '../../../functions/shared/huawei/client.js';
import type { ModResourceItem, ResourceType } from '../../../functions/shared/huawei/schemas.js';
import { RegistryConflictError } from '../../../functions/shared/registry/errors.js';
import type { RegistryItem } from '../../../functions/shared/registry/model.js';
import { relayAndRecord } from '../../../functions/resources/relay-recording.js';
import { IN_DOUBT_HOLD_MS } from '../../../functions/shared/registry/state.js';
import { sweep } from '../../../functions/sweep/sweep.js';
import { sync } from '../../../functions/sync/sync.js';
import { orderIdFor } from '../../../local/simulator/state.js';
import { CLEAN_OUTCOMES, CORP_ID, FAULTY_OUTCOMES, HuaweiModel, MAX_DELIVERY_MS, SimulatedSpApi } from './huawei-model.js';
import { huaweiWrite } from './huawei-model.js';
import type { NetworkOutcome } from './huawei-model.js';
import { describe as describeItem, MemoryLease, MemoryRegistryStore, MemoryTable } from './memory-registry.js';
import type { Gate } from './memory-registry.js';
import type { Chooser } from './scheduler.js';
import { DporExplorer, RedundantSchedule, Scheduler, ScriptChooser, STEP_MS } from './scheduler.js';
import { CachedState, StatefulExplorer } from './stateful.js';

export const START = Date.UTC(2026, 0, 1);
/** The simulated sweeps' lease (and claim) duration. */
const SWEEP_LEASE_MS = 5 * 60_000;
const YEAR = 365 * 24 * 3600_000;
export const TYPES: readonly ResourceType[] = ['CONF_CALL', 'SOFT'];

/** Footprint of an op that touches nothing (an exhaustive run's wait between relay rounds). */
const NOTHING = { reads: [], writes: [] };
/** Footprint of the record of relayed calls and changes at Huawei that the invariants read (scheduler.ts). */
const CALLS = { reads: [], writes: ['calls'] };

const silent = new Proxy({}, { get: () => () => undefined });
const silentLogger = silent as Logger;
const silentMetrics = silent as Metrics;

export type CallerOpKind = 'renew' | 'renew-soon' | 'expire' | 'disable' | 'enable';
export interface CallerOp {
  kind: CallerOpKind;
  id: string;
  type?: ResourceType;
}
export type DirectKind = 'renew' | 'disable' | 'enable' | 'delete' | 'add-expired' | 'add-future';
export interface DirectOp {
  kind: DirectKind;
  id: string;
  type?: ResourceType;
}

export interface InitialResource {
  id: string;
  types: ResourceType[];
  expiry: 'past' | 'soon' | 'future';
  disabled: boolean;
  registered: 'typeless' | 'typed' | 'none';
}

export interface Scenario {
  resources: InitialResource[];
  setupSweep: boolean;
  callers: CallerOp[][];
  sweeps: number;
  syncs: number;
  direct: DirectOp[];
  faults: boolean;
  /** Network outcomes during the concurrent phase when `faults` (default FAULTY_OUTCOMES). */
  outcomes?: readonly NetworkOutcome[];
}

function pickOf<T>(chooser: Chooser, values: readonly T[]): T {
  return values[chooser.choose(values.length)] as T;
}

/** A random scenario: 1-2 ids with 1-2 types each, 1-3 callers, 0-2 sweeps, 0-1 sync, 0-1 direct change. */
export function randomScenario(chooser: Chooser): Scenario {
  const resources: InitialResource[] = [];
  const idCount = 1 + chooser.choose(2);
  for (let i = 1; i <= idCount; i++) {
    const types = chooser.choose(2) === 0 ? [...TYPES] : [pickOf(chooser, TYPES)];
    resources.push({
      id: `r${i}`,
      types,
      expiry: pickOf(chooser, ['past', 'soon', 'soon', 'future'] as const),
      disabled: chooser.choose(10) === 0,
      registered: pickOf(chooser, ['typeless', 'typeless', 'typed', 'none'] as const),
    });
  }
  const target = (): { id: string; type?: ResourceType } => {
    const r = pickOf(chooser, resources);
    return chooser.choose(2) === 0 ? { id: r.id } : { id: r.id, type: pickOf(chooser, r.types) };
  };
  const callers: CallerOp[][] = [];
  for (let c = 0, n = 1 + chooser.choose(3); c < n; c++) {
    const ops: CallerOp[] = [];
    if (chooser.choose(6) === 0) {
      // A caller who disables, then enables again once answered (issue 15's sequence 3).
      const t = target();
      callers.push([{ kind: 'disable', ...t }, { kind: 'enable', ...t }]);
      continue;
    }
    for (let k = 0, m = 1 + chooser.choose(2); k < m; k++) {
      ops.push({ kind: pickOf(chooser, ['renew', 'renew', 'renew-soon', 'expire', 'disable', 'enable'] as const), ...target() });
    }
    callers.push(ops);
  }
  const direct: DirectOp[] = [];
  if (chooser.choose(3) === 0) {
    const kind = pickOf(chooser, ['renew', 'disable', 'enable', 'delete', 'add-expired', 'add-future'] as const);
    direct.push(kind.startsWith('add') ? { kind, id: 'r9', type: pickOf(chooser, TYPES) } : { kind, ...target() });
  }
  return {
    resources,
    setupSweep: chooser.choose(5) < 2,
    callers,
    sweeps: chooser.choose(3),
    syncs: chooser.choose(3) === 0 ? 1 : 0,
    direct,
    faults: chooser.choose(10) < 7,
  };
}

interface ManualDisable {
  via: 'relay' | 'direct';
  id: string;
  type?: ResourceType;
  /** Event number at which the disabling call was over (answered or given up), or the direct change made. */
  doneAt: number;
}
interface ConfirmedEnable {
  via: 'relay' | 'direct';
  id: string;
  type?: ResourceType;
  /** Event number at which the enabling call was issued. */
  issuedAt: number;
}
interface RelayAnswer {
  callId: string;
  item: ModResourceItem;
  status: number;
}

export interface RunResult {
  violations: string[];
  /** Whether the network could fail in the concurrent phase. */
  faults: boolean;
  trace: string[];
  steps: number;
  /** Huawei's and the registry's state at the end (exhaustive runs only). */
  end?: string;
  relayCalls: number;
  relay2xx: number;
  deliveries: number;
}

/** Test-only hooks: a deliberately broken fake, to show that the harness finds and shrinks what it breaks. */
export interface WorldOptions {
  /** The registry store the actors use (default: the faithful in-memory one). */
  store?: (table: MemoryTable, gate: Gate) => MemoryRegistryStore;
}

export class World {
  readonly scheduler: Scheduler;
  readonly huawei: HuaweiModel;
  readonly table = new MemoryTable();
  private faults = false;
  private events = 0;
  private readonly manualDisables: ManualDisable[] = [];
  private readonly enables: ConfirmedEnable[] = [];
  private readonly answers: RelayAnswer[] = [];
  private relayCalls = 0;
  private sweepCount = 0;

  constructor(
    chooser: Chooser,
    readonly scenario: Scenario,
    tracing: boolean,
    weighted = true,
    private readonly options: WorldOptions = {},
  ) {
    // Exhaustive runs (unweighted): ops take no virtual time, so independent ops commute exactly (DporExplorer).
    this.scheduler = new Scheduler(chooser, START, tracing, weighted, weighted ? STEP_MS : 0);
    this.huawei = new HuaweiModel(this.scheduler.clock);
    this.scheduler.sharedState = () => this.sharedState();
  }

  /**
   * Everything shared that an actor, the final sync and sweep or the invariants can read, as text (state caching:
   * `Scheduler.stateKey`). Records read as sets are sorted. Huawei's operation records are left out: nothing reads them.
   */
  private sharedState(): string {
    const sorted = (xs: string[]) => xs.sort().join(';');
    return [
      sorted([...this.table.items.entries()].map(([key, item]) => `${key}=${canonical(item)}`)),
      canonical(this.table.lease),
      canonical(this.huawei.resources()),
      sorted(this.huawei.applied.map(canonical)),
      sorted(this.manualDisables.map(canonical)),
      sorted(this.enables.map(canonical)),
      sorted(this.answers.map(canonical)),
      `${this.events} ${this.relayCalls} ${this.sweepCount} ${this.faults}`,
    ].join('\n');
  }

  private outcomes = (): readonly NetworkOutcome[] => (this.faults ? (this.scenario.outcomes ?? FAULTY_OUTCOMES) : CLEAN_OUTCOMES);

  private gate(actor: string): Gate {
    return (label, effect, touches) =>
      this.scheduler.gate(actor, `registry ${label}`, effect, {
        footprint: touches && (touches.write ? { reads: [], writes: touches.keys } : { reads: touches.keys, writes: [] }),
      });
  }

  private store(actor: string): MemoryRegistryStore {
    return this.options.store ? this.options.store(this.table, this.gate(actor)) : new MemoryRegistryStore(this.table, this.gate(actor));
  }

  private api(actor: string): SimulatedSpApi {
    return new SimulatedSpApi(actor, this.huawei, this.scheduler, this.outcomes);
  }

  private expiryOf(kind: InitialResource['expiry']): number {
    if (kind === 'past') return START - 3600_000;
    if (kind === 'soon') return START + 2_000;
    return START + YEAR;
  }

  /**
   * One relayed update, as the resource route runs it; returns the status the caller gets. `ordered`: what the
   * caller does after the answer is read by the invariants or names its next call (a disable's end, or a next
   * operation), so exhaustive runs order the answer against other callers' (see below).
   */
  async relay(actor: string, item: ModResourceItem, ordered = true): Promise<number> {
    const callId = `${actor}.${++this.relayCalls}`;
    const api = this.api(actor);
    const deadline = this.scheduler.now + 28_000;
    // Read outside an op (a shared counter, the clock): part of what the caller observed (state caching).
    this.scheduler.observe(actor, `call ${callId} ${canonical(item)} until ${deadline}`);
    let chunk = 0;
    let status: number;
    try {
      const deps = {
        store: this.store(actor).asStore(),
        now: this.scheduler.clock,
        reenableRenewed: true,
        deadline,
        // The wait between rounds is virtual time: a scheduled op that fires when the clock gets there. In
        // exhaustive runs it takes none, like every op there (only client timeouts move the clock): it touches
        // nothing, so it commutes with everything (docs/reliability.md, "Exhaustive small configurations").
        random: () => 0.5,
        sleep: (ms: number) =>
          this.scheduler.gate(actor, `waits ${ms} ms before the next round`, () => undefined, this.scheduler.weighted ? { notBefore: this.scheduler.now + ms } : { footprint: NOTHING }),
      };
      const result = await relayAndRecord(deps, CORP_ID, [item], (items) =>
        api.updateResources(CORP_ID, items, { requestId: `${callId}.${++chunk}`, deadline }),
      );
      status = result.response.status;
    } catch (error) {
      if (error instanceof UpstreamTimeoutError || error instanceof UpstreamUnavailableError) status = 504;
      else if (error instanceof RegistryConflictError) status = 503;
      else throw error;
    }
    // Exhaustive runs make the answer an op of its own that writes `calls` when it is `ordered`: what the caller
    // does next (its next call's number and expiry, when it counts as issued) and when a disable counts as over
    // are then ordered against every other caller's, as the invariants read them, whatever the reduction swaps.
    // An answer nothing reads the time of (a last renewal or enable) touches nothing.
    if (!this.scheduler.weighted) await this.scheduler.gate(actor, `answered ${status}`, () => undefined, { footprint: ordered ? CALLS : NOTHING });
    else this.scheduler.log(`${actor}: answered ${status}`);
    this.answers.push({ callId, item, status });
    return status;
  }

  private async caller(actor: string, ops: readonly CallerOp[]): Promise<void> {
    for (const [index, op] of ops.entries()) {
      const item: ModResourceItem = { id: op.id };
      if (op.type !== undefined) item.type = op.type;
      if (op.kind === 'renew') item.expireDate = START + YEAR + 1_000 * (1 + this.relayCalls);
      if (op.kind === 'renew-soon') item.expireDate = this.scheduler.now + 1_500;
      if (op.kind === 'expire') item.expireDate = START - 60_000;
      if (op.kind === 'disable') item.isDisabled = true;
      if (op.kind === 'enable') item.isDisabled = false;
      const issuedAt = ++this.events;
      this.scheduler.observe(actor, `issued at event ${issuedAt}`);
      const status = await this.relay(actor, item, op.kind === 'disable' || index < ops.length - 1);
      const doneAt = ++this.events;
      if (op.kind === 'disable') this.manualDisables.push({ via: 'relay', id: op.id, type: op.type, doneAt });
      if (op.kind === 'enable' && status >= 200 && status < 300) this.enables.push({ via: 'relay', id: op.id, type: op.type, issuedAt });
    }
  }

  private async runSweep(actor: string): Promise<void> {
    await sweep({
      store: this.store(actor).asStore(),
      lease: new MemoryLease(this.table, this.gate(actor)).asLease(),
      spApi: this.api(actor),
      config: { dryRun: false, maxRejections: 3, concurrency: 4, leaseMs: SWEEP_LEASE_MS, recordReserveMs: 2_000 },
      deadline: this.scheduler.now + 60_000,
      now: this.scheduler.clock,
      sweepId: `${actor}-${++this.sweepCount}`,
      logger: silentLogger,
      metrics: silentMetrics,
    });
  }

  private async runSync(actor: string): Promise<void> {
    await sync({
      store: this.store(actor).asStore(),
      spApi: this.api(actor),
      config: { dryRun: false, corpIds: [CORP_ID], concurrency: 1 },
      deadline: this.scheduler.now + 60_000,
      now: this.scheduler.clock,
      syncId: actor,
      logger: silentLogger,
      metrics: silentMetrics,
    });
  }

  private async direct(actor: string, op: DirectOp): Promise<void> {
    await this.scheduler.gate(actor, `at Huawei: ${op.kind} ${op.id}/${op.type ?? '*'}`, () => {
      const state = this.huawei.sim.state;
      const all = this.huawei.resources();
      const targets = all.filter((r) => r.id === op.id && (op.type === undefined || r.type === op.type));
      if (op.kind === 'renew') for (const r of targets) r.expireDate = START + YEAR + 7;
      if (op.kind === 'disable') for (const r of targets) r.isDisabled = true;
      if (op.kind === 'enable') for (const r of targets) r.isDisabled = false;
      if (op.kind === 'delete') state.resources.set(CORP_ID, all.filter((r) => r.id !== op.id));
      if (op.kind === 'add-expired' || op.kind === 'add-future') {
        const expireDate = op.kind === 'add-expired' ? START - 1_000 : START + YEAR;
        state.addResource({ corpId: CORP_ID, id: op.id, type: op.type ?? 'SOFT', typeId: null, count: 1, expireDate, isDisabled: false, orderId: orderIdFor(op.id) });
      }
    }, { footprint: { reads: [], writes: [...huaweiWrite(op.kind === 'delete' ? [{ id: op.id }] : [op]).writes, 'calls'] } });
    const at = ++this.events;
    if (op.kind === 'disable') this.manualDisables.push({ via: 'direct', id: op.id, type: op.type, doneAt: at });
    if (op.kind === 'enable') this.enables.push({ via: 'direct', id: op.id, type: op.type, issuedAt: at });
  }

  /**
   * One actor alone (setup, and the final sync and sweep). Exhaustive runs do not branch on the order of its own
   * parallel ops there: the setup and the final check run in one fixed order (the first pending op each time),
   * so every class counted is a class of the concurrent phase.
   */
  private async alone(run: () => Promise<void>): Promise<void> {
    const done = run();
    await this.scheduler.runUntilQuiet(!this.scheduler.weighted);
    await done;
  }

  async run(): Promise<RunResult> {
    const s = this.scenario;
    this.scheduler.log(`scenario ${JSON.stringify(s)}`);
    // Setup, one actor at a time, no faults: Huawei's resources, their registration, maybe a sweep.
    for (const r of s.resources) {
      for (const type of r.types) {
        this.huawei.sim.state.addResource({ corpId: CORP_ID, id: r.id, type, typeId: null, count: 1, expireDate: this.expiryOf(r.expiry), isDisabled: r.disabled, orderId: orderIdFor(r.id) });
        // Disabled before the run: by hand, as far as anyone can tell.
        if (r.disabled) this.manualDisables.push({ via: 'direct', id: r.id, type, doneAt: 0 });
      }
    }
    for (const r of s.resources) {
      if (r.registered === 'typeless') await this.alone(async () => void (await this.relay('setup', { id: r.id, expireDate: this.expiryOf(r.expiry) })));
      if (r.registered === 'typed') {
        for (const type of r.types) await this.alone(async () => void (await this.relay('setup', { id: r.id, type, expireDate: this.expiryOf(r.expiry) })));
      }
    }
    if (s.setupSweep) await this.alone(() => this.runSweep('setup-sweep'));

    // The concurrent phase: every actor at once, the network as the seed decides.
    this.faults = s.faults;
    const actors: Promise<void>[] = [];
    // An actor whose code has ended (and whose late deliveries have landed) no longer counts in the state.
    // Each declares what it may touch (checked op by op; state caching runs an op that commutes with all the
    // others' first, without branching). With faults, anything: a client timeout moves the clock.
    const act = (name: string, mayTouch: string[], run: (name: string) => Promise<void>) => {
      // Exhaustive runs only: the random mode's ops take time (a wait between rounds moves the clock).
      if (!this.scheduler.weighted) this.scheduler.declare(name, s.faults ? undefined : { reads: [], writes: mayTouch });
      actors.push(run(name).finally(() => this.scheduler.finish(name)));
    };
    const ofIds = (ops: readonly { id: string }[]) => [...new Set(ops.map((op) => op.id))].flatMap((id) => [`reg:${id}:*`, `hw:${id}:*`]);
    s.callers.forEach((ops, i) => act(`caller${i + 1}`, [...ofIds(ops), 'calls'], (name) => this.caller(name, ops)));
    for (let i = 1; i <= s.sweeps; i++) act(`sweep${i}`, ['reg:*', 'hw:*', 'lease'], (name) => this.runSweep(name));
    for (let i = 1; i <= s.syncs; i++) act(`sync${i}`, ['reg:*', 'hw:*'], (name) => this.runSync(name));
    s.direct.forEach((op, i) => act(`direct${i + 1}`, [...huaweiWrite(op.kind === 'delete' ? [{ id: op.id }] : [op]).writes, 'calls'], (name) => this.direct(name, op)));
    const settled = Promise.allSettled(actors);
    await this.scheduler.runUntilQuiet();
    for (const result of await settled) if (result.status === 'rejected') throw result.reason;

    // Quiescence: every late delivery has landed. Faults stop; past any hold; one sync, then one sweep.
    this.faults = false;
    // Past every hold, and past the lease and claims of a sweep that ran out of its budget holding claims (they
    // expire by design; the final sweep must be able to take those items).
    this.scheduler.now += Math.max(IN_DOUBT_HOLD_MS + MAX_DELIVERY_MS, SWEEP_LEASE_MS);
    this.scheduler.log('--- quiescence: one sync, then one sweep');
    await this.alone(() => this.runSync('final-sync'));
    await this.alone(() => this.runSweep('final-sweep'));

    const violations = this.check();
    if (violations.length || this.scheduler.tracing) this.scheduler.log(`end: ${this.describeEnd()}`);
    return {
      violations,
      faults: this.scenario.faults,
      trace: this.scheduler.trace,
      steps: this.scheduler.steps,
      end: this.scheduler.weighted ? undefined : this.describeEnd(),
      relayCalls: this.answers.length,
      relay2xx: this.answers.filter((a) => a.status >= 200 && a.status < 300).length,
      deliveries: this.huawei.applied.filter((a) => a.late).length,
    };
  }

  private describeEnd(): string {
    const huawei = this.huawei.resources().map((r) => `${r.id}/${r.type} exp=${r.expireDate} ${r.isDisabled ? 'disabled' : 'enabled'}`);
    const registry = this.table.all().map((i) => `${i.sk} ${describeItem(i)}`);
    return `Huawei {${huawei.join('; ')}} registry {${registry.join('; ')}}`;
  }

  /**
   * Someone disabled it by hand and nobody enabled it after that: an enable made after the disable was over (the
   * caller had its answer, or the change was made at Huawei). A change made at Huawei does not end a relayed
   * disable: a late delivery of ours may still follow it and the product cannot see the change it undid.
   */
  private mayStayDisabled(id: string, type: ResourceType): boolean {
    const covers = (x: { id: string; type?: ResourceType }) => x.id === id && (x.type === undefined || x.type === type);
    return this.manualDisables.some(
      (d) => covers(d) && !this.enables.some((e) => covers(e) && e.issuedAt > d.doneAt && (e.via === 'relay' || d.via === 'direct')),
    );
  }

  /** The write that last disabled (id, type) at Huawei, for the failure message. */
  private lastDisabler(id: string, type: ResourceType): string {
    const applied = [...this.huawei.applied]
      .reverse()
      .find((a) => a.status === 200 && a.items.some((i) => i.id === id && (i.type === undefined || i.type === type) && i.isDisabled === true));
    return applied ? `last disabled by ${applied.callId} attempt ${applied.attempt}${applied.late === 'held' ? ', delivered late after the client gave up on it' : applied.late === 'twice' ? ', a duplicate delivered late' : ''}` : 'disabled at Huawei directly';
  }

  /** The invariants after quiescence and one sync plus one sweep. */
  check(): string[] {
    const violations: string[] = [];
    const now = this.scheduler.now;
    const items = this.table.all().filter((i) => i.pk.startsWith('CORP#'));
    const huawei = this.huawei.resources();
    const effective = (id: string, type: ResourceType): RegistryItem | undefined =>
      items.find((i) => i.resourceId === id && i.type === type) ?? items.find((i) => i.resourceId === id && i.type === undefined);
    for (const r of huawei) {
      const where = `${r.id}/${r.type}`;
      const item = effective(r.id, r.type);
      const disabled = item?.status === 'disabled-expired' || item?.status === 'disabled-manual';
      if (!item) violations.push(`${where}: held by Huawei, not in the registry`);
      else if (item.expireDate !== r.expireDate || disabled !== r.isDisabled || item.status === 'gone' || item.status === 'failed') {
        violations.push(`${where}: Huawei exp=${r.expireDate} ${r.isDisabled ? 'disabled' : 'enabled'}, registry ${describeItem(item)}`);
      }
      if (r.expireDate > now && r.isDisabled && !this.mayStayDisabled(r.id, r.type)) {
        violations.push(`${where}: future expiry, disabled at Huawei, and nobody disabled it by hand (${this.lastDisabler(r.id, r.type)})`);
      }
      if (r.expireDate <= now && !r.isDisabled) violations.push(`${where}: expired at Huawei and still enabled`);
    }
    for (const item of items) {
      if (item.status === 'gone') continue;
      const held = huawei.some((r) => r.id === item.resourceId && (item.type === undefined || r.type === item.type));
      if (!held) violations.push(`${item.sk}: ${describeItem(item)} in the registry, absent at Huawei`);
    }
    for (const answer of this.answers) {
      if (answer.status < 200 || answer.status >= 300) continue;
      const applied = this.huawei.applied.some(
        (a) =>
          a.callId.startsWith(`${answer.callId}.`) &&
          a.status === 200 &&
          a.items.some(
            (i) =>
              i.id === answer.item.id &&
              i.type === answer.item.type &&
              i.expireDate === answer.item.expireDate &&
              (answer.item.isDisabled === undefined || i.isDisabled === answer.item.isDisabled),
          ),
      );
      if (!applied) violations.push(`${answer.callId}: answered ${answer.status} for ${JSON.stringify(answer.item)}, never applied at Huawei`);
    }
    return violations;
  }
}

/** Runs one seed; the scenario and the schedule both come from it. */
export async function runSeed(seed: number, tracing = false, chooserFor: (seed: number) => Chooser, options: WorldOptions = {}): Promise<RunResult> {
  const chooser = chooserFor(seed);
  const world = new World(chooser, randomScenario(chooser), tracing, true, options);
  return world.run();
}

/** Runs the scenario and schedule a chooser gives (a seed's recorded choices, or a shrunk list of them). */
export async function runChooser(chooser: Chooser, tracing = false, options: WorldOptions = {}): Promise<RunResult> {
  return new World(chooser, randomScenario(chooser), tracing, true, options).run();
}

export interface Enumeration {
  schedules: number;
  /** Runs cut short because every pending op was asleep (equivalent to a schedule already run). */
  pruned: number;
  /** Runs cut short at a state already explored (`stateful` only). */
  cached: number;
  /** Distinct states stored (`stateful` only). */
  states: number;
  failures: { script: number[]; violations: string[] }[];
  /** Every class was run (the limit was not reached). */
  complete: boolean;
  /** The distinct end states (Huawei and registry) and violations the runs reached. */
  ends: Set<string>;
  /** The script of the first run that reached each end (replayable with `replayScript`). */
  examples: Map<string, number[]>;
}

/**
 * How `enumerate` explores: `stateful`, sleep sets with a cache of visited states (`StatefulExplorer`: every
 * reachable end state, each state explored once); `dpor`, source-DPOR with sleep sets (`DporExplorer`: one
 * schedule per class of equivalent schedules, no cache); `unreduced`, every interleaving.
 */
export type Exploration = 'stateful' | 'dpor' | 'unreduced';

/**
 * Every reachable end of a fixed scenario, depth first (each pending op, and each network outcome, is a branch).
 * `limit`: see below; `Number.POSITIVE_INFINITY` runs to the end.
 */
export async function enumerate(
  scenario: Scenario,
  limit = Number.POSITIVE_INFINITY,
  how: Exploration = 'stateful',
  /** Called every 1,000 runs (the long form's progress lines). */
  progress?: (sofar: Enumeration) => void,
): Promise<Enumeration> {
  const result: Enumeration = { schedules: 0, pruned: 0, cached: 0, states: 0, failures: [], complete: false, ends: new Set(), examples: new Map() };
  const explorer = how === 'stateful' ? new StatefulExplorer() : new DporExplorer({ reduce: how === 'dpor' });
  for (;;) {
    if (explorer instanceof StatefulExplorer) result.states = explorer.states;
    // `limit` counts classes run (dpor, unreduced) or runs, cut ones included (stateful: few runs reach an end).
    if ((how === 'stateful' ? result.schedules + result.pruned + result.cached : result.schedules) >= limit) return result;
    explorer.startRun();
    try {
      const run = await new World(explorer, scenario, false, false).run();
      result.schedules++;
      const end = `${run.end} ${run.violations.join(' | ')}`;
      result.ends.add(end);
      if (!result.examples.has(end)) result.examples.set(end, explorer.script());
      if (run.violations.length) result.failures.push({ script: explorer.script(), violations: run.violations });
    } catch (error) {
      if (error instanceof CachedState) result.cached++;
      else if (error instanceof RedundantSchedule) result.pruned++;
      else throw error;
    }
    if (explorer instanceof DporExplorer) explorer.analyseRun();
    if (progress && (result.schedules + result.pruned + result.cached) % 1_000 === 0) progress(result);
    if (!explorer.advance()) {
      if (explorer instanceof StatefulExplorer) result.states = explorer.states;
      result.complete = true;
      return result;
    }
  }
}

/** Replays one schedule of a fixed scenario with its trace. */
export async function replayScript(scenario: Scenario, script: readonly number[]): Promise<RunResult> {
  return new World(new ScriptChooser(script), scenario, true, false).run();
}

/** JSON with object keys sorted, so equal values give equal text whatever order their fields were set in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  ) ?? 'undefined';
}
