/**
 * A tiny real HTTP server on 127.0.0.1 that answers from a script, for client behaviours the simulator cannot
 * stage precisely (Retry-After, a given number of resets, header capture). Loopback HTTP, nothing mocked.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback } from '../../support/stack.js';

export type Step =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | { reset: true };

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface ScriptedUpstream {
  url: string;
  /** Requests received so far. */
  seen: SeenRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  /** Answers for the next requests, in order; after the script runs out every request gets `fallback`. */
  script(steps: Step[], fallback?: Step): void;
  stop(): Promise<void>;
}

export async function startScriptedUpstream(): Promise<ScriptedUpstream> {
  let steps: Step[] = [];
  let fallback: Step = { status: 200 };
  let connections = 0;
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const step = steps.shift() ?? fallback;
      if ('reset' in step) {
        req.socket.destroy();
        return;
      }
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(step.status, { 'content-type': 'application/json;charset=UTF-8', ...step.headers });
        res.end(step.body ?? '');
      };
      if (step.delayMs === undefined) answer();
      else setTimeout(answer, step.delayMs).unref();
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
    seen,
    connections: () => connections,
    script(next, nextFallback) {
      steps = [...next];
      if (nextFallback !== undefined) fallback = nextFallback;
    },
  };
}
