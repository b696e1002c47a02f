import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_TOKEN_TTL_SECONDS } from './auth/tokens.js';
import { handleControl, type ControlDeps } from './control-plane.js';
import type { RecordedRequest } from './control-types.js';
import { defaultCodeForStatus, defaultMessageForStatus, HuaweiError } from './error-codes.js';
import { FaultTable } from './faults.js';
import { headerValue, parseJsonBody, pickRequestId, readBody, sendError, sendHuaweiError, sendJson, tryParseJson } from './http-io.js';
import { maskHeaders, maskSecrets, RequestLog } from './request-log.js';
import { Router } from './router.js';
import { HUAWEI_ROUTES } from './routes.js';
import { Simulation, type Reply } from './simulation.js';

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Added before every Huawei request (not the control plane), for benchmarks. */
  latencyMs?: number;
  /** Lifetime of issued tokens; default 12 h. */
  tokenTtlSeconds?: number;
  /** Clock in epoch ms, injectable for expiry tests. */
  now?: () => number;
  /** Bound of the request log (oldest entries dropped). */
  maxLoggedRequests?: number;
  /** Empty enterprises of the demo SP added to the demo data (ids from 818900001), for benchmarks. */
  extraCorps?: number;
}

export interface RunningSimulator {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const CONTROL_PREFIX = '/_simulator/';
const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

function firstValues(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of params) if (!(key in query)) query[key] = value;
  return query;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

class SimulatorServer {
  readonly sim: Simulation;
  readonly log: RequestLog;
  readonly faults = new FaultTable();
  private readonly router = new Router(HUAWEI_ROUTES);
  private readonly stopping = new AbortController();
  private readonly latencyMs: number;

  constructor(options: SimulatorOptions) {
    this.sim = new Simulation(options.now ?? Date.now, options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS, options.extraCorps);
    this.log = new RequestLog(options.maxLoggedRequests);
    this.latencyMs = options.latencyMs ?? 0;
  }

  get controlDeps(): ControlDeps {
    return { sim: this.sim, log: this.log, faults: this.faults };
  }

  abortPendingDelays(): void {
    this.stopping.abort();
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = pickRequestId(req.headers);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    const path = url.pathname;
    const query = firstValues(url.searchParams);

    if (path.startsWith(CONTROL_PREFIX)) {
      await this.handleControlRequest(req, res, requestId, method, path);
      return;
    }

    const headers = maskHeaders(req.headers);
    const entry = this.log.record({ method, path, query, status: 0, requestId, body: null, headers, at: this.sim.now() });
    try {
      const raw = await readBody(req);
      if (WRITE_METHODS.has(method)) entry.body = maskSecrets(tryParseJson(raw));
      if (this.latencyMs > 0) await this.delay(this.latencyMs);
      if (await this.applyFaults(req, res, entry, method, path)) return;
      const reply = await this.dispatch(req, method, path, query, requestId, raw);
      entry.status = reply.status;
      sendJson(res, reply.status, requestId, reply.body);
    } catch (error) {
      if (isAbort(error)) {
        req.socket.destroy();
        return;
      }
      const huawei = error instanceof HuaweiError ? error : this.unexpected(error);
      entry.status = huawei.status;
      sendHuaweiError(res, requestId, huawei);
    }
  }

  private async dispatch(
    req: IncomingMessage,
    method: string,
    path: string,
    query: Record<string, string>,
    requestId: string,
    raw: Buffer,
  ): Promise<Reply> {
    const match = this.router.match(method, path);
    if (match === undefined) throw new HuaweiError('apiNotFound', `No API ${method} ${path}.`);
    const body = parseJsonBody(raw, headerValue(req.headers, 'content-type'));
    return match.handler(this.sim, {
      method,
      path,
      query,
      headers: req.headers,
      body,
      requestId,
      remoteAddress: req.socket.remoteAddress ?? '127.0.0.1',
      params: match.params,
    });
  }

  /** Applies injected faults in order; true when one of them answered (or dropped) the request. */
  private async applyFaults(
    req: IncomingMessage,
    res: ServerResponse,
    entry: RecordedRequest,
    method: string,
    path: string,
  ): Promise<boolean> {
    for (const outcome of this.faults.fire(method, path)) {
      if (outcome.delayMs > 0) await this.delay(outcome.delayMs);
      if (outcome.gate !== undefined) await this.released(outcome.gate);
      if (outcome.kind === 'reset') {
        entry.fault = 'reset';
        req.socket.destroy();
        return true;
      }
      if (outcome.kind === 'status') {
        entry.fault = 'status';
        entry.status = outcome.status;
        const code = outcome.errorCode ?? defaultCodeForStatus(outcome.status);
        sendError(res, entry.requestId, outcome.status, code, outcome.errorMsg ?? defaultMessageForStatus(outcome.status));
        return true;
      }
    }
    return false;
  }

  private async handleControlRequest(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    method: string,
    path: string,
  ): Promise<void> {
    try {
      const raw = await readBody(req);
      const body = raw.length === 0 ? undefined : tryParseJson(raw);
      const reply = handleControl(this.controlDeps, method, path, body);
      sendJson(res, reply.status, requestId, reply.body);
    } catch (error) {
      sendHuaweiError(res, requestId, error instanceof HuaweiError ? error : this.unexpected(error));
    }
  }

  private async delay(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal });
  }

  /** Waits for a hold fault's release; stopping the simulator ends the wait as it ends a delay. */
  private released(gate: Promise<void>): Promise<void> {
    const { signal } = this.stopping;
    return new Promise<void>((resolve, reject) => {
      const stop = () => reject(signal.reason instanceof Error ? signal.reason : new DOMException('stopped', 'AbortError'));
      if (signal.aborted) return stop();
      signal.addEventListener('abort', stop, { once: true });
      void gate.then(() => {
        signal.removeEventListener('abort', stop);
        resolve();
      });
    });
  }

  private unexpected(error: unknown): HuaweiError {
    // Message only: never a request, header map or body, which could carry secrets.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`simulator: unexpected error: ${message}\n`);
    return new HuaweiError('serverError');
  }
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Starts the simulator on 127.0.0.1 (port 0 by default) with state seeded from the demo data. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const simulator = new SimulatorServer(options);
  const server = createServer((req, res) => {
    simulator.handle(req, res).catch((error: unknown) => {
      process.stderr.write(`simulator: request failed: ${error instanceof Error ? error.message : String(error)}\n`);
      res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  const address = await listen(server, options.port ?? 0, host);
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        simulator.abortPendingDelays();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Idle keep-alive sockets would otherwise hold close() open (and vitest with it).
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
