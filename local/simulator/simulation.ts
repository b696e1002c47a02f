import type { IncomingHttpHeaders } from 'node:http';
import { TokenStore } from './auth/tokens.js';
import { SimState } from './state.js';

/** Everything a handler may touch: the (resettable) state, the token store and the clock. */
export class Simulation {
  state: SimState;
  readonly tokens: TokenStore;

  constructor(
    readonly now: () => number,
    tokenTtlSeconds: number,
    private readonly extraCorps = 0,
  ) {
    this.state = SimState.seeded(extraCorps);
    this.tokens = new TokenStore(now, tokenTtlSeconds);
  }

  /** Back to the seed data. Tokens survive (use the token-expire control for that). */
  resetState(): void {
    this.state = SimState.seeded(this.extraCorps);
  }
}

export interface RequestContext {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, `undefined` when the request had none. */
  body: unknown;
  requestId: string;
  remoteAddress: string;
  params: Record<string, string>;
}

/** A handler's answer: a JSON body, or an empty 200 body (Huawei's write APIs) when `body` is undefined. */
export interface Reply {
  status: number;
  body?: unknown;
}

export const EMPTY_OK: Reply = { status: 200 };

export type Handler = (sim: Simulation, ctx: RequestContext) => Reply | Promise<Reply>;
