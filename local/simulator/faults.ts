import { randomBytes } from 'node:crypto';
import type { ActiveFault, FaultSpec } from './control-types.js';
import { seededRandom } from './prng.js';

/** What a matching fault decided for one request; `gate` resolves when a held request may go on. */
export type FaultOutcome = { delayMs: number; gate?: Promise<void> } & (
  | { kind: 'delay' }
  | { kind: 'reset' }
  | { kind: 'status'; status: number; errorCode: string | undefined; errorMsg: string | undefined }
);

interface Gate {
  opened: Promise<void>;
  open: () => void;
}

function closedGate(): Gate {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

interface Entry {
  fault: ActiveFault;
  random: () => number;
}

const CONTROL_PREFIX = '/_simulator';

/** Injected faults, matched by path prefix and method, applied in the order they were added. */
export class FaultTable {
  private entries: Entry[] = [];
  /** Gates of `hold` faults by fault id; kept after the fault is used up, until released or cleared. */
  private gates = new Map<string, Gate>();

  add(spec: FaultSpec): ActiveFault {
    const fault: ActiveFault = { ...spec, id: randomBytes(8).toString('hex'), applied: 0 };
    this.entries.push({ fault, random: spec.seed === undefined ? Math.random : seededRandom(spec.seed) });
    if (spec.hold === true) this.gates.set(fault.id, closedGate());
    return fault;
  }

  /** Lets the requests a `hold` fault holds (and any it matches later) go on; false for an unknown id. */
  release(id: string): boolean {
    const gate = this.gates.get(id);
    if (gate === undefined) return false;
    gate.open();
    this.gates.delete(id);
    return true;
  }

  list(): ActiveFault[] {
    return this.entries.map((e) => ({ ...e.fault }));
  }

  /** Removes every fault and releases every held request (nothing stays held with no way to release it). */
  clear(): void {
    this.entries = [];
    for (const gate of this.gates.values()) gate.open();
    this.gates.clear();
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
      const gate = this.gates.get(fault.id)?.opened;
      const wait = { delayMs: fault.delayMs ?? 0, ...(gate === undefined ? {} : { gate }) };
      if (fault.reset === true) {
        outcomes.push({ kind: 'reset', ...wait });
        break;
      }
      if (fault.status !== undefined) {
        outcomes.push({ kind: 'status', ...wait, status: fault.status, errorCode: fault.errorCode, errorMsg: fault.errorMsg });
        break;
      }
      outcomes.push({ kind: 'delay', ...wait });
    }
    return outcomes;
  }
}
