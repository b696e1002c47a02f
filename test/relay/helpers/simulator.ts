/**
 * One real simulator per test file, with the relay's handlers pointed at it through HUAWEI_MEETING_BASE_URL
 * (the same client code production uses).
 */
import { afterAll, beforeAll } from 'vitest';
import { ENV } from '../../../functions/shared/env.js';
import { resetHuaweiClient } from '../../../functions/shared/huawei/client.js';
import { SimulatorControl } from '../../../local/simulator/control-client.js';
import { loginDemo } from '../../../local/simulator/demo-login.js';
import { startSimulator } from '../../../local/simulator/index.js';
import type { RunningSimulator } from '../../../local/simulator/index.js';

export interface SimulatorFixture {
  readonly url: string;
  readonly control: SimulatorControl;
  /** Tokens of the demo identities, logged in once per file. */
  readonly tokens: { spAdmin: string; alice: string; bob: string };
  /** Logs the demo identities in again (after a test expired every token). */
  relogin(): Promise<void>;
}

export function useRelaySimulator(): SimulatorFixture {
  let running: RunningSimulator | undefined;
  let control: SimulatorControl | undefined;
  let tokens: SimulatorFixture['tokens'] | undefined;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('simulator not started');
    return value;
  };
  beforeAll(async () => {
    running = await startSimulator({ port: 0 });
    control = new SimulatorControl(running.url);
    process.env[ENV.huaweiBaseUrl] = running.url;
    await resetHuaweiClient();
    await login();
  });
  const login = async () => {
    const url = need(running).url;
    const [spAdmin, alice, bob] = await Promise.all([loginDemo.spAdmin(url), loginDemo.alice(url), loginDemo.bob(url)]);
    tokens = { spAdmin, alice, bob };
  };
  afterAll(async () => {
    await resetHuaweiClient();
    await running?.stop();
  });
  return {
    get url() {
      return need(running).url;
    },
    get control() {
      return need(control);
    },
    get tokens() {
      return need(tokens);
    },
    relogin: login,
  };
}

/** Huawei requests on the relayed paths (the logins are left out). */
export async function relayedRequests(control: SimulatorControl) {
  return control.requests({ path: '/v1/usg/dcs/' });
}
