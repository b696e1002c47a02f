import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it , vi } from 'vitest';
import { ENV } from '../../functions/shared/env.js';
import { resetHuaweiClient } from '../../functions/shared/huawei/client.js';
import { itemKey } from '../../functions/shared/registry/keys.js';
import type { SweepReport } from '../../functions/sweep/report.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamo.js';
import { CORP_A, SP_APP } from '../../local/simulator/demo-data.js';
import { captureOutput } from '../support/capture-output.js';
import { HOUR_MS, resources, startSweeperStack, use } from '../support/stack.js';

// The handler's EMF document is asserted (captured): metrics on before they are built, at import.
vi.hoisted(() => {
  delete process.env.POWERTOOLS_METRICS_DISABLED;
});

// The handler reads its configuration from the environment at first use; vitest runs each file in its own
// worker, so setting process.env here affects no other test file.
describe('scheduled sweeper handler', () => {
  const h = use(startSweeperStack);

  beforeAll(() => {
    Object.assign(process.env, {
      [ENV.registryTableName]: h.registry.dynamo.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: h.registry.dynamo.endpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      [ENV.huaweiBaseUrl]: h.huawei.simulator.url,
      [ENV.spCredentials]: JSON.stringify({ type: 'appId', appId: SP_APP.appId, appKey: SP_APP.appKey }),
      [ENV.sweepConcurrency]: '2',
    });
    delete process.env[ENV.spCredentialsSecretArn];
  });

  afterAll(async () => {
    await resetHuaweiClient();
  });

  it('sweeps within the invocation time and publishes the metrics as one EMF document', async () => {
    // Prepare
    const due = resources(CORP_A.corpId, 'handler', 3, Date.now() - HOUR_MS);
    await h.register(due);
    const { handler } = await import('../../functions/sweep/handler.js');
    const context = { functionName: 'sweeper', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
    const output = captureOutput();

    // Act
    let report: SweepReport;
    try {
      report = await handler({}, context);
    } finally {
      output.stop();
    }

    // Assess
    expect(report).toMatchObject({ status: 'completed', due: 3, disabled: 3 });
    for (const r of due) expect((await h.registry.store.get(itemKey(r.corpId, r.id, r.type)))!.status).toBe('disabled-expired');
    const emf = output
      .text()
      .split('\n')
      .filter((line) => line.startsWith('{"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(emf.find((doc) => doc.disabled === 3 && doc.due === 3)).toBeDefined();
  });
});
