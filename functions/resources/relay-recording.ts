/**
 * What the relay's resource route does with the registry around its upstream PUT:
 *
 * 1. read the registered items of every resource id in the update (`readRegistered`);
 * 2. decide renewal re-enables (`planRelayedUpdate`): a renewal of something the sweeper disabled for expiry
 *    gets `isDisabled: false`, unless the caller set `isDisabled` or a manual disable would be undone;
 * 3. relay the planned items;
 * 4. record every item Huawei accepted, each write conditioned on the version read in step 1
 *    (`recordRelayedUpdate`).
 *
 * When a write's condition fails, another writer (the sweeper, or another relay call) changed that resource
 * between steps 1 and 4, and Huawei's state may be that writer's. `relayAndRecord` then re-reads those ids,
 * re-decides and re-relays them (the PUT is idempotent) before recording again, so the last recorded state is
 * also the last state sent upstream. See docs/registry-and-sweeper.md for the race walk-through.
 */
import type { UpstreamResponse } from '../shared/huawei/client.js';
import { RESOURCE_TYPES } from '../shared/huawei/schemas.js';
import type { ModResourceItem, ResourceType } from '../shared/huawei/schemas.js';
import { chunks } from '../shared/batches.js';
import { mapWithConcurrency } from '../shared/registry/concurrency.js';
import { RegistryConflictError } from '../shared/registry/errors.js';
import { itemKey } from '../shared/registry/keys.js';
import type { RegistryItem, ResourceRef } from '../shared/registry/model.js';
import type { RegistryStore } from '../shared/registry/store.js';
import { mayBeDisabledByUs } from '../shared/registry/state.js';
import { applyRelayedChange, finishWrite, markConfirmed, markInDoubt, markReenableOwed, newItem, provisionalIsStale, withDisableInDoubt, withInheritedDoubt, withoutClaim } from '../shared/registry/transitions.js';
import type { WriteContext } from '../shared/registry/transitions.js';

/** Registered items per resource id, as read before relaying. */
export type RegisteredResources = ReadonlyMap<string, readonly RegistryItem[]>;

export interface PlannedItem {
  /** The item to send upstream. */
  item: ModResourceItem;
  /**
   * On a type-less item: the registry's type-less record is renewed but must stay disabled for now (re-enabling
   * every type would undo a manual disable); the next sweep re-enables the right types.
   */
  reenableTypelessLater?: true;
  /**
   * A disable (`isDisabled: true`) Huawei accepted: any attempt of it, answered or not, may still be delivered
   * (again) later, after anything that follows (a re-enable). The items it applies to are recorded in doubt
   * (`inDoubtSince`), so a sweep re-checks Huawei after the hold and pushes the registry's state if a late
   * delivery changed it (issue 15, sequence 3 and duplicates). Only disables: the mark also makes a renewal
   * re-enable (possibly disabled by us), which must never undo a disable made at Huawei by hand.
   */
  inDoubt?: true;
}

export interface RelayPlan {
  items: PlannedItem[];
  /** Registered resources this update re-enables because the sweeper had disabled them for expiry. */
  reenabled: ResourceRef[];
  /** Type-less records left for the next sweep to re-enable. */
  reenableLater: ResourceRef[];
}

export interface RelayPlanOptions {
  now: number;
  /** RENEWAL_REENABLE: add `isDisabled: false` to renewals of resources the sweeper disabled. */
  reenableRenewed: boolean;
}

/**
 * Reads the registered items of each resource id of the update, strongly consistent. An id whose items in the
 * update all name their type needs only its items of those types and its type-less item (the plan and the
 * writes look at nothing else of it), so all such keys are read in one BatchGetItem (`getMany`); an id with a
 * type-less item needs every item of the id: one Query for it (`listResource`).
 */
export async function readRegistered(
  store: RegistryStore,
  corpId: string,
  items: readonly Pick<ModResourceItem, 'id' | 'type'>[],
  concurrency = 10,
): Promise<Map<string, RegistryItem[]>> {
  const ids = [...new Set(items.map((item) => item.id))];
  const typelessIds = new Set(items.filter((item) => item.type === undefined).map((item) => item.id));
  const keys = items
    .filter((item) => !typelessIds.has(item.id))
    .flatMap((item) => [itemKey(corpId, item.id, item.type), itemKey(corpId, item.id, undefined)]);
  const [batched, lists] = await Promise.all([
    keys.length ? store.getMany(keys) : Promise.resolve([]),
    mapWithConcurrency([...typelessIds], concurrency, (id) => store.listResource(corpId, id)),
  ]);
  const registered = new Map<string, RegistryItem[]>(ids.map((id) => [id, []]));
  for (const item of batched) registered.get(item.resourceId)?.push(item);
  [...typelessIds].forEach((id, i) => registered.set(id, lists[i] ?? []));
  return registered;
}

/** The item that describes (id, type): its own, or else the type-less one (Huawei applied those to every type). */
export function effectiveRecord(records: readonly RegistryItem[], type: ResourceType): RegistryItem | undefined {
  return records.find((r) => r.type === type) ?? records.find((r) => r.type === undefined);
}

/**
 * Disabled upstream by the sweeper for expiry, or possibly so: a re-enable is owed, or a disable of ours is in
 * doubt on an item that may be disabled by it now (not one the registry holds enabled with a future expiry: an
 * enable or renewal was pushed after that disable, and only a late duplicate could undo it, which the check after
 * the hold repairs; every disable is in doubt, so renewals of such items would otherwise all carry
 * `isDisabled: false`). A manual disable is never among them.
 */
function disabledBySweeper(record: RegistryItem, now: number): boolean {
  if (record.status === 'disabled-manual' || record.status === 'gone' || !mayBeDisabledByUs(record)) return false;
  const enabledAfterIt = record.status === 'active' && record.reenableOwedSince === undefined && (record.expireDate === undefined || record.expireDate > now);
  return !enabledAfterIt;
}

function refOf(record: RegistryItem): ResourceRef {
  return { corpId: record.corpId, resourceId: record.resourceId, type: record.type };
}

export function planRelayedUpdate(
  corpId: string,
  items: readonly ModResourceItem[],
  registered: RegisteredResources,
  options: RelayPlanOptions,
): RelayPlan {
  const plan: RelayPlan = { items: [], reenabled: [], reenableLater: [] };
  for (const item of items) {
    const renewal =
      options.reenableRenewed && item.isDisabled === undefined && item.expireDate !== undefined && item.expireDate > options.now;
    const records = registered.get(item.id) ?? [];
    if (!renewal) {
      plan.items.push({ item });
      continue;
    }
    if (item.type !== undefined) {
      const record = effectiveRecord(records, item.type);
      if (record && disabledBySweeper(record, options.now)) {
        plan.items.push({ item: { ...item, isDisabled: false } });
        plan.reenabled.push({ corpId, resourceId: item.id, type: item.type });
      } else {
        plan.items.push({ item });
      }
      continue;
    }
    // Type-less: Huawei applies it to every type registered under this id, and to any we do not know.
    const toReenable = records.filter((r) => disabledBySweeper(r, options.now));
    if (toReenable.length === 0) {
      plan.items.push({ item });
      continue;
    }
    const manualDisableNearby = records.some((r) => r.status === 'disabled-manual');
    if (!manualDisableNearby) {
      plan.items.push({ item: { ...item, isDisabled: false } });
      plan.reenabled.push(...toReenable.map(refOf));
      continue;
    }
    // Re-enable the typed ones precisely; a type-less one would need Huawei's list of types: the sweeper's job.
    const typeless = toReenable.find((r) => r.type === undefined);
    plan.items.push(typeless ? { item, reenableTypelessLater: true } : { item });
    if (typeless) plan.reenableLater.push(refOf(typeless));
    for (const record of toReenable) {
      if (record.type === undefined) continue;
      const typed: ModResourceItem = { id: item.id, type: record.type, isDisabled: false };
      if (item.expireDate !== undefined) typed.expireDate = item.expireDate;
      plan.items.push({ item: typed });
      plan.reenabled.push(refOf(record));
    }
  }
  return plan;
}

export interface RecordWrite {
  /** The item as read before relaying; undefined for a new item. */
  before: RegistryItem | undefined;
  after: RegistryItem;
  /**
   * The write's condition: the version it replaces, or undefined for a create (the item must not exist). Equal
   * to `before.version` except for a typed item this update created from a stale template in an earlier round
   * and now rewrites from the fresh template (`recreate`).
   */
  expectedVersion: number | undefined;
  /**
   * The claim `before` carried (`null`: none). A sweep's claim does not bump the version, so without this a write
   * on a read taken before the claim would drop it unseen, and with it the sign that the sweep's disable may be
   * in flight: the write fails instead, and the next round, reading the claim, leaves the in-doubt mark in its
   * place (issue 15, seeds 401441, 705828, 728010, 829729).
   */
  claimAsRead?: string | null;
  /**
   * A typed item created from the type-less item's state (`templateSk`): valid only while that type-less item
   * is still at the version it was read at. The type-less item's own write (a seal when nothing else changes
   * it) is conditioned on that version and made after the creates, so a template that went stale in between
   * makes the update re-read and rewrite the created items.
   */
  templateSk?: string;
  /** This write is the template's own write, made after the typed items created from it. */
  isTemplate?: true;
  /**
   * A typed item created when the id had no type-less item at the read: valid only while it still has none. A
   * type-less item created since (a type-less disable, recorded in doubt) reached this type too, so the create
   * is checked after it is made and, if one appeared, rewritten from it like a stale template's.
   */
  noTemplate?: true;
}

interface WorkingRecord {
  before: RegistryItem | undefined;
  next: RegistryItem;
  touched: boolean;
  templateSk?: string;
  /** The template's version as read: what a create from it is provisional against (`templateVersion`). */
  templateVersion?: number;
  noTemplate?: true;
  /** Set when the item exists at this version but was created by this update from a template that went stale. */
  recreateVersion?: number;
}

/**
 * The writes that record the accepted items: each planned item folded, in order, onto the item it applies to
 * (a typed one onto its (id, type); a type-less one onto every registered item of the id and onto the type-less
 * item, created if missing: Huawei applied it to types the registry has never seen too, and only the type-less
 * item brings their expiry to the sweeper). A typed item created from the type-less item's state also seals the
 * type-less item (issue 15, sequence 1: a template read before a sweep recorded its disable must not be
 * written). `recreate`: typed items (sort key -> version) this update created from a template that went stale;
 * they are left out of `registered` and rewritten from the fresh template. Pure, so the rules are tested
 * without DynamoDB.
 */
export function recordWrites(
  corpId: string,
  planned: readonly PlannedItem[],
  registered: RegisteredResources,
  ctx: WriteContext,
  recreate: ReadonlyMap<string, number> = new Map(),
  /** In-doubt marks the left-out items carry (sort key -> since): a mark set on them since stays. */
  recreateMarks: ReadonlyMap<string, number> = new Map(),
  /** Typed items this update itself created in an earlier round (sort keys): their rewrites are provisional too. */
  ownCreates: ReadonlySet<string> = new Set(),
): RecordWrite[] {
  const working = new Map<string, WorkingRecord>();
  for (const id of new Set(planned.map((p) => p.item.id))) {
    for (const record of registered.get(id) ?? []) working.set(record.sk, { before: record, next: record, touched: false });
  }
  const recordsOf = (id: string) => [...working.values()].filter((w) => w.next.resourceId === id);
  const start = (type: ResourceType | undefined, id: string): WorkingRecord => {
    const key = itemKey(corpId, id, type);
    const existing = working.get(key.sk);
    if (existing) return existing;
    const templateRecord = type === undefined ? undefined : working.get(itemKey(corpId, id, undefined).sk);
    const template = templateRecord?.next;
    const created: WorkingRecord = { before: undefined, next: newItem({ corpId, resourceId: id, type }, ctx.now, template), touched: false };
    if (templateRecord?.before) {
      created.templateSk = templateRecord.before.sk;
      created.templateVersion = templateRecord.before.version;
      // The template's version is checked by its own write: seal it when nothing else changes it.
      templateRecord.touched = true;
    } else if (type !== undefined && templateRecord === undefined) {
      created.noTemplate = true;
    }
    const recreateVersion = recreate.get(key.sk);
    if (recreateVersion !== undefined) {
      created.recreateVersion = recreateVersion;
      created.next = withDisableInDoubt(created.next, recreateMarks.get(key.sk));
    }
    working.set(key.sk, created);
    return created;
  };

  for (const { item, reenableTypelessLater, inDoubt } of planned) {
    const change = { expireDate: item.expireDate, isDisabled: item.isDisabled };
    if (item.type === undefined) {
      start(undefined, item.id); // stands for the types the registry has no item of
      // Typed items left out to be written again from the type-less item: this change reaches them too.
      for (const type of RESOURCE_TYPES) if (recreate.has(itemKey(corpId, item.id, type).sk)) start(type, item.id);
    }
    // A type-less update reaches every type Huawei holds; a type recorded gone is not among them.
    const targets =
      item.type !== undefined ? [start(item.type, item.id)] : recordsOf(item.id).filter((w) => w.next.type === undefined || w.next.status !== 'gone');
    for (const target of targets) {
      target.next = applyRelayedChange(target.next, change, ctx.now, ctx.pushedAt);
      if (reenableTypelessLater && target.next.type === undefined) target.next = markReenableOwed(target.next, ctx.now);
      if (inDoubt) target.next = { ...target.next, inDoubtSince: ctx.now };
      target.touched = true;
    }
  }
  // A type-less disable in doubt reached every type of the id, also those whose typed item it was not recorded on
  // (created after it read, or after it was recorded): a typed item written here carries the type-less mark.
  for (const w of working.values()) {
    const typeless = working.get(itemKey(corpId, w.next.resourceId, undefined).sk)?.next;
    if (w.touched && w.next.type !== undefined && typeless) w.next = withInheritedDoubt(w.next, typeless, ctx.now);
  }

  const templates = new Set([...working.values()].flatMap((w) => (w.templateSk === undefined ? [] : [w.templateSk])));
  return [...working.values()]
    .filter((w) => w.touched)
    // A sweep's claim read in step 1 may have been released since: writing it back would revive it. The version
    // bump alone makes a still-holding sweep's record fail and reconcile, so the claim is not needed. But a live
    // claim says the sweep's disable may be in flight (sent before its record): dropping it, the write leaves the
    // in-doubt mark in its place, so a sync that reads the item before the sweep reconciles takes a disabled state
    // it sees as ours, not as a manual disable (issue 15, seed 284359).
    .map((w) => {
      const base = w.before ?? (w.recreateVersion !== undefined ? { ...w.next, version: w.recreateVersion } : w.next);
      const claimed = w.before?.claimedBy !== undefined && (w.before.claimExpiresAt ?? 0) >= ctx.now;
      const write: RecordWrite = {
        before: w.before,
        after: finishWrite(base, withoutClaim(claimed ? withDisableInDoubt(w.next, ctx.now) : w.next), ctx),
        expectedVersion: w.before?.version ?? w.recreateVersion,
      };
      if (w.before) write.claimAsRead = w.before.claimedBy ?? null;
      if (w.templateSk !== undefined) {
        write.templateSk = w.templateSk;
        // Provisional until the seal holds (then confirmed): a relay that reads it next to a type-less item that
        // changed since takes the type-less item's state instead of building on it (issue 15, seeds 493252,
        // 578698, 967872). Only items this update created: a rewrite of someone else's create is not marked, so a
        // sync's template re-check does not take it for one of its own.
        if (w.recreateVersion === undefined || ownCreates.has(w.next.sk)) write.after.templateVersion = w.templateVersion;
      }
      if (w.noTemplate) write.noTemplate = true;
      if (w.before && templates.has(w.before.sk)) write.isTemplate = true;
      return write;
    });
}

export interface RecordOutcome {
  /** Resource ids with an item that changed since it was read. */
  conflicted: Set<string>;
  /**
   * Typed items written from a template whose own write then failed (sort key -> version written): the
   * template went stale, so the next round rewrites them from the fresh one.
   */
  staleCreates: Map<string, RegistryItem>;
  /** Typed items this write set created (sort keys). */
  created: Set<string>;
}

/**
 * Writes each record conditionally: first every write but the templates', then the templates' (so a template
 * that a sweep recorded after this update read it fails after the typed items were created, and the update
 * re-reads and rewrites them). Returns the ids to re-read and the typed items to rewrite.
 */
export async function recordRelayedUpdate(
  store: RegistryStore,
  writes: readonly RecordWrite[],
  concurrency = 10,
): Promise<RecordOutcome> {
  const write = (w: RecordWrite) =>
    w.expectedVersion === undefined
      ? store.create(w.after)
      : store.replace(w.after, w.claimAsRead === undefined ? { version: w.expectedVersion } : { version: w.expectedVersion, claimAsRead: w.claimAsRead });
  const first = writes.filter((w) => !w.isTemplate);
  const last = writes.filter((w) => w.isTemplate);
  const firstResults = await mapWithConcurrency(first, concurrency, write);
  const lastResults = await mapWithConcurrency(last, concurrency, write);
  const failed = [...first.filter((_, i) => !firstResults[i]), ...last.filter((_, i) => !lastResults[i])];
  const staleTemplates = new Set(last.filter((_, i) => !lastResults[i]).map((w) => w.after.sk + '|' + w.after.pk));
  const staleCreates = new Map<string, RegistryItem>();
  first.forEach((w, i) => {
    if (firstResults[i] && w.templateSk !== undefined && staleTemplates.has(w.templateSk + '|' + w.after.pk)) staleCreates.set(w.after.sk, w.after);
  });
  const conflicted = new Set(failed.map((w) => w.after.resourceId));
  const created = new Set(first.filter((w, i) => firstResults[i] && w.expectedVersion === undefined && w.after.type !== undefined).map((w) => w.after.sk));
  // Provisional creates whose template's seal held: taken from the type-less item's current state, so they stand.
  const sealed = first.filter(
    (w, i) => firstResults[i] && w.after.templateVersion !== undefined && w.templateSk !== undefined && !staleTemplates.has(w.templateSk + '|' + w.after.pk),
  );
  await mapWithConcurrency(sealed, concurrency, (w) => confirmCreate(store, w.after));
  // Typed items created while the id had no type-less item: one created since makes them stale creates too.
  const unchecked = first.filter((w, i) => firstResults[i] && w.noTemplate);
  const templates = await mapWithConcurrency(unchecked, concurrency, (w) => store.get(itemKey(w.after.corpId, w.after.resourceId, undefined)));
  unchecked.forEach((w, i) => {
    if (templates[i] === undefined || templates[i]?.status === 'gone') return;
    staleCreates.set(w.after.sk, w.after);
    conflicted.add(w.after.resourceId);
  });
  return { conflicted, staleCreates, created };
}

/**
 * Ends a provisional create whose template seal held (one write removes the marker). A write that loses finds
 * the item written since: by a writer that decided a state (the marker is gone, its state stands), or by one that
 * decides nothing (a sweep's claim or in-doubt mark: the marker stays, confirmed again on that read). Bounded.
 */
async function confirmCreate(store: RegistryStore, written: RegistryItem): Promise<void> {
  let current: RegistryItem | undefined = written;
  for (let attempt = 1; attempt <= 3 && current !== undefined; attempt++) {
    const confirmed = markConfirmed(current, { now: written.updatedAt });
    if (await store.replace(confirmed, { version: current.version, claimAsRead: current.claimedBy ?? null })) return;
    current = await store.get(written);
    if (current?.templateVersion !== written.templateVersion || current?.lastRequestId !== written.lastRequestId) return;
  }
}

export interface RelayAndRecordDeps {
  store: RegistryStore;
  now: () => number;
  reenableRenewed: boolean;
  /** Rounds of read, relay, record before giving up with RegistryConflictError (default `RELAY_ROUNDS.max`). */
  maxAttempts?: number;
  /** Epoch ms by which the caller must be answered: no round starts that could not end by then. */
  deadline?: number;
  /** Randomness for the jittered wait between rounds (tests pin it). */
  random?: () => number;
  /** Waits between rounds (a virtual clock in simulations). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Concurrent updates of one resource are merged by rounds: each round re-reads, re-plans and re-relays the
 * updates whose record lost a race, so the last recorded state is also the last one sent. A lost round means
 * another caller's round won, so with n callers at once every one is through within n rounds; the jittered,
 * growing wait between rounds spreads callers that collided so that they stop colliding. A round is not started
 * unless `roundReserveMs` remains before the deadline (its PUT and records), so a 503 still comes in time.
 */
export const RELAY_ROUNDS = {
  max: 12,
  /** Wait before round k (k >= 2): uniform in [0, min(maxWaitMs, firstWaitMs * 2^(k-2))]. */
  firstWaitMs: 20,
  maxWaitMs: 320,
  roundReserveMs: 3_000,
} as const;

export type RelayAndRecordResult =
  | {
      outcome: 'recorded';
      /** Huawei's answer to the caller's own update (the first relayed call). */
      response: UpstreamResponse;
      reenabled: ResourceRef[];
      reenableLater: ResourceRef[];
      /** Upstream calls made (more than one after a lost race or an update split in two). */
      upstreamCalls: number;
    }
  | {
      outcome: 'upstream-rejected';
      /** Huawei's non-2xx answer, to pass through as is. Items of calls accepted before it are recorded. */
      response: UpstreamResponse;
    };

/**
 * The relay's whole registry protocol around `relay` (which PUTs the given items upstream and returns Huawei's
 * answer). Items should be the validated request items with real booleans (`normaliseResourceItem`).
 *
 * Throws RegistryUnavailableError when DynamoDB fails (before relaying: nothing happened; after: Huawei applied
 * the update, the registry may lag; either way answer 503, the client's retry repairs it) and
 * RegistryConflictError when the races do not settle within `maxAttempts`.
 */
export async function relayAndRecord(
  deps: RelayAndRecordDeps,
  corpId: string,
  items: readonly ModResourceItem[],
  relay: (items: ModResourceItem[]) => Promise<UpstreamResponse>,
): Promise<RelayAndRecordResult> {
  if (items.length === 0) throw new TypeError('relayAndRecord needs at least one item');
  const maxAttempts = deps.maxAttempts ?? RELAY_ROUNDS.max;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let pending = items;
  let firstResponse: UpstreamResponse | undefined;
  let upstreamCalls = 0;
  const reenabled: ResourceRef[] = [];
  const reenableLater: ResourceRef[] = [];
  // Typed items an earlier round created from a template that went stale (sort key -> version written).
  let staleCreates = new Map<string, RegistryItem>();
  // Typed items this update created (sort keys): their rewrites from a fresh template are provisional too.
  const ownCreates = new Set<string>();
  // The previous round's accepted items and when they were planned: what the stale creates must be rewritten with.
  let previous: { accepted: PlannedItem[]; plannedAt: number; requestId: string | undefined } | undefined;
  // Ending without another round (an upstream error, a rejection): stale creates of the previous round are
  // rewritten first, record only, best effort (the caller gets the upstream answer or error either way).
  // Disables Huawei accepted in an earlier round whose record lost: whatever ends the update later (an upstream
  // error, a rejection, the last round) leaves them in doubt, like any disable we sent (issue 15, seed 90082).
  let unrecordedDisables: ModResourceItem[] = [];
  const markInDoubtOnEnd = (disables: readonly ModResourceItem[]) => {
    const all = [...unrecordedDisables, ...disables];
    return all.length ? markRelayedInDoubt(deps.store, corpId, all, deps.now()) : Promise.resolve();
  };
  const settleStaleCreates = () =>
    previous && staleCreates.size
      ? rewriteStaleCreates(deps, corpId, previous.accepted, staleCreates, ownCreates, previous.requestId, previous.plannedAt).catch(() => undefined)
      : Promise.resolve();
  for (let attempt = 1; ; attempt++) {
    const read = await readRegistered(deps.store, corpId, pending);
    const { registered, recreate, marks } = withoutStaleCreates(read, staleCreates);
    const plannedAt = deps.now();
    const plan = planRelayedUpdate(corpId, pending, registered, { now: plannedAt, reenableRenewed: deps.reenableRenewed });
    const accepted: PlannedItem[] = [];
    let lastResponse: UpstreamResponse | undefined;
    let rejection: UpstreamResponse | undefined;
    for (const chunk of chunks(plan.items)) {
      let response: UpstreamResponse;
      try {
        response = await relay(chunk.map((p) => p.item));
      } catch (error) {
        await settleStaleCreates();
        // No answer: Huawei may still apply the call, later than anything after it.
        await markInDoubtOnEnd(upstreamMayHaveReceived(error) ? disablesIn(chunk) : []);
        throw error;
      }
      upstreamCalls++;
      if (response.status < 200 || response.status >= 300) {
        // An attempt before the one answered got no answer (or a 5xx): Huawei may still apply it, later.
        await markInDoubtOnEnd(response.attempts > 1 ? disablesIn(chunk) : []);
        if (accepted.length === 0) await settleStaleCreates();
        rejection = response;
        break;
      }
      firstResponse ??= response;
      lastResponse = response;
      // Any attempt of the call, answered or not, may still be delivered (again) later: every disable is in doubt.
      accepted.push(...chunk.map((p): PlannedItem => (p.item.isDisabled === true ? { ...p, inDoubt: true } : p)));
    }
    if (accepted.length) {
      const writes = recordWrites(corpId, accepted, registered, { now: deps.now(), requestId: lastResponse?.requestId, pushedAt: plannedAt }, recreate, marks, ownCreates);
      const recorded = await recordRelayedUpdate(deps.store, writes);
      const conflicted = recorded.conflicted;
      staleCreates = recorded.staleCreates;
      for (const sk of recorded.created) ownCreates.add(sk);
      if (rejection) return { outcome: 'upstream-rejected', response: rejection };
      const acceptedIds = new Set(accepted.map((p) => p.item.id));
      reenabled.push(...plan.reenabled.filter((r) => acceptedIds.has(r.resourceId) && !conflicted.has(r.resourceId)));
      reenableLater.push(...plan.reenableLater.filter((r) => acceptedIds.has(r.resourceId) && !conflicted.has(r.resourceId)));
      if (conflicted.size === 0) {
        return { outcome: 'recorded', response: firstResponse ?? (lastResponse as UpstreamResponse), reenabled, reenableLater, upstreamCalls };
      }
      const waitMs = Math.floor(random() * Math.min(RELAY_ROUNDS.maxWaitMs, RELAY_ROUNDS.firstWaitMs * 2 ** (attempt - 1)));
      if (attempt >= maxAttempts || (deps.deadline !== undefined && deps.now() + waitMs + RELAY_ROUNDS.roundReserveMs > deps.deadline)) {
        // Giving up with typed items standing that this update created from a type-less item that went stale:
        // one record-only round rewrites them from the fresh one (see rewriteStaleCreates). Still a 503.
        // Best effort: a registry failure here must not keep the disables below from being marked.
        await rewriteStaleCreates(deps, corpId, accepted, staleCreates, ownCreates, lastResponse?.requestId, plannedAt).catch(() => undefined);
        // Huawei applied disables whose record lost; they may land again later like any other.
        await markInDoubtOnEnd(disablesIn(accepted).filter((i) => conflicted.has(i.id)));
        throw new RegistryConflictError([...conflicted], attempt);
      }
      previous = { accepted, plannedAt, requestId: lastResponse?.requestId };
      unrecordedDisables = [...unrecordedDisables, ...disablesIn(accepted)].filter((i) => conflicted.has(i.id));
      await sleep(waitMs);
      pending = items.filter((i) => conflicted.has(i.id));
      continue;
    }
    // Nothing accepted: rejection is set (plan.items is never empty for a non-empty update).
    return { outcome: 'upstream-rejected', response: rejection as UpstreamResponse };
  }
}

/**
 * The last round before the update ends without another (a 503, an upstream error, a rejection), record only. A typed item this update created from the type-less item's state
 * (`templateSk`) stands for its type from then on; when the type-less item changed in between (a sweep recorded a
 * disable, say), the created item shows Huawei neither before nor after, and the next sync would take the
 * difference for a manual disable (issue 15, seeds 25910 and 37663). Without the round that would rewrite it, it
 * is rewritten here from the type-less item's current state with the change Huawei accepted folded on (marks
 * included, like the sync's template re-check), and the type-less item sealed. Nothing is relayed again and the
 * caller's answer is unchanged (a 503 still confirms nothing). Best effort: a write that loses again leaves an item someone else
 * wrote after reading the created one.
 */
async function rewriteStaleCreates(
  deps: RelayAndRecordDeps,
  corpId: string,
  accepted: readonly PlannedItem[],
  staleCreates: ReadonlyMap<string, RegistryItem>,
  ownCreates: ReadonlySet<string>,
  requestId: string | undefined,
  pushedAt: number,
): Promise<void> {
  let pending = staleCreates;
  // Bounded like the sync's template re-check: a seal that fails again means the type-less item changed again.
  for (let attempt = 1; attempt <= STALE_REWRITE_ATTEMPTS && pending.size; attempt++) {
    const current = pending;
    // A typed item reaches its own type; a type-less one every type of its id, so also the stale typed items of it.
    const stale = accepted.filter((p) =>
      p.item.type !== undefined
        ? current.has(itemKey(corpId, p.item.id, p.item.type).sk)
        : RESOURCE_TYPES.some((type) => current.has(itemKey(corpId, p.item.id, type).sk)),
    );
    if (stale.length === 0) return;
    const read = await readRegistered(deps.store, corpId, stale.map((p) => p.item));
    const { registered, recreate, marks } = withoutStaleCreates(read, current);
    const writes = recordWrites(corpId, stale, registered, { now: deps.now(), requestId, pushedAt }, recreate, marks, ownCreates);
    pending = (await recordRelayedUpdate(deps.store, writes)).staleCreates;
  }
}

const STALE_REWRITE_ATTEMPTS = 4;

/** The disables among planned items: what may land again later and so is marked in doubt. */
function disablesIn(planned: readonly PlannedItem[]): ModResourceItem[] {
  return planned.map((p) => p.item).filter((i) => i.isDisabled === true);
}

/** A call that threw after at least one attempt was sent (`attempts` on the client's errors) may have reached Huawei. */
function upstreamMayHaveReceived(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('attempts' in error)) return false;
  const attempts = (error as { attempts: unknown }).attempts;
  return typeof attempts === 'number' && attempts > 0;
}

/**
 * Marks in doubt every item an unanswered (or unrecorded) disable may change (a typed disable its own typed item,
 * created from the type-less item's state if missing; a type-less disable every item of the id), each
 * conditioned on the version read (creates on not existing) and re-read on a lost race. Best effort: the caller
 * gets the upstream error either way (502/504: nothing confirmed); what it misses, the next sync repairs.
 */
export async function markRelayedInDoubt(store: RegistryStore, corpId: string, items: readonly ModResourceItem[], now: number): Promise<void> {
  const ids = [...new Set(items.map((i) => i.id))];
  await mapWithConcurrency(ids, 10, async (id) => {
    const sent = items.filter((i) => i.id === id);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const records = await store.listResource(corpId, id);
      // A type-less disable reaches every item of the id (the type-less one created if missing); a typed one only
      // its type: its own item, created from the type-less item's state when it has none (marking the type-less
      // item would put every type in doubt, and take a manual disable of another type for ours).
      const typeless = sent.some((i) => i.type === undefined);
      const targets = typeless ? records : records.filter((r) => r.type !== undefined && sent.some((i) => i.type === r.type));
      const missing: (ResourceType | undefined)[] = typeless
        ? records.some((r) => r.type === undefined) ? [] : [undefined]
        : [...new Set(sent.map((i) => i.type as ResourceType))].filter((type) => !records.some((r) => r.type === type));
      const template = records.find((r) => r.type === undefined && r.status !== 'gone');
      const results = await Promise.all([
        ...targets.map((r) => store.replace(markInDoubt(r, { now }), { version: r.version })),
        ...missing.map((type) => store.create(markInDoubt(newItem({ corpId, resourceId: id, type }, now, type === undefined ? undefined : template), { now }))),
      ]);
      if (results.every(Boolean)) return;
    }
  });
}

/**
 * Leaves out of the registered items the typed items created from a type-less item that changed since: those this
 * update itself created from a stale template (still as it wrote them: `stillAsWritten`), and provisional creates
 * (a sync's, another relay's) judged against an older version of the type-less item (`staleProvisional`). They are
 * planned and written again as if new, from the fresh type-less item, each conditioned on the version read. Not
 * from a type-less item recorded gone since (a sync found every type with its own item): that stands for nothing,
 * and the typed item, taken from it before, is kept as it is (issue 15, seed 95244: recreated from a gone item, it
 * lost the sweep's disable and its in-doubt mark).
 */
function withoutStaleCreates(
  read: ReadonlyMap<string, RegistryItem[]>,
  staleCreates: ReadonlyMap<string, RegistryItem>,
): { registered: Map<string, RegistryItem[]>; recreate: Map<string, number>; marks: Map<string, number> } {
  const recreate = new Map<string, number>();
  const marks = new Map<string, number>();
  const registered = new Map<string, RegistryItem[]>();
  for (const [id, items] of read) {
    const typeless = items.find((item) => item.type === undefined);
    // A type-less item recorded gone since stands for nothing (every type has its own item): no template.
    const template = typeless !== undefined && typeless.status !== 'gone';
    registered.set(
      id,
      items.filter((item) => {
        const written = staleCreates.get(item.sk);
        const ownStaleCreate = template && written !== undefined && stillAsWritten(item, written);
        if (!ownStaleCreate && !staleProvisional(item, typeless)) return true;
        recreate.set(item.sk, item.version);
        if (item.inDoubtSince !== undefined) marks.set(item.sk, item.inDoubtSince);
        return false;
      }),
    );
  }
  return { registered, recreate, marks };
}

/**
 * A provisional create (a sync's, or another relay's: `templateVersion`) taken from an older version of the
 * type-less item. The one write of the type-less item since that does not make it stale is its creator's own
 * seal (the next version, same upstream request), made after it: it stands then until its creator confirms it.
 */
function staleProvisional(item: RegistryItem, typeless: RegistryItem | undefined): boolean {
  if (!provisionalIsStale(item, typeless) || typeless === undefined || item.templateVersion === undefined) return false;
  const sealedByCreator = item.lastRequestId !== undefined && typeless.lastRequestId === item.lastRequestId && typeless.version === item.templateVersion + 1;
  return !sealedByCreator;
}

/**
 * The item still shows the state this update wrote: written since, if at all, only by writes that decide nothing
 * (a seal, an in-doubt mark: issue 15, seed 83942, where a sweep's mark on the typed sibling of its unanswered
 * type-less disable made the relay keep its stale create). Any write that decides a state sets another status,
 * expiry, owed re-enable or request id.
 */
function stillAsWritten(current: RegistryItem, written: RegistryItem): boolean {
  return (
    current.version >= written.version &&
    current.status === written.status &&
    current.expireDate === written.expireDate &&
    current.reenableOwedSince === written.reenableOwedSince &&
    current.lastRequestId === written.lastRequestId
  );
}

