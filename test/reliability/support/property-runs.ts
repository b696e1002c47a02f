/**
 * How many generated cases the property tests run, and with which seed. The CI form runs the counts as written;
 * `LONG_TESTS=1` (`npm run test:long`) multiplies them. `FC_SEED` (and `FC_PATH`, both printed by fast-check on a
 * failure) replay a failing run exactly.
 */
import type { Parameters } from 'fast-check';

export const LONG_RUN_FACTOR = 10;
export const isLongRun = process.env.LONG_TESTS === '1';
const factor = isLongRun ? LONG_RUN_FACTOR : 1;

/** `ciRuns` in CI, ten times as many in the long form. */
export function runs(ciRuns: number): number {
  return ciRuns * factor;
}

/** A hang guard for a test whose CI form normally takes well under `ciMs`. */
export function hangGuardMs(ciMs: number): number {
  return ciMs * factor;
}

export function propertyParameters<T>(numRuns: number): Parameters<T> {
  const seed = process.env.FC_SEED;
  const path = process.env.FC_PATH;
  return {
    numRuns,
    ...(seed !== undefined && seed !== '' ? { seed: Number(seed) } : {}),
    ...(path !== undefined && path !== '' ? { path } : {}),
  };
}

/** `TEST_FIGURES=1`: tests also print the figures they measure (`[figures]` lines); off, `npm test` stays quiet. */
export const showFigures = process.env.TEST_FIGURES === '1';

/** A measured figure that is not a property count (totals of a run, how often a race went one way). */
export function reportFigures(label: string, figures: unknown): void {
  if (showFigures) process.stdout.write(`[figures] ${label}: ${typeof figures === 'string' ? figures : JSON.stringify(figures)}\n`);
}

/** Counts of the cases each property ran, printed at the end so the report can quote them. */
export function reportCount(property: string, count: number): void {
  process.stdout.write(`[property-count] ${property}: ${count}\n`);
}
