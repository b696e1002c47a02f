/**
 * Everything a sweeper test needs, all real: dynalite with the registry table, the Huawei simulator reached
 * through the production client and SP API, resources made due the way production makes them (added upstream,
 * then recorded by the relay's registry protocol), and `sweepOnce()` calling the sweep function directly.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { ModResourceItem, ResourceType } from '../../functions/shared/huawei/schemas.js';
import { itemKey } from '../../functions/shared/registry/keys.js';
import type { RegistryItem } from '../../functions/shared/registry/model.js';
import { relayAndRecord } from '../../functions/resources/relay-recording.js';
import type { RelayAndRecordResult } from '../../functions/resources/relay-recording.js';
import type { SweepConfig } from '../../functions/sweep/config.js';
import type { SweepReport } from '../../functions/sweep/report.js';
import { sweep } from '../../functions/sweep/sweep.js';
import type { SweepDeps } from '../../functions/sweep/sweep.js';
import type { SyncConfig } from '../../functions/sync/config.js';
import type { SyncReport } from '../../functions/sync/report.js';
import { sync } from '../../functions/sync/sync.js';
import type { SyncDeps } from '../../functions/sync/sync.js';
import { startTestRegistry } from '../support/dynamo.js';
import type { TestRegistry } from '../support/dynamo.js';
import { startTestHuawei } from './huawei.js';
import type { TestHuawei } from './huawei.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export const TEST_SWEEP_CONFIG: SweepConfig = {
  dryRun: false,
  maxRejections: 3,
  concurrency: 4,
  leaseMs: 60_000,
  recordReserveMs: 2_000,
};

export interface TestResource {
  corpId: string;
  id: string;
  type: ResourceType;
  expireDate: number;
}

export interface SweeperHarness {
  registry: TestRegistry;
  huawei: TestHuawei;
  /** Adds the resources upstream, then records them through the relay's registry protocol. */
  register(resources: readonly TestResource[]): Promise<void>;
  /** Relays one update the way the relay route does (registry read, decide, PUT, record). */
  relay(corpId: string, items: ModResourceItem[]): Promise<RelayAndRecordResult>;
  sweepOnce(overrides?: Partial<Omit<SweepDeps, 'config'>> & { config?: Partial<SweepConfig> }): Promise<SweepReport>;
  /** One sync with the production function (all of the SP's enterprises unless `corpIds` is given). */
  syncOnce(overrides?: Partial<Omit<SyncDeps, 'config'>> & { config?: Partial<SyncConfig> }): Promise<SyncReport>;
  item(resource: Pick<TestResource, 'corpId' | 'id'> & { type?: ResourceType | undefined }): Promise<RegistryItem | undefined>;
  stop(): Promise<void>;
}

export async function startSweeperHarness(): Promise<SweeperHarness> {
  const registry = await startTestRegistry();
  const huawei = await startTestHuawei();
  const metrics = new Metrics({ namespace: 'SweeperTest', serviceName: 'sweeper-test' });

  const relay = (corpId: string, items: ModResourceItem[]) =>
    relayAndRecord({ store: registry.store, now: Date.now, reenableRenewed: true }, corpId, items, (planned) =>
      huawei.spApi.updateResources(corpId, planned),
    );

  return {
    registry,
    huawei,
    relay,
    async register(resources) {
      const byCorp = new Map<string, TestResource[]>();
      for (const r of resources) byCorp.set(r.corpId, [...(byCorp.get(r.corpId) ?? []), r]);
      for (const [corpId, list] of byCorp) {
        await huawei.addResources(corpId, list);
        for (let i = 0; i < list.length; i += 100) {
          const items = list.slice(i, i + 100).map((r) => ({ id: r.id, type: r.type, expireDate: r.expireDate }));
          const result = await relay(corpId, items);
          if (result.outcome !== 'recorded') throw new Error(`registering failed: ${result.response.status} ${result.response.text}`);
        }
      }
    },
    sweepOnce(overrides = {}) {
      const { config, ...rest } = overrides;
      return sweep({
        store: registry.store,
        lease: registry.lease,
        spApi: huawei.spApi,
        deadline: Date.now() + 25_000,
        metrics,
        ...rest,
        config: { ...TEST_SWEEP_CONFIG, ...config },
      });
    },
    syncOnce(overrides = {}) {
      const { config, ...rest } = overrides;
      return sync({
        store: registry.store,
        spApi: huawei.spApi,
        deadline: Date.now() + 25_000,
        metrics,
        ...rest,
        config: { dryRun: false, corpIds: [], concurrency: 4, ...config },
      });
    },
    item({ corpId, id, type }) {
      return registry.store.get(itemKey(corpId, id, type));
    },
    async stop() {
      metrics.clearMetrics();
      await huawei.stop();
      await registry.stop();
    },
  };
}

/** `count` resources with ids `<prefix>-0000`..., types alternating VMR / SOFT. */
export function resources(corpId: string, prefix: string, count: number, expireDate: number): TestResource[] {
  return Array.from({ length: count }, (_, i) => ({
    corpId,
    id: `${prefix}-${String(i).padStart(4, '0')}`,
    type: i % 2 === 0 ? 'VMR' : 'SOFT',
    expireDate,
  }));
}

export function key(r: Pick<TestResource, 'id' | 'type'>): string {
  return `${r.id}/${r.type}`;
}

/** Polls until `check` is true (hang guard: 10 s). */
export async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const giveUpAt = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
