/**
 * The resource route always records what it relays, so any test that loads its handler needs a registry: one
 * in-process dynalite per test file, bound through the environment the way `npm start` binds it. Register it
 * before anything imports functions/resources/handler.ts (the recorder is built at cold start).
 */
import { afterAll, beforeAll } from 'vitest';
import { startDynamo } from '../../../local/dynamo.js';
import type { RunningDynamo } from '../../../local/dynamo.js';
import { bindRegistryEnvironment } from '../../../local/stack.js';

export function useRelayRegistry(): { readonly dynamo: RunningDynamo } {
  let dynamo: RunningDynamo | undefined;
  beforeAll(async () => {
    dynamo = await startDynamo();
    bindRegistryEnvironment(dynamo);
  });
  afterAll(async () => {
    await dynamo?.stop();
  });
  return {
    get dynamo() {
      if (dynamo === undefined) throw new Error('registry not started');
      return dynamo;
    },
  };
}
