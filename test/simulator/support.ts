/** Test support for the simulator's own tests: real loopback HTTP via fetch, nothing mocked. */
import { afterAll, beforeAll } from 'vitest';
import { SimulatorControl } from '../../local/simulator/control-client.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../local/simulator/index.js';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Raw body text, sent as is (for verbatim seed examples and malformed JSON). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['X-Access-Token'] = options.token;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/json;charset=UTF-8';
  }
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = body;
  const response = await fetch(`${baseUrl}${path}`, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Starts one simulator for the file (port 0) and stops it afterwards. */
export function useSimulator(options: SimulatorOptions = {}): { readonly url: string; readonly control: SimulatorControl } {
  let running: RunningSimulator | undefined;
  let control: SimulatorControl | undefined;
  beforeAll(async () => {
    running = await startSimulator(options);
    control = new SimulatorControl(running.url);
  });
  afterAll(async () => {
    await running?.stop();
  });
  return {
    get url() {
      if (running === undefined) throw new Error('simulator not started');
      return running.url;
    },
    get control() {
      if (control === undefined) throw new Error('simulator not started');
      return control;
    },
  };
}

/** A controllable clock for expiry tests. */
export function manualClock(start: number): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}

export function errorCode(answer: HttpAnswer): unknown {
  return (answer.json as { error_code?: unknown } | undefined)?.error_code;
}

export function errorMsg(answer: HttpAnswer): string {
  const msg = (answer.json as { error_msg?: unknown } | undefined)?.error_msg;
  return typeof msg === 'string' ? msg : '';
}
