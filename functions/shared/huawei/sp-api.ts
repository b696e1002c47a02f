import * as z from 'zod/mini';
import { getSpTokenProvider, type SpTokenProvider } from '../auth/token-provider.js';
import { MAX_RESOURCE_ITEMS, MIN_RESOURCE_ITEMS, PATH_PARAM_PATTERN, PATH_PARAM_RULE, REQUEST_ID_PATTERN } from '../limits.js';
import { getHuaweiClient, type HuaweiClient, type UpstreamRequest, type UpstreamResponse } from './client.js';
import { RelayError } from '../http/relay-errors.js';
import { modResourceItemSchema, type ModResourceItem, type ResourceType } from './schemas.js';

/** The SP enterprise paths, built only from validated ids. */
export const SP_CORPS_PATH = '/v1/usg/dcs/sp/corp';
export function spCorpResourcePath(corpId: string): string {
  return `${SP_CORPS_PATH}/${encodeURIComponent(corpId)}/resource`;
}

/** SearchResourceOpRecord: the enterprise's resource operation records (huawei-meeting-api.md 3.5). */
export function spCorpResourceRecordPath(corpId: string): string {
  return `${SP_CORPS_PATH}/${encodeURIComponent(corpId)}/resource-record`;
}

export interface SpCallOptions {
  /** Sent as X-Request-Id so one sweep can be traced in Huawei's logs. */
  requestId?: string;
  /** Absolute epoch ms for the whole call, retries included. */
  deadline?: number;
}

export interface ResourceQuery {
  offset?: number;
  limit?: number;
  searchKey?: string;
  type?: ResourceType;
  /** 0 normal, 1 expired, 2 disabled. */
  status?: 0 | 1 | 2;
  /** Epoch ms. */
  startExpireDate?: number;
  /** Epoch ms. */
  endExpireDate?: number;
}

export interface ResourceRecordQuery {
  offset?: number;
  limit?: number;
  /** Epoch ms: records of operations at or after this time. */
  startOperateDate?: number;
  /** Epoch ms: records of operations at or before this time. */
  endOperateDate?: number;
}

export interface CorpQuery {
  offset?: number;
  limit?: number;
  searchKey?: string;
}

const itemsSchema = z
  .array(modResourceItemSchema)
  .check(
    z.minLength(MIN_RESOURCE_ITEMS, { error: `must hold ${MIN_RESOURCE_ITEMS} to ${MAX_RESOURCE_ITEMS} items` }),
    z.maxLength(MAX_RESOURCE_ITEMS, { error: `must hold ${MIN_RESOURCE_ITEMS} to ${MAX_RESOURCE_ITEMS} items` }),
  );

/**
 * The SP administrator's calls on enterprise resources, each made with the SP token (one re-login and retry
 * on a rejected token). Answers, errors included, are returned as Huawei gave them.
 */
export class SpApi {
  constructor(private readonly deps: { client: HuaweiClient; tokens: SpTokenProvider }) {}

  /** `PUT /v1/usg/dcs/sp/corp/{corpId}/resource` with 1 to 100 items. */
  async updateResources(corpId: string, items: ModResourceItem[], opts: SpCallOptions = {}): Promise<UpstreamResponse> {
    const path = spCorpResourcePath(checkCorpId(corpId));
    const parsed = itemsSchema.safeParse(items);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue && issue.path.length ? `items.${issue.path.join('.')}` : 'items';
      throw new RelayError('invalidBody', `${field} ${issue?.message ?? 'is invalid'}`);
    }
    return this.send({ method: 'PUT', path, body: parsed.data }, opts);
  }

  /** `GET /v1/usg/dcs/sp/corp/{corpId}/resource`, one page. */
  async queryResources(corpId: string, query: ResourceQuery, opts: SpCallOptions = {}): Promise<UpstreamResponse> {
    const path = spCorpResourcePath(checkCorpId(corpId));
    return this.send({ method: 'GET', path, query: { ...query } }, opts);
  }

  /** `GET /v1/usg/dcs/sp/corp/{corpId}/resource-record`, one page of operation records. */
  async queryResourceRecords(corpId: string, query: ResourceRecordQuery, opts: SpCallOptions = {}): Promise<UpstreamResponse> {
    const path = spCorpResourceRecordPath(checkCorpId(corpId));
    return this.send({ method: 'GET', path, query: { ...query } }, opts);
  }

  /** `GET /v1/usg/dcs/sp/corp`: one page of the SP's enterprises. */
  async listCorps(query: CorpQuery = {}, opts: SpCallOptions = {}): Promise<UpstreamResponse> {
    return this.send({ method: 'GET', path: SP_CORPS_PATH, query: { ...query } }, opts);
  }

  private send(request: Omit<UpstreamRequest, 'headers' | 'deadline'>, opts: SpCallOptions): Promise<UpstreamResponse> {
    const baseHeaders: Record<string, string> = {};
    if (opts.requestId !== undefined) baseHeaders['X-Request-Id'] = checkRequestId(opts.requestId);
    return this.deps.tokens.withToken((token) =>
      this.deps.client.request({
        ...request,
        headers: { ...baseHeaders, 'X-Access-Token': token },
        ...(opts.deadline === undefined ? {} : { deadline: opts.deadline }),
      }),
    );
  }
}

function checkCorpId(corpId: string): string {
  if (!PATH_PARAM_PATTERN.test(corpId)) throw new RelayError('invalidPathParameter', `corpId ${PATH_PARAM_RULE}`);
  return corpId;
}

function checkRequestId(requestId: string): string {
  if (!REQUEST_ID_PATTERN.test(requestId)) {
    throw new RelayError('invalidHeader', 'X-Request-Id must be 1 to 128 printable ASCII characters without spaces');
  }
  return requestId;
}

let singleton: SpApi | undefined;

/** Module-scope SP API over the shared Huawei client and SP token provider. */
export function getSpApi(): SpApi {
  singleton ??= new SpApi({ client: getHuaweiClient(), tokens: getSpTokenProvider() });
  return singleton;
}
