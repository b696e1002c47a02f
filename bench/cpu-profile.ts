/**
 * A CPU profile of some work in this process (V8's sampling profiler through node:inspector), summarised by
 * where the time went: our code (`functions/`), each npm package, Node's internals, garbage collection. Used for
 * the warm path of a relayed request: what the relay's own microseconds are spent on.
 */
import { Session } from 'node:inspector/promises';
import { round } from './stats.js';

export interface ProfileShare {
  name: string;
  /** Self time per profiled call, in ms. */
  msPerCall: number;
  /** Share of the busy (non-idle) time. */
  share: number;
}

export interface CpuProfileSummary {
  calls: number;
  /** Busy CPU time (all samples but idle) per call, ms. */
  busyMsPerCall: number;
  byPart: ProfileShare[];
  topFunctions: ProfileShare[];
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const SAMPLING_INTERVAL_US = 100;

/** Which part of the process a frame belongs to. */
export function partOf(url: string, functionName: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(idle)') return 'idle';
    return 'V8 and native code';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.startsWith('node:')) return 'Node.js internals';
  const own = /\/(functions|local|bench)\//.exec(url);
  if (own?.[1]) return `${own[1]}/`;
  return 'other';
}

function summarise(profile: Profile, calls: number): CpuProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const parts = new Map<string, number>();
  const functions = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const caller = byId.get(parentOf.get(id) ?? -1)?.callFrame;
    // The profiler's own stop call (node:inspector) is not the work being profiled.
    if (caller?.url.startsWith('node:inspector')) continue;
    // A native function (socket writev, a binding) counts for the JavaScript that called it.
    const isNative = frame.url === '' && !frame.functionName.startsWith('(') && caller !== undefined && caller.url !== '';
    const part = isNative && caller ? partOf(caller.url, caller.functionName) : partOf(frame.url, frame.functionName);
    if (part === 'idle') continue;
    busyUs += us;
    parts.set(part, (parts.get(part) ?? 0) + us);
    const file = frame.url.replace(/^.*\/(node_modules|functions|bench|local)\//, '$1/');
    const name =
      frame.url === ''
        ? `${frame.functionName}${isNative && caller ? ` (native, from ${caller.functionName || '(anonymous)'} ${caller.url.replace(/^.*\/(node_modules|functions|bench|local)\//, '$1/')})` : ''}`
        : `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const shares = (entries: Map<string, number>, count: number): ProfileShare[] =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, us]) => ({ name, msPerCall: round(us / 1000 / calls, 4), share: round(us / busyUs, 3) }));
  return { calls, busyMsPerCall: round(busyUs / 1000 / calls, 4), byPart: shares(parts, 12), topFunctions: shares(functions, 12) };
}

/** Profiles `calls` sequential runs of `work` (after the caller's own warm-up). */
export async function profileCalls(calls: number, work: () => Promise<void>): Promise<CpuProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await session.post('Profiler.start');
    for (let i = 0; i < calls; i++) await work();
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    return summarise(profile, calls);
  } finally {
    session.disconnect();
  }
}
