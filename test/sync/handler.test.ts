/**
 * The deployed sync entry (functions/sync/handler.ts), configured through the environment as Lambda configures
 * it: the schedules' events pick the mode, and the entry keeps the watermark in the registry table.
 */
import { describe, expect, it } from 'vitest';
import { SYNC_WATERMARK_KEY } from '../../functions/shared/registry/table.js';
import { captureOutput } from '../support/capture-output.js';
import { lambdaContext } from '../support/events.js';
import { startLambdaStack, use } from '../support/stack.js';

const stack = use(() => startLambdaStack());

describe('scheduled sync handler', () => {
  it('runs a full pass for {"mode":"full"} and an incremental one for {"mode":"incremental"}, keeping the watermark in the table', async () => {
    // Act
    const full = await stack.handlers.sync({ mode: 'full' }, lambdaContext({ remainingMs: 60_000 }));
    const incremental = await stack.handlers.sync({ mode: 'incremental' }, lambdaContext({ remainingMs: 60_000 }));

    // Assess: the simulator's seed data holds no operation record, so nothing changed since the full pass.
    expect(full).toMatchObject({ mode: 'full', fullPassReason: 'requested', status: 'completed', watermarkAdvanced: true });
    expect(full.enterprises).toBeGreaterThan(0);
    expect(incremental).toMatchObject({ mode: 'incremental', status: 'completed', enterprises: 0, enterprisesUnchanged: full.enterprises, watermarkAdvanced: true });
    const items = await stack.registry.scanAll();
    expect(items.find((i) => i.pk === SYNC_WATERMARK_KEY.pk && i.sk === SYNC_WATERMARK_KEY.sk)).toMatchObject({ syncedThrough: incremental.startedAt, syncId: incremental.syncId });
  });

  it('fails a run whose event names an unknown mode, before any call', async () => {
    await stack.control.clearRequests();
    const output = captureOutput(); // the metrics middleware's notice that the failed run published nothing

    try {
      await expect(stack.handlers.sync({ mode: 'hourly' }, lambdaContext({ remainingMs: 60_000 }))).rejects.toThrow(/mode must be one of full, incremental/);
    } finally {
      output.stop();
    }
    expect(await stack.control.requests({ path: '/v1/usg/dcs/' })).toEqual([]);
  });
});
