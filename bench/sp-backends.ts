/**
 * The backends the sweep and sync benchmarks run against: the simulator and dynalite in their own processes
 * (bench/services.ts), and the SP-side clients built as the sweeper and the sync functions build them.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EnvCredentialsSource } from '../functions/shared/auth/credentials-source.js';
import { SpTokenProvider } from '../functions/shared/auth/token-provider.js';
import { HuaweiClient } from '../functions/shared/huawei/client.js';
import { SpApi } from '../functions/shared/huawei/sp-api.js';
import { createRegistryDocumentClient } from '../functions/shared/registry/document-client.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamo.js';
import { SimulatorControl } from '../local/simulator/control-client.js';
import { SP_APP } from '../local/simulator/demo-data.js';
import { startServiceProcess } from './services.js';
import type { RunningService } from './services.js';

export interface SpBackends {
  simulator: RunningService;
  dynamo: RunningService;
  tableName: string;
  db: DynamoDBDocumentClient;
  client: HuaweiClient;
  tokens: SpTokenProvider;
  spApi: SpApi;
  control: SimulatorControl;
  /** Closes the clients and stops both processes. */
  stop(): Promise<void>;
}

export async function startSpBackends(options: { upstreamLatencyMs: number; extraCorps: number }): Promise<SpBackends> {
  const simulator = await startServiceProcess({ service: 'simulator', latencyMs: options.upstreamLatencyMs, extraCorps: options.extraCorps });
  const dynamo = await startServiceProcess({ service: 'dynamo' });
  const db = createRegistryDocumentClient({ endpoint: dynamo.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const client = new HuaweiClient({ baseUrl: simulator.url });
  const tokens = new SpTokenProvider({
    client,
    credentials: new EnvCredentialsSource(JSON.stringify({ type: 'appId', appId: SP_APP.appId, appKey: SP_APP.appKey })),
  });
  return {
    simulator,
    dynamo,
    tableName: dynamo.tableName ?? '',
    db,
    client,
    tokens,
    spApi: new SpApi({ client, tokens }),
    control: new SimulatorControl(simulator.url),
    async stop() {
      db.destroy();
      await client.close();
      await Promise.all([simulator.stop(), dynamo.stop()]);
    },
  };
}
