/**
 * `npm start`: the whole product on one machine. Starts, in order, the Huawei simulator (unless
 * HUAWEI_MEETING_BASE_URL points elsewhere), embedded DynamoDB (dynalite) for the registry, and the API Gateway
 * emulator over the real handlers; prints where everything is; stops it all on Ctrl-C.
 *
 * Each started piece is a `StartedService` in one list, stopped in reverse order: further services (the sweeper
 * loop) are added by appending to `startServices`.
 */
import { ENV } from '../functions/shared/env.js';
import { parseHuaweiBaseUrl } from '../functions/shared/huawei/config.js';
import { resetHuaweiClient } from '../functions/shared/huawei/client.js';
import { HTTP_ROUTES } from '../functions/shared/routes.js';
import { DEFAULT_GATEWAY_PORT, startGateway } from './gateway/index.js';
import { startDynamo, LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamo.js';
import { CORP_A, CORP_B, SP_ADMIN } from './simulator/demo-data.js';
import { DEFAULT_SIMULATOR_PORT, simulatorOptionsFromEnv, startSimulator } from './simulator/index.js';

interface StartedService {
  name: string;
  /** Shown in the ready banner. */
  url: string;
  stop(): Promise<void>;
}

function readPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number (got "${raw}")`);
  return port;
}

function setDefault(name: string, value: string): void {
  if (process.env[name] === undefined || process.env[name] === '') process.env[name] = value;
}

async function startServices(services: StartedService[]): Promise<void> {
  const externalBaseUrl = process.env[ENV.huaweiBaseUrl];
  if (externalBaseUrl === undefined || externalBaseUrl.trim() === '') {
    const simulator = await startSimulator({ ...simulatorOptionsFromEnv(), port: readPort(ENV.simulatorPort, DEFAULT_SIMULATOR_PORT) });
    services.push({ name: 'Huawei simulator', url: simulator.url, stop: () => simulator.stop() });
    process.env[ENV.huaweiBaseUrl] = simulator.url;
  } else {
    // Fail now, not on the first request.
    services.push({ name: 'Huawei API (external)', url: parseHuaweiBaseUrl(externalBaseUrl.trim()), stop: async () => {} });
  }

  const dynamo = await startDynamo({ tableName: process.env[ENV.registryTableName] || undefined });
  services.push({ name: 'DynamoDB (dynalite)', url: dynamo.endpoint, stop: () => dynamo.stop() });
  setDefault(ENV.registryTableName, dynamo.tableName);
  // The AWS SDK reads these; they keep it from looking for real credentials or a region.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  setDefault('AWS_REGION', LOCAL_REGION);
  setDefault('AWS_ACCESS_KEY_ID', LOCAL_CREDENTIALS.accessKeyId);
  setDefault('AWS_SECRET_ACCESS_KEY', LOCAL_CREDENTIALS.secretAccessKey);

  const gateway = await startGateway({
    port: readPort(ENV.port, DEFAULT_GATEWAY_PORT),
    onRequest: (line) => console.log(`[gateway] ${line}`),
  });
  services.push({
    name: 'Relay (API Gateway emulator)',
    url: gateway.url,
    stop: async () => {
      await gateway.stop();
      await resetHuaweiClient();
    },
  });
}

function banner(services: readonly StartedService[]): string {
  const relay = services.find((service) => service.name.startsWith('Relay'))?.url ?? '';
  const huawei = process.env[ENV.huaweiBaseUrl] ?? '';
  const lines = [
    '',
    'meeting-relay is running',
    ...services.map((service) => `  ${service.name.padEnd(30)} ${service.url}`),
    '',
    'Routes:',
    ...HTTP_ROUTES.map((route) => `  ${route.method} ${relay}${route.path}`),
    '',
    'Demo logins (passwords: local/simulator/demo-data.ts):',
    `  SP administrator   ${SP_ADMIN.account}        modify enterprise resources (corp ${CORP_A.corpId}, ${CORP_B.corpId})`,
    `  enterprise user    ${CORP_A.user.account}   modify VMR ${CORP_A.vmrId}`,
    `  enterprise user    ${CORP_B.user.account}     modify VMR ${CORP_B.vmrId}`,
    '',
    'Get a token (accessToken in the answer), then send it as X-Access-Token to the relay:',
    `  curl -s -X POST ${huawei}/v1/usg/acs/auth/account -u '${SP_ADMIN.account}:<password>' \\`,
    `       -H 'content-type: application/json' -d '{"account":"${SP_ADMIN.account}","clientType":72}'`,
    `  curl -i -X PUT ${relay}/v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource -H 'content-type: application/json' \\`,
    `       -H 'X-Access-Token: <token>' -d '[{"id":"${CORP_A.vmrResourceId}","type":"VMR","isDisabled":false}]'`,
    '',
    'Ctrl-C stops everything.',
  ];
  return lines.join('\n');
}

async function stopAll(services: StartedService[]): Promise<void> {
  for (const service of [...services].reverse()) {
    try {
      await service.stop();
    } catch (error) {
      console.error(`stopping ${service.name} failed:`, error instanceof Error ? error.message : error);
    }
  }
}

async function main(): Promise<void> {
  const services: StartedService[] = [];
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    void stopAll(services).then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  try {
    await startServices(services);
  } catch (error) {
    console.error('start failed:', error instanceof Error ? error.message : error);
    await stopAll(services);
    process.exit(1);
  }
  console.log(banner(services));
}

await main();
