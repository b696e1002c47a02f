import { beforeEach, describe, expect, it } from 'vitest';
import type { ModResourceItem } from '../../functions/shared/huawei/schemas.js';
import { RegistryConflictError, RegistryUnavailableError } from '../../functions/shared/registry/errors.js';
import { itemKey } from '../../functions/shared/registry/keys.js';
import { dueEntrySchema } from '../../functions/shared/registry/model.js';
import type { RegistryItem } from '../../functions/shared/registry/model.js';
import { relayAndRecord } from '../../functions/resources/relay-recording.js';
import { RegistryStore } from '../../functions/shared/registry/store.js';
import { IN_DOUBT_HOLD_MS } from '../../functions/shared/registry/state.js';
import { UpstreamTimeoutError } from '../../functions/shared/huawei/client.js';
import { ATTR } from '../../functions/shared/registry/table.js';
import { finishWrite, markExpiredDisabled, markInDoubt } from '../../functions/shared/registry/transitions.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { startHuawei, startRegistry, use } from '../support/stack.js';

const CORP = CORP_A.corpId;
const HOUR = 3_600_000;

describe('relaying and recording a resource update', () => {
  const registry = use(startRegistry);
  const huawei = use(startHuawei);
  let upstreamCalls: ModResourceItem[][];

  beforeEach(() => {
    upstreamCalls = [];
  });

  const relay = (items: ModResourceItem[], store: RegistryStore = registry.store) =>
    relayAndRecord({ store, now: Date.now, reenableRenewed: true }, CORP, items, (planned) => {
      upstreamCalls.push(planned);
      return huawei.spApi.updateResources(CORP, planned);
    });

  const get = (id: string, type?: 'VMR' | 'SOFT') => registry.store.get(itemKey(CORP, id, type)) as Promise<RegistryItem>;

  it('marks the items of a call that got no answer in doubt, and passes the upstream error on (issue 15, sequence 3)', async () => {
    // Prepare: a registered resource; the next call is sent but never answered (the client's timeout error).
    const expireDate = Date.now() + HOUR;
    await huawei.addResources(CORP, [{ id: 'unanswered', type: 'VMR', expireDate }]);
    await relay([{ id: 'unanswered', type: 'VMR', expireDate }]);
    const before = await get('unanswered', 'VMR');
    const lost = relayAndRecord({ store: registry.store, now: Date.now, reenableRenewed: true }, CORP, [{ id: 'unanswered', type: 'VMR', isDisabled: true }], () =>
      Promise.reject(new UpstreamTimeoutError('Huawei did not answer in time (UND_ERR_HEADERS_TIMEOUT)', 2)),
    );

    // Act / Assess: the error reaches the route (504), and the item is in doubt but otherwise unchanged.
    await expect(lost).rejects.toBeInstanceOf(UpstreamTimeoutError);
    const after = await get('unanswered', 'VMR');
    expect(after).toMatchObject({ status: 'active', expireDate, version: before.version + 1, inDoubtSince: expect.any(Number) as unknown });
    expect(after.dueAt).toBe((after.inDoubtSince as number) + IN_DOUBT_HOLD_MS);
  });

  it('records a disable answered at once in doubt, so a duplicate delivered later is checked after the hold (issue 15, duplicates)', async () => {
    // Prepare
    const expireDate = Date.now() + HOUR;
    await huawei.addResources(CORP, [{ id: 'dup-1', type: 'VMR', expireDate }]);
    await relay([{ id: 'dup-1', type: 'VMR', expireDate }]);

    // Act: the disable is answered 200 on its first attempt; then the caller enables it again.
    await relay([{ id: 'dup-1', type: 'VMR', isDisabled: true }]);
    const disabled = await get('dup-1', 'VMR');
    await relay([{ id: 'dup-1', type: 'VMR', isDisabled: false }]);

    // Assess: the disable's write carried the mark; the enable keeps it and brings the item to the sweep at the hold end.
    expect(disabled).toMatchObject({ status: 'disabled-manual', inDoubtSince: expect.any(Number) as unknown });
    const enabled = await get('dup-1', 'VMR');
    expect(enabled).toMatchObject({ status: 'active', inDoubtSince: disabled.inDoubtSince });
    expect(enabled.dueAt).toBe((disabled.inDoubtSince as number) + IN_DOUBT_HOLD_MS);
  });

  it('creates an in-doubt item for an unanswered disable of an id the registry does not know, so the next update keeps the mark', async () => {
    // Act
    const lost = relayAndRecord({ store: registry.store, now: Date.now, reenableRenewed: true }, CORP, [{ id: 'unknown-lost', type: 'VMR', isDisabled: true }], () =>
      Promise.reject(new UpstreamTimeoutError('Huawei did not answer in time (UND_ERR_HEADERS_TIMEOUT)', 4)),
    );

    // Assess
    await expect(lost).rejects.toBeInstanceOf(UpstreamTimeoutError);
    expect(await get('unknown-lost', 'VMR')).toMatchObject({ status: 'active', inDoubtSince: expect.any(Number) as unknown, version: 1 });
  });

  it('marks only the type an unanswered typed disable names, as its own item created from the type-less one', async () => {
    // Prepare: an id registered without a type.
    const expireDate = Date.now() + HOUR;
    await huawei.addResources(CORP, [{ id: 'typed-lost', type: 'VMR', expireDate }, { id: 'typed-lost', type: 'SOFT', expireDate }]);
    await relay([{ id: 'typed-lost', expireDate }]);
    const typelessBefore = await get('typed-lost');

    // Act
    const lost = relayAndRecord({ store: registry.store, now: Date.now, reenableRenewed: true }, CORP, [{ id: 'typed-lost', type: 'VMR', isDisabled: true }], () =>
      Promise.reject(new UpstreamTimeoutError('Huawei did not answer in time (UND_ERR_HEADERS_TIMEOUT)', 4)),
    );

    // Assess: a disable of VMR cannot change SOFT, so the type-less item (which stands for SOFT) is not in doubt.
    await expect(lost).rejects.toBeInstanceOf(UpstreamTimeoutError);
    expect(await get('typed-lost', 'VMR')).toMatchObject({ status: 'active', expireDate, inDoubtSince: expect.any(Number) as unknown });
    expect(await get('typed-lost')).toEqual(typelessBefore);
  });

  it('marks a disable in doubt when Huawei answered non-2xx only after earlier attempts went unanswered', async () => {
    // Prepare
    const expireDate = Date.now() + HOUR;
    await huawei.addResources(CORP, [{ id: 'late-503', type: 'VMR', expireDate }]);
    await relay([{ id: 'late-503', type: 'VMR', expireDate }]);
    const refusedAfterRetries = { status: 503, headers: {}, text: '{}', json: {}, requestId: 'r', attempts: 4 };

    // Act
    const result = await relayAndRecord({ store: registry.store, now: Date.now, reenableRenewed: true }, CORP, [{ id: 'late-503', type: 'VMR', isDisabled: true }], () =>
      Promise.resolve(refusedAfterRetries),
    );

    // Assess: the 503 passes through; the item is not recorded disabled, but is in doubt.
    expect(result.outcome).toBe('upstream-rejected');
    expect(await get('late-503', 'VMR')).toMatchObject({ status: 'active', inDoubtSince: expect.any(Number) as unknown });
  });

  it('records every item Huawei accepted with its expiry, state and Huawei request id, and nothing secret', async () => {
    // Prepare
    const expireDate = Date.now() + HOUR;
    await huawei.addResources(CORP, [
      { id: 'rec-1', type: 'VMR', expireDate },
      { id: 'rec-2', type: 'SOFT', expireDate },
    ]);
    const token = await huawei.currentToken();

    // Act
    const result = await relay([
      { id: 'rec-1', type: 'VMR', expireDate: expireDate + HOUR },
      { id: 'rec-2', type: 'SOFT', isDisabled: true },
    ]);

    // Assess
    expect(result).toMatchObject({ outcome: 'recorded', reenabled: [], upstreamCalls: 1 });
    const requestId = result.response.requestId;
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(await get('rec-1', 'VMR')).toMatchObject({ expireDate: expireDate + HOUR, status: 'active', lastRequestId: requestId, version: 1 });
    const manual = await get('rec-2', 'SOFT');
    expect(manual.status).toBe('disabled-manual');
    expect(manual.dueAt).toBeUndefined();
    const raw = await registry.scanAll();
    const known = new Set<string>(Object.values(ATTR));
    for (const stored of raw) for (const name of Object.keys(stored)) expect(known.has(name), name).toBe(true);
    expect(JSON.stringify(raw)).not.toContain(token);
  });

  it('records nothing when Huawei rejects the update', async () => {
    // Act
    const result = await relay([{ id: 'unknown-1', type: 'VMR', expireDate: Date.now() + HOUR }]);

    // Assess
    expect(result.outcome).toBe('upstream-rejected');
    expect(result.response.status).toBe(400);
    expect(await get('unknown-1', 'VMR')).toBeUndefined();
  });

  it('re-enables upstream a renewed resource the sweeper had disabled, and records it active', async () => {
    // Prepare: the state a sweep leaves behind.
    const past = Date.now() - HOUR;
    await huawei.addResources(CORP, [{ id: 'renew-1', type: 'VMR', expireDate: past }]);
    await relay([{ id: 'renew-1', type: 'VMR', expireDate: past }]);
    await huawei.spApi.updateResources(CORP, [{ id: 'renew-1', type: 'VMR', isDisabled: true }]);
    const active = await get('renew-1', 'VMR');
    await registry.store.replace(markExpiredDisabled(active, { now: Date.now() }), { version: active.version });
    upstreamCalls = [];
    const renewedUntil = Date.now() + 30 * 24 * HOUR;

    // Act
    const result = await relay([{ id: 'renew-1', type: 'VMR', expireDate: renewedUntil }]);

    // Assess
    expect(result).toMatchObject({ outcome: 'recorded', reenabled: [{ corpId: CORP, resourceId: 'renew-1', type: 'VMR' }] });
    expect(upstreamCalls).toEqual([[{ id: 'renew-1', type: 'VMR', expireDate: renewedUntil, isDisabled: false }]]);
    expect((await huawei.resources(CORP)).get('renew-1/VMR')).toMatchObject({ isDisabled: false, expireDate: renewedUntil });
    const item = await get('renew-1', 'VMR');
    expect(item.status).toBe('active');
    // The sweep's disable may still be delivered again: the renewal keeps the mark, so a sweep checks Huawei
    // when the hold ends (then the item is due at its new expiry).
    expect(item.inDoubtSince).toBeDefined();
    expect(item.dueAt).toBe((item.inDoubtSince as number) + IN_DOUBT_HOLD_MS);
  });

  it('makes no upstream call when the registry cannot be read', async () => {
    // Prepare
    const broken = new RegistryStore({ documentClient: registry.dynamo.documentClient, tableName: 'no-such-table' });

    // Act
    const relaying = relay([{ id: 'rec-1', type: 'VMR', expireDate: Date.now() + HOUR }], broken);

    // Assess
    await expect(relaying).rejects.toBeInstanceOf(RegistryUnavailableError);
    expect(upstreamCalls).toEqual([]);
  });

  it('re-relays and gives up with RegistryConflictError when every record loses a race', async () => {
    // Prepare
    const expireDate = Date.now() + HOUR;
    await huawei.addResources(CORP, [{ id: 'contended', type: 'VMR', expireDate }]);
    await relay([{ id: 'contended', type: 'VMR', expireDate }]);
    upstreamCalls = [];

    // Act: another writer changes the item between every read and record.
    const relaying = relayAndRecord({ store: registry.store, now: Date.now, reenableRenewed: true, maxAttempts: 3 }, CORP, [{ id: 'contended', type: 'VMR', expireDate }], async (planned) => {
      upstreamCalls.push(planned);
      const current = await get('contended', 'VMR');
      await registry.store.replace(finishWrite(current, current, { now: Date.now() }), { version: current.version });
      return huawei.spApi.updateResources(CORP, planned);
    });

    // Assess
    await expect(relaying).rejects.toBeInstanceOf(RegistryConflictError);
    expect(upstreamCalls).toHaveLength(3);
  });
  it('before a 503, rewrites a typed item it created from a type-less item that went stale (issue 15, seeds 25910 and 37663)', async () => {
    // Prepare: an id registered without a type, overdue; Huawei holds it as VMR.
    const past = Date.now() - HOUR;
    await huawei.addResources(CORP, [{ id: 'stale-tpl', type: 'VMR', expireDate: past }]);
    await relay([{ id: 'stale-tpl', expireDate: past }]);
    const renewed = Date.now() + 24 * HOUR;

    // Act: a typed renewal, one round only. While it is in flight a sweep disables the type at Huawei and records
    // the disable on the type-less item (after the relay read it, before the relay's records).
    const relaying = relayAndRecord({ store: registry.store, now: Date.now, reenableRenewed: true, maxAttempts: 1 }, CORP, [{ id: 'stale-tpl', type: 'VMR', expireDate: renewed }], async (planned) => {
      await huawei.spApi.updateResources(CORP, [{ id: 'stale-tpl', type: 'VMR', isDisabled: true }]);
      const typeless = await get('stale-tpl');
      await registry.store.replace(markExpiredDisabled(typeless, { now: Date.now() }), { version: typeless.version });
      return huawei.spApi.updateResources(CORP, planned);
    });

    // Assess: still 503 for the caller (nothing confirmed), but the typed item shows the sweep's disable (in doubt)
    // under the new expiry, not the stale "active" it was created with; so the next renewal re-enables it.
    await expect(relaying).rejects.toBeInstanceOf(RegistryConflictError);
    const typed = await get('stale-tpl', 'VMR');
    expect(typed).toMatchObject({ status: 'disabled-expired', expireDate: renewed, inDoubtSince: expect.any(Number) as unknown });
    upstreamCalls = [];
    await relay([{ id: 'stale-tpl', type: 'VMR', expireDate: renewed }]);
    expect(upstreamCalls).toEqual([[{ id: 'stale-tpl', type: 'VMR', expireDate: renewed, isDisabled: false }]]);
  });
  it('rewrites a typed item it created while the id had no type-less item when one appeared meanwhile (issue 15, seeds 29596 and 36732)', async () => {
    // Prepare: an id Huawei holds as VMR that the registry does not know.
    await huawei.addResources(CORP, [{ id: 'no-tpl', type: 'VMR', expireDate: Date.now() + HOUR }]);
    const renewed = Date.now() + 24 * HOUR;
    let disabledMeanwhile = false;

    // Act: a typed renewal; after its read, another caller disables the id without a type (recorded in doubt, as a
    // new type-less item), then the renewal reaches Huawei and records.
    const result = await relayAndRecord({ store: registry.store, now: Date.now, reenableRenewed: true }, CORP, [{ id: 'no-tpl', type: 'VMR', expireDate: renewed }], async (planned) => {
      if (!disabledMeanwhile) {
        disabledMeanwhile = true;
        await relay([{ id: 'no-tpl', isDisabled: true }]);
      }
      return huawei.spApi.updateResources(CORP, planned);
    });

    // Assess: the typed item carries the type-less disable's state and its in-doubt mark (a late duplicate of that
    // disable is then checked, not taken for a manual disable of this type).
    expect(result.outcome).toBe('recorded');
    const typeless = await get('no-tpl');
    const typed = await get('no-tpl', 'VMR');
    expect(typeless).toMatchObject({ status: 'disabled-manual', inDoubtSince: expect.any(Number) as unknown });
    expect(typed).toMatchObject({ status: 'disabled-manual', expireDate: renewed, inDoubtSince: typeless.inDoubtSince });
  });
  it('keeps the typed item it created when the type-less item it was taken from is recorded gone before the next round (issue 15, seed 95244)', async () => {
    // Prepare: an id registered without a type, overdue, whose two types our sweep disabled (type-less item
    // disabled-expired, in doubt).
    const past = Date.now() - HOUR;
    await huawei.addResources(CORP, [{ id: 'gone-tpl', type: 'VMR', expireDate: past }, { id: 'gone-tpl', type: 'SOFT', expireDate: past }]);
    await relay([{ id: 'gone-tpl', expireDate: past }]);
    await huawei.spApi.updateResources(CORP, [{ id: 'gone-tpl', type: 'VMR', isDisabled: true }, { id: 'gone-tpl', type: 'SOFT', isDisabled: true }]);
    const registered = await get('gone-tpl');
    expect(await registry.store.replace(markExpiredDisabled(registered, { now: Date.now() }), { version: registered.version })).toBe(true);
    const shortened = past + 1_000;
    let sealedMeanwhile = false;

    // Act: a typed expiry change of VMR creates its typed item from the type-less one. While its PUT is in flight
    // another writer seals the type-less item (its own template seal then fails); before the next round a sync
    // records the type-less item gone (every type it lists has its own item now).
    const result = await relayAndRecord(
      {
        store: registry.store,
        now: Date.now,
        reenableRenewed: true,
        sleep: async () => {
          const typeless = await get('gone-tpl');
          const gone = finishWrite(typeless, { ...typeless, status: 'gone', goneAt: Date.now() }, { now: Date.now() });
          expect(await registry.store.replace(gone, { version: typeless.version })).toBe(true);
        },
      },
      CORP,
      [{ id: 'gone-tpl', type: 'VMR', expireDate: shortened }],
      async (planned) => {
        if (!sealedMeanwhile) {
          sealedMeanwhile = true;
          const typeless = await get('gone-tpl');
          await registry.store.replace(finishWrite(typeless, typeless, { now: Date.now() }), { version: typeless.version });
        }
        return huawei.spApi.updateResources(CORP, planned);
      },
    );

    // Assess: the typed item still shows our sweep's disable, in doubt (not "active" taken from the gone item).
    expect(result.outcome).toBe('recorded');
    expect(await get('gone-tpl', 'VMR')).toMatchObject({ status: 'disabled-expired', expireDate: shortened, inDoubtSince: expect.any(Number) as unknown });
  });
  it('rewrites a stale typed create from the fresh type-less item though a sweep marked it in doubt meanwhile (issue 15, seed 83942)', async () => {
    // Prepare: an id registered without a type, a day out; Huawei holds it as VMR.
    const expireDate = Date.now() + 24 * HOUR;
    await huawei.addResources(CORP, [{ id: 'marked-create', type: 'VMR', expireDate }]);
    await relay([{ id: 'marked-create', expireDate }]);
    const renewed = expireDate + 24 * HOUR;
    let disabledMeanwhile = false;

    // Act: a typed renewal creates its typed item from the type-less item; while its PUT is in flight a caller
    // disables the id without a type (recorded on the type-less item), so its template seal fails. Before its next
    // round, a sweep's unanswered disable marks the typed item in doubt (a write that decides nothing).
    const result = await relayAndRecord(
      {
        store: registry.store,
        now: Date.now,
        reenableRenewed: true,
        sleep: async () => {
          const created = await get('marked-create', 'VMR');
          expect(await registry.store.replace(markInDoubt(created, { now: Date.now() }), { version: created.version })).toBe(true);
        },
      },
      CORP,
      [{ id: 'marked-create', type: 'VMR', expireDate: renewed }],
      async (planned) => {
        if (!disabledMeanwhile) {
          disabledMeanwhile = true;
          await relay([{ id: 'marked-create', isDisabled: true }]);
        }
        return huawei.spApi.updateResources(CORP, planned);
      },
    );

    // Assess: the typed item shows the caller's disable, which reached VMR at Huawei (a renewal does not undo a
    // manual disable), not the stale "active" it was created with.
    expect(result.outcome).toBe('recorded');
    expect((await huawei.resources(CORP)).get('marked-create/VMR')).toMatchObject({ isDisabled: true, expireDate: renewed });
    expect(await get('marked-create', 'VMR')).toMatchObject({ status: 'disabled-manual', expireDate: renewed, inDoubtSince: expect.any(Number) as unknown });
  });
  it('marks in doubt a disable Huawei accepted in an earlier round whose record lost, when a later round is refused (issue 15, seed 90082)', async () => {
    // Prepare: a registered resource a day out.
    const expireDate = Date.now() + 24 * HOUR;
    await huawei.addResources(CORP, [{ id: 'refused-later', type: 'VMR', expireDate }]);
    await relay([{ id: 'refused-later', type: 'VMR', expireDate }]);
    const refused = { status: 503, headers: {}, text: '{}', json: {}, requestId: 'r', attempts: 1 };
    let calls = 0;

    // Act: a disable; Huawei accepts its first round, but another writer records the item while the PUT is in
    // flight, so the record loses; the next round's PUT is refused (503, not applied).
    const result = await relayAndRecord(
      { store: registry.store, now: Date.now, reenableRenewed: true, sleep: async () => undefined },
      CORP,
      [{ id: 'refused-later', type: 'VMR', isDisabled: true }],
      async (planned) => {
        if (++calls > 1) return refused;
        const item = await get('refused-later', 'VMR');
        await registry.store.replace(finishWrite(item, item, { now: Date.now() }), { version: item.version });
        return huawei.spApi.updateResources(CORP, planned);
      },
    );

    // Assess: the 503 passes through; the disable Huawei applied (and may deliver again) is in doubt, so a late
    // duplicate after a later enable is checked after the hold instead of taken for a manual disable.
    expect(result.outcome).toBe('upstream-rejected');
    expect((await huawei.resources(CORP)).get('refused-later/VMR')?.isDisabled).toBe(true);
    expect(await get('refused-later', 'VMR')).toMatchObject({ status: 'active', inDoubtSince: expect.any(Number) as unknown });
  });
  it('leaves the in-doubt mark in place of a live sweep claim it drops, since the sweep’s disable may be in flight (issue 15, seed 284359)', async () => {
    // Prepare: an overdue registered resource a sweep has claimed (its disable may be on its way).
    const past = Date.now() - HOUR;
    await huawei.addResources(CORP, [{ id: 'claimed-renewal', type: 'VMR', expireDate: past }]);
    await relay([{ id: 'claimed-renewal', type: 'VMR', expireDate: past }]);
    const due = await get('claimed-renewal', 'VMR');
    expect(await registry.store.claim(dueEntrySchema.parse(due), { sweepId: 'sweep-in-flight', now: Date.now(), expiresAt: Date.now() + 60_000 })).toBeDefined();
    const renewed = Date.now() + 24 * HOUR;

    // Act
    const result = await relay([{ id: 'claimed-renewal', type: 'VMR', expireDate: renewed }]);

    // Assess: recorded renewed, without the claim, and in doubt: a sync that reads it before the sweep reconciles
    // takes a disabled state Huawei shows for it as the sweep's (pushed again), not as a manual disable.
    expect(result.outcome).toBe('recorded');
    const item = await get('claimed-renewal', 'VMR');
    expect(item).toMatchObject({ status: 'active', expireDate: renewed, inDoubtSince: expect.any(Number) as unknown });
    expect(item.claimedBy).toBeUndefined();
  });

  it('does not drop unseen a sweep claim taken after its read: the next round leaves the in-doubt mark in its place (issue 15, seeds 401441, 705828, 728010, 829729)', async () => {
    // Prepare: an overdue registered resource, not claimed when the renewal reads it.
    const past = Date.now() - HOUR;
    await huawei.addResources(CORP, [{ id: 'claimed-after-read', type: 'VMR', expireDate: past }]);
    await relay([{ id: 'claimed-after-read', type: 'VMR', expireDate: past }]);
    const renewed = Date.now() + 24 * HOUR;
    let claimed = false;

    // Act: a sweep claims the item after the renewal read it, while the renewal is on its way to Huawei (the
    // sweep's disable may land after it). The claim does not change the item's version.
    const result = await relayAndRecord({ store: registry.store, now: Date.now, reenableRenewed: true }, CORP, [{ id: 'claimed-after-read', type: 'VMR', expireDate: renewed }], async (planned) => {
      if (!claimed) {
        const due = dueEntrySchema.parse(await get('claimed-after-read', 'VMR'));
        claimed = (await registry.store.claim(due, { sweepId: 'sweep-after-read', now: Date.now(), expiresAt: Date.now() + 60_000 })) !== undefined;
      }
      upstreamCalls.push(planned);
      return huawei.spApi.updateResources(CORP, planned);
    });

    // Assess: recorded renewed and in doubt (a sync reading it before the sweep reconciles takes a disabled state
    // Huawei shows as the sweep's, not as a manual disable); the first record failed on the new claim, so the
    // renewal was relayed in a second round that read the claim.
    expect(claimed).toBe(true);
    expect(result.outcome).toBe('recorded');
    const item = await get('claimed-after-read', 'VMR');
    expect(item).toMatchObject({ status: 'active', expireDate: renewed, inDoubtSince: expect.any(Number) as unknown });
    expect(item.claimedBy).toBeUndefined();
    expect(upstreamCalls).toHaveLength(3);
  });
  it('takes the type-less item’s state for another relay’s typed create that went stale instead of building on it (issue 15, seeds 493252, 578698, 967872)', async () => {
    // Prepare: an id registered without a type, a day out; Huawei holds it as VMR.
    const expireDate = Date.now() + 24 * HOUR;
    await huawei.addResources(CORP, [{ id: 'shared-create', type: 'VMR', expireDate }]);
    await relay([{ id: 'shared-create', expireDate }]);
    const renewed = expireDate + 24 * HOUR;
    const renewedAgain = renewed + HOUR;
    let letEnableRelay!: () => void;
    const enableMayRelay = new Promise<void>((resolve) => (letEnableRelay = resolve));
    let enableRead!: () => void;
    const enableHasRead = new Promise<void>((resolve) => (enableRead = resolve));
    let enabling: Promise<unknown> | undefined;
    let calls = 0;
    let waits = 0;

    // Act: a typed renewal (the creator). While its first PUT is in flight a caller disables the id without a
    // type (recorded on the type-less item, in doubt), and the same caller's enable reads the id (no typed item
    // yet) and waits; the creator creates VMR from the type-less item it read (active): stale, its seal fails. Its
    // second round rewrites VMR from the disable (`disabled-manual`); while that PUT is in flight the caller's
    // enable is recorded on the type-less item only, so that seal fails too. Before the creator's third round,
    // a type-less renewal (another relay) reads the rewrite.
    const result = await relayAndRecord(
      {
        store: registry.store,
        now: Date.now,
        reenableRenewed: true,
        sleep: async () => {
          if (++waits === 2) await relay([{ id: 'shared-create', expireDate: renewedAgain }]);
        },
      },
      CORP,
      [{ id: 'shared-create', type: 'VMR', expireDate: renewed }],
      async (planned) => {
        calls++;
        if (calls === 1) {
          await relay([{ id: 'shared-create', isDisabled: true }]);
          enabling = relayAndRecord({ store: registry.store, now: Date.now, reenableRenewed: true }, CORP, [{ id: 'shared-create', isDisabled: false }], async (enable) => {
            enableRead();
            await enableMayRelay;
            return huawei.spApi.updateResources(CORP, enable);
          });
          await enableHasRead;
        }
        if (calls === 2) {
          letEnableRelay();
          await enabling;
        }
        return huawei.spApi.updateResources(CORP, planned);
      },
    );

    // Assess: the caller's enable was the last change of VMR's disabled state at Huawei; the registry shows it
    // (active, its disable still in doubt: a late duplicate is checked after the hold), not the stale rewrite's
    // `disabled-manual` that a late duplicate of the disable would stand under.
    expect(result.outcome).toBe('recorded');
    expect((await huawei.resources(CORP)).get('shared-create/VMR')).toMatchObject({ isDisabled: false, expireDate: renewed });
    const typed = await get('shared-create', 'VMR');
    expect(typed).toMatchObject({ status: 'active', expireDate: renewed, inDoubtSince: expect.any(Number) as unknown });
    expect(typed.templateVersion).toBeUndefined();
  });
  it('confirms a typed create from the type-less item once its seal held, and another relay builds on it in between (issue 15)', async () => {
    // Prepare: an id registered without a type, a day out; Huawei holds it as VMR.
    const expireDate = Date.now() + 24 * HOUR;
    await huawei.addResources(CORP, [{ id: 'sealed-create', type: 'VMR', expireDate }]);
    await relay([{ id: 'sealed-create', expireDate }]);
    const renewed = expireDate + HOUR;
    let raced = false;
    // The creator's store: right after its seal of the type-less item lands (before the confirmation), another
    // caller renews VMR.
    const creatorStore = new Proxy(registry.store, {
      get(target, prop, receiver) {
        if (prop === 'replace')
          return async (item: RegistryItem, expected: Parameters<RegistryStore['replace']>[1]) => {
            const written = await target.replace(item, expected);
            if (written && item.type === undefined && !raced) {
              raced = true;
              expect(await get('sealed-create', 'VMR')).toMatchObject({ status: 'disabled-manual', templateVersion: expect.any(Number) as unknown });
              await relay([{ id: 'sealed-create', type: 'VMR', expireDate: renewed }]);
            }
            return written;
          };
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });

    // Act: a caller disables VMR (its typed item created from the type-less one).
    const result = await relay([{ id: 'sealed-create', type: 'VMR', isDisabled: true }], creatorStore);

    // Assess: the seal held, so the other caller's renewal took the create as it stands (its creator's seal is the
    // only write since), not the type-less item's `active`: no re-enable was sent, and the disable stands.
    expect(raced).toBe(true);
    expect(result.outcome).toBe('recorded');
    expect((await huawei.resources(CORP)).get('sealed-create/VMR')).toMatchObject({ isDisabled: true, expireDate: renewed });
    const typed = await get('sealed-create', 'VMR');
    expect(typed).toMatchObject({ status: 'disabled-manual', expireDate: renewed });
    expect(typed.templateVersion).toBeUndefined();
  });
  it('writes a typed create from the type-less item provisional and confirms it after its seal: one more write', async () => {
    // Prepare
    const expireDate = Date.now() + 24 * HOUR;
    await huawei.addResources(CORP, [{ id: 'confirmed-create', type: 'VMR', expireDate }]);
    await relay([{ id: 'confirmed-create', expireDate }]);
    const typelessBefore = await get('confirmed-create');

    // Act
    const result = await relay([{ id: 'confirmed-create', type: 'VMR', expireDate: expireDate + HOUR }]);

    // Assess: created (v1, provisional against the type-less version read), sealed, confirmed (v2, no marker).
    expect(result.outcome).toBe('recorded');
    expect(await get('confirmed-create')).toMatchObject({ version: typelessBefore.version + 1 });
    const typed = await get('confirmed-create', 'VMR');
    expect(typed).toMatchObject({ status: 'active', expireDate: expireDate + HOUR, version: 2 });
    expect(typed.templateVersion).toBeUndefined();
    const history = await registry.store.listHistory(CORP, 'confirmed-create', 'VMR');
    expect(history.entries.map((e) => e.version)).toEqual([1, 2]);
  });
});
