/**
 * Shrinking (docs/reliability.md, "Deterministic simulation"): a failing seed's choice sequence is reduced to a
 * minimal run that breaks the same invariant. Shown on a planted bug (a registry that loses updates,
 * `support/planted-bugs.ts`): the simulation finds a failing seed, and the shrunk run is shorter, still fails
 * the same way when replayed from its choices alone, passes with the faithful registry (so the failure is the
 * planted bug's), and shrinking again gives the same result.
 */
import { describe, expect, it } from 'vitest';
import { RandomChooser } from './support/scheduler.js';
import { failureSignature, invariantOf, ListChooser, RecordingChooser, shrink } from './support/shrink.js';
import { LOST_UPDATE } from './support/planted-bugs.js';
import { runChooser } from './support/world.js';

describe('shrinking a failing simulation run', () => {
  it('shrinks the first seed a planted lost update fails to a shorter run that fails the same way, deterministically', { timeout: 120_000 }, async () => {
    let seed = 0;
    let recorded: number[] = [];
    let original;
    for (seed = 1; seed <= 3_000; seed++) {
      const recorder = new RecordingChooser(new RandomChooser(seed));
      original = await runChooser(recorder, false, LOST_UPDATE);
      if (original.violations.length) {
        recorded = recorder.values;
        break;
      }
    }
    if (!original?.violations.length) throw new Error('the planted lost update made no seed fail');

    const shrunk = await shrink(recorded, LOST_UPDATE);
    console.log(
      `[property-count] shrinking: seed ${seed} (planted lost update) ${original.steps} steps, ${recorded.length} choices -> ${shrunk.result.steps} steps, ${shrunk.choices.length} choices (${shrunk.signature}, ${shrunk.attempts} runs)`,
    );
    expect(shrunk.result.steps).toBeLessThan(original.steps);
    expect(shrunk.choices.length).toBeLessThan(recorded.length);
    expect(original.violations.map(invariantOf)).toContain(shrunk.invariant);
    expect(shrunk.result.violations.map(invariantOf)).toContain(shrunk.invariant);
    expect(failureSignature(shrunk.result.violations)).toBe(failureSignature(original.violations));

    const replayed = await runChooser(new ListChooser(shrunk.choices), true, LOST_UPDATE);
    expect(replayed.violations).toEqual(shrunk.result.violations);
    expect(replayed.trace).toEqual(shrunk.result.trace);
    expect((await runChooser(new ListChooser(shrunk.choices))).violations).toEqual([]);

    expect((await shrink(recorded, LOST_UPDATE)).choices).toEqual(shrunk.choices);
  });
});
