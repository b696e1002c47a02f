/**
 * A loopback HTTP hop between the product and the Huawei simulator that lets a test act at an exact point of an
 * upstream call: before it is forwarded, or after the simulator answered and before the product gets the answer
 * (the moment between a relay's PUT and its registry record). Nothing is mocked: every forwarded request reaches
 * the real simulator unchanged and its answer comes back unchanged. No hook: a plain pass-through.
 */
import { createServer, request } from 'node:http';
import { resetHuaweiClient } from '../../../functions/shared/huawei/client.js';
import type { IncomingHttpHeaders } from 'node:http';
import { listenOnLoopback, use } from '../../support/stack.js';
import type { LambdaStack } from '../../support/stack.js';

export interface InterposedRequest {
  method: string;
  /** Path with the query string. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  requestId: string | undefined;
}

/**
 * What to do with one request: forward it (optionally running `after` once the simulator answered, before the
 * product sees the answer), or answer it here in Huawei's error shape without forwarding.
 */
export type HookDecision =
  | { after?: () => Promise<void> }
  | { answer: { status: number; errorCode: string; errorMsg: string } }
  /**
   * Hold the request in the network: the product's connection is reset with no answer (its client sees a lost
   * attempt and may retry), and the request reaches the simulator only when the test calls `deliverHeld()`.
   */
  | { hold: true };

export type Hook = (request: InterposedRequest) => Promise<HookDecision | undefined>;

export interface Interposer {
  url: string;
  setHook(hook: Hook | undefined): void;
  /** Delivers the held requests to the simulator now (late), in the order they were held; returns their statuses. */
  deliverHeld(): Promise<number[]>;
  stop(): Promise<void>;
}

export async function startInterposer(targetUrl: string): Promise<Interposer> {
  const target = new URL(targetUrl);
  let hook: Hook | undefined;
  const held: InterposedRequest[] = [];

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const requestId = incoming.headers['x-request-id'];
        const interposed: InterposedRequest = {
          method: incoming.method ?? 'GET',
          url: incoming.url ?? '/',
          headers: incoming.headers,
          body,
          requestId: typeof requestId === 'string' ? requestId : undefined,
        };
        const decision = (await hook?.(interposed)) ?? {};
        if ('hold' in decision) {
          held.push(interposed);
          outgoing.destroy();
          return;
        }
        if ('answer' in decision) {
          const { status, errorCode, errorMsg } = decision.answer;
          outgoing.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'x-request-id': interposed.requestId ?? '' });
          outgoing.end(JSON.stringify({ error_code: errorCode, error_msg: errorMsg, request_id: interposed.requestId ?? '' }));
          return;
        }
        const answer = await forward(target, interposed);
        await decision.after?.();
        outgoing.writeHead(answer.status, answer.headers);
        outgoing.end(answer.body);
      })().catch(() => outgoing.destroy());
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    ...listening,
    setHook(next) {
      hook = next;
    },
    async deliverHeld() {
      const statuses: number[] = [];
      for (const request of held.splice(0)) statuses.push((await forward(target, request)).status);
      return statuses;
    },
  };
}

function forward(target: URL, interposed: InterposedRequest): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: interposed.method, path: interposed.url, headers: interposed.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
        answer.on('error', reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(interposed.body);
  });
}

/** A promise with its resolve function, for hooks that wait for another actor. */
export function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/**
 * For a whole test file: an interposer in front of the stack's simulator (read once the stack runs), with the
 * stack's Huawei client pointed at it, and the client reset and the hop stopped afterwards.
 */
export function useInterposer(stack: () => Pick<LambdaStack, 'url' | 'routeHuaweiTo'>): { readonly hop: Interposer } {
  return use(async () => {
    const running = stack();
    const hop = await startInterposer(running.url);
    await running.routeHuaweiTo(hop.url);
    return {
      hop,
      async stop() {
        await resetHuaweiClient();
        await hop.stop();
      },
    };
  });
}
