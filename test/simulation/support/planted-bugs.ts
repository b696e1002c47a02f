/**
 * Deliberately broken fakes, for tests that show the simulation finds and shrinks what they break. Never used
 * by the simulation itself.
 */
import type { RegistryItem } from '../../../functions/shared/registry/model.js';
import type { Gate } from './memory-registry.js';
import { MemoryRegistryStore, MemoryTable } from './memory-registry.js';
import type { WorldOptions } from './world.js';

/**
 * A registry whose `replace` ignores a changed version (a lost update): when the condition fails, it writes
 * anyway and reports success, as a store without the `version` condition would. Claim-conditioned writes keep
 * their condition, so the sweep's claims still work.
 */
export class LostUpdateStore extends MemoryRegistryStore {
  constructor(
    private readonly contents: MemoryTable,
    gate: Gate,
  ) {
    super(contents, gate);
  }

  override async replace(item: RegistryItem, expected: { version: number; claimedBy?: string }): Promise<boolean> {
    if (await super.replace(item, expected)) return true;
    const key = MemoryTable.keyOf(item);
    if (expected.claimedBy !== undefined || !this.contents.items.has(key)) return false;
    this.contents.items.set(key, { ...item });
    return true;
  }
}

export const LOST_UPDATE: WorldOptions = { store: (table, gate) => new LostUpdateStore(table, gate) };
