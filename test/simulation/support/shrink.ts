/**
 * Shrinking a failing run of the random simulation to a minimal one (docs/reliability.md, "Deterministic
 * simulation"). A run is a pure function of its choice sequence: every `choose(n)` the scenario generator, the
 * scheduler and the network make, in order. A failing seed's sequence is recorded, then reduced while the run
 * still fails the same way (`failureSignature`: the same invariant and, for a resource left disabled, the same
 * kind of culprit write): chunks deleted, chunks set to 0, single values lowered (0 is the first
 * option: one caller, no sweep, the first pending op, an answered attempt). A value past the end reads as 0
 * and a value too large for its choice is clamped, so every candidate is a valid run. A candidate is kept only
 * when its trace is shorter (fewer scheduled steps), or as short with a shorter sequence (cut to what the run
 * read, trailing zeros dropped), or as long and smaller value by value; so the search ends, and it is
 * deterministic.
 */
import type { Chooser } from './scheduler.js';
import type { RunResult, WorldOptions } from './world.js';
import { runChooser } from './world.js';

/** Wraps a chooser and records every answer. */
export class RecordingChooser implements Chooser {
  readonly values: number[] = [];
  constructor(private readonly source: Chooser) {}
  choose(n: number): number {
    const value = this.source.choose(n);
    this.values.push(value);
    return value;
  }
}

/** Answers from a list (clamped to each choice's width), then 0; records what the run read. */
export class ListChooser implements Chooser {
  readonly read: number[] = [];
  constructor(private readonly list: readonly number[]) {}
  choose(n: number): number {
    const value = Math.min(this.list[this.read.length] ?? 0, n - 1);
    this.read.push(value);
    return value;
  }
}

/**
 * Which invariant a violation line breaks (the numbering of docs/reliability.md): 1 registry and Huawei
 * disagree, 2 a resource with a future expiry left disabled, 3 an expired one left enabled, 4 a 2xx not applied.
 */
export function invariantOf(violation: string): 1 | 2 | 3 | 4 {
  if (violation.includes('future expiry, disabled at Huawei')) return 2;
  if (violation.includes('expired at Huawei and still enabled')) return 3;
  if (violation.includes('never applied at Huawei')) return 4;
  return 1;
}

/** The invariant a shrunk run must still break: the first of 2, 4, 3, 1 (most specific first) the run breaks. */
export function mainInvariant(violations: readonly string[]): number | undefined {
  const broken = new Set(violations.map(invariantOf));
  return [2, 4, 3, 1].find((i) => broken.has(i as 1 | 2 | 3 | 4));
}

/**
 * What a shrunk run must keep: the main invariant and, for invariant 2, who left the resource disabled (a
 * sweep, a caller's relayed call, a sync, a change at Huawei) and whether that write landed late (held or
 * delivered twice) or not. Without the culprit, a sweep's late disable (sequence 2) could shrink into a
 * caller's late duplicate (sequence 3): the same invariant, another defect.
 */
export function failureSignature(violations: readonly string[]): string | undefined {
  const invariant = mainInvariant(violations);
  if (invariant !== 2) return invariant === undefined ? undefined : `invariant ${invariant}`;
  const culprits = violations
    .filter((v) => invariantOf(v) === 2)
    .map((v) => {
      const by = /last disabled by ([a-z-]+?)\d*[-.]/.exec(v)?.[1] ?? (v.includes('disabled at Huawei directly') ? 'direct' : 'unknown');
      return `${by}${/delivered late|a duplicate/.test(v) ? ', late' : ''}`;
    });
  return `invariant 2 (${[...new Set(culprits)].sort().join('; ')})`;
}

function normalised(values: readonly number[]): number[] {
  let end = values.length;
  while (end > 0 && values[end - 1] === 0) end--;
  return values.slice(0, end);
}

/** Fewer steps; or shorter; or as long and smaller at the first difference. */
function smaller(a: readonly number[], aSteps: number, b: readonly number[], bSteps: number): boolean {
  if (aSteps !== bSteps) return aSteps < bSteps;
  if (a.length !== b.length) return a.length < b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number);
  return false;
}

export interface Shrunk {
  /** The minimal choice list found (replay with `SIM_CHOICES`). */
  choices: number[];
  /** The invariant it still breaks. */
  invariant: number;
  /** The failure it keeps (`failureSignature`). */
  signature: string;
  result: RunResult;
  /** Runs tried. */
  attempts: number;
}

/**
 * Shrinks `choices` (a failing run's recorded sequence) to a smaller one that breaks the same invariant.
 * `maxAttempts` bounds the runs tried.
 */
export async function shrink(choices: readonly number[], options: WorldOptions = {}, maxAttempts = 4_000): Promise<Shrunk> {
  const first = await runChooser(new ListChooser(choices), false, options);
  const invariant = mainInvariant(first.violations);
  const signature = failureSignature(first.violations);
  if (invariant === undefined || signature === undefined) throw new Error('shrink: the run does not fail');
  let best = normalised(choices);
  let bestResult = first;
  let attempts = 1;

  /** Runs a candidate; keeps it when it still fails the same way and is smaller. */
  const attempt = async (candidate: readonly number[]): Promise<boolean> => {
    if (attempts >= maxAttempts) return false;
    attempts++;
    const chooser = new ListChooser(candidate);
    const result = await runChooser(chooser, false, options);
    if (failureSignature(result.violations) !== signature) return false;
    const read = normalised(chooser.read);
    if (!smaller(read, result.steps, best, bestResult.steps)) return false;
    best = read;
    bestResult = result;
    return true;
  };

  for (let improved = true; improved && attempts < maxAttempts; ) {
    improved = false;
    // Delete chunks, largest first: fewer actors, operations and steps.
    for (const size of [16, 8, 4, 2, 1]) {
      for (let at = 0; at + size <= best.length; ) {
        if (await attempt([...best.slice(0, at), ...best.slice(at + size)])) improved = true;
        else at++;
      }
    }
    // Set chunks to 0: the first option of each choice.
    for (const size of [8, 4, 2, 1]) {
      for (let at = 0; at + size <= best.length; at++) {
        if (best.slice(at, at + size).every((v) => v === 0)) continue;
        const candidate = [...best];
        candidate.fill(0, at, at + size);
        if (await attempt(candidate)) improved = true;
      }
    }
    // Lower single values (binary search towards 0).
    for (let at = 0; at < best.length; at++) {
      let low = 0;
      let high = best[at] as number;
      while (low < high) {
        const mid = Math.floor((low + high) / 2);
        const candidate = [...best];
        candidate[at] = mid;
        if (await attempt(candidate)) {
          improved = true;
          high = mid;
          if (at >= best.length) break;
        } else low = mid + 1;
      }
    }
  }
  const traced = await runChooser(new ListChooser(best), true, options);
  return { choices: best, invariant, signature, result: traced, attempts };
}
