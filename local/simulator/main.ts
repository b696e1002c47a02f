/** `npm run simulator`: the Huawei Cloud Meeting simulator as a standalone server. */
import { CORP_A, CORP_B, SP_ADMIN, SP_APP } from './demo-data.js';
import { simulatorOptionsFromEnv, startSimulator } from './index.js';

const simulator = await startSimulator(simulatorOptionsFromEnv());
process.stdout.write(
  [
    `Huawei Cloud Meeting simulator listening on ${simulator.url}`,
    'Demo logins (passwords and the appKey: see README):',
    `  SP admin          account ${SP_ADMIN.account}, App ID ${SP_APP.appId}`,
    `  enterprise ${CORP_A.corpId}  admin ${CORP_A.admin.account}, user ${CORP_A.user.account}`,
    `  enterprise ${CORP_B.corpId}  admin ${CORP_B.admin.account}, user ${CORP_B.user.account}`,
    `Control plane: ${simulator.url}/_simulator/requests | faults | tokens/expire | reset`,
    '',
  ].join('\n'),
);

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`${signal}: stopping the simulator\n`);
  simulator.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`simulator: stop failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
