/**
 * Huawei in-process: the local simulator's own state and resource handlers (local/simulator), called without
 * HTTP, on the simulation's clock. Upstream calls go through `SimulatedSpApi`, the transport seam: it models the
 * production client's attempts (up to `MAX_ATTEMPTS`, retried on 5xx and on no answer) and lets the scheduler
 * pick each attempt's network outcome.
 */
import { UpstreamTimeoutError } from '../../../functions/shared/huawei/client.js';
import type { UpstreamResponse } from '../../../functions/shared/huawei/client.js';
import { DEFAULT_HUAWEI_CLIENT_SETTINGS } from '../../../functions/shared/huawei/config.js';
import type { ModResourceItem } from '../../../functions/shared/huawei/schemas.js';
import type { CorpQuery, ResourceQuery, SpCallOptions } from '../../../functions/shared/huawei/sp-api.js';
import { SP_ADMIN } from '../../../local/simulator/demo-data.js';
import { HuaweiError } from '../../../local/simulator/error-codes.js';
import { queryResources, updateResources } from '../../../local/simulator/handlers/resources.js';
import type { Reply, RequestContext } from '../../../local/simulator/simulation.js';
import { Simulation } from '../../../local/simulator/simulation.js';
import type { SimResource } from '../../../local/simulator/state.js';
import type { Footprint, Scheduler } from './scheduler.js';

/** The production client's attempts per call (1 + maxRetries). */
export const MAX_ATTEMPTS = 1 + DEFAULT_HUAWEI_CLIENT_SETTINGS.maxRetries;
/** An attempt without an answer is given up after the headers timeout. */
export const ATTEMPT_TIMEOUT_MS = DEFAULT_HUAWEI_CLIENT_SETTINGS.headersTimeoutMs;
/** Longest a request can take to reach Huawei: connect + headers + body timeouts of one attempt. */
export const MAX_DELIVERY_MS =
  DEFAULT_HUAWEI_CLIENT_SETTINGS.connectTimeoutMs + DEFAULT_HUAWEI_CLIENT_SETTINGS.headersTimeoutMs + DEFAULT_HUAWEI_CLIENT_SETTINGS.bodyTimeoutMs;

/**
 * What the network does with one attempt. `ok`: applied and answered. `refused`: answered 503, not applied.
 * `lost`: never reaches Huawei; the client times out. `held`: reaches Huawei later (within MAX_DELIVERY_MS);
 * the client times out. `answer-lost`: applied, the answer is lost; the client times out. `twice`: applied and
 * answered, and a duplicate is delivered again later.
 */
export type NetworkOutcome = 'ok' | 'refused' | 'lost' | 'held' | 'answer-lost' | 'twice';
export const FAULTY_OUTCOMES: readonly NetworkOutcome[] = ['ok', 'ok', 'ok', 'ok', 'refused', 'lost', 'held', 'answer-lost', 'twice'];
export const CLEAN_OUTCOMES: readonly NetworkOutcome[] = ['ok'];

export const CORP_ID = '818803911';

/**
 * Footprints of upstream ops (see `Footprint`): a PUT reads and writes the resources its items name (`hw:<id>:*`
 * for a type-less item: every type of the id; whether they exist decides the answer); a listing reads them all
 * (and the clock: which ones are expired).
 */
export function huaweiWrite(items: readonly { id: string; type?: string }[]): Footprint {
  return { reads: [], writes: items.map((i) => `hw:${i.id}:${i.type ?? '*'}`) };
}
export const HUAWEI_READ: Footprint = { reads: ['hw:*'], writes: [] };

/** One delivery of a PUT at Huawei. */
export interface Applied {
  callId: string;
  attempt: number;
  items: ModResourceItem[];
  status: number;
  /** Delivered after the attempt was over: `held` (the client gave up on it) or `twice` (a duplicate). */
  late?: 'held' | 'twice';
}

export class HuaweiModel {
  readonly sim: Simulation;
  private readonly token: string;
  readonly applied: Applied[] = [];

  constructor(clock: () => number) {
    this.sim = new Simulation(clock, 24 * 3600);
    this.sim.state.resources.set(CORP_ID, []);
    const admin = this.sim.state.findUserByAccount(SP_ADMIN.account);
    if (!admin) throw new Error('simulator seed has no SP admin');
    this.token = this.sim.tokens.issue(admin.id, 72, '127.0.0.1').accessToken;
  }

  resources(): SimResource[] {
    return this.sim.state.corpResources(CORP_ID);
  }

  private context(method: string, requestId: string, query: Record<string, string>, body: unknown): RequestContext {
    return {
      method,
      path: `/v1/usg/dcs/sp/corp/${CORP_ID}/resource`,
      query,
      headers: { 'x-access-token': this.token },
      body,
      requestId,
      remoteAddress: '127.0.0.1',
      params: { corp_id: CORP_ID },
    };
  }

  private handle(run: () => Reply): Reply {
    try {
      return run();
    } catch (error) {
      if (error instanceof HuaweiError) return { status: error.status, body: { error_code: error.code, error_msg: error.message } };
      throw error;
    }
  }

  put(callId: string, attempt: number, items: ModResourceItem[], late?: 'held' | 'twice'): Reply {
    const reply = this.handle(() => updateResources(this.sim, this.context('PUT', callId, {}, items)));
    this.applied.push({ callId, attempt, items, status: reply.status, late });
    return reply;
  }

  get(requestId: string, query: ResourceQuery): Reply {
    const q: Record<string, string> = {};
    for (const [key, value] of Object.entries(query)) if (value !== undefined) q[key] = String(value);
    return this.handle(() => queryResources(this.sim, this.context('GET', requestId, q, undefined)));
  }
}

function response(reply: Reply, requestId: string, attempts: number): UpstreamResponse {
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  return { status: reply.status, headers: {}, text, json: reply.body, requestId, attempts };
}

function describeItems(items: readonly ModResourceItem[]): string {
  return items
    .map((i) => `${i.id}/${i.type ?? '*'}${i.expireDate !== undefined ? ` exp=${i.expireDate}` : ''}${i.isDisabled !== undefined ? ` disabled=${i.isDisabled}` : ''}`)
    .join(', ');
}

/** The SP API of one actor (sweep, sync, relay) on the simulated network. */
export class SimulatedSpApi {
  private calls = 0;
  constructor(
    private readonly actor: string,
    private readonly huawei: HuaweiModel,
    private readonly scheduler: Scheduler,
    /** Outcomes the scheduler picks from (CLEAN_OUTCOMES once faults stop). */
    public outcomes: () => readonly NetworkOutcome[],
  ) {}

  private pick(): NetworkOutcome {
    const outcomes = this.outcomes();
    return outcomes.length === 1 ? (outcomes[0] as NetworkOutcome) : (outcomes[this.scheduler.chooser.choose(outcomes.length)] as NetworkOutcome);
  }

  /** PUT with the client's attempts; the relay's `relay` function and the sweeper's and sync's pushes. */
  async updateResources(corpId: string, items: ModResourceItem[], opts: SpCallOptions = {}): Promise<UpstreamResponse> {
    if (corpId !== CORP_ID) throw new Error(`unexpected enterprise ${corpId}`);
    const callId = opts.requestId ?? `${this.actor}-${++this.calls}`;
    const what = `PUT ${describeItems(items)}`;
    return this.attempts(callId, what, (attempt, outcome) => {
      if (outcome === 'ok' || outcome === 'twice' || outcome === 'answer-lost') return this.huawei.put(callId, attempt, items);
      return undefined;
    }, (attempt, outcome, sentAt) => {
      if (outcome !== 'held' && outcome !== 'twice') return;
      this.scheduler.later(this.actor, `late delivery of ${callId}#${attempt} ${what}`, () => void this.huawei.put(callId, attempt, items, outcome), {
        mustRunBy: sentAt + MAX_DELIVERY_MS,
        footprint: huaweiWrite(items),
      });
    }, opts.deadline, huaweiWrite(items));
  }

  async queryResources(corpId: string, query: ResourceQuery, opts: SpCallOptions = {}): Promise<UpstreamResponse> {
    if (corpId !== CORP_ID) throw new Error(`unexpected enterprise ${corpId}`);
    const callId = opts.requestId ?? `${this.actor}-${++this.calls}`;
    const what = `GET resources ${JSON.stringify(query)}`;
    return this.attempts(callId, what, (_attempt, outcome) => (outcome === 'ok' || outcome === 'twice' ? this.huawei.get(callId, query) : undefined), undefined, opts.deadline, HUAWEI_READ);
  }

  async listCorps(_query: CorpQuery, _opts?: SpCallOptions): Promise<UpstreamResponse> {
    throw new Error('the simulation names its enterprise (SyncConfig.corpIds)');
  }

  private async attempts(
    callId: string,
    what: string,
    deliver: (attempt: number, outcome: NetworkOutcome) => Reply | undefined,
    afterSend?: (attempt: number, outcome: NetworkOutcome, sentAt: number) => void,
    deadline?: number,
    footprint: Footprint = HUAWEI_READ,
  ): Promise<UpstreamResponse> {
    for (let attempt = 1; ; attempt++) {
      const sent = await this.scheduler.gate(this.actor, `${callId}#${attempt} ${what}`, () => {
        const outcome = this.pick();
        const sentAt = this.scheduler.now;
        const reply = deliver(attempt, outcome);
        afterSend?.(attempt, outcome, sentAt);
        this.scheduler.log(`  -> ${outcome}${reply ? ` ${reply.status}` : ''}`);
        return { outcome, sentAt, reply };
      }, { footprint });
      const { outcome, sentAt, reply } = sent;
      if (outcome === 'refused') {
        if (attempt >= MAX_ATTEMPTS || (deadline !== undefined && this.scheduler.now >= deadline)) return response({ status: 503, body: { error_code: 'SIM.503', error_msg: 'refused' } }, callId, attempt);
        continue;
      }
      if (outcome === 'ok' || outcome === 'twice') {
        const answer = reply as Reply;
        if (answer.status >= 500 && attempt < MAX_ATTEMPTS && !(deadline !== undefined && this.scheduler.now >= deadline)) continue;
        return response(answer, callId, attempt);
      }
      // No answer: the client waits out the attempt, then retries or gives up.
      await this.scheduler.gate(this.actor, `${callId}#${attempt} times out`, () => undefined, { notBefore: sentAt + ATTEMPT_TIMEOUT_MS });
      if (attempt >= MAX_ATTEMPTS || (deadline !== undefined && this.scheduler.now >= deadline)) {
        throw new UpstreamTimeoutError(`${callId}: no answer`, attempt);
      }
    }
  }
}
