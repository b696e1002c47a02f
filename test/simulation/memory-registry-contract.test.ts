/**
 * Contract of the simulation's in-memory registry (test/simulation/support/memory-registry.ts): the same
 * generated operation sequences run against it and against the production `RegistryStore` and `SweepLease` on
 * dynalite, and every result (conditional failures included) and the whole table after each sequence must be
 * identical. `SIM_CONTRACT_SEED` replays one stream.
 */
import { describe, expect, it } from 'vitest';
import type { ResourceType } from '../../functions/shared/huawei/schemas.js';
import { dueShardFor } from '../../functions/shared/registry/keys.js';
import type { DueEntry, RegistryItem } from '../../functions/shared/registry/model.js';
import { newItem } from '../../functions/shared/registry/transitions.js';
import { startRegistry, use } from '../support/stack.js';
import { MemoryLease, MemoryRegistryStore, MemoryTable } from './support/memory-registry.js';
import { RandomChooser } from './support/scheduler.js';

const SEQUENCES = Number(process.env.SIM_CONTRACT_SEQUENCES ?? (process.env.LONG_TESTS === '1' ? 400 : 40));
const OPS_PER_SEQUENCE = 30;
const seed = Number(process.env.SIM_CONTRACT_SEED ?? 20261128);
const CORPS = ['818803911', '818803912'];
const IDS = ['r1', 'r2'];
const TYPES: (ResourceType | undefined)[] = ['CONF_CALL', 'SOFT', undefined];
const STATUSES = ['active', 'disabled-expired', 'disabled-manual', 'failed', 'gone'] as const;

/** Keys sorted, so that two results compare equal whatever order attributes came in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

function byKey<T extends { pk: string; sk: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
}

describe('in-memory registry contract (against dynalite)', () => {
  const real = use(startRegistry);

  it(`gives the same results as the real store on ${SEQUENCES} generated sequences`, { timeout: 600_000 }, async () => {
    const rng = new RandomChooser(seed);
    const pick = <T>(values: readonly T[]): T => values[rng.choose(values.length)] as T;
    const table = new MemoryTable();
    const memory = new MemoryRegistryStore(table);
    const memoryLease = new MemoryLease(table);
    let now = 1_767_225_600_000;
    let ops = 0;
    let conditionalFailures = 0;
    const seenEntries: DueEntry[] = [];

    const randomItem = (): RegistryItem => {
      const ref = { corpId: pick(CORPS), resourceId: pick(IDS), type: pick(TYPES) };
      const item = newItem(ref, now);
      item.version = rng.choose(4);
      item.status = pick(STATUSES);
      if (rng.choose(4) > 0) item.expireDate = now + (rng.choose(5) - 2) * 60_000;
      if (rng.choose(3) > 0) {
        item.dueShard = dueShardFor(item);
        item.dueAt = now + (rng.choose(5) - 2) * 60_000;
      }
      if (rng.choose(4) === 0) item.inDoubtSince = now;
      if (rng.choose(5) === 0) item.lastError = { errorCode: 'X.1', errorMsg: 'rejected' };
      return item;
    };

    for (let s = 0; s < SEQUENCES; s++) {
      for (let k = 0; k < OPS_PER_SEQUENCE; k++) {
        now += rng.choose(3) * 30_000;
        const op = rng.choose(12);
        let label: string;
        let mine: unknown;
        let theirs: unknown;
        if (op <= 1) {
          const item = randomItem();
          label = `create ${item.sk}`;
          [mine, theirs] = await Promise.all([memory.create(item), real.store.create(item)]);
        } else if (op <= 3) {
          const item = randomItem();
          // The three conditions writers use: the version alone, the sweeper's own claim, the claim a relay read.
          const condition = rng.choose(5);
          const expected =
            condition === 0
              ? { version: item.version, claimedBy: pick(['sweep-a', 'sweep-b']) }
              : condition === 1
                ? { version: item.version, claimAsRead: pick([null, 'sweep-a', 'sweep-b']) }
                : { version: item.version };
          label = `replace ${item.sk} if ${JSON.stringify(expected)}`;
          [mine, theirs] = await Promise.all([memory.replace(item, expected), real.store.replace(item, expected)]);
        } else if (op === 4) {
          const corp = pick(CORPS);
          const id = pick(IDS);
          label = `listResource ${corp} ${id}`;
          [mine, theirs] = await Promise.all([memory.listResource(corp, id), real.store.listResource(corp, id)]);
        } else if (op === 5) {
          const corp = pick(CORPS);
          label = `listCorp ${corp}`;
          [mine, theirs] = await Promise.all([memory.listCorp(corp), real.store.listCorp(corp)]);
        } else if (op === 6) {
          label = `queryDue ${now}`;
          const [a, b] = await Promise.all([memory.queryDue(now), real.store.queryDue(now)]);
          seenEntries.push(...b.entries);
          mine = byKey(a.entries);
          theirs = byKey(b.entries);
        } else if (op <= 8) {
          const fromIndex = seenEntries.length > 0 && rng.choose(3) > 0;
          // The sweep claims only entries the due index returned: they always carry dueAt.
          const made = randomItem();
          made.dueShard = dueShardFor(made);
          made.dueAt ??= now;
          const entry: DueEntry = fromIndex ? (seenEntries[rng.choose(seenEntries.length)] as DueEntry) : (made as DueEntry);
          const request = { sweepId: pick(['sweep-a', 'sweep-b']), now, expiresAt: now + rng.choose(3) * 60_000 };
          label = `claim ${entry.sk} ${JSON.stringify(request)}`;
          [mine, theirs] = await Promise.all([memory.claim(entry, request), real.store.claim(entry, request)]);
        } else if (op === 9) {
          const item = randomItem();
          const sweepId = pick(['sweep-a', 'sweep-b']);
          label = `releaseClaim ${item.sk} ${sweepId}`;
          [mine, theirs] = await Promise.all([memory.releaseClaim(item, sweepId), real.store.releaseClaim(item, sweepId)]);
        } else if (op === 10) {
          const request = { owner: pick(['sweep-a', 'sweep-b']), now, durationMs: rng.choose(3) * 60_000 };
          label = `lease acquire ${JSON.stringify(request)}`;
          [mine, theirs] = await Promise.all([memoryLease.acquire(request), real.lease.acquire(request)]);
        } else {
          const owner = pick(['sweep-a', 'sweep-b']);
          label = `lease release ${owner}`;
          [mine, theirs] = await Promise.all([memoryLease.release(owner), real.lease.release(owner)]);
        }
        ops++;
        if (mine === false || mine === undefined) conditionalFailures++;
        expect(canonical(mine), `sequence ${s} op ${k}: ${label}`).toEqual(canonical(theirs));
      }
      const scanned = (await real.scanAll()).filter((i) => String(i.pk).startsWith('CORP#'));
      expect(canonical(byKey(table.all())), `table after sequence ${s}`).toEqual(canonical(scanned));
      expect(await memoryLease.holder(), `lease after sequence ${s}`).toEqual(await real.lease.holder());
    }
    console.log(`[property-count] memory registry contract: ${SEQUENCES} sequences, ${ops} operations, ${conditionalFailures} conditional failures or empty results`);
  });
});
