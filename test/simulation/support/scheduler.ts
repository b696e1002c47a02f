/**
 * The simulation's one scheduler: every step that touches shared state (a registry read or write, an upstream
 * attempt, a late delivery, a client timeout) is a gated operation, and the scheduler alone decides which
 * pending operation runs next. Actors are the production async functions; between two gated operations they
 * only run microtasks, which the scheduler drains (one `setImmediate`) before each choice, so a run is a pure
 * function of the chooser's answers.
 */

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
 * Replays a prefix of choices, then takes 0 for every new choice, recording each choice point's width, so a
 * depth-first enumeration can step to the next untried schedule (`nextPrefix`).
 */
export class ScriptChooser implements Chooser {
  readonly taken: { choice: number; width: number }[] = [];
  constructor(private readonly prefix: readonly number[]) {}
  choose(n: number): number {
    const i = this.taken.length;
    const choice = i < this.prefix.length ? Math.min(this.prefix[i] ?? 0, n - 1) : 0;
    this.taken.push({ choice, width: n });
    return choice;
  }
  /** The next schedule in depth-first order, or undefined when every one has been run. */
  nextPrefix(): number[] | undefined {
    for (let i = this.taken.length - 1; i >= 0; i--) {
      const point = this.taken[i] as { choice: number; width: number };
      if (point.choice + 1 < point.width) return [...this.taken.slice(0, i).map((p) => p.choice), point.choice + 1];
    }
    return undefined;
  }
}

/**
 * What an op touches, for the exhaustive mode's partial-order reduction: two ops commute when neither writes
 * what the other touches. No footprint = touches everything (client timeouts move the clock).
 */
export interface Footprint {
  reads: readonly string[];
  writes: readonly string[];
}

/** `reg:*` (a whole-enterprise read) overlaps every `reg:<id>`. */
function overlaps(a: string, b: string): boolean {
  if (a === b) return true;
  const [pa, ra] = a.split(':');
  const [pb, rb] = b.split(':');
  return pa === pb && (ra === '*' || rb === '*');
}

export function independent(a: Footprint | undefined, b: Footprint | undefined): boolean {
  if (!a || !b) return false;
  const hits = (xs: readonly string[], ys: readonly string[]) => xs.some((x) => ys.some((y) => overlaps(x, y)));
  return !hits(a.writes, b.writes) && !hits(a.writes, b.reads) && !hits(a.reads, b.writes);
}

export interface OpView {
  key: string;
  footprint?: Footprint;
}

/** A chooser that also picks ops itself (the exhaustive explorer); may abort a redundant schedule. */
export interface OpChooser extends Chooser {
  chooseOp(pending: readonly OpView[]): number;
}

/** Thrown when every pending op is asleep: this schedule is equivalent to one already explored. */
export class RedundantSchedule extends Error {}

/**
 * Depth-first enumeration of schedules with sleep sets (Godefroid): at each node, ops that commute with the
 * chosen op and were already explored at an ancestor are not tried again, so each class of equivalent
 * interleavings (same order of every pair of dependent ops) is run once. Network outcomes are plain branches.
 */
export class SleepSetExplorer implements OpChooser {
  readonly taken: { choice: number; width: number; keys?: string[]; sleeping?: Set<string> }[] = [];
  private sleep = new Set<string>();
  private footprints = new Map<string, Footprint | undefined>();
  constructor(private readonly prefix: readonly number[]) {}

  choose(n: number): number {
    const i = this.taken.length;
    const choice = i < this.prefix.length ? (this.prefix[i] ?? 0) : 0;
    this.taken.push({ choice, width: n });
    return choice;
  }

  chooseOp(pending: readonly OpView[]): number {
    for (const op of pending) this.footprints.set(op.key, op.footprint);
    const i = this.taken.length;
    const sleeping = new Set([...this.sleep].filter((k) => pending.some((p) => p.key === k)));
    let choice: number;
    if (i < this.prefix.length) choice = this.prefix[i] ?? 0;
    else {
      choice = pending.findIndex((p) => !sleeping.has(p.key));
      if (choice < 0) throw new RedundantSchedule();
    }
    const keys = pending.map((p) => p.key);
    this.taken.push({ choice, width: pending.length, keys, sleeping });
    const chosen = pending[choice] as OpView;
    const candidates = [...sleeping, ...keys.slice(0, choice)];
    this.sleep = new Set(candidates.filter((k) => independent(this.footprints.get(k), chosen.footprint)));
    return choice;
  }

  nextPrefix(): number[] | undefined {
    for (let i = this.taken.length - 1; i >= 0; i--) {
      const point = this.taken[i] as { choice: number; width: number; keys?: string[]; sleeping?: Set<string> };
      for (let next = point.choice + 1; next < point.width; next++) {
        if (point.keys && point.sleeping?.has(point.keys[next] as string)) continue;
        return [...this.taken.slice(0, i).map((p) => p.choice), next];
      }
    }
    return undefined;
  }
}

interface PendingOp {
  actor: string;
  label: string;
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

/** Virtual time one step takes. */
export const STEP_MS = 50;

const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Scheduler {
  now: number;
  readonly trace: string[] = [];
  private readonly pending: PendingOp[] = [];
  steps = 0;

  constructor(
    public chooser: Chooser,
    readonly startedAt: number,
    /** Records a line per step (off for bulk seeds: a failing seed is replayed with it on). */
    readonly tracing: boolean,
    /** Random runs weight ops (`rare` ones less); exhaustive runs treat every pending op as one choice. */
    readonly weighted = true,
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
    return new Promise<T>((resolve, reject) => {
      this.pending.push({
        actor,
        label,
        ...timing,
        run: () => {
          try {
            resolve(effect());
          } catch (error) {
            reject(error);
          }
        },
      });
    });
  }

  /** Schedules a fire-and-forget op (a late delivery at Huawei). */
  later(actor: string, label: string, effect: () => void, timing: { notBefore?: number; mustRunBy?: number; footprint?: Footprint }): void {
    void this.gate(actor, label, effect, { ...timing, rare: true });
  }

  log(line: string): void {
    if (this.tracing) this.trace.push(`t+${this.now - this.startedAt}ms ${line}`);
  }

  private pick(): number {
    const explorer = this.chooser as Partial<OpChooser>;
    if (explorer.chooseOp) return explorer.chooseOp(this.pending.map((op) => ({ key: `${op.actor}: ${op.label}`, footprint: op.footprint })));
    if (!this.weighted || !this.pending.some((op) => op.rare)) return this.chooser.choose(this.pending.length);
    const total = this.pending.reduce((sum, op) => sum + (op.rare ? 1 : COMMON_WEIGHT), 0);
    let ticket = this.chooser.choose(total);
    for (let i = 0; i < this.pending.length; i++) {
      ticket -= (this.pending[i] as PendingOp).rare ? 1 : COMMON_WEIGHT;
      if (ticket < 0) return i;
    }
    return this.pending.length - 1;
  }

  /** Runs pending ops, one chosen at a time, until none is left and every actor has settled. */
  async runUntilQuiet(): Promise<void> {
    for (;;) {
      await drain();
      if (this.pending.length === 0) return;
      let index = this.pending.findIndex((op) => op.mustRunBy !== undefined && op.mustRunBy <= this.now);
      if (index < 0) index = this.pending.length === 1 ? 0 : this.pick();
      const [op] = this.pending.splice(index, 1) as [PendingOp];
      this.now = Math.max(this.now + STEP_MS, op.notBefore ?? 0);
      this.steps++;
      this.log(`${op.actor}: ${op.label}`);
      op.run();
    }
  }
}
