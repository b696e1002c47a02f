/**
 * vitest `setupFiles`: runs in each test file's worker before the file's own imports, so the functions'
 * Powertools logger and metrics are built quiet whatever a test imports first. `npm test` then prints vitest's
 * lines and failures only. A test that asserts on log or metric lines opts in at its top with `vi.hoisted`
 * (which also runs before the imports) and reads them through captureOutput (test/support/capture-output.ts).
 */
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
