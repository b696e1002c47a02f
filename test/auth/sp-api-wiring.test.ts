import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSpTokenProvider, renewMarginFromEnv } from '../../functions/shared/auth/token-provider.js';
import { ENV } from '../../functions/shared/env.js';
import { resetHuaweiClient } from '../../functions/shared/huawei/client.js';
import { getSpApi } from '../../functions/shared/huawei/sp-api.js';
import { SimulatorControl } from '../../local/simulator/control-client.js';
import { CORP_A } from '../../local/simulator/demo-data.js';
import { startSimulator, type RunningSimulator } from '../../local/simulator/index.js';
import { APP_AUTH, APP_ID_DOCUMENT, summarise } from './helpers/sp-harness.js';

// The module-scope singletons, configured only through the environment as a Lambda is. This file runs in its
// own worker, so setting process.env here affects no other test file.

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator();
  process.env[ENV.huaweiBaseUrl] = simulator.url;
  process.env[ENV.spCredentials] = JSON.stringify(APP_ID_DOCUMENT);
  delete process.env[ENV.spCredentialsSecretArn];
  delete process.env[ENV.tokenRenewMarginSeconds];
});

afterAll(async () => {
  await resetHuaweiClient();
  await simulator.stop();
});

describe('getSpApi', () => {
  it('calls Huawei with the shared token provider configured from the environment', async () => {
    // Prepare
    const control = new SimulatorControl(simulator.url);
    const token = await getSpTokenProvider().getToken();
    // Act
    const response = await getSpApi().queryResources(CORP_A.corpId, {});
    // Assess: one login, shared by the provider singleton and the SP API singleton.
    expect(response.status).toBe(200);
    expect(await getSpTokenProvider().getToken()).toBe(token);
    expect(getSpApi()).toBe(getSpApi());
    expect(summarise(await control.requests())).toEqual([`POST ${APP_AUTH} 200`, `GET /v1/usg/dcs/sp/corp/${CORP_A.corpId}/resource 200`]);
  });
});

describe('renewMarginFromEnv', () => {
  it('defaults to 300 seconds when unset or empty', () => {
    expect(renewMarginFromEnv({})).toBe(300);
    expect(renewMarginFromEnv({ [ENV.tokenRenewMarginSeconds]: ' ' })).toBe(300);
  });

  it('reads a whole number of seconds', () => {
    expect(renewMarginFromEnv({ [ENV.tokenRenewMarginSeconds]: '900' })).toBe(900);
  });

  it.each(['-1', '1.5', 'ten', '43201'])('names the variable and the rule for %s', (value) => {
    expect(() => renewMarginFromEnv({ [ENV.tokenRenewMarginSeconds]: value })).toThrow(
      `${ENV.tokenRenewMarginSeconds} must be a whole number of seconds from 0 to 43200`,
    );
  });
});
