/**
 * Small configurations of the registry protocol, every schedule enumerated (docs/reliability.md,
 * "Deterministic simulation"): one id with two types, three actors. Each pending operation (registry read or
 * write, upstream attempt, client timeout, late delivery) is a branch, and so is each network outcome where the
 * configuration allows more than one. `SIM_CONFIG=<name> SIM_SCRIPT=<choices>` replays one schedule with its trace.
 */
import { describe, expect, it } from 'vitest';
import { base, CAPPED_IN_CI, EXPLORATION, SMALL_CONFIGS, typeless } from './support/small-configs.js';
import type { Enumeration, Scenario } from './support/world.js';
import { enumerate, replayScript } from './support/world.js';

const isLong = process.env.LONG_TESTS === '1';
/** `SIM_SCHEDULE_LIMIT` caps every configuration (a quick look; completeness is then not required). */
const globalLimit = process.env.SIM_SCHEDULE_LIMIT === undefined ? undefined : Number(process.env.SIM_SCHEDULE_LIMIT);

/** Small enough to run every interleaving without the reduction too (about 20,000 since the relay confirms its provisional creates). */
const UNREDUCED_CHECK: Scenario = {
  ...base,
  resources: typeless('past'),
  callers: [[{ kind: 'renew', id: 'r1', type: 'CONF_CALL' }], [{ kind: 'renew', id: 'r1' }]],
  sweeps: 0,
};

/** Complete under both explorers in CI; the one the state-caching explorer is checked against source-DPOR on. */
const CACHING_CHECK = 'typed renewal, sweep, sweep';

describe.skipIf(process.env.SIM_CONFIG !== undefined)('the partial-order reduction', () => {
  it('reaches every end state (Huawei, registry, violations) that running every interleaving reaches', { timeout: 300_000 }, async () => {
    const reduced = await enumerate(UNREDUCED_CHECK, Number.POSITIVE_INFINITY, 'dpor');
    const cached = await enumerate(UNREDUCED_CHECK, Number.POSITIVE_INFINITY, 'stateful');
    const everything = await enumerate(UNREDUCED_CHECK, Number.POSITIVE_INFINITY, 'unreduced');
    console.log(
      `[property-count] reduction check: ${reduced.schedules} classes (source-DPOR), ${runs(cached)} runs (state caching), against ${everything.schedules} interleavings, ${everything.ends.size} end states`,
    );
    expect(reduced.complete && cached.complete && everything.complete).toBe(true);
    expect(reduced.schedules).toBeLessThan(everything.schedules);
    expect(runs(cached)).toBeLessThan(everything.schedules);
    expect([...reduced.ends].sort()).toEqual([...everything.ends].sort());
    expect([...cached.ends].sort()).toEqual([...everything.ends].sort());
  });

  it(`with state caching reaches the end states source-DPOR reaches ("${CACHING_CHECK}"), and each one's script replays it`, { timeout: 300_000 }, async () => {
    const scenario = SMALL_CONFIGS[CACHING_CHECK] as Scenario;
    const dpor = await enumerate(scenario, Number.POSITIVE_INFINITY, 'dpor');
    const cached = await enumerate(scenario, Number.POSITIVE_INFINITY, 'stateful');
    console.log(`[property-count] state-caching check: ${dpor.schedules} classes (source-DPOR), ${runs(cached)} runs and ${cached.states} states (state caching), ${dpor.ends.size} end states`);
    expect(dpor.complete && cached.complete).toBe(true);
    expect([...cached.ends].sort()).toEqual([...dpor.ends].sort());
    // The replay command a failure prints must reach the same end (the scripts of both explorers are replay scripts).
    for (const [end, script] of cached.examples) {
      const replayed = await replayScript(scenario, script);
      expect(`${replayed.end} ${replayed.violations.join(' | ')}`).toBe(end);
    }
  });
});

/** Runs made by the state-caching explorer, cut ones included. */
function runs(e: Enumeration): number {
  return e.schedules + e.pruned + e.cached;
}

describe('every schedule of small configurations', () => {
  const config = process.env.SIM_CONFIG;
  const script = process.env.SIM_SCRIPT;
  if (config && script !== undefined) {
    it(`replays ${config} [${script}]`, async () => {
      const scenario = SMALL_CONFIGS[config];
      if (!scenario) throw new Error(`no configuration named ${config}`);
      const result = await replayScript(scenario, script.split(',').filter(Boolean).map(Number));
      console.log(result.trace.join('\n'));
      expect(result.violations).toEqual([]);
    });
    return;
  }
  for (const [name, scenario] of Object.entries(SMALL_CONFIGS)) {
    const cap = globalLimit ?? (isLong ? undefined : CAPPED_IN_CI[name]);
    // Uncapped, a configuration capped in CI runs for a long time (tens of minutes or more: see the docs).
    it(name, { timeout: cap === undefined && name in CAPPED_IN_CI ? 24 * 3_600_000 : 600_000 }, async () => {
      const started = Date.now();
      const how = EXPLORATION[name] ?? 'stateful';
      const result = await enumerate(scenario, cap, how, isLong ? (sofar) => console.log(`  [progress] "${name}": ${describeRuns(sofar, how)}, ${((Date.now() - started) / 1000).toFixed(0)} s`) : undefined);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `[property-count] exhaustive "${name}": ${describeRuns(result, how)}${result.complete ? ' (all classes)' : ' (capped)'}, ${result.ends.size} end states, ${result.failures.length} failing, ${seconds} s`,
      );
      for (const f of result.failures.slice(0, 2)) {
        console.log(`  ${f.violations.join(' | ')}\n  replay: SIM_CONFIG='${name}' SIM_SCRIPT=${f.script.join(',')} npx vitest run test/simulation/exhaustive-small.test.ts`);
      }
      expect(result.failures.length).toBe(0);
      // A configuration not declared capped must have run every class.
      if (cap === undefined) expect(result.complete).toBe(true);
    });
  }
});

function describeRuns(e: Enumeration, how: string): string {
  return how === 'stateful'
    ? `state caching: ${runs(e)} runs (${e.schedules} to an end, ${e.cached} cut at a state already explored, ${e.pruned} cut with every op asleep), ${e.states} states`
    : `source-DPOR: ${e.schedules} classes of schedules, ${e.pruned} runs cut as equivalent`;
}
