/**
 * Import first, before anything that loads the functions' logger and metrics, in tests that provoke failures on
 * purpose (a 503 after lost races, an upstream refusal): the handlers' error lines and the sweeper's metric lines
 * are expected there and would only bury the test output. What is logged is checked by test/security/.
 */
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
