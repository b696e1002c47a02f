/**
 * Small configurations of the registry protocol, every schedule enumerated (docs/reliability.md,
 * "Deterministic simulation"): one id with two types, three actors. Each pending operation (registry read or
 * write, upstream attempt, client timeout, late delivery) is a branch, and so is each network outcome where the
 * configuration allows more than one. `SIM_CONFIG=<name> SIM_SCRIPT=<choices>` replays one schedule with its trace.
 */
import { describe, expect, it } from 'vitest';
import type { Scenario } from './support/world.js';
import { enumerate, replayScript } from './support/world.js';

const base = { setupSweep: false, syncs: 0, direct: [] as Scenario['direct'], faults: false };
const typeless = (expiry: 'past' | 'soon') => [{ id: 'r1', types: ['CONF_CALL', 'SOFT'], expiry, disabled: false, registered: 'typeless' }] as Scenario['resources'];

/** Name -> scenario. Three actors each; the network is clean unless the name says otherwise. */
export const SMALL_CONFIGS: Record<string, Scenario> = {
  'typed renewal, type-less renewal, sweep': {
    ...base,
    resources: typeless('past'),
    callers: [[{ kind: 'renew', id: 'r1', type: 'CONF_CALL' }], [{ kind: 'renew', id: 'r1' }]],
    sweeps: 1,
  },
  'typed renewal, sweep, sweep': {
    ...base,
    resources: typeless('past'),
    callers: [[{ kind: 'renew', id: 'r1', type: 'CONF_CALL' }]],
    sweeps: 2,
  },
  'typed renewal, sync, sweep': {
    ...base,
    resources: typeless('past'),
    callers: [[{ kind: 'renew', id: 'r1', type: 'SOFT' }]],
    sweeps: 1,
    syncs: 1,
  },
  'typed disable, renewal at Huawei, sweep': {
    ...base,
    resources: typeless('past'),
    callers: [[{ kind: 'disable', id: 'r1', type: 'CONF_CALL' }]],
    sweeps: 1,
    direct: [{ kind: 'renew', id: 'r1' }],
  },
  'sweep with a held first attempt, typed renewal, type-less renewal': {
    ...base,
    resources: typeless('past'),
    callers: [[{ kind: 'renew', id: 'r1', type: 'CONF_CALL' }], [{ kind: 'renew', id: 'r1' }]],
    sweeps: 1,
    faults: true,
    outcomes: ['ok', 'held'],
  },
  'disable then enable with held attempts, typed renewal': {
    ...base,
    resources: typeless('soon'),
    callers: [[{ kind: 'disable', id: 'r1' }, { kind: 'enable', id: 'r1' }], [{ kind: 'renew', id: 'r1', type: 'SOFT' }]],
    sweeps: 0,
    faults: true,
    outcomes: ['ok', 'held'],
  },
};

const limit = Number(process.env.SIM_SCHEDULE_LIMIT ?? (process.env.LONG_TESTS === '1' ? Number.POSITIVE_INFINITY : 1_000));

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
    it(name, { timeout: 300_000 }, async () => {
      const result = await enumerate(scenario, limit);
      const complete = result.schedules < limit;
      console.log(`[property-count] exhaustive "${name}": ${result.schedules} schedules${complete ? " (all classes)" : " (limit reached)"}, ${result.pruned} pruned as equivalent, ${result.failures.length} failing`);
      for (const f of result.failures.slice(0, 2)) {
        console.log(`  ${f.violations.join(' | ')}\n  replay: SIM_CONFIG='${name}' SIM_SCRIPT=${f.script.join(',')} npx vitest run test/simulation/exhaustive-small.test.ts`);
      }
      expect(result.failures.length).toBe(0);
    });
  }
});
