import type { ActiveFault, FaultSpec, RecordedRequest } from './control-types.js';

export type { ActiveFault, FaultSpec, RecordedRequest } from './control-types.js';

/** Typed client for the simulator's control plane (`/_simulator/`), for tests and benchmarks. */
export class SimulatorControl {
  private readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const response = await fetch(`${this.baseUrl}/_simulator/${path}`, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`simulator control ${method} ${path} failed: HTTP ${response.status} ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }

  /** Every Huawei request received since the last clear, in arrival order; optionally only one path prefix. */
  async requests(filter: { path?: string; method?: string } = {}): Promise<RecordedRequest[]> {
    const all = (await this.call('GET', 'requests')) as RecordedRequest[];
    return all.filter(
      (r) =>
        (filter.path === undefined || r.path.startsWith(filter.path)) &&
        (filter.method === undefined || r.method === filter.method.toUpperCase()),
    );
  }

  async clearRequests(): Promise<void> {
    await this.call('DELETE', 'requests');
  }

  async addFault(spec: FaultSpec): Promise<ActiveFault> {
    return (await this.call('POST', 'faults', spec)) as ActiveFault;
  }

  /** Lets the requests a `hold` fault holds go on. */
  async release(faultId: string): Promise<void> {
    await this.call('POST', `faults/${faultId}/release`);
  }

  async faults(): Promise<ActiveFault[]> {
    return (await this.call('GET', 'faults')) as ActiveFault[];
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', 'faults');
  }

  /** Revokes every live token; returns how many were live. */
  async expireTokens(): Promise<number> {
    const answer = (await this.call('POST', 'tokens/expire')) as { revoked: number };
    return answer.revoked;
  }

  /** Back to the seed data; clears faults and the request log (tokens survive). */
  async reset(): Promise<void> {
    await this.call('POST', 'reset');
  }
}
