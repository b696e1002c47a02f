/**
 * `npm start`: the whole product on one machine (local/stack.ts: simulator, dynalite, sweeper, gateway). Prints
 * where everything is; stops it all on Ctrl-C (or SIGTERM) and exits 0. The npm script `exec`s node with tsx as
 * a loader, so this is the only process npm started and a signal sent to npm alone reaches it.
 */
import { LOCAL_ENV } from './env.js';
import { HTTP_ROUTES, PASSTHROUGH_PREFIXES } from '../functions/shared/routes.js';
import { CORP_A, CORP_B, SP_ADMIN } from './simulator/demo-data.js';
import { startLocalStack } from './stack.js';
import type { LocalStack } from './stack.js';
import { LOCAL_SWEEP_METHOD, LOCAL_SWEEP_PATH, LOCAL_SYNC_METHOD, LOCAL_SYNC_PATH } from './settings.js';

function banner(stack: LocalStack): string {
  const relay = stack.gatewayUrl;
  const huawei = stack.huaweiBaseUrl;
  const shown = stack.services.filter((service) => service.detail !== undefined);
  const lines = [
    '',
    'meeting-relay is running',
    ...shown.map((service) => `  ${service.name.padEnd(30)} ${service.detail ?? ''}`),
    '',
    'Routes:',
    ...HTTP_ROUTES.map((route) => `  ${route.method} ${relay}${route.path}   (validated)`),
    stack.passthrough
      ? `  any other ${PASSTHROUGH_PREFIXES.join(' ')}... : passed through to ${huawei}`
      : `  passthrough off (${LOCAL_ENV.relayPassthrough}=false): other paths answer 404 RELAY.404001`,
    `  ${LOCAL_SWEEP_METHOD} ${relay}${LOCAL_SWEEP_PATH}   (local only: one sweep now, answers its report)`,
    `  ${LOCAL_SYNC_METHOD} ${relay}${LOCAL_SYNC_PATH}    (local only: one sync with Huawei now, answers its report)`,
    '',
    `Expiry sweeper: ${stack.sweeper.intervalSeconds > 0 ? `every ${stack.sweeper.intervalSeconds} s` : 'timer off'} (${LOCAL_ENV.sweepIntervalSeconds}; 0 turns the timer off).`,
    `  Sweep now: npm run sweep   (or curl -s -X POST ${relay}${LOCAL_SWEEP_PATH})`,
    `Sync with Huawei: once at start (adopts every resource Huawei holds); now: npm run sync`,
    '',
    'Demo logins (passwords: local/simulator/demo-data.ts):',
    `  SP administrator   ${SP_ADMIN.account}        modify enterprise resources (corp ${CORP_A.corpId}, ${CORP_B.corpId})`,
    `  enterprise user    ${CORP_A.user.account}   modify VMR ${CORP_A.vmrId}`,
    `  enterprise user    ${CORP_B.user.account}     modify VMR ${CORP_B.vmrId}`,
    '',
    'Get a token (accessToken in the answer), then send it as X-Access-Token to the relay:',
    `  curl -s -X POST ${stack.passthrough ? relay : huawei}/v1/usg/acs/auth/account -u '${SP_ADMIN.account}:<password>' \\`,
    `       -H 'content-type: application/json' -d '{"account":"${SP_ADMIN.account}","clientType":72}'`,
    `  curl -i -X PUT ${relay}/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource -H 'content-type: application/json' \\`,
    `       -H 'X-Access-Token: <token>' -d '[{"id":"${CORP_A.vmrResourceId}","type":"VMR","isDisabled":false}]'`,
    '',
    'Ctrl-C stops everything.',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  let stack: LocalStack | undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    // Before the stack is up there is nothing to stop cleanly: everything lives in this process.
    void (stack?.stop() ?? Promise.resolve()).then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  try {
    stack = await startLocalStack({ onRequest: (line) => console.log(`[gateway] ${line}`) });
  } catch (error) {
    console.error('start failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  }
  console.log(banner(stack));
}

await main();
