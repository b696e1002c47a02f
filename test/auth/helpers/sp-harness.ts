import { expect } from 'vitest';
import { parseSpCredentials, type SpCredentials } from '../../../functions/shared/auth/credentials.js';
import type { SpCredentialsSource } from '../../../functions/shared/auth/credentials-source.js';
import { HuaweiClient, type UpstreamRequest, type UpstreamResponse } from '../../../functions/shared/huawei/client.js';
import { SimulatorControl } from '../../../local/simulator/control-client.js';
import { DEMO_SECRETS, SP_ADMIN, SP_APP } from '../../../local/simulator/demo-data.js';
import { startSimulator, type RunningSimulator } from '../../../local/simulator/index.js';
import { ManualClock } from '../../support/clock.js';

export const APP_ID_DOCUMENT = { type: 'appId', appId: SP_APP.appId, appKey: SP_APP.appKey } as const;
export const ACCOUNT_DOCUMENT = { type: 'account', account: SP_ADMIN.account, password: SP_ADMIN.password } as const;
export const WRONG_APP_KEY = 'not-the-demo-app-key-0000000000';
export const WRONG_PASSWORD = 'Not-the-password-1';
export const APP_AUTH = '/v2/usg/acs/auth/appauth';
export const ACCOUNT_AUTH = '/v1/usg/acs/auth/account';

/** The clock shared by the simulator and the provider, moved by hand. */
export { ManualClock };

/** Credentials a test can swap, as an operator rotating the secret would. */
export class SwitchableCredentials implements SpCredentialsSource {
  readonly origin = 'the test credentials';
  invalidations = 0;
  constructor(private document: object) {}
  set(document: object): void {
    this.document = document;
  }
  async load(): Promise<SpCredentials> {
    return parseSpCredentials(JSON.stringify(this.document), this.origin);
  }
  invalidate(): void {
    this.invalidations += 1;
  }
}

/**
 * The production Huawei client with a tap that remembers every token it sees and every Authorization header
 * it sends, so the tests can search the captured output for them.
 */
export class TappedHuaweiClient extends HuaweiClient {
  readonly secretsSeen = new Set<string>();

  override async request(r: UpstreamRequest): Promise<UpstreamResponse> {
    for (const [name, value] of Object.entries(r.headers ?? {})) {
      if (name.toLowerCase() === 'authorization') {
        this.secretsSeen.add(value);
        const signature = /signature=([0-9a-f]+)/.exec(value)?.[1];
        if (signature) this.secretsSeen.add(signature);
        const basic = /^Basic (.+)$/.exec(value)?.[1];
        if (basic) this.secretsSeen.add(basic);
      }
      if (name.toLowerCase() === 'x-access-token') this.secretsSeen.add(value);
    }
    const response = await super.request(r);
    const token = (response.json as { accessToken?: unknown } | undefined)?.accessToken;
    if (typeof token === 'string') this.secretsSeen.add(token);
    return response;
  }
}

export interface Harness {
  simulator: RunningSimulator;
  client: TappedHuaweiClient;
  control: SimulatorControl;
  clock: ManualClock;
  stop(): Promise<void>;
}

export async function startHarness(options: { tokenTtlSeconds?: number } = {}): Promise<Harness> {
  const clock = new ManualClock();
  const simulator = await startSimulator({ now: clock.now, ...options });
  // Fast retries keep the fault tests short; the policy is the production one.
  const client = new TappedHuaweiClient({ baseUrl: simulator.url, minRetryDelayMs: 10, maxRetryDelayMs: 20 });
  const control = new SimulatorControl(simulator.url);
  return {
    simulator,
    client,
    control,
    clock,
    stop: async () => {
      await client.close();
      await simulator.stop();
    },
  };
}

/** Paths of the logged requests with their statuses, e.g. "POST /v2/usg/acs/auth/appauth 200". */
export function summarise(requests: ReadonlyArray<{ method: string; path: string; status: number }>): string[] {
  return requests.map((r) => `${r.method} ${r.path} ${r.status}`);
}

/** Asserts that no demo secret, no test credential and nothing the client saw as secret is in `output`. */
export function expectNoSecrets(output: string, ...clients: TappedHuaweiClient[]): void {
  const secrets = new Set<string>([...DEMO_SECRETS, WRONG_APP_KEY, WRONG_PASSWORD]);
  for (const client of clients) for (const secret of client.secretsSeen) secrets.add(secret);
  const leaked = [...secrets].filter((secret) => output.includes(secret));
  // Report lengths only: the failure message must not print the secret either.
  expect(leaked.map((secret) => `a ${secret.length}-character secret`)).toEqual([]);
}
