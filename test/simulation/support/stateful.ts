/**
 * The exhaustive mode's state-caching explorer: depth-first search of every schedule with sleep sets and a cache
 * of visited states (Godefroid, "Partial-Order Methods for the Verification of Concurrent Systems", LNCS 1032,
 * 1996, section 5.4: sleep sets with state caching). See docs/reliability.md, "Exhaustive small configurations".
 */
import type { Footprint, OpChooser, OpView, StateContext } from './scheduler.js';
import { independent, RedundantSchedule } from './scheduler.js';

/** Thrown when the run reaches a state already explored (with a sleep set no larger): its future is known. */
export class CachedState extends RedundantSchedule {}

interface OpNode {
  kind: 'op';
  keys: string[];
  footprints: (Footprint | undefined)[];
  /** The node's sleep set (after intersecting with the cached one on a revisit). */
  sleep: Set<string>;
  /** Ops to run here, in order, and those already run here. */
  explore: string[];
  done: Set<string>;
  choice: number;
}
interface OutcomeNode {
  kind: 'outcome';
  width: number;
  choice: number;
}

/**
 * Every reachable end state, each state explored once (Godefroid's algorithm). Every op not asleep is a branch,
 * except that an op commuting with everything the other actors may still do (`StateContext.commutesWithOthers`,
 * from what each actor declared) is a persistent set alone and runs without a branch (Godefroid, chapter 4;
 * no cycle proviso is needed without cycles). A state is `Scheduler.stateKey`: the clock, the registry, Huawei, the invariants' record,
 * the pending ops and what each live actor has observed. The cache maps each visited state to the sleep set it
 * was explored with. On a revisit with sleep set S' of a state stored with S: if S is a subset of S', every op
 * the revisit would run was run from the first visit, so the run is cut; otherwise only the ops in S but not in
 * S' run (the first visit left them out), with the sleep set S' intersected with S, which is stored. The state
 * graph has no cycles (every op adds to what its actor observed), so a cached state's subtree was finished when
 * it is met again. The theorem (Godefroid, 5.4): every reachable deadlock is visited; here a deadlock is the end
 * of the concurrent phase, from which the final sync, sweep and the invariants follow deterministically.
 *
 * A sleep set holds ops that commute (`independent`) with every op run since they were explored at an ancestor;
 * an op asleep need not run here. Ops that run alone (the only one pending, or a late delivery whose latest
 * time has come) are checked against the cache too, without a node (no choice). As the other explorers, each
 * run replays the current path from the start (the actors' async state cannot be forked); the cache lets runs
 * end early instead.
 */
export class StatefulExplorer implements OpChooser {
  readonly cachesStates = true;
  private readonly nodes: (OpNode | OutcomeNode)[] = [];
  private position = 0;
  private sleep = new Set<string>();
  private readonly cache = new Map<string, Set<string>>();
  /**
   * Whether an op (by key) made its actor create another op when it last ran. Ops that create none are run
   * first at a node: run last, every other op would be asleep after them (already run here and independent),
   * and the run would be cut for nothing. Only the order changes, never what is explored.
   */
  private readonly creates = new Map<string, boolean>();
  private last: { key: string; pending: Set<string> } | undefined;

  /** Distinct states stored. */
  get states(): number {
    return this.cache.size;
  }

  startRun(): void {
    this.position = 0;
    this.sleep = new Set();
    this.last = undefined;
  }

  barrier(): void {
    if (this.last) this.creates.set(this.last.key, false);
    this.last = undefined;
  }

  private rank(key: string): number {
    const known = this.creates.get(key);
    return known === undefined ? 1 : known ? 2 : 0;
  }

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

  /** Looks the state up; returns the ops to run from it (those not asleep and not run from an earlier visit). */
  private visit(state: string, sleep: Set<string>, enabled: readonly string[]): { explore: string[]; sleep: Set<string> } {
    const stored = this.cache.get(state);
    if (stored === undefined) {
      this.cache.set(state, sleep);
      return { explore: enabled.filter((k) => !sleep.has(k)), sleep };
    }
    const explore = enabled.filter((k) => stored.has(k) && !sleep.has(k));
    if (explore.length === 0) throw new CachedState();
    const both = new Set([...sleep].filter((k) => stored.has(k)));
    this.cache.set(state, both);
    return { explore, sleep: both };
  }

  chooseOp(pending: readonly OpView[], forced?: number, context?: StateContext): number {
    if (!context) throw new Error('StatefulExplorer needs the scheduler to give state keys');
    const state = () => context.state();
    const replaying = this.position < this.nodes.length;
    if (this.last) {
      const previous = this.last.pending;
      this.creates.set(this.last.key, pending.some((p) => !previous.has(p.key)));
    }
    let index: number;
    let node: OpNode | undefined;
    if (forced !== undefined) {
      index = forced;
      const key = (pending[index] as OpView).key;
      if (this.sleep.has(key)) throw new RedundantSchedule();
      if (!replaying) {
        const sleep = new Set([...this.sleep].filter((k) => pending.some((p) => p.key === k)));
        this.sleep = this.visit(state(), sleep, [key]).sleep;
      }
    } else if (replaying) {
      node = this.nodes[this.position++] as OpNode;
      if (node.kind !== 'op' || node.keys.join('\n') !== pending.map((p) => p.key).join('\n')) throw new Error('exhaustive replay diverged: not a pure function of its choices');
      index = node.choice;
    } else {
      const entry = new Set([...this.sleep].filter((k) => pending.some((p) => p.key === k)));
      // An op that commutes with everything the other actors can still do is a persistent set alone: running it
      // first reaches every end state the others reach (Godefroid, chapter 4). Otherwise every op is a branch.
      const alone = pending.find((p) => context.commutesWithOthers(p));
      const enabled = alone ? [alone.key] : pending.map((p) => p.key).sort((a, b) => this.rank(a) - this.rank(b));
      const { explore, sleep } = this.visit(state(), entry, enabled);
      if (explore.length === 0) throw new RedundantSchedule();
      const first = explore[0] as string;
      index = pending.findIndex((p) => p.key === first);
      node = { kind: 'op', keys: pending.map((p) => p.key), footprints: pending.map((p) => p.footprint), sleep, explore, done: new Set([first]), choice: index };
      this.nodes.push(node);
      this.position++;
    }
    const chosen = pending[index] as OpView;
    this.last = { key: chosen.key, pending: new Set(pending.map((p) => p.key)) };
    if (node) {
      // Asleep below: what was asleep here and the ops already run here (Godefroid: added as they are explored),
      // if they commute with the chosen op.
      const at = node;
      this.sleep = new Set([...at.sleep, ...at.done].filter((k) => k !== chosen.key && independent(at.footprints[at.keys.indexOf(k)], chosen.footprint)));
    } else {
      this.sleep = new Set([...this.sleep].filter((k) => independent(pending.find((p) => p.key === k)?.footprint, chosen.footprint)));
    }
    return index;
  }

  /** Moves the current path to the next schedule to run; false when every state has been explored. */
  advance(): boolean {
    this.nodes.length = Math.min(this.nodes.length, this.position);
    while (this.nodes.length > 0) {
      const node = this.nodes[this.nodes.length - 1] as OpNode | OutcomeNode;
      if (node.kind === 'outcome') {
        if (node.choice + 1 < node.width) {
          node.choice++;
          return true;
        }
      } else {
        const next = node.explore.find((k) => !node.done.has(k));
        if (next !== undefined) {
          node.done.add(next);
          node.choice = node.keys.indexOf(next);
          return true;
        }
      }
      this.nodes.pop();
    }
    return false;
  }
}
