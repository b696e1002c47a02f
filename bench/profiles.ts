/**
 * The sizes of each benchmark, for `npm run bench` (full) and `npm run bench -- --quick`. The only place they
 * are set; docs/performance.md quotes them.
 */
import type { ColdStartOptions } from './cold-start.js';
import type { RelayOptions } from './relay-overhead.js';
import type { SweepOptions } from './sweep-cost.js';
import type { SyncOptions } from './sync-cost.js';

export interface BenchProfile {
  relay: RelayOptions;
  /** The relay again against a slower upstream; left out of the quick profile (its requests take 20 ms each). */
  relayAtUpstreamLatency?: RelayOptions;
  coldStart: ColdStartOptions;
  sweep: SweepOptions;
  sync: SyncOptions;
}

export type ProfileName = 'quick' | 'full';

export const PROFILES: Readonly<Record<ProfileName, BenchProfile>> = {
  quick: {
    relay: { requestsPerRoute: 500, serialRequestsPerRoute: 200, concurrency: 8, runs: 3, warmupPerRoute: 200, upstreamLatencyMs: 0, profileCalls: 1_000 },
    coldStart: { runs: 15 },
    sweep: { registrySizes: [10_000, 50_000], due: 500, corps: 40, upstreamLatencyMs: 20, runs: 2 },
    sync: { sizes: [{ resources: 10_000, corps: 100 }], upstreamLatencyMs: 20, runs: 2, baselineSample: 1_000 },
  },
  full: {
    relay: { requestsPerRoute: 2_000, serialRequestsPerRoute: 500, concurrency: 8, runs: 5, warmupPerRoute: 500, upstreamLatencyMs: 0, profileCalls: 3_000 },
    relayAtUpstreamLatency: {
      requestsPerRoute: 800,
      serialRequestsPerRoute: 0,
      concurrency: 8,
      runs: 3,
      warmupPerRoute: 200,
      upstreamLatencyMs: 20,
    },
    coldStart: { runs: 30 },
    sweep: { registrySizes: [10_000, 100_000, 1_000_000], due: 1_000, corps: 40, upstreamLatencyMs: 20, runs: 3 },
    sync: {
      sizes: [
        { resources: 10_000, corps: 100 },
        { resources: 100_000, corps: 1_000 },
        // Enterprises of 1,000 resources: where an incremental run saves SP calls (one record query, not 10 pages).
        { resources: 10_000, corps: 10 },
      ],
      upstreamLatencyMs: 20,
      runs: 3,
      baselineSample: 2_000,
    },
  },
};
