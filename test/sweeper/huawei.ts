/**
 * The Huawei side of the sweeper tests: a real simulator on loopback, reached through the production
 * HuaweiClient, SpTokenProvider (App ID login) and SpApi, plus helpers that add resources upstream and read
 * their state back.
 */
import { EnvCredentialsSource } from '../../functions/shared/auth/credentials-source.js';
import { SpTokenProvider } from '../../functions/shared/auth/token-provider.js';
import { HuaweiClient } from '../../functions/shared/huawei/client.js';
import type { ResourceType } from '../../functions/shared/huawei/schemas.js';
import { SpApi } from '../../functions/shared/huawei/sp-api.js';
import { SimulatorControl } from '../../local/simulator/control-client.js';
import { SP_APP } from '../../local/simulator/demo-data.js';
import { startSimulator } from '../../local/simulator/index.js';
import type { RunningSimulator } from '../../local/simulator/index.js';

export interface UpstreamResource {
  id: string;
  type: ResourceType;
  expireDate: number;
  isDisabled: boolean;
  status: number;
}

export interface TestHuawei {
  simulator: RunningSimulator;
  control: SimulatorControl;
  client: HuaweiClient;
  spApi: SpApi;
  /** Adds resources upstream (AddResource, 100 per call) with the given expiry. */
  addResources(corpId: string, resources: ReadonlyArray<{ id: string; type: ResourceType; expireDate: number }>): Promise<void>;
  /** Deletes resources upstream (DeleteResource): the registry may still list them. */
  deleteResources(corpId: string, ids: readonly string[]): Promise<void>;
  /** Every resource of an enterprise as Huawei reports it, by `id/type`. */
  resources(corpId: string): Promise<Map<string, UpstreamResource>>;
  /** The SP token the SP API currently uses (to prove it never reaches the output). */
  currentToken(): Promise<string>;
  /** PUTs to `.../resource` received since the last clear. */
  resourcePuts(): Promise<number>;
  stop(): Promise<void>;
}

export async function startTestHuawei(): Promise<TestHuawei> {
  const simulator = await startSimulator({ port: 0 });
  const control = new SimulatorControl(simulator.url);
  // Small backoff so retried 5xx bursts stay quick; the policy is the production one.
  const client = new HuaweiClient({ baseUrl: simulator.url, minRetryDelayMs: 10, maxRetryDelayMs: 50 });
  const credentials = new EnvCredentialsSource(JSON.stringify({ type: 'appId', appId: SP_APP.appId, appKey: SP_APP.appKey }));
  const tokens = new SpTokenProvider({ client, credentials });
  const spApi = new SpApi({ client, tokens });

  return {
    simulator,
    control,
    client,
    spApi,
    async addResources(corpId, resources) {
      const token = await tokens.getToken();
      for (let i = 0; i < resources.length; i += 100) {
        const body = resources.slice(i, i + 100).map((r) => ({ ...r, count: 1 }));
        const response = await client.request({
          method: 'POST',
          path: `/v1/usg/dcs/sp/corp/${corpId}/resource`,
          headers: { 'X-Access-Token': token },
          body,
        });
        if (response.status !== 200) throw new Error(`AddResource failed: ${response.status} ${response.text}`);
      }
    },
    async deleteResources(corpId, ids) {
      const response = await client.request({
        method: 'POST',
        path: `/v1/usg/dcs/sp/corp/${corpId}/resource/delete`,
        headers: { 'X-Access-Token': await tokens.getToken() },
        body: ids,
      });
      if (response.status !== 200) throw new Error(`DeleteResource failed: ${response.status} ${response.text}`);
    },
    async resources(corpId) {
      const all = new Map<string, UpstreamResource>();
      for (let offset = 0; ; offset += 100) {
        const response = await spApi.queryResources(corpId, { offset, limit: 100 });
        if (response.status !== 200) throw new Error(`SearchResource failed: ${response.status} ${response.text}`);
        const page = response.json as { count: number; data: Array<{ id: string; type: ResourceType; expireDate: number; status: number }> };
        for (const r of page.data) all.set(`${r.id}/${r.type}`, { ...r, isDisabled: r.status === 2 });
        if (offset + 100 >= page.count) break;
      }
      return all;
    },
    currentToken: () => tokens.getToken(),
    async resourcePuts() {
      return (await control.requests({ path: '/v1/usg/dcs/sp/corp/', method: 'PUT' })).length;
    },
    async stop() {
      await client.close();
      await simulator.stop();
    },
  };
}
