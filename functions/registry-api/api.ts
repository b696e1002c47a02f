/**
 * The registry read API's logic: three queries over the registry store, each answering JSON, and every refusal in
 * Huawei's error shape (error_code, error_msg naming the parameter and rule, request_id). Reads only.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import { RELAY_ERRORS, RelayError } from '../shared/http/relay-errors.js';
import { REQUEST_ID_RULE } from '../shared/http/request-headers.js';
import { describeIssues } from '../shared/http/issues.js';
import { JSON_CONTENT_TYPE, errorResult } from '../shared/http/responses.js';
import { readRequestId } from '../shared/http/request-headers.js';
import { PATH_PARAM_PATTERN, PATH_PARAM_RULE } from '../shared/limits.js';
import { RegistryUnavailableError } from '../shared/registry/errors.js';
import type { HistoryEntry, HistoryState } from '../shared/registry/history.js';
import type { RegistryItem } from '../shared/registry/model.js';
import type { RegistryStore } from '../shared/registry/store.js';
import { KEY_PREFIX } from '../shared/registry/table.js';
import {
  REGISTRY_CORP_RESOURCES_ROUTE,
  REGISTRY_EXPIRING_ROUTE,
  REGISTRY_HISTORY_ROUTE,
  pathParameterNames,
  routeKey,
} from '../shared/routes.js';
import {
  DEFAULT_PAGE_SIZE,
  DEFAULT_WINDOW_DAYS,
  MAX_WINDOW_ENTRIES,
  corpResourcesQuerySchema,
  expiringQuerySchema,
  historyQuerySchema,
} from './schemas.js';

const DAY_MS = 86_400_000;

export interface RegistryApiDeps {
  store: RegistryStore;
  now: () => number;
}

/** What an operator sees of a resource item: its meaning, never claims or index keys. */
export interface ResourceView {
  corpId: string;
  resourceId: string;
  type?: string;
  status: string;
  expireDate?: number;
  disabledAt?: number;
  inDoubtSince?: number;
  reenableOwedSince?: number;
  rejections: number;
  lastErrorCode?: string;
  adoptedAt?: number;
  /** The last change: when, and the request id of the upstream call that made it (if one did). */
  lastChange: { at: number; requestId?: string };
}

export function resourceView(item: RegistryItem): ResourceView {
  const view: ResourceView = {
    corpId: item.corpId,
    resourceId: item.resourceId,
    status: item.status,
    rejections: item.rejections,
    lastChange: item.lastRequestId === undefined ? { at: item.updatedAt } : { at: item.updatedAt, requestId: item.lastRequestId },
  };
  if (item.type !== undefined) view.type = item.type;
  if (item.expireDate !== undefined) view.expireDate = item.expireDate;
  if (item.disabledAt !== undefined) view.disabledAt = item.disabledAt;
  if (item.inDoubtSince !== undefined) view.inDoubtSince = item.inDoubtSince;
  if (item.reenableOwedSince !== undefined) view.reenableOwedSince = item.reenableOwedSince;
  if (item.lastError !== undefined) view.lastErrorCode = item.lastError.errorCode;
  if (item.adoptedAt !== undefined) view.adoptedAt = item.adoptedAt;
  return view;
}

export interface HistoryChange {
  type?: string;
  version: number;
  at: number;
  source: HistoryEntry['source'];
  sourceId?: string;
  /** null: created by this change, or the previous version's entry is gone (expired or never written). */
  before: HistoryState | null;
  after: HistoryState;
}

/** Entries in the order the changes happened, each paired with the state its item had before. */
export function historyChanges(entries: readonly HistoryEntry[]): HistoryChange[] {
  const byItemVersion = new Map(entries.map((entry) => [`${entry.type ?? '*'}#${entry.version}`, entry]));
  return [...entries]
    .sort((a, b) => a.at - b.at || a.version - b.version)
    .map((entry) => {
      const previous = byItemVersion.get(`${entry.type ?? '*'}#${entry.version - 1}`);
      const change: HistoryChange = {
        version: entry.version,
        at: entry.at,
        source: entry.source,
        before: previous?.after ?? null,
        after: entry.after,
      };
      if (entry.type !== undefined) change.type = entry.type;
      if (entry.sourceId !== undefined) change.sourceId = entry.sourceId;
      return change;
    });
}

function json(status: number, body: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode: status, headers: { 'content-type': JSON_CONTENT_TYPE, 'x-request-id': requestId }, body: JSON.stringify(body) };
}

function parseQuery<S extends z.ZodMiniType>(schema: S, event: APIGatewayProxyEventV2): z.infer<S> {
  const result = schema.safeParse({ ...(event.queryStringParameters ?? {}) });
  if (!result.success) throw new RelayError('invalidQueryParameter', describeIssues(result.error.issues));
  return result.data as z.infer<S>;
}

function pathParams(event: APIGatewayProxyEventV2, template: string): Record<string, string> {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const name of pathParameterNames(template)) {
    const value = event.pathParameters?.[name];
    if (value === undefined || !PATH_PARAM_PATTERN.test(value)) problems.push(`${name}: ${PATH_PARAM_RULE}`);
    else values[name] = value;
  }
  if (problems.length) throw new RelayError('invalidPathParameter', problems.join('; '));
  return values;
}

function encodeCursor(sortKey: string): string {
  return Buffer.from(sortKey, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const sortKey = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!sortKey.startsWith(KEY_PREFIX.resource) || sortKey.length > 200) {
    throw new RelayError('invalidQueryParameter', 'cursor: must be the nextCursor of a previous page');
  }
  return sortKey;
}

async function corpResources(event: APIGatewayProxyEventV2, deps: RegistryApiDeps, requestId: string) {
  const { corp_id: corpId = '' } = pathParams(event, REGISTRY_CORP_RESOURCES_ROUTE.path);
  const query = parseQuery(corpResourcesQuerySchema, event);
  const page = await deps.store.pageCorp(corpId, {
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
    ...(query.cursor === undefined ? {} : { startSortKey: decodeCursor(query.cursor) }),
    ...(query.status === undefined ? {} : { status: query.status }),
  });
  const body: Record<string, unknown> = { corpId, items: page.items.map(resourceView) };
  if (page.nextSortKey !== undefined) body.nextCursor = encodeCursor(page.nextSortKey);
  return json(200, body, requestId);
}

async function expiring(event: APIGatewayProxyEventV2, deps: RegistryApiDeps, requestId: string) {
  const query = parseQuery(expiringQuerySchema, event);
  const from = query.from ?? deps.now();
  const to = from + (query.days ?? DEFAULT_WINDOW_DAYS) * DAY_MS;
  const { entries, itemsRead } = await deps.store.queryDueWindow(from, to);
  // The index also holds in-doubt holds and owed re-enables; an operator asked about expiries.
  const expiringEntries = entries.filter(
    (entry) => entry.status === 'active' && entry.expireDate !== undefined && entry.expireDate >= from && entry.expireDate < to,
  );
  const shown = expiringEntries.slice(0, MAX_WINDOW_ENTRIES);
  const body: Record<string, unknown> = {
    from,
    to,
    items: shown.map((entry) => ({
      corpId: entry.corpId,
      resourceId: entry.resourceId,
      ...(entry.type === undefined ? {} : { type: entry.type }),
      status: entry.status,
      expireDate: entry.expireDate,
    })),
    itemsRead,
  };
  const next = expiringEntries[MAX_WINDOW_ENTRIES];
  if (next?.expireDate !== undefined) body.nextFrom = next.expireDate;
  return json(200, body, requestId);
}

async function history(event: APIGatewayProxyEventV2, deps: RegistryApiDeps, requestId: string) {
  const { corp_id: corpId = '', resource_id: resourceId = '' } = pathParams(event, REGISTRY_HISTORY_ROUTE.path);
  const query = parseQuery(historyQuerySchema, event);
  const { entries } = await deps.store.listHistory(corpId, resourceId, query.type);
  return json(200, { corpId, resourceId, changes: historyChanges(entries) }, requestId);
}

const HANDLERS: Readonly<Record<string, (event: APIGatewayProxyEventV2, deps: RegistryApiDeps, requestId: string) => Promise<APIGatewayProxyStructuredResultV2>>> = {
  [routeKey(REGISTRY_CORP_RESOURCES_ROUTE)]: corpResources,
  [routeKey(REGISTRY_EXPIRING_ROUTE)]: expiring,
  [routeKey(REGISTRY_HISTORY_ROUTE)]: history,
};

export async function handleRegistryApi(event: APIGatewayProxyEventV2, deps: RegistryApiDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const { requestId, invalid } = readRequestId(event.headers ?? {});
  try {
    if (invalid) throw new RelayError('invalidHeader', REQUEST_ID_RULE);
    const handle = HANDLERS[event.routeKey];
    if (handle === undefined) throw new RelayError('noRoute');
    return await handle(event, deps, requestId);
  } catch (error) {
    if (error instanceof RelayError) return errorResult(error.status, error.code, error.message, requestId);
    if (error instanceof RegistryUnavailableError) {
      return errorResult(RELAY_ERRORS.registryUnavailable.status, RELAY_ERRORS.registryUnavailable.code, 'The registry is unavailable: retry', requestId);
    }
    console.error('registry API failed', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    return errorResult(RELAY_ERRORS.internal.status, RELAY_ERRORS.internal.code, RELAY_ERRORS.internal.meaning, requestId);
  }
}
