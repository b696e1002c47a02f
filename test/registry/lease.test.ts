import { describe, expect, it } from 'vitest';
import { startRegistry, use } from '../support/stack.js';

describe('sweeper lease', () => {
  const registry = use(startRegistry);

  it('refuses a second owner while the lease holds and names the holder', async () => {
    // Prepare
    const now = Date.now();
    await registry.lease.acquire({ owner: 'sweep-1', now, durationMs: 60_000 });

    // Act
    const second = await registry.lease.acquire({ owner: 'sweep-2', now: now + 1_000, durationMs: 60_000 });

    // Assess
    expect(second).toEqual({ acquired: false, heldBy: 'sweep-1', expiresAt: now + 60_000 });
    await registry.lease.release('sweep-1');
  });

  it('lets a new owner take an expired lease, and the old owner can then no longer release it', async () => {
    // Prepare
    const now = Date.now();
    await registry.lease.acquire({ owner: 'crashed', now: now - 120_000, durationMs: 60_000 });

    // Act
    const taken = await registry.lease.acquire({ owner: 'fresh', now, durationMs: 60_000 });
    const releasedByOld = await registry.lease.release('crashed');

    // Assess
    expect(taken).toEqual({ acquired: true });
    expect(releasedByOld).toBe(false);
    expect((await registry.lease.holder())?.owner).toBe('fresh');
    expect(await registry.lease.release('fresh')).toBe(true);
    expect(await registry.lease.holder()).toBeUndefined();
  });

  it('gives the lease to exactly one of several owners racing for it', async () => {
    // Act
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => registry.lease.acquire({ owner: `racer-${i}`, now, durationMs: 60_000 })),
    );

    // Assess
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
    await registry.lease.release((await registry.lease.holder())?.owner ?? '');
  });
});
