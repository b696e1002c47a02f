import type { FaultSpec } from './control-types.js';
import { HuaweiError } from './error-codes.js';
import type { FaultTable } from './faults.js';
import type { RequestLog } from './request-log.js';
import type { Reply, Simulation } from './simulation.js';
import { isObject } from './validation.js';

/** Control plane under `/_simulator/`: request log, faults, token revocation, reset. Never faulted or logged. */

export interface ControlDeps {
  sim: Simulation;
  log: RequestLog;
  faults: FaultTable;
}

function bad(detail: string): HuaweiError {
  return new HuaweiError('simulatorBadRequest', detail);
}

const FAULT_KEYS = new Set(['path', 'method', 'status', 'errorCode', 'errorMsg', 'count', 'rate', 'seed', 'delayMs', 'reset', 'hold']);

function isInt(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Validates a fault spec strictly: a typo in a test's fault must fail loudly, not silently do nothing. */
export function parseFaultSpec(body: unknown): FaultSpec {
  if (!isObject(body)) throw bad('fault: must be a JSON object');
  for (const key of Object.keys(body)) if (!FAULT_KEYS.has(key)) throw bad(`${key}: unknown fault field`);
  const { path, method, status, errorCode, errorMsg, count, rate, seed, delayMs, reset, hold } = body;
  if (typeof path !== 'string' || !path.startsWith('/')) throw bad('path: must be a path prefix starting with "/"');
  if (path.startsWith('/_simulator')) throw bad('path: the control plane cannot be faulted');
  const spec: FaultSpec = { path };
  if (method !== undefined) {
    if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method)) throw bad('method: must be an HTTP method');
    spec.method = method.toUpperCase();
  }
  if (status !== undefined) {
    if (!isInt(status, 400, 599)) throw bad('status: must be an integer 400..599');
    spec.status = status;
  }
  if (errorCode !== undefined) {
    if (typeof errorCode !== 'string' || errorCode === '') throw bad('errorCode: must be a non-empty string');
    spec.errorCode = errorCode;
  }
  if (errorMsg !== undefined) {
    if (typeof errorMsg !== 'string') throw bad('errorMsg: must be a string');
    spec.errorMsg = errorMsg;
  }
  if (count !== undefined) {
    if (!isInt(count, 1, Number.MAX_SAFE_INTEGER)) throw bad('count: must be a positive integer');
    spec.count = count;
  }
  if (rate !== undefined) {
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw bad('rate: must be a number 0..1');
    spec.rate = rate;
  }
  if (seed !== undefined) {
    if (!isInt(seed, 0, 2 ** 32 - 1)) throw bad('seed: must be an integer 0..4294967295');
    spec.seed = seed;
  }
  if (delayMs !== undefined) {
    if (!isInt(delayMs, 0, 600_000)) throw bad('delayMs: must be an integer 0..600000');
    spec.delayMs = delayMs;
  }
  if (reset !== undefined) {
    if (typeof reset !== 'boolean') throw bad('reset: must be a boolean');
    spec.reset = reset;
  }
  if (hold !== undefined) {
    if (typeof hold !== 'boolean') throw bad('hold: must be a boolean');
    spec.hold = hold;
  }
  if (spec.status === undefined && spec.reset !== true && spec.delayMs === undefined && spec.hold !== true) {
    throw bad('fault: needs at least one of status, reset, delayMs or hold');
  }
  if ((spec.errorCode !== undefined || spec.errorMsg !== undefined) && spec.status === undefined) {
    throw bad('errorCode: only meaningful with status');
  }
  return spec;
}

const RELEASE_ROUTE = /^\/_simulator\/faults\/([0-9a-f]+)\/release$/;

export function handleControl(deps: ControlDeps, method: string, path: string, body: unknown): Reply {
  const route = `${method} ${path}`;
  const release = method === 'POST' ? RELEASE_ROUTE.exec(path) : null;
  if (release !== null) {
    const id = release[1] ?? '';
    if (!deps.faults.release(id)) throw bad(`fault ${id}: no gate to release (not a hold fault, or released already)`);
    return { status: 200, body: {} };
  }
  switch (route) {
    case 'GET /_simulator/requests':
      return { status: 200, body: deps.log.list() };
    case 'DELETE /_simulator/requests':
      deps.log.clear();
      return { status: 200, body: {} };
    case 'GET /_simulator/faults':
      return { status: 200, body: deps.faults.list() };
    case 'POST /_simulator/faults':
      return { status: 200, body: deps.faults.add(parseFaultSpec(body)) };
    case 'DELETE /_simulator/faults':
      deps.faults.clear();
      return { status: 200, body: {} };
    case 'POST /_simulator/tokens/expire':
      return { status: 200, body: { revoked: deps.sim.tokens.revokeAll() } };
    case 'POST /_simulator/reset':
      deps.sim.resetState();
      deps.faults.clear();
      deps.log.clear();
      return { status: 200, body: {} };
    default:
      throw new HuaweiError('apiNotFound', `No simulator control route ${route}.`);
  }
}
