import { randomBytes } from 'node:crypto';
import type { ActiveFault, FaultSpec } from './control-types.js';
import { seededRandom } from './prng.js';

/** What a matching fault decided for one request. */
export type FaultOutcome =
  | { kind: 'delay'; delayMs: number }
  | { kind: 'reset'; delayMs: number }
  | { kind: 'status'; delayMs: number; status: number; errorCode: string | undefined; errorMsg: string | undefined };

interface Entry {
  fault: ActiveFault;
  random: () => number;
}

const CONTROL_PREFIX = '/_simulator';

/** Injected faults, matched by path prefix and method, applied in the order they were added. */
export class FaultTable {
  private entries: Entry[] = [];

  add(spec: FaultSpec): ActiveFault {
    const fault: ActiveFault = { ...spec, id: randomBytes(8).toString('hex'), applied: 0 };
    this.entries.push({ fault, random: spec.seed === undefined ? Math.random : seededRandom(spec.seed) });
    return fault;
  }

  list(): ActiveFault[] {
    return this.entries.map((e) => ({ ...e.fault }));
  }

  clear(): void {
    this.entries = [];
  }

  /**
   * The faults that fire for this request, in order, stopping at the first one that answers (status or reset).
   * Each firing consumes one of its `count`; exhausted faults are removed.
   */
  fire(method: string, path: string): FaultOutcome[] {
    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) return [];
    const outcomes: FaultOutcome[] = [];
    for (const entry of [...this.entries]) {
      const { fault } = entry;
      if (!path.startsWith(fault.path)) continue;
      if (fault.method !== undefined && fault.method.toUpperCase() !== method) continue;
      if (fault.rate !== undefined && entry.random() >= fault.rate) continue;
      fault.applied += 1;
      if (fault.count !== undefined && fault.applied >= fault.count) {
        this.entries = this.entries.filter((e) => e !== entry);
      }
      const delayMs = fault.delayMs ?? 0;
      if (fault.reset === true) {
        outcomes.push({ kind: 'reset', delayMs });
        break;
      }
      if (fault.status !== undefined) {
        outcomes.push({ kind: 'status', delayMs, status: fault.status, errorCode: fault.errorCode, errorMsg: fault.errorMsg });
        break;
      }
      outcomes.push({ kind: 'delay', delayMs });
    }
    return outcomes;
  }
}
