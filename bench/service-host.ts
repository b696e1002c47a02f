/**
 * Child process that runs one service a benchmark talks to (the Huawei simulator or dynalite), so that its CPU
 * time is not spent on the thread being measured: in production Huawei and DynamoDB are remote. Started by
 * bench/services.ts over IPC; stops when told to or when its parent goes away.
 */
import { startDynamo } from '../local/dynamo.js';
import { startSimulator } from '../local/simulator/index.js';
import type { ServiceReady, ServiceRequest } from './services.js';

async function start(request: ServiceRequest): Promise<{ ready: ServiceReady; stop: () => Promise<void> }> {
  if (request.service === 'simulator') {
    const simulator = await startSimulator({ port: 0, latencyMs: request.latencyMs, extraCorps: request.extraCorps ?? 0 });
    return { ready: { url: simulator.url }, stop: () => simulator.stop() };
  }
  const dynamo = await startDynamo({ port: 0 });
  return { ready: { url: dynamo.endpoint, tableName: dynamo.tableName }, stop: () => dynamo.stop() };
}

process.once('message', (message: ServiceRequest) => {
  void start(message).then(
    ({ ready, stop }) => {
      const shutdown = () => void stop().finally(() => process.exit(0));
      process.once('message', shutdown);
      process.once('disconnect', shutdown);
      process.send?.(ready);
    },
    (error: unknown) => {
      console.error(`[bench] ${message.service} failed to start:`, error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
});
