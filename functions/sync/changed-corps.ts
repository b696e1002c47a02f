/**
 * Incremental syncs: which enterprises a sync must read, from Huawei's operation records
 * (SearchResourceOpRecord, `GET /v1/usg/dcs/sp/corp/{corp_id}/resource-record`, huawei-meeting-api.md 3.5).
 *
 * The records are used only to learn WHETHER an enterprise changed: one query per enterprise, records operated
 * since the watermark less `OVERLAP_MS`, `limit=1`, and only the page's `count` is read. What a record's items
 * mean (the resource before or after, extra fields) is unconfirmed, so nothing else is taken from them: an
 * enterprise with any record, one the watermark's run did not list (new), or one whose query got no usable
 * answer gets today's full per-enterprise sync; the others are skipped.
 *
 * A full pass (every enterprise read) runs instead when asked for (the daily schedule), when there is no
 * watermark, when it is older than `MAX_WATERMARK_AGE_MS`, when the sync is limited to `SYNC_CORP_IDS`, or when
 * the SP API has no record query (the simulation's in-process Huawei).
 */
import * as z from 'zod/mini';
import type { UpstreamResponse } from '../shared/huawei/client.js';
import type { SpCallOptions } from '../shared/huawei/sp-api.js';
import type { SyncWatermark, SyncWatermarkState } from './watermark.js';

export const SYNC_MODES = ['full', 'incremental'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

const eventSchema = z.object({
  mode: z.optional(z.enum(SYNC_MODES, { error: `mode must be one of ${SYNC_MODES.join(', ')}` })),
});

/**
 * The mode a sync's Lambda event asks for: the schedules send `{"mode":"incremental"}` or `{"mode":"full"}`; an
 * event without `mode` (a manual invoke) is a full pass; a bad `mode` fails the run, naming the rule.
 */
export function syncModeOf(event: unknown): SyncMode {
  if (typeof event !== 'object' || event === null || !('mode' in event)) return 'full';
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) throw new Error(`sync event: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data.mode ?? 'full';
}

/**
 * How far before the watermark the record query starts. The watermark is our clock at a sync's start, the
 * records carry Huawei's operate time, and a record may become visible to the query a little after the change
 * does: the margin covers both (NTP-synced clocks differ by well under a second; Huawei documents no delay, so
 * we allow minutes). A wider margin only re-reads enterprises changed in it; a record that shows up later than
 * this is caught by the daily full pass.
 */
export const OVERLAP_MS = 15 * 60_000;

/**
 * An older watermark means no sync has completed cleanly for a day (outages, problems every run): read
 * everything instead of trusting a long record window whose retention Huawei does not document.
 */
export const MAX_WATERMARK_AGE_MS = 24 * 3_600_000;

export interface SyncScope {
  mode: SyncMode;
  /** Why this run is a full pass ('requested' when it was asked for). */
  fullPassReason?: string;
  /** Incremental: records operated at or after this time (epoch ms, Huawei's clock) count as a change. */
  since?: number;
  /** Incremental: the enterprises the watermark's run listed; any other is new and read in full. */
  known?: ReadonlySet<string>;
}

export interface ScopeInput {
  requested: SyncMode;
  watermark: SyncWatermark | undefined;
  /** The SP API can query operation records. */
  canQueryRecords: boolean;
  /** SYNC_CORP_IDS is set. */
  corpIdsConfigured: boolean;
  now: number;
}

const full = (fullPassReason: string): SyncScope => ({ mode: 'full', fullPassReason });

/** Decides the run's mode; reads the watermark only when an incremental run was asked for. */
export async function chooseScope(input: ScopeInput): Promise<SyncScope> {
  if (input.requested === 'full') return full('requested');
  if (input.corpIdsConfigured) return full('SYNC_CORP_IDS is set (the watermark covers all enterprises)');
  if (!input.canQueryRecords || input.watermark === undefined) return full('no operation-record query');
  const mark: SyncWatermarkState | undefined = await input.watermark.read();
  if (mark === undefined) return full('no watermark yet');
  if (input.now - mark.syncedThrough > MAX_WATERMARK_AGE_MS) return full('watermark older than 24 h');
  if (mark.corpIds === undefined) return full('too many enterprises to keep in the watermark');
  return { mode: 'incremental', since: Math.max(0, mark.syncedThrough - OVERLAP_MS), known: new Set(mark.corpIds) };
}

export type CorpChange =
  /** Full pass, a new enterprise, or records since the watermark: read it. */
  | 'read'
  /** No record since the watermark: skip it. */
  | 'unchanged'
  /** The record query got no usable answer: read it (a full read is always safe). */
  | 'query-failed';

export type RecordQuery = (
  describe: string,
  send: (opts: SpCallOptions) => Promise<UpstreamResponse>,
) => Promise<UpstreamResponse | undefined>;

export interface RecordsApi {
  queryResourceRecords(corpId: string, query: { offset: number; limit: number; startOperateDate: number }, opts?: SpCallOptions): Promise<UpstreamResponse>;
}

const recordPageSchema = z.object({ count: z.number().check(z.int(), z.nonnegative()), data: z.array(z.unknown()) });

/** Whether this run reads the enterprise: always in a full pass; in an incremental one, when it changed or is new. */
export async function corpChange(scope: SyncScope, corpId: string, api: Partial<RecordsApi>, call: RecordQuery): Promise<CorpChange> {
  if (scope.mode === 'full' || scope.since === undefined || !scope.known?.has(corpId) || api.queryResourceRecords === undefined) return 'read';
  const since = scope.since;
  const query = api.queryResourceRecords.bind(api);
  const response = await call(`operation records of ${corpId}`, (opts) => query(corpId, { offset: 0, limit: 1, startOperateDate: since }, opts));
  const page = response ? recordPageSchema.safeParse(response.json) : undefined;
  if (!page?.success) return 'query-failed';
  return page.data.count > 0 || page.data.data.length > 0 ? 'read' : 'unchanged';
}

/**
 * Whether the run may move the watermark to its start: it read every enterprise the SP lists (not a
 * SYNC_CORP_IDS subset), wrote for real, and ended without a problem or a lost write.
 */
export function mayAdvanceWatermark(run: { listedAll: boolean; dryRun: boolean; problems: number; conflicts: number }): boolean {
  return run.listedAll && !run.dryRun && run.problems === 0 && run.conflicts === 0;
}
