/**
 * One benchmark in its own process, started by bench/run.ts: its stdout (the handlers' and sweeper's log lines)
 * is discarded like Lambda's log shipping, progress goes to stderr, the result goes back over IPC. A process
 * per benchmark also keeps one benchmark's module state (sockets, singletons, heap) out of the next.
 */
import { runColdStart } from './cold-start.js';
import type { ColdStartOptions, ColdStartResult } from './cold-start.js';
import { runRelayOverhead } from './relay-overhead.js';
import type { RelayOptions, RelayResult } from './relay-overhead.js';
import { runSweepCost } from './sweep-cost.js';
import { runSyncCost } from './sync-cost.js';
import type { SyncOptions, SyncResult } from './sync-cost.js';
import type { SweepOptions, SweepResult } from './sweep-cost.js';

export type BenchRequest =
  | { benchmark: 'relay' | 'relayAtUpstreamLatency'; options: RelayOptions }
  | { benchmark: 'coldStart'; options: ColdStartOptions }
  | { benchmark: 'sweep'; options: SweepOptions }
  | { benchmark: 'sync'; options: SyncOptions };

export type BenchResult = RelayResult | ColdStartResult | SweepResult | SyncResult;

export type BenchReply = { ok: true; result: BenchResult } | { ok: false; error: string };

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function run(request: BenchRequest): Promise<BenchResult> {
  switch (request.benchmark) {
    case 'relay':
    case 'relayAtUpstreamLatency':
      return runRelayOverhead(request.options, log);
    case 'coldStart':
      return runColdStart(request.options, log);
    case 'sweep':
      return runSweepCost(request.options, log);
    case 'sync':
      return runSyncCost(request.options, log);
  }
}

process.once('message', (request: BenchRequest) => {
  void run(request)
    .then(
      (result): BenchReply => ({ ok: true, result }),
      (error: unknown): BenchReply => ({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    )
    // Pools and SDK clients may keep handles open: the result is all that matters now.
    .then((reply) => process.send?.(reply, () => process.exit(0)));
});
