/** Environment variables read only by the benchmarks (the functions' are in functions/shared/env.ts). */
export const BENCH_ENV = {
  /** Benchmarks: where `npm run bench` writes its JSON report (default bench/results/latest.json). */
  benchOut: 'BENCH_OUT',
} as const;
