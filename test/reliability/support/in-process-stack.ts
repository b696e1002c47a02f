/**
 * The whole product in this test process, all real: the Huawei simulator and dynalite on loopback, the
 * environment the deployed functions read pointed at them, and the deployed handler modules (both relay routes
 * the sweeper and the sync) imported only after that environment is set, so their module-scope singletons (Huawei
 * client, SP token provider, registry recorder) are the production ones reaching this stack.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ENV } from '../../../functions/shared/env.js';
import { resetHuaweiClient } from '../../../functions/shared/huawei/client.js';
import type { SweepReport } from '../../../functions/sweep/report.js';
import type { SyncReport } from '../../../functions/sync/report.js';
import { SimulatorControl } from '../../../local/simulator/control-client.js';
import { SP_APP } from '../../../local/simulator/demo-data.js';
import { loginDemo } from '../../../local/simulator/demo-login.js';
import { startSimulator } from '../../../local/simulator/index.js';
import type { RunningSimulator } from '../../../local/simulator/index.js';
import { bindRegistryEnvironment } from '../../../local/stack.js';
import { startTestRegistry } from '../../support/dynamo.js';
import type { TestRegistry } from '../../support/dynamo.js';

export type RelayHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
export type SweepHandler = (event: unknown, context: Context) => Promise<SweepReport>;
export type SyncHandler = (event: unknown, context: Context) => Promise<SyncReport>;

export interface InProcessStack {
  simulator: RunningSimulator;
  control: SimulatorControl;
  registry: TestRegistry;
  handlers: { modifyVmr: RelayHandler; modifyResources: RelayHandler; sweep: SweepHandler; sync: SyncHandler };
  stop(): Promise<void>;
}

/** The SP credentials the sweeper logs in with (App ID, so the HMAC path runs). */
export const SWEEPER_CREDENTIALS = JSON.stringify({ type: 'appId', appId: SP_APP.appId, appKey: SP_APP.appKey });

export async function startInProcessStack(): Promise<InProcessStack> {
  const simulator = await startSimulator({ port: 0 });
  const registry = await startTestRegistry();
  process.env[ENV.huaweiBaseUrl] = simulator.url;
  process.env[ENV.spCredentials] = SWEEPER_CREDENTIALS;
  // As the local runtime does: the functions' AWS SDK reaches this dynalite, through the environment.
  bindRegistryEnvironment(registry.dynamo);
  await resetHuaweiClient();

  const [vmr, resources, sweeper, syncer] = await Promise.all([
    import('../../../functions/vmr/handler.js'),
    import('../../../functions/resources/handler.js'),
    import('../../../functions/sweep/handler.js'),
    import('../../../functions/sync/handler.js'),
  ]);
  return {
    simulator,
    control: new SimulatorControl(simulator.url),
    registry,
    handlers: {
      modifyVmr: vmr.handler as unknown as RelayHandler,
      modifyResources: resources.handler as unknown as RelayHandler,
      sweep: sweeper.handler as unknown as SweepHandler,
      sync: syncer.handler as unknown as SyncHandler,
    },
    async stop() {
      await resetHuaweiClient();
      await simulator.stop();
      await registry.stop();
    },
  };
}

/** Tokens of the two callers the relay serves: the SP administrator (resources) and alice (her VMR). */
export async function loginCallers(url: string): Promise<{ spAdmin: string; alice: string }> {
  const [spAdmin, alice] = await Promise.all([loginDemo.spAdmin(url), loginDemo.alice(url)]);
  return { spAdmin, alice };
}
