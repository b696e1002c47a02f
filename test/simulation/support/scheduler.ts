/**
 * The simulation's one scheduler: every step that touches shared state (a registry read or write, an upstream
 * attempt, a late delivery, a client timeout) is a gated operation, and the scheduler alone decides which
 * pending operation runs next. Actors are the production async functions; between two gated operations they
 * only run microtasks, which the scheduler drains (one `setImmediate`) before each choice, so a run is a pure
 * function of the chooser's answers.
 */
import { createHash } from 'node:crypto';

/** Where the scheduler's decisions come from: a seeded PRNG, or a script (exhaustive enumeration). */
export interface Chooser {
  /** An integer in [0, n). */
  choose(n: number): number;
}

/** mulberry32: small, fast, good enough for schedules. */
export class RandomChooser implements Chooser {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  choose(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/**
 * What an op touches, for the exhaustive mode's partial-order reduction: two ops commute when neither writes
 * what the other touches. No footprint = touches everything (a client timeout moves the clock, which every
 * actor reads).
 *
 * Keys are paths separated by `:`; a `*` segment stands for every value at that level and below, and a key
 * overlaps every longer key it is a prefix of. The simulation uses `reg:<id>:<type>` (one registry item; `-`
 * for the type-less one), `reg:<id>:*` (every item of an id: `listResource`), `reg:*` (a whole-enterprise read
 * or the due index), `lease`, `hw:<id>:<type>` (one resource at Huawei), `hw:<id>:*` (every type of an id: a
 * type-less PUT), `hw:*` (a listing), and `calls` (the record of which relayed calls were issued and answered
 * when, that the invariants read).
 */
export interface Footprint {
  reads: readonly string[];
  writes: readonly string[];
}

export function overlaps(a: string, b: string): boolean {
  const pa = a.split(':');
  const pb = b.split(':');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === '*' || pb[i] === '*') return true;
    if (pa[i] !== pb[i]) return false;
  }
  return true;
}

/** Footprints numbered by content (the same reads and writes, the same number), and their pairs memoised. */
const footprintIds = new Map<string, number>();
const idOfFootprint = new WeakMap<Footprint, number>();
const commuting = new Map<number, boolean>();
const footprintsById: Footprint[] = [];

/** A number per distinct footprint; -1 for none (touches everything). */
export function footprintId(f: Footprint | undefined): number {
  if (!f) return -1;
  let id = idOfFootprint.get(f);
  if (id === undefined) {
    const signature = `${f.reads.join(',')}/${f.writes.join(',')}`;
    id = footprintIds.get(signature);
    if (id === undefined) {
      id = footprintsById.length;
      footprintsById.push(f);
      footprintIds.set(signature, id);
    }
    idOfFootprint.set(f, id);
  }
  return id;
}

function independentIds(a: number, b: number): boolean {
  if (a < 0 || b < 0) return false;
  const pair = a * 1_000_003 + b;
  let known = commuting.get(pair);
  if (known === undefined) commuting.set(pair, (known = commute(footprintsById[a] as Footprint, footprintsById[b] as Footprint)));
  return known;
}

export function independent(a: Footprint | undefined, b: Footprint | undefined): boolean {
  return independentIds(footprintId(a), footprintId(b));
}

/**
 * Whether `outer` covers `inner`: every key that overlaps `inner` overlaps `outer` (`reg:r1:*` covers
 * `reg:r1:SOFT`, not `reg:*`).
 */
export function covers(outer: string, inner: string): boolean {
  const po = outer.split(':');
  const pi = inner.split(':');
  for (let i = 0; i < po.length; i++) {
    if (i >= pi.length) return false;
    if (po[i] === '*') return true;
    if (pi[i] === '*' || po[i] !== pi[i]) return false;
  }
  return true;
}

/** Whether `outer` bounds `inner`: what commutes with `outer` commutes with `inner`. */
export function bounds(outer: Footprint, inner: Footprint): boolean {
  const writes = (k: string) => outer.writes.some((o) => covers(o, k));
  return inner.writes.every(writes) && inner.reads.every((k) => writes(k) || outer.reads.some((o) => covers(o, k)));
}

function commute(a: Footprint, b: Footprint): boolean {
  const hits = (xs: readonly string[], ys: readonly string[]) => xs.some((x) => ys.some((y) => overlaps(x, y)));
  return !hits(a.writes, b.writes) && !hits(a.writes, b.reads) && !hits(a.reads, b.writes);
}

export interface OpView {
  /** Unique within a run and the same in every run that reaches it: `<actor>#<n>: <label>`, n counting the actor's ops. */
  key: string;
  footprint?: Footprint;
  /** The actor whose op it is (a late delivery: the actor that sent it). */
  actor?: string;
  /** Key of the op after which the actor's code created this one (its program-order predecessor), if any. */
  createdBy?: string;
}

/** A chooser that also picks ops itself (the exhaustive explorer, a script replay); may abort a redundant schedule. */
export interface OpChooser extends Chooser {
  /**
   * Picks the next op. `forced`: the op that must run (the only one pending, or a late delivery whose latest
   * time has come); no choice is recorded for it.
   */
  chooseOp(pending: readonly OpView[], forced?: number, context?: StateContext): number;
  /** Every op run so far happens before every op run from now on (a phase of the run starts). */
  barrier?(): void;
  /** Wants `chooseOp`'s `state` (a digest of the whole state: `Scheduler.stateKey`), for state caching. */
  readonly cachesStates?: boolean;
}

/** What the scheduler tells a state-caching chooser (`OpChooser.cachesStates`) at each choice. */
export interface StateContext {
  /** A digest of the whole state (`Scheduler.stateKey`). */
  state(): string;
  /**
   * Whether the op commutes with everything any other actor can still do (`Scheduler.commutesWithOthers`): then
   * running it first loses no end state (it alone is a persistent set).
   */
  commutesWithOthers(op: OpView): boolean;
}

/** Thrown when every pending op is asleep: this schedule is equivalent to one already explored. */
export class RedundantSchedule extends Error {}

/** Replays a script of choices (op indexes where more than one op could run, network outcomes), then takes 0. */
export class ScriptChooser implements OpChooser {
  readonly taken: number[] = [];
  constructor(private readonly script: readonly number[]) {}
  choose(n: number): number {
    const choice = Math.min(this.script[this.taken.length] ?? 0, n - 1);
    this.taken.push(choice);
    return choice;
  }
  chooseOp(pending: readonly OpView[], forced?: number): number {
    return forced ?? this.choose(pending.length);
  }
}

interface OpNode {
  kind: 'op';
  keys: string[];
  footprints: (Footprint | undefined)[];
  /** Ops asleep when the run reached this node. */
  sleep: Set<string>;
  /** Ops to run here (source-DPOR's backtrack set), and those already run here. */
  backtrack: Set<string>;
  done: Set<string>;
  /** For an op added to the backtrack set: the rest of the reversed race, which the first run after it follows. */
  guides: Map<string, string[]>;
  choice: number;
}
interface OutcomeNode {
  kind: 'outcome';
  width: number;
  choice: number;
}
interface RunEvent {
  key: string;
  /** `footprintId` of its footprint. */
  footprint: number;
  /** Index of the event that created this op, -1 if none in this phase. */
  creator: number;
  /** Index of the op node where it was chosen, -1 when it was the only op that could run. */
  node: number;
  phase: number;
}

/**
 * Depth-first enumeration of every class of equivalent schedules: source-DPOR (Abdulla, Aronis, Jonsson,
 * Sagonas, POPL 2014) with sleep sets (Godefroid). Two schedules are equivalent when they order every pair of
 * dependent ops (`independent` is false) the same way; each class is run once. Network outcomes are plain
 * branches: every outcome of every attempt is run.
 *
 * How: the exploration tree's current path persists across runs (each run replays it from the start; a run
 * is a pure function of its choices). At a new node the first op not asleep runs. After each run, every race
 * (two dependent ops of which the second does not already happen after the first through others) is reversed:
 * at the node where the first ran, one op that can start the reversed order (an initial of the ops after it
 * that do not happen after it, then the second) is added to the node's backtrack set unless one is there
 * already. Ops asleep at a node (explored at an ancestor, and independent of everything run since) are not run
 * again, and a run where every op that can run is asleep is cut (`RedundantSchedule`, counted as pruned).
 *
 * Why the pruning is sound here: a schedule is left out only when it differs from one that is run by swapping
 * adjacent independent ops. Swapping two independent ops gives the same state, the same results to both actors
 * and the same clock readings: in the exhaustive mode an op takes no virtual time (only client timeouts move the
 * clock, and they commute with nothing; a wait between relay rounds takes none and touches nothing), the effects of an op and of the actor code that runs after it
 * until its next op touch only what its footprint names (the registry items, Huawei's resources, the lease, the
 * record of calls), and op keys count per actor, so they do not depend on other actors' progress. Ops that run
 * alone (the only one pending, or a forced late delivery) are no choice, so a race ending there is not reversed
 * at them; a phase boundary (setup, the concurrent phase, the final sync, the final sweep) orders everything.
 * Program order is known only as "created after the op that ran last" (`createdBy`): an op an actor creates
 * after joining several of its own parallel ops happens after all of them, but only the last is known. Missing
 * edges only make more pairs look like races, so more is run, never less.
 */
export class DporExplorer implements OpChooser {
  /** `reduce: false` takes every two ops as dependent: every interleaving is run (to check the reduction). */
  constructor(private readonly options: { reduce?: boolean } = {}) {}
  private readonly nodes: (OpNode | OutcomeNode)[] = [];
  private position = 0;
  private events: RunEvent[] = [];
  private eventOf = new Map<string, number>();
  private sleep = new Set<string>();
  private phase = 0;
  /** Ops the new nodes of this run prefer, in order (the reversed race that opened this branch). */
  private guide: string[] = [];

  /** Starts a run from the root along the current path. */
  startRun(): void {
    this.position = 0;
    // (`guide` survives: `advance` set it for this run.)
    this.events = [];
    this.eventOf = new Map();
    this.sleep = new Set();
    this.phase = 0;
  }

  /** The current run's choices, as a script for `ScriptChooser`. */
  script(): number[] {
    return this.nodes.slice(0, this.position).map((n) => n.choice);
  }

  choose(n: number): number {
    if (this.position < this.nodes.length) {
      const node = this.nodes[this.position++] as OutcomeNode;
      if (node.kind !== 'outcome' || node.width !== n) throw new Error('exhaustive replay diverged: not a pure function of its choices');
      return node.choice;
    }
    this.nodes.push({ kind: 'outcome', width: n, choice: 0 });
    this.position++;
    return 0;
  }

  barrier(): void {
    this.phase++;
  }

  private independent(a: Footprint | undefined, b: Footprint | undefined): boolean {
    return this.options.reduce !== false && independent(a, b);
  }

  chooseOp(pending: readonly OpView[], forced?: number): number {
    let index: number;
    let node = -1;
    if (forced !== undefined) {
      index = forced;
      // Asleep and forced: every execution from here starts with it, and all were run from an ancestor.
      if (this.sleep.has((pending[index] as OpView).key)) throw new RedundantSchedule();
    } else if (this.position < this.nodes.length) {
      node = this.position++;
      const at = this.nodes[node] as OpNode;
      if (at.kind !== 'op' || at.keys.join('\n') !== pending.map((p) => p.key).join('\n')) throw new Error('exhaustive replay diverged: not a pure function of its choices');
      index = at.choice;
    } else {
      const sleep = new Set([...this.sleep].filter((k) => pending.some((p) => p.key === k)));
      // Any op not asleep may run first here; following the race reversal that opened this branch makes the
      // run reach the reversed order instead of a state where everything is asleep.
      const guided = this.guide.find((k) => !sleep.has(k) && pending.some((p) => p.key === k));
      index = guided !== undefined ? pending.findIndex((p) => p.key === guided) : pending.findIndex((p) => !sleep.has(p.key));
      if (index < 0) throw new RedundantSchedule();
      const key = (pending[index] as OpView).key;
      node = this.nodes.length;
      this.nodes.push({
        kind: 'op',
        keys: pending.map((p) => p.key),
        footprints: pending.map((p) => p.footprint),
        sleep,
        backtrack: new Set([key]),
        done: new Set([key]),
        guides: new Map(),
        choice: index,
      });
      this.position++;
    }
    const chosen = pending[index] as OpView;
    this.guide = this.guide.filter((k) => k !== chosen.key);
    if (node >= 0) {
      // Asleep below this node: what was asleep here, and the ops already run here, that commute with the chosen op.
      const at = this.nodes[node] as OpNode;
      const candidates = [...at.sleep, ...at.done].filter((k) => k !== chosen.key);
      this.sleep = new Set(candidates.filter((k) => this.independent(at.footprints[at.keys.indexOf(k)], chosen.footprint)));
    } else {
      this.sleep = new Set([...this.sleep].filter((k) => this.independent(pending.find((p) => p.key === k)?.footprint, chosen.footprint)));
    }
    const creator = chosen.createdBy === undefined ? -1 : (this.eventOf.get(chosen.createdBy) ?? -1);
    this.eventOf.set(chosen.key, this.events.length);
    this.events.push({ key: chosen.key, footprint: footprintId(chosen.footprint), creator: creator >= 0 && this.events[creator]?.phase === this.phase ? creator : -1, node, phase: this.phase });
    return index;
  }

  /** After a run (complete or cut): adds the reversals of its races to the backtrack sets. */
  analyseRun(): void {
    const events = this.events;
    const n = events.length;
    const words = Math.ceil(n / 32) || 1;
    // before[j]: the events that happen before event j (bitset), through creation and dependence, within its phase.
    const before: Uint32Array[] = [];
    const has = (set: Uint32Array, i: number) => ((set[i >>> 5] as number) & (1 << (i & 31))) !== 0;
    const add = (set: Uint32Array, i: number) => void (set[i >>> 5] = (set[i >>> 5] as number) | (1 << (i & 31)));
    const reduce = this.options.reduce !== false;
    const dependent = (i: number, j: number) => !reduce || !independentIds((events[i] as RunEvent).footprint, (events[j] as RunEvent).footprint);
    for (let j = 0; j < n; j++) {
      const ej = events[j] as RunEvent;
      const set = new Uint32Array(words);
      const preds: number[] = [];
      for (let i = j - 1; i >= 0 && (events[i] as RunEvent).phase === ej.phase; i--) {
        if (i === ej.creator || dependent(i, j)) preds.push(i);
      }
      for (const p of preds) {
        add(set, p);
        const other = before[p] as Uint32Array;
        for (let w = 0; w < words; w++) set[w] = (set[w] as number) | (other[w] as number);
      }
      before.push(set);
      for (const i of preds) {
        const ei = events[i] as RunEvent;
        if (ei.node < 0 || i === ej.creator || !dependent(i, j)) continue;
        // A race only if no other predecessor of j happens after i.
        if (preds.some((p) => p > i && has(before[p] as Uint32Array, i))) continue;
        const v: number[] = [];
        for (let k = i + 1; k < j; k++) if (!has(before[k] as Uint32Array, i)) v.push(k);
        v.push(j);
        const initials = v.filter((e) => !v.some((o) => o < e && has(before[e] as Uint32Array, o)));
        const at = this.nodes[ei.node] as OpNode;
        const keys = initials.map((e) => (events[e] as RunEvent).key).filter((k) => at.keys.includes(k));
        if (keys.some((k) => at.backtrack.has(k))) continue;
        if (keys.length > 0) {
          at.backtrack.add(keys[0] as string);
          at.guides.set(keys[0] as string, v.map((e) => (events[e] as RunEvent).key).filter((k) => k !== keys[0]));
        } else for (const k of at.keys) at.backtrack.add(k);
      }
    }
  }

  /** Moves the current path to the next schedule to run; false when every class has been run. */
  advance(): boolean {
    this.nodes.length = Math.min(this.nodes.length, this.position);
    while (this.nodes.length > 0) {
      const node = this.nodes[this.nodes.length - 1] as OpNode | OutcomeNode;
      if (node.kind === 'outcome') {
        if (node.choice + 1 < node.width) {
          node.choice++;
          this.guide = [];
          return true;
        }
      } else {
        const next = node.keys.findIndex((k) => node.backtrack.has(k) && !node.done.has(k) && !node.sleep.has(k));
        if (next >= 0) {
          node.done.add(node.keys[next] as string);
          node.choice = next;
          this.guide = node.guides.get(node.keys[next] as string) ?? [];
          return true;
        }
      }
      this.nodes.pop();
    }
    return false;
  }
}

interface PendingOp {
  actor: string;
  label: string;
  /** `<actor>#<n>: <label>` (see `OpView.key`). */
  key: string;
  /** Key of the op that ran last when this one was gated (see `OpView.createdBy`). */
  createdBy?: string;
  footprint?: Footprint;
  /** The virtual clock jumps to at least this when the op runs (a client timeout fires at its time). */
  notBefore?: number;
  /** Runs first once the clock reaches this (a held request is delivered within its longest delay). */
  mustRunBy?: number;
  /** Late deliveries are picked less often in random runs, so more happens before they land. */
  rare?: boolean;
  run: () => void;
}

/** Weight of an ordinary op against a `rare` one in random runs. */
const COMMON_WEIGHT = 6;

/** Virtual time one step takes in random runs (the exhaustive mode's steps take none: see `SleepSetExplorer`). */
export const STEP_MS = 50;

const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

function describeResult(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return String(value);
  }
}

export class Scheduler {
  now: number;
  readonly trace: string[] = [];
  private readonly pending: PendingOp[] = [];
  /** Ops each actor has had gated so far (op keys count per actor). */
  private readonly opsOf = new Map<string, number>();
  /** The op that ran last: the actor code running now runs after it. */
  private current: string | undefined;
  steps = 0;
  /**
   * State caching (`StatefulExplorer`): per actor, a digest of everything it has observed, in order (each op's key,
   * the clock when it ran, its result or error, and what it read outside ops: `observe`). The production code is
   * deterministic given these, so they stand for the actor's local state and the ops it will create.
   */
  private readonly observed = new Map<string, string>();
  private readonly finishedActors = new Set<string>();
  private readonly mayTouch = new Map<string, Footprint | undefined>();
  /** The shared state as text (registry, Huawei, the invariants' record, counters): set by the world. */
  sharedState: (() => string) | undefined;

  constructor(
    public chooser: Chooser,
    readonly startedAt: number,
    /** Records a line per step (off for bulk seeds: a failing seed is replayed with it on). */
    readonly tracing: boolean,
    /** Random runs weight ops (`rare` ones less); exhaustive runs treat every pending op as one choice. */
    readonly weighted = true,
    /** Virtual time each op moves the clock by (before its own `notBefore`). */
    readonly stepMs = STEP_MS,
  ) {
    this.now = startedAt;
  }

  /** Clock for the production code. */
  readonly clock = (): number => this.now;

  /** Runs `effect` when the scheduler picks this op; the promise settles with its result. */
  gate<T>(
    actor: string,
    label: string,
    effect: () => T,
    timing: { notBefore?: number; mustRunBy?: number; rare?: boolean; footprint?: Footprint } = {},
  ): Promise<T> {
    const n = (this.opsOf.get(actor) ?? 0) + 1;
    this.opsOf.set(actor, n);
    if (this.mayTouch.has(actor)) {
      const bound = this.mayTouch.get(actor);
      if (bound !== undefined && (timing.footprint === undefined || !bounds(bound, timing.footprint))) {
        throw new Error(`${actor}: ${label} touches ${JSON.stringify(timing.footprint ?? 'everything')}, outside what it declared (${JSON.stringify(bound)})`);
      }
    }
    return new Promise<T>((resolve, reject) => {
      const key = `${actor}#${n}: ${label}`;
      this.pending.push({
        actor,
        label,
        key,
        createdBy: this.current,
        ...timing,
        run: () => {
          let result: T;
          try {
            result = effect();
          } catch (error) {
            if (this.recording) this.observe(actor, `${key}@${this.now}!${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
            reject(error);
            return;
          }
          if (this.recording) this.observe(actor, `${key}@${this.now}=${describeResult(result)}`);
          resolve(result);
        },
      });
    });
  }

  private get recording(): boolean {
    return (this.chooser as Partial<OpChooser>).cachesStates === true;
  }

  /** Adds to what `actor` has observed (a value it read outside an op, such as a shared counter). */
  observe(actor: string, what: string): void {
    if (!this.recording) return;
    this.observed.set(actor, createHash('sha1').update(this.observed.get(actor) ?? '').update(what).digest('base64'));
  }

  /**
   * Declares everything `actor` may touch from now on (`undefined`: anything; an actor that can time out moves
   * the clock). Each of its ops is checked against it when gated: an op outside it fails the run.
   */
  declare(actor: string, mayTouch: Footprint | undefined): void {
    this.mayTouch.set(actor, mayTouch);
  }

  /**
   * Whether `op` commutes with every op another actor can still run: each other actor that has not ended, or has
   * a pending op, has declared what it may touch and `op` commutes with that; and `op` is its actor's only pending
   * op (its other ops come after it).
   */
  commutesWithOthers(op: OpView): boolean {
    if (!op.actor || !op.footprint) return false;
    const live = new Set(this.pending.map((p) => p.actor));
    if (this.pending.some((p) => p.actor === op.actor && p.key !== op.key)) return false;
    for (const actor of live) if (actor !== op.actor && !this.mayTouch.has(actor)) return false;
    for (const [actor, mayTouch] of this.mayTouch) {
      if (actor === op.actor || (this.finishedActors.has(actor) && !live.has(actor))) continue;
      if (!independent(op.footprint, mayTouch)) return false;
    }
    return true;
  }

  /** `actor`'s code has ended: once its last pending op has run too, what it observed no longer matters. */
  finish(actor: string): void {
    this.finishedActors.add(actor);
  }

  /**
   * A digest of the whole state: the clock, the shared state, the pending ops (with their times), and what each
   * actor that can still act has observed. Two runs with the same digest continue alike from here.
   */
  stateKey(): string {
    const acting = new Set(this.pending.map((op) => op.actor));
    const actors = [...this.observed.entries()].filter(([actor]) => !this.finishedActors.has(actor) || acting.has(actor)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const pending = this.pending.map((op) => `${op.key}|${op.notBefore ?? ''}|${op.mustRunBy ?? ''}`).sort();
    return createHash('sha1')
      .update(`${this.now}\n${this.sharedState?.() ?? ''}\n${pending.join('\n')}\n${actors.map(([actor, digest]) => `${actor}=${digest}`).join('\n')}`)
      .digest('base64');
  }

  /** Schedules a fire-and-forget op (a late delivery at Huawei). */
  later(actor: string, label: string, effect: () => void, timing: { notBefore?: number; mustRunBy?: number; footprint?: Footprint }): void {
    void this.gate(actor, label, effect, { ...timing, rare: true });
  }

  log(line: string): void {
    if (this.tracing) this.trace.push(`t+${this.now - this.startedAt}ms ${line}`);
  }

  private pick(forced: number): number {
    const explorer = this.chooser as Partial<OpChooser>;
    if (explorer.chooseOp) {
      const views = this.pending.map((op) => ({ key: op.key, footprint: op.footprint, createdBy: op.createdBy, actor: op.actor }));
      const context: StateContext | undefined = explorer.cachesStates ? { state: () => this.stateKey(), commutesWithOthers: (op) => this.commutesWithOthers(op) } : undefined;
      return explorer.chooseOp(views, forced >= 0 ? forced : this.pending.length === 1 ? 0 : undefined, context);
    }
    if (forced >= 0) return forced;
    if (this.pending.length === 1) return 0;
    if (!this.weighted || !this.pending.some((op) => op.rare)) return this.chooser.choose(this.pending.length);
    const total = this.pending.reduce((sum, op) => sum + (op.rare ? 1 : COMMON_WEIGHT), 0);
    let ticket = this.chooser.choose(total);
    for (let i = 0; i < this.pending.length; i++) {
      ticket -= (this.pending[i] as PendingOp).rare ? 1 : COMMON_WEIGHT;
      if (ticket < 0) return i;
    }
    return this.pending.length - 1;
  }

  /** Runs pending ops, one chosen at a time, until none is left and every actor has settled; `inOrder`: the first pending one each time. */
  async runUntilQuiet(inOrder = false): Promise<void> {
    (this.chooser as Partial<OpChooser>).barrier?.();
    for (;;) {
      await drain();
      if (this.pending.length === 0) return;
      const forced = inOrder ? 0 : this.pending.findIndex((op) => op.mustRunBy !== undefined && op.mustRunBy <= this.now);
      const [op] = this.pending.splice(this.pick(forced), 1) as [PendingOp];
      this.now = Math.max(this.now + this.stepMs, op.notBefore ?? 0);
      this.steps++;
      this.log(`${op.actor}: ${op.label}`);
      this.current = op.key;
      op.run();
    }
  }
}
